import { CauseKinds } from './causes.js';
import { ContactChannel, DateString, ExternalId, Me } from './common.js';
import { describeEnum } from './describe.js';
import { Goal } from './goals.js';
import { Direction, KpiName, RagStatus } from './settings.js';
import { z } from './zod.js';

const ShareValue = /* @__PURE__ */ z
  .number()
  .min(0)
  .max(1)
  .nullable()
  .openapi({ description: '0–1; null when there is no data' });
const Seconds = /* @__PURE__ */ z.number().nullable();

/** Counts per cause kind, largest first, with shares (a Pareto). */
const Pareto = /* @__PURE__ */ z
  .object({
    total: z.number().int(),
    items: z.array(
      z.object({
        kind: CauseKinds,
        count: z.number().int(),
        share: z.number().openapi({ description: 'count ÷ total' }),
        cumulativeShare: z.number().openapi({ description: 'this and every larger kind ÷ total' }),
      }),
    ),
  })
  .openapi('CausePareto');

export const GroupByKey = /* @__PURE__ */ z
  .enum(['channel', 'team', 'agent', 'tier', 'segment', 'customerType', 'newOrReturning', 'questionnaire'])
  .openapi('MetricsGroupBy');
export const groupByKeyText = /* @__PURE__ */ describeEnum(GroupByKey, {
  channel: 'One group per channel the contacts came in on: every KPI',
  team: 'One group per team: every KPI, plus the scorecard `score`',
  agent: 'One group per agent: every KPI (over all channels: not with `channel`)',
  tier: 'Satisfaction per customer tier of the answering customer (`none` without one)',
  segment:
    'Satisfaction per segment of the answering customer before the answer (at_risk, frequent_complainer, then the NPS class; `none`)',
  customerType: 'Satisfaction per customer type (`unknown` without one)',
  newOrReturning:
    'Satisfaction of new customers (customer for less than 365 days) against returning ones (`unknown` without `customerSince`)',
  questionnaire: 'Satisfaction per questionnaire the answers were given on',
});

const Compare = /* @__PURE__ */ z.enum(['previous']);
export const compareText = /* @__PURE__ */ describeEnum(Compare, {
  previous:
    'The previous period of the same length: as many whole months before, the same days of the previous month for a month to date, else as many days before',
});
const Interval = /* @__PURE__ */ z.enum(['day', 'week', 'month']);
export const intervalText = /* @__PURE__ */ describeEnum(Interval, {
  day: 'One entry of `series` per day (at most 366 days)',
  week: 'One entry per week, Monday to Sunday, cut at the period’s ends',
  month: 'One entry per calendar month, cut at the period’s ends',
});
const DriverTarget = /* @__PURE__ */ z.enum(['overall', 'nps']);
export const driverTargetText = /* @__PURE__ */ describeEnum(DriverTarget, {
  overall: 'Correlate each dimension with the overall satisfaction score (1–5; the default)',
  nps: 'Correlate each dimension with the NPS answer (0–10)',
});
export const Quadrant = /* @__PURE__ */ z.enum(['fix_first', 'keep_up', 'watch', 'low_priority']);
export const quadrantText = /* @__PURE__ */ describeEnum(Quadrant, {
  fix_first: 'A strong driver (r at or above the median r) with a low score (at or below the median): improve it first',
  keep_up: 'A strong driver with a high score: keep it up',
  watch: 'A weak driver with a low score: watch it',
  low_priority: 'A weak driver with a high score: low priority',
});

/** Satisfaction of one group of valid answers (a customer group or a questionnaire); all null when suppressed. */
const AnswerGroupFigures = {
  n: z.number().int().optional().openapi({ description: 'valid answers of the group' }),
  suppressed: z.boolean().optional().openapi({
    description:
      'true: fewer than kpis.minGroupSize answers (or the one group whose figures the others would give away): every figure null',
  }),
  csat: z.number().nullable().optional(),
  satisfiedShare: ShareValue.optional(),
  nps: z.number().nullable().optional(),
  csi: z.number().nullable().optional(),
  negativeShare: ShareValue.optional(),
  dimensions: z
    .record(z.string(), z.object({ n: z.number().int(), average: z.number().nullable(), csi: z.number().nullable() }))
    .optional(),
  lowestDimension: z.object({ dimension: z.string(), csi: z.number() }).nullable().optional(),
};

