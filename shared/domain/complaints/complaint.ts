/**
 * A complaint's life as pure functions: registration (SLA terms, deadlines, owner), every
 * event of the closed loop, recurrence, and what the complaint adds to the KPI counters.
 */

import type {
  Complaint,
  ComplaintEventBody,
  CreateComplaintBody,
  EscalationRound,
  Severity,
  SlaTerms,
  Tier,
  TimelineEntry,
} from '../../schemas/complaints.js';
import type { Settings } from '../../schemas/settings.js';
import { type Contribution, counterName, forAgent, histogramCounter, NO_TEAM } from '../aggregates.js';
import { foldLegacy } from '../categories.js';
import { Conflict, defined, Invalid } from '../errors.js';
import { DAY, localDate, secondsBetween } from '../time.js';
import { deadlineAfterPause } from './calendar.js';
import { allowedEvents, nextStatus } from './loop.js';
import { deadlinesOf, MILESTONES, meetMilestone, scheduleMilestones, warningTime } from './milestones.js';
import { executionNameFor, legacyFirstExecutionName } from './workflow.js';

const iso = (date: Date) => date.toISOString();
const at = (value: string) => new Date(value);

/** A complaint counts as a recurrence when an earlier one of the same customer and category closed this recently. */
export const RECURRENCE_WINDOW_DAYS = 30;

/** The SLA terms a new complaint of `severity` gets from the settings in force (a snapshot: later changes do not move it). */
export function slaTermsFor(settings: Settings, severity: Severity): SlaTerms {
  const policy = settings.sla.policies[severity];
  const calendarRules = settings.calendars[policy.calendar];
  if (!calendarRules)
    throw new Error(`SLA policy for ${severity} names calendar '${policy.calendar}', which the settings do not define`);
  return {
    respondMinutes: policy.respondMinutes,
    solutionMinutes: policy.solutionMinutes,
    closeMinutes: policy.closeMinutes,
    warningMinutes: settings.sla.warningMinutes,
    counting: policy.counting ?? 'elapsed',
    calendar: policy.calendar,
    calendarRules,
  };
}

export interface Registration {
  id: string;
  body: CreateComplaintBody;
  actor: { id: string; team?: string | undefined };
  now: Date;
  settings: Settings;
  execution: { name: string; arn: string };
  /** An earlier complaint that makes this one a recurrence (see findRecurrence). */
  recurrenceOf?: string | undefined;
}

/** A new complaint: tier and ladder, SLA terms and deadlines, first owner, first timeline entry. */
export function registerComplaint(input: Registration): { complaint: Complaint; timeline: TimelineEntry[] } {
  const { id, body, actor, now, settings, execution } = input;
  const tier: Tier = body.tier ?? settings.escalation.defaultTier[body.severity];
  const ladder = [...settings.escalation.ladders[String(tier) as '1' | '2']];
  const sla = slaTermsFor(settings, body.severity);
  const milestones = scheduleMilestones(sla, now);
  const team = body.team ?? actor.team;
  const complaint: Complaint = {
    id,
    customerId: body.customerId,
    channel: body.channel,
    category: body.category,
    severity: body.severity,
    tier,
    description: body.description,
    ...(body.interactionId ? { interactionId: body.interactionId } : {}),
    ...(team ? { team } : {}),
    status: 'registered',
    escalationLevel: 0,
    ownerRole: defined(ladder[0], 'the first role of the escalation ladder'),
    deadlines: deadlinesOf(milestones),
    milestones,
    escalation: {
      executionArn: execution.arn,
      executionName: execution.name,
      ladder,
      rounds: [{ round: 1, executionName: execution.name, executionArn: execution.arn, startedAt: iso(now) }],
    },
    escalations: [],
    breached: false,
    pauses: [],
    pausedMinutes: 0,
    ...(input.recurrenceOf ? { recurrenceOf: input.recurrenceOf } : {}),
    round: 1,
    kpi: {},
    sla,
    serviceDay: localDate(now, settings.timezone),
    registeredAt: iso(now),
    createdAt: iso(now),
    updatedAt: iso(now),
    createdBy: actor.id,
    version: 1,
  };
  const detail = {
    severity: complaint.severity,
    tier,
    ownerRole: complaint.ownerRole,
    deadlines: complaint.deadlines,
    ...(complaint.recurrenceOf ? { recurrenceOf: complaint.recurrenceOf } : {}),
  };
  return { complaint, timeline: [{ at: iso(now), type: 'registered', actor: actor.id, detail }] };
}

