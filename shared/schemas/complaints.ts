import { CategoryCode } from './categories.js';
import { Cause } from './causes.js';
import {
  ContactChannel,
  DateString,
  ExternalId,
  Id,
  Me,
  Month,
  PageQuery,
  pageOf,
  StaffId,
  TeamId,
  Timestamp,
} from './common.js';
import { CustomerSummary } from './customers.js';
import { describeEnum } from './describe.js';
import { Calendar, Counting, EscalationRole, TierValues } from './settings.js';
import { StaffName } from './staff.js';
import { z } from './zod.js';

/** The values of Severity; used as is where the document shows them inline (a timeline entry's detail). */
const SeverityValues = /* @__PURE__ */ z.enum(['high', 'medium', 'low']);
export const Severity = /* @__PURE__ */ SeverityValues.openapi('Severity');
export type Severity = z.infer<typeof Severity>;
export const severityText = /* @__PURE__ */ describeEnum(SeverityValues, {
  high: 'The most serious: tier 1 by default (`escalation.defaultTier.high`); owner notices also go by SMS, and escalation notices are not held back by quiet hours',
  medium: 'An ordinary complaint: tier 2 by default',
  low: 'A minor complaint: tier 2 by default',
});

/** Tier 1 (serious) complaints are led by a department head, tier 2 by a supervisor. */
export const Tier = /* @__PURE__ */ TierValues.openapi('Tier', {
  description: '1: serious (led by a department head); 2: led by a supervisor',
});
export type Tier = z.infer<typeof Tier>;
export const tierText = /* @__PURE__ */ describeEnum(Tier, {
  1: 'Serious: owned from the start by a department head, escalating along `escalation.ladders.1`',
  2: 'Ordinary: owned by a supervisor first, escalating along `escalation.ladders.2`',
});

/** The closed loop (s003): registered → assigned → responded → solution proposed → resolved → confirmed → closed. */
export const ComplaintStatus = /* @__PURE__ */ z
  .enum([
    'registered',
    'assigned',
    'responded',
    'solution_proposed',
    'awaiting_customer',
    'resolved',
    'confirmed',
    'closed',
    'reopened',
  ])
  .openapi('ComplaintStatus');
export type ComplaintStatus = z.infer<typeof ComplaintStatus>;
export const complaintStatusText = /* @__PURE__ */ describeEnum(ComplaintStatus, {
  registered: 'Just registered (POST /complaints): nobody is assigned yet; the respond deadline runs',
  assigned: 'An agent took it (`assign`); they must respond before the respond deadline',
  responded: 'The customer got a first answer (`respond`): the respond milestone is decided',
  solution_proposed: 'A solution was put to the customer (`propose_solution`): the solution milestone is decided',
  awaiting_customer: 'Paused (`await_customer`, `pause.reason`): the SLA clock is stopped until `resume`',
  resolved: 'The problem was fixed (`resolve`); the customer is asked to confirm (or `close` ends it without)',
  confirmed: 'The customer confirmed the result (`confirm`, by staff or the customer’s page)',
  closed: 'The loop is closed (`close`): the close milestone is decided; `reopen` starts a new round',
  reopened:
    'Reopened after it was resolved, confirmed or closed: a new round with fresh deadlines and its own escalation execution',
});

export const ComplaintEventType = /* @__PURE__ */ z
  .enum([
    'assign',
    'respond',
    'propose_solution',
    'await_customer',
    'resume',
    'resolve',
    'confirm',
    'reopen',
    'close',
    'escalate',
  ])
  .openapi('ComplaintEventType');