/** s004 scorecard: `score` and the attainment of each weighted KPI (settings kpis.scorecard). */
const Scorecard = {
  score: z.number().min(0).max(100).nullable().openapi({
    description:
      's004 weighted scorecard 0–100: Σ weight × attainment over the weighted KPIs with a value (weights rescaled over them); null when none has one',
  }),
  attainment: z.partialRecord(KpiName, z.number().min(0).max(100).nullable()).openapi({
    description: 'per weighted KPI: 100 at or past its target, 0 at or past its amber bound (red), linear between',
  }),
};

export const MetricsQuery = /* @__PURE__ */ z
  .strictObject({
    from: DateString.optional().openapi({
      description: 'inclusive, settings time zone; default first day of the current month',
    }),
    to: DateString.optional().openapi({ description: 'inclusive, settings time zone; default today' }),
    channel: ContactChannel.optional(),
    team: ExternalId.optional(),
    agentId: z.union([Me, ExternalId]).optional().openapi({
      description:
        "one agent's figures (over all channels); `me`: the caller's own; an agent may ask for their own only",
    }),
    groupBy: GroupByKey.optional().openapi({
      description:
        'adds `groups`: for channel, team or agent the KPIs of each, from the same counter cells (agent figures are kept over all channels, so `agent` takes no `channel` and `agentId` no `groupBy=channel`); for tier, segment, customerType, newOrReturning or questionnaire the satisfaction figures of each group of valid answers (from group counters; not with agentId), a group under `kpis.minGroupSize` (default 5) answers showing its `n` and null figures',
    }),
    compare: Compare.optional().openapi({
      description:
        'adds `previous` and `change` to every KPI: the previous period of the same length (whole calendar months: as many months before; a month to date: the same days of the previous month; otherwise as many days before), named in `period.previous`',
    }),
    interval: Interval.optional().openapi({
      description:
        'adds `series`: the KPIs of each day, week (Monday to Sunday) or calendar month of the period, cut at its ends, from the same counter cells (one call for a trend); `day` over at most 366 days',
    }),
  })
  .openapi('MetricsQuery');
export type MetricsQuery = z.infer<typeof MetricsQuery>;

const DimensionFigures = /* @__PURE__ */ z.object({
  n: z.number().int().openapi({ description: 'scale answers under the dimension (valid responses)' }),
  average: z.number().nullable().openapi({ description: 'mean of those answers, 1–5' }),
  satisfiedShare: ShareValue,
  csi: z.number().nullable().openapi({ description: 'the dimension’s score on 0–10: (average − 1) ÷ 4 × 10' }),
});
const Status = RagStatus;

export const KpiFigure = /* @__PURE__ */ z
  .object({
    value: z.number().nullable().openapi({ description: 'null when the period has no data for it' }),
    status: Status.nullable().openapi({ description: 'against target and amber; null without a value' }),
    target: z.number(),
    amber: z.number(),
    direction: Direction,
    owner: z.string(),
    previous: z.number().nullable().optional().openapi({ description: 'with compare=previous: the previous period' }),
    change: z.number().nullable().optional().openapi({
      description: 'with compare=previous: value − previous (null when either is null)',
    }),
  })
  .openapi('KpiFigure', {
    example: {
      value: 0.7,
      status: 'red',
      target: 0.95,
      amber: 0.85,
      direction: 'higher',
      owner: 'Service operations',
      previous: 1,
      change: -0.3,
    },
  });
const KpiFigures = /* @__PURE__ */ z
  .record(KpiName, KpiFigure)
  .openapi({ description: 'every KPI with its target (settings.kpis), readable without settings access' });