/** The earlier closed complaint (same customer and category, closed within 30 days before `now`) that makes a new one a recurrence. */
export function findRecurrence(
  earlier: ReadonlyArray<Pick<Complaint, 'id' | 'category' | 'status' | 'closedAt'>>,
  category: string,
  now: Date,
): string | undefined {
  const since = now.getTime() - RECURRENCE_WINDOW_DAYS * DAY;
  const match = earlier
    .filter(
      (c) =>
        foldLegacy(c.category) === foldLegacy(category) &&
        c.status === 'closed' &&
        c.closedAt &&
        at(c.closedAt).getTime() >= since &&
        at(c.closedAt) <= now,
    )
    .sort((a, b) => ((a.closedAt ?? '') < (b.closedAt ?? '') ? 1 : -1))[0];
  return match?.id;
}

/** Pause time credited to the agent who stopped the clock, reported per agent. */
export interface PauseCredit {
  agentId: string;
  seconds: number;
  /** YYYY-MM (settings zone) of the resume. */
  month: string;
}

export interface EventOutcome {
  complaint: Complaint;
  timeline: TimelineEntry[];
  pauseCredit?: PauseCredit;
}

export interface EventContext {
  actor: string;
  now: Date;
  /** Zone in which pause credits are filed by month. */
  timezone: string;
  /** The execution that will watch the next round (reopen only). */
  nextExecution?: { name: string; arn: string };
}

/** Where the clock stopped at `pause.since` and restarted at `now` moves every deadline still open. */
function resumeClock(
  complaint: Complaint,
  now: Date,
): { complaint: Complaint; pausedSeconds: number; moved: Record<string, string> } {
  const pause = defined(complaint.pause, `the pause of complaint ${complaint.id}`);
  const pausedAt = at(pause.since);
  const milestones = { ...complaint.milestones };
  const moved: Record<string, string> = {};
  for (const milestone of MILESTONES) {
    const state = milestones[milestone];
    // Decided milestones and deadlines that had passed before the pause do not move.
    if (state.outcome || at(state.dueBy) <= pausedAt) continue;
    const dueBy = deadlineAfterPause(
      complaint.sla.calendarRules,
      at(state.dueBy),
      pausedAt,
      now,
      complaint.sla.counting,
    );
    const warnAt = warningTime(dueBy, complaint.sla.warningMinutes, now);
    // A warning given before the pause is given again before the new deadline.
    const { warnedAt: _, ...rest } = state;
    milestones[milestone] = { ...(warnAt > now ? rest : state), dueBy: iso(dueBy), warnAt: iso(warnAt) };
    moved[milestone] = iso(dueBy);
  }
  const pausedSeconds = secondsBetween(pausedAt, now);
  const pauses = [
    ...complaint.pauses,
    { from: pause.since, to: iso(now), reason: pause.reason, by: pause.by, seconds: pausedSeconds },
  ];
  const { pause: _, statusBeforePause: __, ...rest } = complaint;
  return {
    complaint: {
      ...rest,
      milestones,
      deadlines: deadlinesOf(milestones),
      pauses,
      pausedMinutes: Math.round(pauses.reduce((sum, p) => sum + p.seconds, 0) / 60),
    },
    pausedSeconds,
    moved,
  };
}

/**
 * Applies one event of the closed loop. Throws Conflict (409) for a transition the loop does
 * not allow; otherwise returns the next complaint (version + 1) and what goes on its timeline.
 */