export type ComplaintEventType = z.infer<typeof ComplaintEventType>;
/** The events of the loop (module-private: the texts of ComplaintEventType, the event bodies and the timeline). */
const EVENT_TEXT = {
  assign:
    'Gives the complaint to `assigneeId` (registered or reopened → assigned); taking it from someone else needs `reassign: true`',
  respond: 'The first answer to the customer (assigned or reopened → responded): meets the respond milestone',
  propose_solution: 'Puts `solution` to the customer (responded → solution_proposed): meets the solution milestone',
  await_customer:
    'Stops the SLA clock while waiting for the customer or a third party (`reason` required) → awaiting_customer',
  resume: 'Restarts the SLA clock: back to the status before the pause, every open deadline moved by the time paused',
  resolve: 'The problem is fixed (solution_proposed → resolved); `cause` is required when a milestone was missed',
  confirm:
    'The customer confirms the result (resolved → confirmed), with `satisfied`; the customer’s page records it as actor `customer`',
  reopen: 'The problem is back (resolved, confirmed or closed → reopened): a new round with fresh deadlines',
  close: 'Ends the loop (confirmed or resolved → closed): meets the close milestone',
  escalate:
    'Moves the complaint one level up its ladder now and tells the new owner (`note` required); the status stays',
} as const;
export const complaintEventTypeText = /* @__PURE__ */ describeEnum(ComplaintEventType, EVENT_TEXT);

/** The three milestones with deadlines: respond (1 h by default), propose a solution (24 h), close (72 h). */
export const MilestoneName = /* @__PURE__ */ z.enum(['respond', 'solution', 'close']).openapi('Milestone');
export type MilestoneName = z.infer<typeof MilestoneName>;
export const milestoneText = /* @__PURE__ */ describeEnum(MilestoneName, {
  respond: 'The first answer to the customer (`respond`), due `sla.respondMinutes` after registration (1 h by default)',
  solution:
    'A solution put to the customer (`propose_solution`), due `sla.solutionMinutes` after registration (24 h by default)',
  close: 'The loop closed (`close`), due `sla.closeMinutes` after registration (72 h by default)',
});

/** Why the SLA clock was stopped; required, because pauses get gamed and are reported per agent. */
export const PauseReason = /* @__PURE__ */ z
  .enum([
    'information_requested',
    'customer_unreachable',
    'customer_requested_delay',
    'site_visit_scheduled',
    'third_party',
    'other',
  ])
  .openapi('PauseReason');
export type PauseReason = z.infer<typeof PauseReason>;
export const pauseReasonText = /* @__PURE__ */ describeEnum(PauseReason, {
  information_requested: 'The customer was asked for information (documents, photos, an order number)',
  customer_unreachable: 'The customer cannot be reached for now',
  customer_requested_delay: 'The customer asked to continue later',
  site_visit_scheduled: 'A visit to the customer is booked',
  third_party: 'Waiting for a third party (a carrier, a supplier, a repair shop)',
  other: 'Anything else: say what in `note`',
});

/** A code of the managed category list (`GET /categories`); codes become KPI counter names (`complaints_cat_<code>`). */
export const ComplaintCategory = CategoryCode;

const Note = /* @__PURE__ */ z.string().min(1).max(2000);

export const CreateComplaintBody = /* @__PURE__ */ z
  .strictObject({
    customerId: ExternalId,
    channel: ContactChannel,
    category: ComplaintCategory,
    severity: Severity,
    description: z.string().min(1).max(4000),
    interactionId: Id.optional().openapi({ description: 'The interaction the complaint came from' }),
    tier: Tier.optional().openapi({ description: 'Default from settings: 1 for high severity, 2 otherwise' }),
    team: TeamId.optional().openapi({ description: 'Team counted in KPIs; default the caller’s team' }),
  })
  .openapi('CreateComplaintBody');
export type CreateComplaintBody = z.infer<typeof CreateComplaintBody>;

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), note: Note.optional(), ...shape });

/** One step of the loop. Each type takes only the fields it needs. */
export const ComplaintEventBody = /* @__PURE__ */ z
  .discriminatedUnion('type', [
    event('assign', {
      assigneeId: StaffId,
      reassign: z
        .boolean()
        .optional()
        .openapi({ description: 'Required (true) to take a complaint already assigned to someone else; else 409' }),
    }),
    event('respond', {}),
    event('propose_solution', { solution: z.string().min(1).max(4000) }),
    event('await_customer', { reason: PauseReason }),
    event('resume', {}),
    event('resolve', {
      cause: Cause.optional().openapi({
        description: 'Why the complaint arose; required when the complaint missed a milestone (400 otherwise)',
      }),
    }),
    event('confirm', {
      satisfied: z.boolean().optional().openapi({ description: 'Whether the customer is satisfied with the result' }),
    }),
    event('reopen', {}),
    event('close', {}),
    event('escalate', {
      note: Note.openapi({ description: 'Required: why the next level must take over now' }),
    }),
  ])
  .openapi('ComplaintEventBody');
