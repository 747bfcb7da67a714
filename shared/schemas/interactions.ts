import { Cause } from './causes.js';
import {
  Audited,
  Complexity,
  ContactChannel,
  DateString,
  ExternalId,
  Id,
  Me,
  PageQuery,
  pageOf,
  StaffId,
  TeamId,
  Timestamp,
} from './common.js';
import { CustomerName } from './customers.js';
import { describeEnum } from './describe.js';
import { z } from './zod.js';

export const OverdueReason = /* @__PURE__ */ z
  .enum(['staffing', 'process', 'tooling', 'customer', 'other'])
  .openapi('OverdueReason');
export const overdueReasonText = /* @__PURE__ */ describeEnum(OverdueReason, {
  staffing: 'Too few agents for the load (counted as cause kind `people`)',
  process: 'The process held it up: hand-offs, approvals (cause kind `process`)',
  tooling: 'Systems were slow or down (cause kind `tools`)',
  customer: 'The customer held it up (cause kind `external`)',
  other: 'Anything else (no cause kind)',
});

const InteractionStatus = /* @__PURE__ */ z.enum(['open', 'resolved']);
export const interactionStatusText = /* @__PURE__ */ describeEnum(InteractionStatus, {
  open: 'Not resolved yet (`resolvedAt` not set); an abandoned contact stays open but takes no more events',
  resolved: 'Resolved: `resolvedAt` is set',
});

const Category = /* @__PURE__ */ z.string().min(1).max(64);

export const CreateInteractionBody = /* @__PURE__ */ z
  .strictObject({
    customerId: ExternalId,
    channel: ContactChannel,
    complexity: Complexity,
    startedAt: Timestamp,
    agentId: StaffId.optional().openapi({ description: 'Default: the caller' }),
    team: TeamId.optional().openapi({ description: 'Default: the caller’s team' }),
    category: Category.optional(),
    firstResponseAt: Timestamp.optional(),
    resolvedAt: Timestamp.optional(),
    resolvedOnFirstContact: z.boolean().optional(),
    overdueReason: OverdueReason.optional(),
    cause: Cause.optional().openapi({
      description:
        'why a missed contact missed (s000 原因分析); without it, the overdue reason gives the kind (staffing → people, process → process, tooling → tools, customer → external)',
    }),
    abandonedAt: Timestamp.optional().openapi({
      description: 'the customer left before any answer (no firstResponseAt then)',
    }),
    summary: z.string().max(2000).optional(),
  })
  .openapi('CreateInteractionBody');
export type CreateInteractionBody = z.infer<typeof CreateInteractionBody>;

export const PatchInteractionBody = /* @__PURE__ */ z
  .strictObject({
    firstResponseAt: Timestamp.optional(),
    resolvedAt: Timestamp.optional(),
    resolvedOnFirstContact: z.boolean().optional(),
    overdueReason: OverdueReason.optional(),
    cause: Cause.optional().openapi({
      description:
        'why a missed contact missed (s000 原因分析); without it, the overdue reason gives the kind (staffing → people, process → process, tooling → tools, customer → external)',
    }),
    category: Category.optional(),
    abandonedAt: Timestamp.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'must set at least one field' })
  .openapi('PatchInteractionBody', { minProperties: 1 });
export type PatchInteractionBody = z.infer<typeof PatchInteractionBody>;

export const Interaction = /* @__PURE__ */ z
  .object({
    id: Id,
    customerId: z.string(),
    channel: ContactChannel,
    complexity: Complexity,
    startedAt: Timestamp,
    serviceDay: DateString.openapi({
      description: 'Local date (settings time zone) under which the interaction is counted in KPIs',
    }),
    agentId: z.string().optional(),
    team: z.string().optional(),
    category: z.string().optional(),
    firstResponseAt: Timestamp.optional(),
    resolvedAt: Timestamp.optional(),
    resolvedOnFirstContact: z.boolean().optional(),
    overdueReason: OverdueReason.optional(),
    cause: Cause.optional().openapi({
      description:
        'why a missed contact missed (s000 原因分析); without it, the overdue reason gives the kind (staffing → people, process → process, tooling → tools, customer → external)',
    }),
    abandonedAt: Timestamp.optional(),
    responseOverdue: z.boolean().optional().openapi({
      description: 'set once the first-response target passed without an answer: a miss in the first-response rate',
    }),
    resolutionOverdue: z.boolean().optional().openapi({
      description: 'set once the resolution target passed unresolved: a miss in the 4 h / 72 h rate',
    }),
    overdue: z.boolean().openapi({ description: 'open (not resolved, not abandoned) and past a target' }),
    atRisk: z.boolean().openapi({
      description:
        'open, no target missed yet, and past `warnAtShare` of the target it works towards (as the last sweep saw it)',
    }),
    warnAtShare: z.number().optional().openapi({
      description: 'targets.warnAtShare in force when the contact was recorded (absent on older contacts: no warning)',
    }),
    responseWarned: z.boolean().optional().openapi({
      description: 'set once the sweep found it past the warning share of its first-response target (supervisor told)',
    }),
    resolutionWarned: z.boolean().optional().openapi({
      description: 'set once the sweep found it past the warning share of its resolution target (supervisor told)',
    }),
    summary: z.string().optional(),
    status: InteractionStatus,
    firstResponseSeconds: z.number().int().nullable(),
    resolutionSeconds: z.number().int().nullable(),
    responseTargetSeconds: z.number().int(),
    channelResponseTargetSeconds: z.number().int().optional().openapi({
      description:
        'complex contacts: the channel’s own first-response target (20 s online, 3 min in store), which the first-response rate holds every contact to; `responseTargetSeconds` is then the 1 h complex feedback target',
    }),
    resolutionTargetSeconds: z.number().int(),
    responseTargetMet: z.boolean().nullable().openapi({ description: 'null while open and still within target' }),
    resolutionTargetMet: z.boolean().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    createdBy: z.string(),
    ...Audited,
    version: z.number().int(),
  })
  .openapi('Interaction');