export function applyComplaintEvent(
  complaint: Complaint,
  event: ComplaintEventBody,
  context: EventContext,
): EventOutcome {
  const { actor, now } = context;
  const status = nextStatus(complaint.status, event.type, complaint.statusBeforePause);
  const change: Change<ComplaintEventBody> = {
    before: complaint,
    event,
    context,
    status,
    next: { ...complaint, status, updatedAt: iso(now), version: complaint.version + 1 },
    detail: { from: complaint.status, to: status, ...(event.note ? { note: event.note } : {}) },
    timeline: [],
  };
  // The one place the event's type picks its function (a table keyed by type cannot narrow the event by itself).
  (ON_EVENT[event.type] as (change: Change<ComplaintEventBody>) => void)(change);
  const { next, timeline, pauseCredit } = change;
  timeline.unshift({ at: iso(now), type: event.type, actor, detail: change.detail });
  return { complaint: next, timeline, ...(pauseCredit ? { pauseCredit } : {}) };
}

/** An event being applied: the complaint before, the one being built (`next`), the timeline detail and entries. */
interface Change<E extends ComplaintEventBody> {
  readonly before: Complaint;
  readonly event: E;
  readonly context: EventContext;
  /** The status the event leads to. */
  readonly status: Complaint['status'];
  next: Complaint;
  readonly detail: Record<string, unknown>;
  readonly timeline: TimelineEntry[];
  pauseCredit?: PauseCredit;
}

type EventOf<T extends ComplaintEventBody['type']> = Extract<ComplaintEventBody, { type: T }>;

/** Records a milestone met by this event (once: a milestone already decided stays as it is). */
function meet(change: Change<ComplaintEventBody>, milestone: 'respond' | 'solution' | 'close'): void {
  const met = meetMilestone(change.next, milestone, change.context.now);
  change.next = met.complaint;
  change.timeline.push(...met.timeline);
}

function assign({ before, event, next, detail }: Change<EventOf<'assign'>>): void {
  // Taking a complaint from another agent must be meant: two agents grabbing one complaint get one 200, one 409.
  if (before.assigneeId && before.assigneeId !== event.assigneeId && !event.reassign)
    throw new Conflict(
      `Complaint ${before.id} is already assigned to ${before.assigneeId}; send "reassign": true to take it over.`,
      {
        currentStatus: before.status,
        allowedEvents: allowedEvents(before.status),
        assigneeId: before.assigneeId,
      },
    );
  next.assigneeId = event.assigneeId;
  detail.assigneeId = event.assigneeId;
  if (before.assigneeId && before.assigneeId !== event.assigneeId) detail.previousAssigneeId = before.assigneeId;
}

function proposeSolution(change: Change<EventOf<'propose_solution'>>): void {
  change.next.solution = change.event.solution;
  change.detail.solution = change.event.solution;
  meet(change, 'solution');
}

function awaitCustomer({ before, event, context, next, detail }: Change<EventOf<'await_customer'>>): void {
  next.pause = { since: iso(context.now), reason: event.reason, by: context.actor };
  next.statusBeforePause = before.status;
  detail.reason = event.reason;
}

function resume(change: Change<EventOf<'resume'>>): void {
  const { before, context, status, detail } = change;
  const resumed = resumeClock(change.next, context.now);
  change.next = { ...resumed.complaint, status };
  detail.pausedMinutes = Math.round(resumed.pausedSeconds / 60);
  detail.deadlinesMoved = resumed.moved;
  change.pauseCredit = {
    agentId: defined(before.pause, `the pause of complaint ${before.id}`).by,
    seconds: resumed.pausedSeconds,
    month: localDate(context.now, context.timezone).slice(0, 7),
  };
}

function resolve({ before, event, context, next, detail }: Change<EventOf<'resolve'>>): void {
  // s000/s002 原因分析: a complaint that missed a milestone is not resolved without its cause.
  if (!event.cause && (before.breached || MILESTONES.some((m) => before.kpi[m] === 'missed')))
    throw Invalid.field('cause', 'is required to resolve a complaint that missed a milestone', 'required');
  next.resolvedAt = iso(context.now);
  if (event.cause) {
    next.cause = event.cause;
    detail.cause = event.cause;
  }
}

