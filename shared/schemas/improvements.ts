import { CategoryCode } from './categories.js';
import { Cause } from './causes.js';
import { Audited, ContactChannel, DateString, ExternalId, Id, PageQuery, pageOf, Timestamp } from './common.js';
import { describeEnum } from './describe.js';
import { KPI_NAMES, KPI_TEXT, KpiValue } from './settings.js';
import { DIMENSION_TEXT, DIMENSIONS, IMPROVEMENT_STATUSES } from './vocabulary.js';
import { z } from './zod.js';

export const ImprovementStatus = /* @__PURE__ */ z.enum(IMPROVEMENT_STATUSES).openapi('ImprovementStatus', {
  description: 'draft: opened by the system (a complaint surge) until a manager plans it',
});
/** A KPI, or a survey dimension (its satisfied share). */
export const EffectMetric = /* @__PURE__ */ z.enum([...KPI_NAMES, ...DIMENSIONS]).openapi('EffectMetric');
export const improvementStatusText = /* @__PURE__ */ describeEnum(ImprovementStatus, {
  draft: 'Opened by the system (a complaint surge’s special assessment) until a manager plans it',
  planned: 'Planned by a manager, work not started; overdue once `dueDate` has passed',
  in_progress: 'Work started (`startedOn`); overdue once `dueDate` has passed',
  done: 'The measure is complete (`doneOn`); may go back to in_progress if its effect does not show',
  verified:
    'Its effect was checked (`verification`: the metric before and after); final, and complainants of its category are told',
});
/** A KPI's value, or a dimension's satisfied share (valid answers scoring it 4 or 5). */
export const effectMetricText = /* @__PURE__ */ describeEnum(EffectMetric, () => ({ ...KPI_TEXT, ...DIMENSION_TEXT }));
const DimensionKey = /* @__PURE__ */ z.enum(DIMENSIONS);
export const dimensionText = /* @__PURE__ */ describeEnum(DimensionKey, DIMENSION_TEXT);

const Text = (max: number) => z.string().trim().min(1).max(max);

export const CreateImprovementBody = /* @__PURE__ */ z
  .strictObject({
    problem: Text(500),
    measure: Text(2000),
    department: Text(100),
    ownerId: ExternalId,
    dueDate: DateString,
    category: CategoryCode.optional().openapi({
      description:
        'the complaint category (an active code of GET /categories) it addresses; customers who complained about it hear when it is verified',
    }),
    dimension: DimensionKey.optional(),
    cause: Cause.optional().openapi({
      description: 'the cause it removes (s003 根因); the reports link causes to open actions',
    }),
    channel: ContactChannel.optional().openapi({ description: 'limits verification to one channel' }),
    expectedEffect: z.strictObject({ metric: EffectMetric, target: KpiValue }).optional(),
  })
  .openapi('CreateImprovementBody');
export type CreateImprovementBody = z.infer<typeof CreateImprovementBody>;

export const PatchImprovementBody = /* @__PURE__ */ z
  .strictObject({
    status: ImprovementStatus.optional(),
    problem: Text(500).optional(),
    measure: Text(2000).optional(),
    department: Text(100).optional(),
    ownerId: ExternalId.optional(),
    dueDate: DateString.optional(),
    expectedEffect: z.strictObject({ metric: EffectMetric, target: KpiValue }).optional(),
    cause: Cause.optional(),
    startedOn: DateString.optional().openapi({
      description: 'when work started, if not today (with status in_progress)',
    }),
    doneOn: DateString.optional().openapi({
      description: 'when the measure was completed, if not today (with status done)',
    }),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'must set at least one field' })
  .openapi('PatchImprovementBody', { minProperties: 1 });
export type PatchImprovementBody = z.infer<typeof PatchImprovementBody>;

const Window = /* @__PURE__ */ z.object({ from: DateString, to: DateString });

