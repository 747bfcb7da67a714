import { CategoryCode } from './categories.js';
import { Cause } from './causes.js';
import { Audited, ContactChannel, DateString, ExternalId, Id, PageQuery, pageOf, Timestamp } from './common.js';
import { KPI_NAMES, KpiValue } from './settings.js';
import { DIMENSIONS } from './vocabulary.js';
import { z } from './zod.js';

export const ImprovementStatus = /* @__PURE__ */ z
  .enum(['draft', 'planned', 'in_progress', 'done', 'verified'])
  .openapi('ImprovementStatus', {
    description: 'draft: opened by the system (a complaint surge) until a manager plans it',
  });
/** A KPI, or a survey dimension (its satisfied share). */
export const EffectMetric = /* @__PURE__ */ z.enum([...KPI_NAMES, ...DIMENSIONS]).openapi('EffectMetric');

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
    dimension: z.enum(DIMENSIONS).optional(),
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

export const ImprovementPage = /* @__PURE__ */ pageOf(Improvement, 'ImprovementPage');
export const ListImprovementsQuery = /* @__PURE__ */ PageQuery.extend({
  status: ImprovementStatus.optional(),
  overdue: z.enum(['true', 'false']).optional(),
});

export const SuggestionStatus = /* @__PURE__ */ z
  .enum(['submitted', 'adopted', 'rejected', 'delivered'])
  .openapi('SuggestionStatus');

export const CreateSuggestionBody = /* @__PURE__ */ z
  .strictObject({ text: Text(2000), customerId: ExternalId.optional(), channel: ContactChannel.optional() })
  .openapi('CreateSuggestionBody');

export const SuggestionDecisionBody = /* @__PURE__ */ z
  .strictObject({
    decision: z.enum(['adopted', 'rejected']),
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
    timeliness: z
      .enum(['on_time', 'late', 'pending'])
      .openapi({ description: 's000: rejection explained within 3 days, adoption delivered within a month' }),
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