export const MetricsResponse = /* @__PURE__ */ z
  .object({
    period: z.object({
      from: DateString,
      to: DateString,
      timezone: z.string(),
      channel: z.string().optional(),
      team: z.string().optional(),
      agentId: z.string().optional(),
      groupBy: GroupByKey.optional(),
      minGroupSize: z.number().int().optional().openapi({ description: 'with an answer groupBy: kpis.minGroupSize' }),
      previous: z.object({ from: DateString, to: DateString }).optional(),
    }),
    satisfaction: z.object({
      responses: z.number().int(),
      validResponses: z.number().int(),
      csat: z.number().nullable().openapi({ description: 'mean overall (1–5) of valid responses' }),
      satisfiedShare: ShareValue,
      responseRate: ShareValue,
      praiseShare: ShareValue.openapi({ description: 'valid answers whose comment is praise ÷ valid answers' }),
      praiseTopics: z.record(z.string(), z.number().int()),
      recommendationShare: ShareValue.openapi({ description: 'promoters ÷ valid answers' }),
      negativeShare: ShareValue.openapi({
        description:
          's000 负面评价 (target ≤ 3 %): valid answers with overall ≤ 2 or a negative comment ÷ valid answers',
      }),
      dimensions: z.record(z.string(), DimensionFigures),
      csi: z.number().nullable().openapi({
        description: 's004 客户满意度指数 on 0–10: the dimension scores weighted by kpis.csiWeights (default equal)',
      }),
      subIndicators: z.record(z.string(), DimensionFigures).openapi({
        description: 'per `<dimension>.<subIndicator>` of the questionnaires’ scale items (empty without such items)',
      }),
      lowestDimension: z
        .object({ dimension: z.string(), csi: z.number() })
        .nullable()
        .openapi({ description: 'the dimension with the lowest score: the improvement focus' }),
      lowestSubIndicator: z.object({ subIndicator: z.string(), csi: z.number() }).nullable(),
    }),
    surveys: z.object({
      invited: z
        .number()
        .int()
        .openapi({ description: 'subjects whose survey reached the customer (sent or handed over)' }),
      eligible: z
        .number()
        .int()
        .openapi({ description: 'resolved contacts + closed complaints: the subjects owed a survey' }),
      coverageShare: ShareValue.openapi({
        description:
          'invited subjects ÷ eligible subjects of the same kinds (each kind capped at its eligible count, so ≤ 1)',
      }),
      skipped: z
        .object({ throttled: z.number().int(), noConsent: z.number().int(), noContact: z.number().int() })
        .openapi({ description: 'invitations the follow-up job owed but did not send, by reason' }),
    }),
    nps: z.object({
      score: z.number().nullable(),
      promoters: z.number().int(),
      passives: z.number().int(),
      detractors: z.number().int(),
    }),
    service: z.object({
      interactions: z.number().int(),
      abandoned: z.number().int().openapi({ description: 'contacts the customer left before any answer' }),
      pending: z.object({ firstResponse: z.number().int(), resolution: z.number().int() }).openapi({
        description: 'contacts still inside their target, without the milestone: in no rate yet',
      }),
      firstResponse: z.object({
        p50Seconds: Seconds,
        p90Seconds: Seconds,
        withinTargetShare: ShareValue.openapi({
          description:
            'answered within the channel’s target (20 s online, 3 min in store; complex contacts too) ÷ (answered + unanswered or abandoned past the target)',
        }),
        answered: z.number().int(),
        unanswered: z.number().int().openapi({ description: 'no answer when the target passed (abandoned included)' }),
        byChannel: z.record(
          z.string(),
          z.object({
            interactions: z.number().int(),
            withinTargetShare: ShareValue,
            unanswered: z.number().int(),
            p50Seconds: Seconds,
            p90Seconds: Seconds,
            resolutionWithinTargetShare: ShareValue,
          }),
        ),
      }),
      resolution: z.object({
        simpleWithinTargetShare: ShareValue,
        complexWithinTargetShare: ShareValue,
        overdue: z.number().int().openapi({ description: 'unresolved when the resolution target passed' }),
        p50Seconds: Seconds,
        p90Seconds: Seconds,
      }),
      complexFeedbackWithinHourShare: ShareValue.openapi({
        description: 'complex contacts with a first feedback within their target (1 h) ÷ complex contacts decided',
      }),
      overdueByReason: z
        .object({ contacts: z.number().int() })
        .catchall(z.number().int())
        .openapi({ description: 'contacts that missed a target, by overdue reason (`unexplained` without one)' }),
      firstContactResolutionShare: ShareValue,
      averageHandlingSeconds: Seconds,
    }),
    complaints: z.object({
      count: z.number().int(),
      // A ratio, not a share: complaints can outnumber the interactions of a period (complaints by
      // phone with no contact recorded), so no upper bound.
      rate: z
        .number()
        .min(0)
        .nullable()
        .openapi({ description: 'complaints per interaction; null without interactions' }),
      respondedInTimeShare: ShareValue,
      solutionInTimeShare: ShareValue,
      closedInTimeShare: ShareValue,
      escalations: z.number().int(),
      recurrenceRate: ShareValue,
      secondRoundSatisfiedShare: ShareValue,
      byCategory: z.record(z.string(), z.number().int()),
      categoryShares: z.record(z.string(), ShareValue),
      averageResolutionSeconds: Seconds.openapi({ description: 'registration → resolved, resolved complaints' }),
      p90ResolutionSeconds: Seconds,
      resolutionRate: ShareValue.openapi({
        description:
          's004 投诉解决率: complaints resolved at the first attempt (never reopened) ÷ complaints registered in the period, open ones included',
      }),
      resolvedFirstAttempt: z.number().int().openapi({ description: 'the numerator of resolutionRate' }),
      closedFirstAttemptShare: ShareValue.openapi({ description: 'closed without a reopen ÷ closed complaints' }),
      firstAttemptResolutionShare: ShareValue.openapi({
        description:
          'v1.1 name of closedFirstAttemptShare (closed without a reopen ÷ closed); s004’s rate is resolutionRate',
      }),
      escalatedResolvedShare: ShareValue.openapi({ description: 'escalated complaints resolved ÷ escalated' }),
    }),
    causes: z
      .object({
        complaints: Pareto.openapi({ description: 'causes of the complaints resolved in the period (on resolve)' }),
        misses: Pareto.openapi({ description: 'causes of the contacts that missed a target in the period' }),
        byTeam: z
          .record(z.string(), z.object({ complaints: Pareto, misses: Pareto }))
          .openapi({ description: 'the same per team (from the team cells of the counters)' }),
      })
      .openapi({ description: 's000/s002 原因分析: why complaints arose and contacts missed, as Paretos' }),
    alerts: z
      .object({
        raised: z.number().int().openapi({ description: 'alerts raised by valid answers about the period' }),
        due: z.number().int().openapi({ description: 'call-backs due in the period (valid answers)' }),
        handledInTime: z.number().int().openapi({ description: 'of them, with an outcome recorded by dueBy' }),
        handledInTimeShare: ShareValue.openapi({ description: 'alertsHandledInTime: handledInTime ÷ due' }),
      })
      .openapi({ description: 'The detractor call-back queue (GET /alerts)' }),
    messaging: z
      .object({
        sent: z.number().int().openapi({ description: 'messages to customers and staff sent in the period' }),
        byChannel: z.record(
          z.string(),
          z.object({
            sent: z.number().int(),
            cost: z
              .number()
              .openapi({ description: 'list cost in USD (settings messaging.prices at the time of sending)' }),
            segments: z.number().int().openapi({ description: 'SMS segments (0 on other channels)' }),
          }),
        ),
        cost: z.number().openapi({ description: 'list cost in USD, every channel' }),
        costPerSurvey: z.number().nullable().openapi({
          description: 'cost of the survey invitations and reminders ÷ invitations sent; null without invitations',
        }),
      })
      .optional()
      .openapi({
        description:
          'Messages sent and their list cost, per channel, from counters written as each message went out (the whole organisation: absent with team, channel or agentId)',
      }),
    goals: z.array(Goal).optional().openapi({
      description:
        'the goals of exactly this selection (organisation, team and/or channel; none with agentId), with their progress today (GET /goals)',
    }),
    values: z.record(KpiName, z.number().nullable()),
    counters: z
      .record(z.string(), z.number())
      .openapi({ description: 'the summed counters the figures were computed from' }),
    status: z
      .partialRecord(KpiName, Status)
      .openapi({ description: 'red/amber/green per KPI against settings.kpis; absent when the KPI has no data' }),
    kpis: KpiFigures,
    series: z
      .array(z.object({ from: DateString, to: DateString, kpis: KpiFigures }))
      .optional()
      .openapi({ description: 'with interval: the KPIs of each interval of the period, oldest first' }),
    groups: z
      .array(
        z.object({
          key: z.string().openapi({
            description: 'the channel, team or agent id; the tier, segment, type, new/returning or questionnaire id',
          }),
          kpis: KpiFigures.optional().openapi({ description: 'groupBy channel, team or agent' }),
          causes: z
            .object({ complaints: Pareto, misses: Pareto })
            .optional()
            .openapi({ description: 'groupBy channel, team or agent: the group’s causes of complaints and misses' }),
          score: Scorecard.score.optional(),
          attainment: Scorecard.attainment.optional(),
          ...AnswerGroupFigures,
        }),
      )
      .optional()
      .openapi({ description: 'with groupBy: one entry per group that has figures, by key' }),
  })
  .openapi('Metrics');