function confirm({ event, context, next, detail }: Change<EventOf<'confirm'>>): void {
  next.confirmedAt = iso(context.now);
  if (event.satisfied !== undefined) {
    next.satisfied = event.satisfied;
    detail.satisfied = event.satisfied;
  }
}

function escalate({ before, context, next, detail }: Change<EventOf<'escalate'>>): void {
  const ladder = before.escalation.ladder;
  const fromLevel = before.escalationLevel;
  const toLevel = fromLevel + 1;
  const fromRole = defined(ladder[fromLevel], `escalation level ${fromLevel}`);
  const toRole = ladder[toLevel];
  if (!toRole)
    throw new Conflict(
      `Complaint ${before.id} is with the ${fromRole.replace('_', ' ')}, the top of its ladder: there is no level above to escalate to.`,
      {
        currentStatus: before.status,
        allowedEvents: allowedEvents(before.status).filter((e) => e !== 'escalate'),
      },
    );
  // Counted against the milestone the complaint is working towards.
  const milestone = MILESTONES.find((m) => !before.milestones[m].outcome) ?? 'close';
  next.escalationLevel = toLevel;
  next.ownerRole = toRole;
  next.escalations = [
    ...before.escalations,
    { milestone, fromLevel, toLevel, fromRole, toRole, at: iso(context.now), by: context.actor },
  ];
  Object.assign(detail, { milestone, fromLevel, toLevel, fromRole, toRole, round: before.round });
}

/**
 * The executions of every round so far, oldest first. A complaint stored before the list existed
 * (v1.2) recorded only its current round's: the earlier ones follow from the naming of that time
 * (round 1 its id alone, a later round `<complaintId>-r<round>`) and the current one's state machine;
 * an earlier round's start is not known then (its registration stands in).
 */
export function roundsOf(complaint: Complaint): EscalationRound[] {
  if (complaint.escalation.rounds?.length) return complaint.escalation.rounds;
  const current = complaint.escalation;
  const arnBase = current.executionArn.slice(0, current.executionArn.length - current.executionName.length);
  return Array.from({ length: complaint.round }, (_, index) => {
    const round = index + 1;
    const executionName =
      round === complaint.round
        ? current.executionName
        : round === 1
          ? legacyFirstExecutionName(complaint.id)
          : executionNameFor(complaint.id, round);
    return {
      round,
      executionName,
      executionArn: round === complaint.round ? current.executionArn : `${arnBase}${executionName}`,
      startedAt: round === complaint.round ? (complaint.reopenedAt ?? complaint.registeredAt) : complaint.registeredAt,
    };
  });
}

function reopen(change: Change<EventOf<'reopen'>>): void {
  const { before, context } = change;
  if (!context.nextExecution) throw new Error('reopening needs the execution that will watch the new round');
  const milestones = scheduleMilestones(before.sla, context.now);
  const { resolvedAt: _r, confirmedAt: _c, closedAt: _x, satisfied: _s, cause: _k, ...rest } = change.next;
  change.next = {
    ...rest,
    round: before.round + 1,
    reopenedAt: iso(context.now),
    milestones,
    deadlines: deadlinesOf(milestones),
    escalation: {
      ...before.escalation,
      executionName: context.nextExecution.name,
      executionArn: context.nextExecution.arn,
      // Every round keeps its execution: appended in the same write that stores the new round.
      rounds: [
        ...roundsOf(before),
        {
          round: before.round + 1,
          executionName: context.nextExecution.name,
          executionArn: context.nextExecution.arn,
          startedAt: iso(context.now),
        },
      ],
    },
  };
  change.detail.round = change.next.round;
  change.detail.deadlines = change.next.deadlines;
}

/** What each event does to a complaint besides its status (one function per event). */
const ON_EVENT: { [T in ComplaintEventBody['type']]: (change: Change<EventOf<T>>) => void } = {
  assign,
  respond: (change) => meet(change, 'respond'),
  propose_solution: proposeSolution,
  await_customer: awaitCustomer,
  resume,
  resolve,
  confirm,
  close: (change) => {
    change.next.closedAt = iso(change.context.now);
    meet(change, 'close');
  },
  escalate,
  reopen,
};

