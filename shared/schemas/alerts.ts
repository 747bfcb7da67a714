import { AlertStatusValues, Id, PageQuery, pageOf, TeamId, Timestamp } from './common.js';
import { Tier } from './customers.js';
import { describeEnum } from './describe.js';
import { ALERT_OUTCOMES } from './vocabulary.js';
import { z } from './zod.js';

export const AlertStatus = /* @__PURE__ */ AlertStatusValues.openapi('AlertStatus');
export const AlertOutcome = /* @__PURE__ */ z.enum(ALERT_OUTCOMES).openapi('AlertOutcome');
const AlertKind = /* @__PURE__ */ z.enum(['detractor', 'negative_comment', 'surge']);
const AlertSubjectType = /* @__PURE__ */ z.enum(['interaction', 'complaint', 'campaign']);
const AlertKindFilter = /* @__PURE__ */ z.enum(['surge', 'feedback']);

export const alertStatusText = /* @__PURE__ */ describeEnum(AlertStatus, {
  open: 'Raised and nobody has claimed it yet',
  claimed:
    'A supervisor claimed it (`claimedBy`, `claimedAt`) and is calling back; others get a 409 when they claim it',
  done: 'Its outcome is recorded (`outcome`, `outcomeAt`, `handledInTime`); it leaves the default list',
});
export const alertOutcomeText = /* @__PURE__ */ describeEnum(AlertOutcome, {
  called_back: 'A detractor or negative comment: the customer was reached and heard',
  unreachable: 'A detractor or negative comment: the customer could not be reached',
  resolved: 'The customer’s problem was solved during the call-back; a surge: the cause was removed',
  complaint_opened:
    'A detractor or negative comment: the call-back led to a complaint (`complaintId` names it, required)',
  assessed: 'A surge only: its special assessment (s000 专项评估) was made within the 72 hours',
});
export const alertKindText = /* @__PURE__ */ describeEnum(AlertKind, {
  detractor: 'A survey answer with NPS at or below `surveys.alertNpsAtOrBelow` (default 6): call the customer back',
  negative_comment: 'A survey answer whose comment reads strongly negative: call the customer back',
  surge:
    'A category’s complaints in 24 hours reached `complaints.surge` (`surge` holds the counts): assess within 72 hours',
});
export const alertSubjectTypeText = /* @__PURE__ */ describeEnum(AlertSubjectType, {
  interaction: 'The answer was about a contact (`id` is the interaction)',
  complaint: 'The answer was about a complaint (`id` is the complaint)',
  campaign: 'The answer came from a campaign’s invitation (`id` is the campaign)',
});
export const alertKindFilterText = /* @__PURE__ */ describeEnum(AlertKindFilter, {
  surge: 'Complaint surges only',
  feedback: 'Negative answers only (kinds detractor and negative_comment)',
});

/** A negative answer to call back: a detractor's NPS or a strongly negative comment. */
/** Who to call back, as the queue shows them (null once the customer was erased). */
export const AlertCustomer = /* @__PURE__ */ z
  .object({ id: z.string(), name: z.string().nullable(), tier: Tier.nullable() })
  .openapi('AlertCustomer');

export const Alert = /* @__PURE__ */ z
  .object({
    id: Id,
    customer: AlertCustomer.nullable().openapi({ description: 'null once the customer was erased' }),
    kind: AlertKind,
    responseId: z.string().optional().openapi({ description: 'detractor and negative_comment: the answer' }),
    surveyId: z.string().optional().openapi({ description: 'detractor and negative_comment: its survey' }),
    customerId: z.string().optional().openapi({ description: 'Absent once the customer was erased' }),
    subject: z
      .object({ type: AlertSubjectType, id: z.string() })
      .optional()
      .openapi({ description: 'detractor and negative_comment: what the answer was about' }),
    surge: z
      .object({
        category: z.string(),
        last24h: z.number().int(),
        dailyMean: z.number(),
        triggeredBy: z.string().openapi({ description: 'the complaint whose registration reached the threshold' }),
        improvementId: z.string().openapi({ description: 'the draft improvement for the 72 h special assessment' }),
      })
      .optional()
      .openapi({
        description: 'kind surge (s000 专项评估): the category, its 24 h count against its 28-day daily mean',
      }),
    team: z.string().optional(),
    nps: z.number().int().nullable(),
    reasons: z.array(z.string()),
    createdAt: Timestamp,
    dueBy: Timestamp.openapi({
      description: 'Two business days after the answer, on the team’s calendar; a surge: 72 hours after it opened',
    }),
    status: AlertStatus,
    claimedBy: z.string().optional(),
    claimedAt: Timestamp.optional(),
    outcome: AlertOutcome.optional(),
    outcomeAt: Timestamp.optional(),
    handledInTime: z.boolean().optional().openapi({ description: 'Whether the outcome was recorded by dueBy' }),
    note: z.string().optional(),
    complaintId: z.string().optional().openapi({ description: 'complaint_opened: the complaint it led to' }),
  })
  .openapi('Alert');
export type Alert = z.infer<typeof Alert>;

export const AlertPage = /* @__PURE__ */ pageOf(Alert, 'AlertPage');

export const ListAlertsQuery = /* @__PURE__ */ PageQuery.extend({
  status: AlertStatus.optional().openapi({ description: 'default: open and claimed (what is still to do)' }),
  team: TeamId.optional(),
  kind: AlertKindFilter.optional().openapi({
    description: 'surge: complaint surges only; feedback: negative answers only (default both)',
  }),
  months: z.coerce
    .number()
    .int()
    .min(1)
    .max(12)
    .default(3)
    .openapi({ description: 'status=done: how many months back, by when the outcome was recorded' }),
});
export type ListAlertsQuery = z.infer<typeof ListAlertsQuery>;

export const AlertIdParams = /* @__PURE__ */ z.strictObject({ id: Id });

export const AlertOutcomeBody = /* @__PURE__ */ z
  .strictObject({
    outcome: AlertOutcome,
    note: z.string().trim().min(1).max(2000).optional(),
    complaintId: Id.optional().openapi({ description: 'Required with complaint_opened: the complaint opened' }),
  })
  .openapi('AlertOutcomeBody');
export type AlertOutcomeBody = z.infer<typeof AlertOutcomeBody>;