export const AgentMetricsQuery = /* @__PURE__ */ z
  .strictObject({
    from: DateString.optional().openapi({ description: 'inclusive; default first day of the current month' }),
    to: DateString.optional().openapi({ description: 'inclusive; default today' }),
    team: ExternalId.optional().openapi({ description: "a supervisor of a team sees their team's agents only" }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(100)
      .openapi({ description: '1–100 rows a page, default 100' }),
    cursor: z.string().max(2048).optional().openapi({ description: 'nextCursor of the previous page (same filters)' }),
  })
  .openapi('AgentMetricsQuery');
export type AgentMetricsQuery = z.infer<typeof AgentMetricsQuery>;

export const AgentFigures = /* @__PURE__ */ z
  .object({
    agentId: z.string(),
    name: z
      .string()
      .nullable()
      .openapi({ description: 'The agent’s name from the staff directory (null when not in it)' }),
    teams: z.array(z.string()).openapi({ description: 'the teams the agent worked for in the period' }),
    interactions: z.number().int(),
    firstResponseWithinTargetShare: ShareValue,
    firstContactResolutionShare: ShareValue,
    csat: z.number().nullable(),
    nps: z.number().nullable(),
    responses: z.number().int().openapi({ description: 'valid survey answers about the agent’s contacts' }),
    complaints: z.number().int().openapi({ description: 'complaints assigned to the agent' }),
    pausedMinutes: z.number().int().openapi({ description: 'SLA clock stops the agent made (awaiting the customer)' }),
    averageFirstResponseSeconds: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'mean seconds to the first response over answered contacts (beside the median)' }),
    p50FirstResponseSeconds: z.number().nullable().openapi({ description: 'median seconds to the first response' }),
    ...Scorecard,
  })
  .openapi('AgentFigures');