export type ComplaintEventBody = z.infer<typeof ComplaintEventBody>;
export const complaintEventBodyText = /* @__PURE__ */ describeEnum(ComplaintEventBody, EVENT_TEXT);

/** How a milestone was decided (once per round; `kpi` keeps the first round's). */
const MilestoneOutcome = /* @__PURE__ */ z.enum(['met', 'missed']);
export const milestoneOutcomeText = /* @__PURE__ */ describeEnum(MilestoneOutcome, {
  met: 'Its event happened by the deadline (time paused awaiting the customer not counted)',
  missed: 'The deadline passed first: the complaint escalated one level (a late event does not undo it)',
});

export const MilestoneState = /* @__PURE__ */ z
  .object({
    dueBy: Timestamp,
    /** When the `deadline_warning` is due (dueBy − warning minutes). */
    warnAt: Timestamp,
    metAt: Timestamp.optional(),
    /** Decided once: `met` when reached by the deadline, `missed` when the deadline passed first. */
    outcome: MilestoneOutcome.optional(),
    decidedAt: Timestamp.optional(),
    warnedAt: Timestamp.optional(),
    /** Set when the escalation for this miss was handled (level raised, or already at the top). */
    escalation: z.object({ at: Timestamp, fromLevel: z.number().int(), toLevel: z.number().int() }).optional(),
  })
  .openapi('MilestoneState');
export type MilestoneState = z.infer<typeof MilestoneState>;

export const Escalation = /* @__PURE__ */ z.object({
  milestone: MilestoneName,
  fromLevel: z.number().int(),
  toLevel: z.number().int(),
  fromRole: EscalationRole,
  toRole: EscalationRole,
  at: Timestamp,
  /** An agent's `escalate` event: who asked for the next level (absent when a missed deadline escalated it). */
  by: z.string().optional(),
});

/** The escalation workflow execution that watched one round of a complaint. */
export const EscalationRound = /* @__PURE__ */ z
  .object({
    round: z.number().int().min(1),
    executionName: z.string().openapi({
      example: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV-r2',
      description:
        '`<complaintId>-r<round>`; `<complaintId>` alone is round 1 of a complaint registered before round 1 was named `-r1`',
    }),
    executionArn: z.string(),
    /** When the round began (registration or reopen): the write that started its execution. */
    startedAt: Timestamp,
  })
  .openapi('EscalationRound');
export type EscalationRound = z.infer<typeof EscalationRound>;

export const Pause = /* @__PURE__ */ z.object({
  from: Timestamp,
  to: Timestamp,
  reason: PauseReason,
  by: z.string(),
  seconds: z.number().int(),
});

export const SlaTerms = /* @__PURE__ */ z
  .object({
    respondMinutes: z.number().int(),
    solutionMinutes: z.number().int(),
    closeMinutes: z.number().int(),
    warningMinutes: z.number().int(),
    counting: Counting,
    calendar: z.string(),
    /** The calendar as it was at registration: a later settings change applies to new complaints only. */
    calendarRules: Calendar,
  })
  .openapi('SlaTerms');
export type SlaTerms = z.infer<typeof SlaTerms>;

