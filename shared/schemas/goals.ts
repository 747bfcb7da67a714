/** Goals (api-contract.md "Analysis (v1.2)"): a KPI to move from a baseline period's value to a target by a date. */
import { Audited, ContactChannel, DateString, ExternalId, Id, StaffId, TeamId, Timestamp } from './common.js';
import { describeEnum } from './describe.js';
import { Direction, KpiName, KpiValue } from './settings.js';
import { z } from './zod.js';

/** GoalStatus's values inline (the report's goals). */
export const GoalStatusValues = /* @__PURE__ */ z.enum(['on_track', 'at_risk', 'achieved', 'missed']);
export const goalStatusText = /* @__PURE__ */ describeEnum(GoalStatusValues, {
  on_track: 'The current value is at or past `expectedNow` (the straight line from the baseline to the target)',
  at_risk: 'Behind `expectedNow`, or no data yet: the owner is told once',
  achieved: 'The current value meets the target',
  missed: '`by` has passed without the target being met',
});
export const GoalStatus = /* @__PURE__ */ GoalStatusValues.openapi('GoalStatus', {
  description:
    'achieved: the target is met; missed: `by` passed without it; on_track: at or past expectedNow; at_risk: behind it, or no data',
});

const Scope = /* @__PURE__ */ z
  .strictObject({ team: TeamId.optional(), channel: ContactChannel.optional() })
  .openapi('GoalScope', { description: 'the figures of one team and/or channel (default: the whole organisation)' });

const Period = /* @__PURE__ */ z.strictObject({ from: DateString, to: DateString });

const Target = /* @__PURE__ */ z
  .union([
    z.strictObject({ value: KpiValue }),
    z.strictObject({
      change: z.union([
        z.strictObject({ absolute: KpiValue.openapi({ description: 'added to the baseline value (e.g. NPS +5)' }) }),
        z.strictObject({
          relative: z.number().min(-1).max(10).openapi({
            description:
              'a share of the baseline value (0.1 = +10 %, s000); needs a baseline that is neither 0 nor null',
          }),
        }),
      ]),
    }),
  ])
  .openapi('GoalTarget', { description: 'an absolute value, or a change from the baseline value' });

export const CreateGoalBody = /* @__PURE__ */ z
  .strictObject({
    kpi: KpiName,
    scope: Scope.optional(),
    baseline: Period.openapi({ description: 'the period whose value the goal starts from (not after today)' }),
    target: Target,
    by: DateString.openapi({ description: 'the date the target is due (not before today)' }),
    owner: StaffId,
    name: z.string().trim().min(1).max(200).optional(),
  })
  .openapi('CreateGoalBody');
export type CreateGoalBody = z.infer<typeof CreateGoalBody>;

export const PatchGoalBody = /* @__PURE__ */ z
  .strictObject({
    target: Target.optional(),
    by: DateString.optional(),
    owner: StaffId.optional(),
    name: z.string().trim().min(1).max(200).nullable().optional(),
  })
  .openapi('PatchGoalBody', {
    description: 'what may change of a goal (If-Match: its ETag); kpi, scope and baseline stay',
  });
export type PatchGoalBody = z.infer<typeof PatchGoalBody>;

export const GoalParams = /* @__PURE__ */ z.strictObject({ id: Id });

export const Goal = /* @__PURE__ */ z
  .object({
    id: z.string(),
    kpi: KpiName,
    scope: z.object({ team: z.string().optional(), channel: z.string().optional() }),
    baseline: z.object({ from: DateString, to: DateString }),
    target: Target,
    by: DateString,
    owner: z.string(),
    name: z.string().optional(),
    direction: Direction.openapi({ description: 'the KPI’s direction (settings.kpis)' }),
    baselineValue: z
      .number()
      .nullable()
      .openapi({ description: 'the KPI over the baseline period; null without data' }),
    targetValue: z
      .number()
      .nullable()
      .openapi({ description: 'the value to reach by `by`; null when it depends on a missing baseline' }),
    current: z.number().nullable().openapi({
      description: 'the KPI from the day after the baseline to today (or `by`, once passed); null without data',
    }),
    currentPeriod: z.object({ from: DateString, to: DateString }).nullable(),
    expectedNow: z.number().nullable().openapi({
      description:
        'where the KPI should be today on a straight line from the baseline value (at baseline.to) to the target (at `by`)',
    }),
    status: GoalStatus,
    atRiskNotifiedAt: Timestamp.optional().openapi({
      description:
        'when the daily goal check told the owner the goal turned at_risk; cleared when it recovers (on_track or achieved), so a new turn is told anew',
    }),
    atRiskNotices: z.number().int().optional().openapi({ description: 'how many times the owner was told so' }),
    createdAt: Timestamp,
    createdBy: z.string(),
    updatedAt: Timestamp,
    ...Audited,
    version: z.number().int(),
  })
  .openapi('Goal');
export type Goal = z.infer<typeof Goal>;

export const GoalList = /* @__PURE__ */ z.object({ items: z.array(Goal) }).openapi('GoalList');

export const GoalListQuery = /* @__PURE__ */ z
  .strictObject({
    status: GoalStatus.optional(),
    kpi: KpiName.optional(),
    owner: ExternalId.optional(),
  })
  .openapi('GoalListQuery');
export type GoalListQuery = z.infer<typeof GoalListQuery>;