export const AgentMetricsResponse = /* @__PURE__ */ z
  .object({
    period: z.object({ from: DateString, to: DateString, timezone: z.string(), team: z.string().optional() }),
    items: z.array(AgentFigures),
    nextCursor: z.string().nullable().openapi({ description: 'null on the last page; pass it back as `cursor`' }),
  })
  .openapi('AgentMetrics');

export const DriversQuery = /* @__PURE__ */ z
  .strictObject({
    from: DateString.optional().openapi({ description: 'inclusive; default first day of the current month' }),
    to: DateString.optional().openapi({ description: 'inclusive; default today' }),
    channel: ContactChannel.optional(),
    team: ExternalId.optional(),
    target: DriverTarget.optional().openapi({
      description: 'what the dimensions are correlated with (default overall)',
    }),
  })
  .openapi('DriversQuery');
export type DriversQuery = z.infer<typeof DriversQuery>;

export const DriversResponse = /* @__PURE__ */ z
  .object({
    period: z.object({
      from: DateString,
      to: DateString,
      timezone: z.string(),
      channel: z.string().optional(),
      team: z.string().optional(),
    }),
    target: DriverTarget,
    minAnswers: z.number().int().openapi({ description: 'figures are null below this many answers (30)' }),
    items: z.array(
      z.object({
        dimension: z.string(),
        n: z.number().int().openapi({ description: 'valid answers that scored the dimension' }),
        r: z
          .number()
          .nullable()
          .openapi({ description: 'Pearson r with the target; null below 30 answers or without variance' }),
        csi: z.number().nullable().openapi({ description: 'the dimension’s score on 0–10 over the same answers' }),
        priority: z.number().int().nullable().openapi({
          description: '1 = fix first: ranked by r × (10 − score), a strong driver with a low score first',
        }),
        quadrant: Quadrant.nullable().openapi({
          description: 'importance (r against the median r) × performance (score against the median score)',
        }),
      }),
    ),
  })
  .openapi('Drivers');