/** A complaint as stored and served. */
export const Complaint = /* @__PURE__ */ z
  .object({
    id: Id,
    customerId: z.string(),
    channel: ContactChannel,
    category: z.string(),
    severity: Severity,
    tier: Tier,
    description: z.string(),
    interactionId: z.string().optional(),
    team: z.string().optional(),
    status: ComplaintStatus,
    /** While awaiting the customer: the status to return to on resume. */
    statusBeforePause: ComplaintStatus.optional(),
    assigneeId: z.string().optional(),
    /** 0 = the tier's first owner; each missed milestone moves one step up `escalation.ladder`. */
    escalationLevel: z.number().int(),
    ownerRole: EscalationRole,
    deadlines: z.object({ respondBy: Timestamp, solutionBy: Timestamp, closeBy: Timestamp }),
    milestones: z.object({ respond: MilestoneState, solution: MilestoneState, close: MilestoneState }),
    escalation: z.object({
      /** The current round's execution. */
      executionArn: z.string(),
      executionName: z.string(),
      ladder: z.array(EscalationRole),
      rounds: z.array(EscalationRound).optional().openapi({
        description:
          'Every round’s execution, oldest first, appended in the write that starts the round (absent on complaints stored before v1.2: their rounds follow from `round`)',
      }),
    }),
    escalations: z.array(Escalation),
    /** Whether any milestone was missed. */
    breached: z.boolean(),
    pause: z.object({ since: Timestamp, reason: PauseReason, by: z.string() }).optional(),
    pauses: z.array(Pause),
    pausedMinutes: z
      .number()
      .int()
      .openapi({ description: 'SLA clock stopped while awaiting the customer (completed pauses)' }),
    solution: z.string().optional(),
    satisfied: z.boolean().optional(),
    /** An earlier complaint of the same customer and category closed within 30 days before this one. */
    recurrenceOf: z.string().optional(),
    /** Set by `resolve`: why the complaint arose (required when it missed a milestone); cleared by a reopen. */
    cause: Cause.optional(),
    /** 1, then +1 on every reopen (each round has fresh deadlines and its own workflow execution). */
    round: z.number().int(),
    /** First decision per milestone, what the KPIs count (a reopened round does not count again). */
    kpi: z.object({
      respond: MilestoneOutcome.optional(),
      solution: MilestoneOutcome.optional(),
      close: MilestoneOutcome.optional(),
    }),
    sla: SlaTerms,
    serviceDay: DateString.openapi({
      description: 'Local registration date under which the complaint is counted in KPIs',
    }),
    registeredAt: Timestamp,
    resolvedAt: Timestamp.optional(),
    confirmedAt: Timestamp.optional(),
    closedAt: Timestamp.optional(),
    reopenedAt: Timestamp.optional(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    createdBy: z.string(),
    version: z.number().int(),
  })
  .openapi('Complaint');
export type Complaint = z.infer<typeof Complaint>;

/** The deadline a screen shows: the next milestone not reached yet (null when closed, paused or all reached). */
export const NextDeadline = /* @__PURE__ */ z
  .object({
    milestone: MilestoneName,
    dueBy: Timestamp,
    secondsLeft: z.number().int().openapi({ description: 'At the server’s clock; negative once passed' }),
  })
  .openapi('NextDeadline');

/** A complaint as served: the record with the events it accepts now (a screen's buttons). */
export const ComplaintView = /* @__PURE__ */ Complaint.extend({
  allowedEvents: z.array(ComplaintEventType).openapi({ description: 'The events the complaint accepts now' }),
}).openapi('ComplaintView');
export type ComplaintView = z.infer<typeof ComplaintView>;

/** A complaint with what a list screen shows beside it, read for the whole page at once. */
export const ComplaintListItem = /* @__PURE__ */ ComplaintView.extend({
  nextDeadline: NextDeadline.nullable(),
  customer: CustomerSummary,
  assignee: StaffName.nullable().openapi({ description: 'null when unassigned' }),
}).openapi('ComplaintListItem');
export type ComplaintListItem = z.infer<typeof ComplaintListItem>;

export const ComplaintPage = /* @__PURE__ */ pageOf(ComplaintListItem, 'ComplaintPage');

const Breached = /* @__PURE__ */ z.enum(['true', 'false']);
export const breachedText = /* @__PURE__ */ describeEnum(Breached, {
  true: 'Only complaints that missed a milestone (in any round)',
  false: 'Only complaints that missed none',
});
const OpenFilter = /* @__PURE__ */ z.enum(['true', 'false']);
export const openFilterText = /* @__PURE__ */ describeEnum(OpenFilter, {
  true: 'Only complaints not closed yet (every status but closed); sorted by nextDeadline unless `sort` or `customerId` is given',
  false: 'Only closed complaints',
});
const ComplaintSort = /* @__PURE__ */ z.enum(['nextDeadline', 'newest']);
export const complaintSortText = /* @__PURE__ */ describeEnum(ComplaintSort, {
  nextDeadline: 'Nearest deadline first (open complaints only; with `open=false` or `customerId` a 400)',
  newest: 'Newest registration first',
});

export const ListComplaintsQuery = /* @__PURE__ */ PageQuery.extend({
  status: ComplaintStatus.optional(),
  severity: Severity.optional(),
  breached: Breached.optional().openapi({ description: '`true`: only complaints that missed a milestone' }),
  customerId: ExternalId.optional(),
  assigneeId: z
    .union([Me, StaffId])
    .optional()
    .openapi({ description: 'Assigned to this member of staff; `me`: the caller' }),
  team: TeamId.optional(),
  open: OpenFilter.optional().openapi({ description: '`true`: not closed yet; `false`: closed' }),
  sort: ComplaintSort.optional().openapi({
    description:
      '`nextDeadline`: open complaints only, nearest deadline first (default with `open=true`); `newest`: newest registration first (default otherwise)',
  }),
  from: DateString.optional().openapi({
    description: 'registered on or after (settings time zone); default 90 days before `to`',
  }),
  to: DateString.optional().openapi({ description: 'registered on or before (settings time zone); default today' }),
});
export type ListComplaintsQuery = z.infer<typeof ListComplaintsQuery>;

export const TimelineEventType = /* @__PURE__ */ z
  .enum([
    'registered',
    ...ComplaintEventType.options,
    'deadline_warning',
    'milestone_met',
    'breached',
    'escalated',
    'owner_notified',
    'customer_notified',
    'notification_failed',
    'workflow_failed',
  ])
  .openapi('TimelineEventType');
export type TimelineEventType = z.infer<typeof TimelineEventType>;
export const timelineEventTypeText = /* @__PURE__ */ describeEnum(TimelineEventType, () => ({
  registered: 'The complaint was registered (`detail`: severity, tier, owner role, deadlines, recurrenceOf)',
  ...EVENT_TEXT,
  deadline_warning: 'The workflow warned the owner that a milestone is due soon (`detail.milestone`, `minutesLeft`)',
  milestone_met: 'A milestone was reached by its deadline (`detail.milestone`, `metAt`)',
  breached: 'A milestone’s deadline passed before its event (`detail.milestone`, `dueBy`)',
  escalated: 'The complaint moved up its ladder after a miss or an `escalate` (`fromLevel`→`toLevel`, `notified`)',
  owner_notified:
    'A notice went to the owner or a role (`role`, `channel`, `template`; `notSent` when nobody could be told)',
  customer_notified: 'A message went to the customer (`channel`, `template`, `fallbacks`; `notSent` when none could)',
  notification_failed: 'The workflow could not send a notice (`error`, `message`); the follow-up job sends it again',
  workflow_failed: 'The escalation workflow failed on a step (`error`, `message`): an engineer should look',
}));

const Level = /* @__PURE__ */ z.number().int().min(0);

/** What an entry records; which fields appear depends on its `type` (each field says where). */
export const TimelineDetail = /* @__PURE__ */ z
  .object({
    note: z.string().optional().openapi({ description: 'Staff events: the note sent with the event' }),
    from: ComplaintStatus.optional().openapi({ description: 'Staff events: status before' }),
    to: ComplaintStatus.optional().openapi({ description: 'Staff events: status after' }),
    assigneeId: z.string().optional().openapi({ description: 'assign: the new assignee' }),
    previousAssigneeId: z.string().optional().openapi({ description: 'assign with reassign: who had it' }),
    solution: z.string().optional().openapi({ description: 'propose_solution' }),
    reason: PauseReason.optional().openapi({ description: 'await_customer' }),
    pausedMinutes: z.number().int().optional().openapi({ description: 'resume' }),
    deadlinesMoved: z.record(z.string(), Timestamp).optional().openapi({ description: 'resume: new due times' }),
    satisfied: z.boolean().optional().openapi({ description: 'confirm' }),
    severity: SeverityValues.optional().openapi({ description: 'registered' }),
    tier: z.number().int().optional().openapi({ description: 'registered' }),
    ownerRole: z.string().optional().openapi({ description: 'registered' }),
    deadlines: z
      .object({ respondBy: Timestamp, solutionBy: Timestamp, closeBy: Timestamp })
      .optional()
      .openapi({ description: 'registered' }),
    recurrenceOf: z.string().optional().openapi({ description: 'registered: the earlier complaint this repeats' }),
    milestone: MilestoneName.optional().openapi({ description: 'System events: the milestone concerned' }),
    dueBy: Timestamp.optional(),
    metAt: Timestamp.optional().openapi({ description: 'milestone_met' }),
    minutesLeft: z.number().optional().openapi({ description: 'deadline_warning' }),
    round: z.number().int().optional().openapi({ description: 'The round of the loop (reopen starts a new one)' }),
    fromLevel: Level.optional().openapi({ description: 'escalated' }),
    toLevel: Level.optional().openapi({ description: 'escalated' }),
    fromRole: z.string().optional().openapi({ description: 'escalated' }),
    toRole: z.string().optional().openapi({ description: 'escalated' }),
    notified: z
      .array(z.object({ role: z.string(), channel: z.string(), messageId: z.string().optional() }))
      .optional()
      .openapi({ description: 'escalated: who was told, by role and channel (never addresses)' }),
    role: z.string().optional().openapi({ description: 'owner_notified: the role told' }),
    channel: z.string().optional().openapi({ description: 'owner_notified, customer_notified: sms or email' }),
    template: z.string().optional().openapi({ description: 'owner_notified, customer_notified: the message sent' }),
    notSent: z.string().optional().openapi({
      description:
        'escalated, owner_notified, customer_notified: why nobody was told (`no_contact`, `no_owner_contact`: no contact configured for the role; `no_consent`…)',
    }),
    messageId: z
      .string()
      .optional()
      .openapi({ description: 'owner_notified, customer_notified: the message sent (its id in the message ledger)' }),
    fallbacks: z
      .array(
        z.object({
          channel: z.string().openapi({ description: 'the channel given up (wechat, sms, email)', example: 'wechat' }),
          reason: z.string().openapi({ description: 'why it was given up', example: 'not_subscribed' }),
        }),
      )
      .optional()
      .openapi({ description: 'customer_notified: the channels tried first and given up, in order' }),
    cause: Cause.optional().openapi({ description: 'resolve: why the complaint arose' }),
    error: z.string().optional().openapi({ description: 'notification_failed, workflow_failed' }),
    message: z.string().optional().openapi({ description: 'notification_failed, workflow_failed (masked)' }),
  })
  .openapi('TimelineDetail');

export const TimelineEntry = /* @__PURE__ */ z
  .object({
    at: Timestamp,
    type: TimelineEventType,
    /** The caller's id, or `system:escalation` for the workflow. */
    actor: z.string().openapi({ description: 'Who: a staff id, `customer`, or `system:…` for the workflow' }),
    detail: TimelineDetail,
  })
  .openapi('TimelineEntry');
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** A timeline entry as served: the actor's id and, for a member of staff, their name from the directory. */
export const TimelineItem = /* @__PURE__ */ TimelineEntry.extend({
  actorName: z.string().nullable().openapi({
    description: 'The name of a member of staff (the directory); null for the workflow, the customer or an unknown id',
  }),
}).openapi('TimelineItem');
export type TimelineItem = z.infer<typeof TimelineItem>;

export const Timeline = /* @__PURE__ */ z
  .object({ items: z.array(TimelineItem), nextCursor: z.string().nullable() })
  .openapi('Timeline');

export const TimelineQuery = /* @__PURE__ */ PageQuery.extend({
  limit: z.coerce.number().int().min(1).max(100).default(100).openapi({ description: '1–100, default 100' }),
});

export const PausedTimeQuery = /* @__PURE__ */ z.strictObject({
  month: Month.optional().openapi({ description: 'default: this month (settings time zone)' }),
});

export const PausedTimeReport = /* @__PURE__ */ z
  .object({
    month: Month,
    items: z.array(z.object({ agentId: z.string(), pauses: z.number().int(), pausedMinutes: z.number().int() })),
  })
  .openapi('PausedTimeReport', { description: 'SLA clock stops per agent (who paused), by the month the pause ended' });

export const ComplaintIdParams = /* @__PURE__ */ z.strictObject({ id: Id });

/**
 * An execution's status: Step Functions' own values, plus `NOT_FOUND` when the execution is no longer
 * known (Step Functions keeps a stopped execution's history for 90 days; locally, executions live in
 * the runtime's memory, so one that ran before a restart is gone).
 */
export const ExecutionStatus = /* @__PURE__ */ z
  .enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE', 'NOT_FOUND'])
  .openapi('ExecutionStatus');
export type ExecutionStatus = z.infer<typeof ExecutionStatus>;
export const executionStatusText = /* @__PURE__ */ describeEnum(ExecutionStatus, {
  RUNNING: 'The round is being watched: the execution waits for the next warning or deadline',
  SUCCEEDED:
    'The execution ended: the round needs no more watching (its milestones decided, the complaint closed, or a reopen handed it to the next round)',
  FAILED:
    'The execution failed on a step it could not record; an operations alarm fires (the complaint may have lost its watch)',
  TIMED_OUT: 'The execution ran past its time limit; an operations alarm fires',
  ABORTED: 'The execution was stopped from outside (by an operator); an operations alarm fires',
  PENDING_REDRIVE: 'A failed execution is being redriven (restarted from the failed step)',
  NOT_FOUND: 'No longer known: Step Functions keeps a stopped execution 90 days; locally, one from before a restart',
});

/** One state the execution entered, in order (`name` is the state's name in the definition). */
export const ExecutionState = /* @__PURE__ */ z
  .object({
    name: z.string().openapi({ example: 'Escalate: response overdue' }),
    enteredAt: Timestamp,
  })
  .openapi('ExecutionState');
export type ExecutionState = z.infer<typeof ExecutionState>;

/** One round's escalation execution as the audit view shows it. */
export const EscalationExecution = /* @__PURE__ */ z
  .object({
    round: z.number().int().min(1),
    executionArn: z.string().openapi({
      example: 'arn:aws:states:ap-east-1:123456789012:execution:careloop-escalation:01JC0ZQ8M3Y7D5T2N4K6P8R0SV-r2',
    }),
    name: z.string().openapi({ example: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV-r2' }),
    status: ExecutionStatus,
    startedAt: Timestamp,
    stoppedAt: Timestamp.optional().openapi({ description: 'Absent while the execution runs' }),
    states: z.array(ExecutionState).openapi({ description: 'The states entered, oldest first' }),
  })
  .openapi('EscalationExecution');
export type EscalationExecution = z.infer<typeof EscalationExecution>;

export const EscalationExecutions = /* @__PURE__ */ z
  .object({ items: z.array(EscalationExecution).openapi({ description: 'One per round, oldest first' }) })
  .openapi('EscalationExecutions');
export type EscalationExecutions = z.infer<typeof EscalationExecutions>;

/** An execution name: `<complaintId>-r<round>` (`<complaintId>` alone for round 1 of a complaint registered before round 1 was `-r1`). */
export const EscalationNameParams = /* @__PURE__ */ z.strictObject({
  name: z
    .string()
    .max(80)
    .openapi({ example: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV-r2', description: 'An escalation execution name' }),
});

export const EscalationLookup = /* @__PURE__ */ z
  .object({ complaintId: Id, round: z.number().int().min(1) })
  .openapi('EscalationLookup');
export type EscalationLookup = z.infer<typeof EscalationLookup>;