/**
 * A complaint's contributions: its team cell, the same counters (without pause time) in its
 * assignee's agent cell, and the SLA pause time in the cell of each agent who stopped the clock.
 * Reassigning the complaint moves its agent contribution.
 */
export function complaintContributions(complaint: Complaint): Contribution[] {
  const main = complaintContribution(complaint);
  const { paused_seconds: _, ...withoutPauses } = main.counters;
  const pausedBy = new Map<string, number>();
  for (const pause of complaint.pauses) pausedBy.set(pause.by, (pausedBy.get(pause.by) ?? 0) + pause.seconds);
  return [
    main,
    ...forAgent(main, complaint.assigneeId, withoutPauses),
    ...[...pausedBy].flatMap(([agent, seconds]) => forAgent(main, agent, { paused_seconds: seconds })),
    ...eventDayContributions(complaint),
  ];
}

/**
 * The complaint's resolution and escalations again, in the cells of the days they happened
 * (`cday_*` counters: the weekly complaint summary's "resolved / escalated this week", whatever
 * the registration day), read in the time zone of the complaint's calendar. Like every
 * contribution they move when the record changes (a new resolution time moves its day).
 */
export function eventDayContributions(complaint: Complaint): Contribution[] {
  const zone = complaint.sla.calendarRules.timezone;
  const cellOf = (at: string) => ({
    day: localDate(new Date(at), zone),
    channel: complaint.channel,
    team: complaint.team ?? NO_TEAM,
  });
  const out: Contribution[] = [];
  if (complaint.resolvedAt)
    out.push({
      cell: cellOf(complaint.resolvedAt),
      counters: {
        cday_resolved: 1,
        [counterName('cday_resolved_cat', complaint.category)]: 1,
        // The cause behind it (s000 原因分析), counted on the day it was resolved: /metrics `causes.complaints`.
        ...(complaint.cause ? { [counterName('cause_complaint', complaint.cause.kind)]: 1 } : {}),
      },
    });
  for (const escalation of complaint.escalations)
    out.push({
      cell: cellOf(escalation.at),
      counters: { cday_escalations: 1, [counterName('cday_escalations_cat', complaint.category)]: 1 },
    });
  return out;
}

/** What a complaint adds to the KPI counters of its cell (registration day × channel × team). */
export function complaintContribution(complaint: Complaint): Contribution {
  const counters: Record<string, number> = {
    complaints: 1,
    [counterName('complaints_cat', complaint.category)]: 1,
    [counterName('complaints_sev', complaint.severity)]: 1,
  };
  for (const milestone of MILESTONES) {
    const outcome = complaint.kpi[milestone];
    if (outcome) counters[`${milestone}_${outcome}`] = 1;
  }
  if (complaint.escalations.length) counters.escalations = complaint.escalations.length;
  if (complaint.recurrenceOf) counters.recurrences = 1;
  const pausedSeconds = complaint.pauses.reduce((sum, pause) => sum + pause.seconds, 0);
  if (pausedSeconds) counters.paused_seconds = pausedSeconds;
  // s004 投诉解决时间 / 投诉解决率, s003 escalated complaints resolved: registration → resolved, first attempt, escalated.
  if (complaint.resolvedAt) {
    const seconds = Math.max(
      0,
      Math.round((Date.parse(complaint.resolvedAt) - Date.parse(complaint.registeredAt)) / 1000),
    );
    counters.cres_count = 1;
    counters.cres_sum = seconds;
    counters[histogramCounter('cres', seconds)] = 1;
    // s004 投诉解决率's numerator: resolved and never reopened (a reopen clears resolvedAt and starts round 2).
    if (complaint.round === 1) counters.resolved_first_attempt = 1;
  }
  if (complaint.status === 'closed') {
    counters.closed = 1;
    counters.closed_first_attempt = complaint.round === 1 ? 1 : 0;
  }
  if (complaint.escalations.length) {
    counters.escalated_complaints = 1;
    if (complaint.resolvedAt) counters.escalated_resolved = 1;
  }
  return { cell: { day: complaint.serviceDay, channel: complaint.channel, team: complaint.team ?? NO_TEAM }, counters };
}