export const Improvement = /* @__PURE__ */ z
  .object({
    id: Id,
    problem: z.string(),
    measure: z.string(),
    department: z.string(),
    ownerId: z.string(),
    dueDate: DateString,
    category: z.string().optional(),
    dimension: z.string().optional(),
    cause: Cause.optional(),
    channel: z.string().optional(),
    expectedEffect: z.object({ metric: z.string(), target: z.number() }).optional(),
    status: ImprovementStatus,
    overdue: z.boolean(),
    startedOn: DateString.optional(),
    doneOn: DateString.optional(),
    verifiedOn: DateString.optional(),
    verification: z
      .object({
        metric: z.string(),
        before: z.number().nullable(),
        after: z.number().nullable(),
        beforeWindow: Window,
        afterWindow: Window,
        improved: z.boolean().nullable(),
        targetMet: z.boolean().nullable(),
      })
      .optional(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    createdBy: z.string(),
    ...Audited,
    version: z.number().int(),
  })
  .openapi('Improvement');
export type Improvement = z.infer<typeof Improvement>;

const ImprovementOverdue = /* @__PURE__ */ z.enum(['true', 'false']);
export const improvementOverdueText = /* @__PURE__ */ describeEnum(ImprovementOverdue, {
  true: 'Only planned or in-progress actions past their due date',
  false: 'Only actions that are not overdue',
});

export const ImprovementPage = /* @__PURE__ */ pageOf(Improvement, 'ImprovementPage');
export const ListImprovementsQuery = /* @__PURE__ */ PageQuery.extend({
  status: ImprovementStatus.optional(),
  overdue: ImprovementOverdue.optional(),
});

export const SuggestionStatus = /* @__PURE__ */ z
  .enum(['submitted', 'adopted', 'rejected', 'delivered'])
  .openapi('SuggestionStatus');
export const suggestionStatusText = /* @__PURE__ */ describeEnum(SuggestionStatus, {
  submitted: 'Filed, no decision yet: a rejection must be explained within 3 days',
  adopted: 'Adopted by a manager: to be delivered by `deliverBy` (within a month); the customer behind it is told',
  rejected: 'Rejected with a `reason`; the customer behind it is told',
  delivered: 'The adopted suggestion was delivered (`deliveredOn`)',
});
const Decision = /* @__PURE__ */ z.enum(['adopted', 'rejected']);
export const decisionText = /* @__PURE__ */ describeEnum(Decision, {
  adopted: 'Adopt it: deliver by `plannedFor` (default a month from now)',
  rejected: 'Reject it: `reason` is required',
});
const Timeliness = /* @__PURE__ */ z.enum(['on_time', 'late', 'pending']);
export const timelinessText = /* @__PURE__ */ describeEnum(Timeliness, {
  on_time: 'Rejected within 3 days, or delivered by `deliverBy`',
  late: 'Not decided within 3 days, rejected later than that, or not delivered by `deliverBy`',
  pending: 'Still within its time: undecided for less than 3 days, or adopted and `deliverBy` not passed',
});

export const CreateSuggestionBody = /* @__PURE__ */ z
  .strictObject({ text: Text(2000), customerId: ExternalId.optional(), channel: ContactChannel.optional() })
  .openapi('CreateSuggestionBody');

export const SuggestionDecisionBody = /* @__PURE__ */ z
  .strictObject({
    decision: Decision,
    reason: z.string().trim().max(1000).optional().openapi({ description: 'required when rejected' }),
    plannedFor: DateString.optional().openapi({
      description: 'delivery date when adopted; within a month (default: a month)',
    }),
  })
  .openapi('SuggestionDecisionBody');

/** A manager's approval of what the public board shows of a suggestion (or its withdrawal). */
export const SuggestionPublicationBody = /* @__PURE__ */ z
  .strictObject({
    publish: z.boolean().openapi({ description: 'true: show it on the public board; false: take it off' }),
    text: Text(2000).optional().openapi({
      description:
        'the text to publish, e.g. with a name the masking could not recognise removed (default: the suggestion as written); masked again before it is stored',
    }),
  })
  .openapi('SuggestionPublicationBody');
export type SuggestionPublicationBody = z.infer<typeof SuggestionPublicationBody>;

export const SuggestionPublication = /* @__PURE__ */ z
  .object({
    text: z.string().openapi({ description: 'exactly what the public board shows (masked)' }),
    approvedBy: z.string(),
    approvedAt: Timestamp,
  })
  .openapi('SuggestionPublication');

export const Suggestion = /* @__PURE__ */ z
  .object({
    id: Id,
    text: z.string(),
    customerId: z.string().optional(),
    channel: z.string().optional(),
    status: SuggestionStatus,
    submittedOn: DateString,
    decidedOn: DateString.optional(),
    reason: z.string().optional(),
    plannedFor: DateString.optional(),
    deliverBy: DateString.optional(),
    deliveredOn: DateString.optional(),
    timeliness: Timeliness.openapi({
      description: 's000: rejection explained within 3 days, adoption delivered within a month',
    }),
    maskedText: z.string().openapi({
      description:
        'the text as it would be published, with phones, emails, ID numbers and recognisable names masked: what a manager reviews before approving publication',
    }),
    erasedAt: Timestamp.optional().openapi({
      description: 'when the customer behind it was erased: the text is gone, the decision stays',
    }),
    publication: SuggestionPublication.optional().openapi({
      description: 'present once a manager approved it for the public board; nothing unapproved is published',
    }),
    createdAt: Timestamp,
    createdBy: z.string(),
    updatedAt: Timestamp.optional(),
    ...Audited,
    version: z.number().int(),
  })
  .openapi('Suggestion');
export type Suggestion = z.infer<typeof Suggestion>;

export const SuggestionPage = /* @__PURE__ */ pageOf(Suggestion, 'SuggestionPage');
export const ListSuggestionsQuery = /* @__PURE__ */ PageQuery.extend({ status: SuggestionStatus.optional() });

/** What may be published: no customer, no agent, personal data masked in the text. */
export const PublishedSuggestion = /* @__PURE__ */ z
  .object({
    id: Id,
    text: z.string(),
    status: SuggestionStatus,
    submittedOn: DateString,
    decidedOn: DateString.optional(),
    reason: z.string().optional(),
    plannedFor: DateString.optional(),
    deliveredOn: DateString.optional(),
    timeliness: z.string(),
  })
  .openapi('PublishedSuggestion');
export const PublishedSuggestionPage = /* @__PURE__ */ pageOf(PublishedSuggestion, 'PublishedSuggestionPage');

export const IdParams = /* @__PURE__ */ z.strictObject({ id: Id });