export type Interaction = z.infer<typeof Interaction>;

export const InteractionMilestone = /* @__PURE__ */ z
  .enum(['firstResponse', 'resolution'])
  .openapi('InteractionMilestone', {
    description: '`firstResponse`: the first answer to the customer; `resolution`: the contact resolved',
  });

/** The deadline a screen shows for a contact: its first milestone not reached yet (null once resolved or abandoned). */
export const InteractionDeadline = /* @__PURE__ */ z
  .object({
    milestone: InteractionMilestone,
    dueBy: Timestamp,
    secondsLeft: z.number().int().openapi({ description: 'At the server’s clock; negative once passed' }),
  })
  .openapi('InteractionDeadline');
export type InteractionMilestone = z.infer<typeof InteractionMilestone>;
export const interactionMilestoneText = /* @__PURE__ */ describeEnum(InteractionMilestone, {
  firstResponse: 'The first answer to the customer (`firstResponseAt`), due `responseTargetSeconds` after `startedAt`',
  resolution: 'The contact resolved (`resolvedAt`), due `resolutionTargetSeconds` after `startedAt`',
});

export const InteractionEvent = /* @__PURE__ */ z.enum(['respond', 'resolve', 'abandon']).openapi('InteractionEvent', {
  description:
    'What `PATCH /interactions/{id}` can record now: `respond` sets `firstResponseAt`, `resolve` sets `resolvedAt`, `abandon` sets `abandonedAt` (only before any answer)',
});

export type InteractionEvent = z.infer<typeof InteractionEvent>;
export const interactionEventText = /* @__PURE__ */ describeEnum(InteractionEvent, {
  respond: 'Record the first answer: PATCH `firstResponseAt` (before any answer)',
  resolve: 'Record the resolution: PATCH `resolvedAt` (and `resolvedOnFirstContact`)',
  abandon: 'The customer left before any answer: PATCH `abandonedAt` (only while there is no `firstResponseAt`)',
});

const Overdue = /* @__PURE__ */ z.enum(['true', 'false']);
export const overdueText = /* @__PURE__ */ describeEnum(Overdue, {
  true: 'Only open contacts past a target (first response or resolution), oldest first',
  false: 'The plain list (the same as leaving it out)',
});
const AtRisk = /* @__PURE__ */ z.enum(['true', 'false']);
export const atRiskText = /* @__PURE__ */ describeEnum(AtRisk, {
  true: 'Only open contacts past `targets.warnAtShare` of a target and not yet past it, oldest first (not with overdue=true)',
  false: 'The plain list (the same as leaving it out)',
});
const InteractionSort = /* @__PURE__ */ z.enum(['nextDeadline', 'newest']);
export const interactionSortText = /* @__PURE__ */ describeEnum(InteractionSort, {
  nextDeadline: 'Open work of one team, nearest next deadline first (passed ones first)',
  newest: 'Newest first (the default)',
});

/** An interaction with what a list screen shows beside it: its customer's name, next deadline and allowed events. */
export const InteractionListItem = /* @__PURE__ */ Interaction.extend({
  customer: CustomerName,
  nextDeadline: InteractionDeadline.nullable(),
  allowedEvents: z.array(InteractionEvent).openapi({ description: 'The events the contact accepts now' }),
}).openapi('InteractionListItem');
export type InteractionListItem = z.infer<typeof InteractionListItem>;

export const InteractionPage = /* @__PURE__ */ pageOf(InteractionListItem, 'InteractionPage');

/** The widest `dueWithin`: a week. */
export const MAX_DUE_WITHIN_MINUTES = 10_080;

export const ListInteractionsQuery = /* @__PURE__ */ PageQuery.extend({
  customerId: ExternalId.optional(),
  channel: ContactChannel.optional(),
  agentId: z.union([Me, StaffId]).optional().openapi({ description: 'Recorded by this agent; `me`: the caller' }),
  status: InteractionStatus.optional(),
  from: DateString.optional().openapi({
    description: 'inclusive, in the settings time zone; default 90 days before `to`',
  }),
  to: DateString.optional().openapi({ description: 'inclusive, in the settings time zone; default today' }),
  overdue: Overdue.optional().openapi({
    description: 'true: open contacts past a target, oldest first (supervisor; `team` narrows it)',
  }),
  atRisk: AtRisk.optional().openapi({
    description:
      'true: open contacts past `targets.warnAtShare` (default 0.8) of a target and not yet past it, oldest first (supervisor; `team` narrows it)',
  }),
  team: ExternalId.optional(),
  sort: InteractionSort.optional().openapi({
    description:
      '`nextDeadline`: open work only (not resolved, not abandoned) of one team (`team`, default the caller’s), nearest deadline first, passed ones first; `newest` (default): newest first',
  }),
  dueWithin: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_DUE_WITHIN_MINUTES)
    .optional()
    .openapi({
      description: `open work whose next deadline is at most this many minutes away (passed ones included), nearest first (implies \`sort=nextDeadline\`); 1–${MAX_DUE_WITHIN_MINUTES}`,
    }),
});
export type ListInteractionsQuery = z.infer<typeof ListInteractionsQuery>;

export const IdParams = /* @__PURE__ */ z.strictObject({ id: Id });
