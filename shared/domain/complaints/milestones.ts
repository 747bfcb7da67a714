/**
 * The three milestones of a complaint and how each is decided: met when its event happens by
 * the deadline, missed when the deadline passes first (never while the SLA clock is stopped).
 * The escalation workflow calls checkMilestone at the warning time and at the deadline, and
 * escalateMilestone after a miss; the complaint events call meetMilestone. Pure.
 */

import type { Complaint, MilestoneName, MilestoneState, SlaTerms, TimelineEntry } from '../../schemas/complaints.js';
import type { EscalationRole } from '../../schemas/settings.js';
import { defined } from '../errors.js';
import { messageIds } from '../message-ids.js';
import { MINUTE } from '../time.js';
import { deadlineAfter, deadlineAfterPause } from './calendar.js';

export const MILESTONES: readonly MilestoneName[] = ['respond', 'solution', 'close'];

/**
 * How auditors and the KPIs name each milestone (s000: 投诉响应1小时达标率、24小时方案给出率、72小时闭环率).
 * The names follow the default policy; the deadlines themselves come from each complaint's SLA terms.
 */
export const MILESTONE_LABELS: Readonly<Record<MilestoneName, { kpi: string; noun: string }>> = {
  respond: { kpi: '1h response', noun: 'response' },
  solution: { kpi: '24h solution', noun: 'solution' },
  close: { kpi: '72h closure', noun: 'closure' },
};

/** The timeline actor of everything the escalation workflow records. */
export const SYSTEM_ACTOR = 'system:escalation';

const MINUTES_OF: Record<MilestoneName, keyof Pick<SlaTerms, 'respondMinutes' | 'solutionMinutes' | 'closeMinutes'>> = {
  respond: 'respondMinutes',
  solution: 'solutionMinutes',
  close: 'closeMinutes',
};

const iso = (date: Date) => date.toISOString();
const at = (value: string) => new Date(value);

/** When the warning before a deadline is due: `warningMinutes` earlier, but never before `from`. */
export function warningTime(dueBy: Date, warningMinutes: number, from: Date): Date {
  const warnAt = new Date(dueBy.getTime() - warningMinutes * MINUTE);
  return warnAt < from ? from : warnAt;
}

/** Fresh deadlines for every milestone, counted from `start` (registration, or a reopen). */
export function scheduleMilestones(sla: SlaTerms, start: Date): Record<MilestoneName, MilestoneState> {
  const schedule = {} as Record<MilestoneName, MilestoneState>;
  for (const milestone of MILESTONES) {
    const dueBy = deadlineAfter(sla.calendarRules, start, sla[MINUTES_OF[milestone]], sla.counting);
    schedule[milestone] = { dueBy: iso(dueBy), warnAt: iso(warningTime(dueBy, sla.warningMinutes, start)) };
  }
  return schedule;
}

export const deadlinesOf = (milestones: Complaint['milestones']): Complaint['deadlines'] => ({
  respondBy: milestones.respond.dueBy,
  solutionBy: milestones.solution.dueBy,
  closeBy: milestones.close.dueBy,
});

const withMilestone = (complaint: Complaint, milestone: MilestoneName, state: MilestoneState): Complaint => ({
  ...complaint,
  milestones: { ...complaint.milestones, [milestone]: state },
});

/** Records the first decision of a milestone (met or missed): on the complaint, in its KPIs and, for a miss, on the timeline. */
function decide(
  complaint: Complaint,
  milestone: MilestoneName,
  outcome: 'met' | 'missed',
  now: Date,
): { complaint: Complaint; timeline: TimelineEntry[] } {
  const state = complaint.milestones[milestone];
  if (state.outcome) return { complaint, timeline: [] };
  const next = withMilestone(complaint, milestone, { ...state, outcome, decidedAt: iso(now) });
  next.kpi = { ...complaint.kpi, [milestone]: complaint.kpi[milestone] ?? outcome };
  if (outcome === 'met') return { complaint: next, timeline: [] };
  next.breached = true;
  return {
    complaint: next,
    timeline: [
      {
        at: iso(now),
        type: 'breached',
        actor: SYSTEM_ACTOR,
        detail: { milestone, dueBy: state.dueBy, round: complaint.round },
      },
    ],
  };
}

/** The event that reaches a milestone happened at `now`: met if by the deadline, else a (late) miss. */
export function meetMilestone(
  complaint: Complaint,
  milestone: MilestoneName,
  now: Date,
): { complaint: Complaint; timeline: TimelineEntry[] } {
  const state = complaint.milestones[milestone];
  const reached = withMilestone(complaint, milestone, { ...state, metAt: state.metAt ?? iso(now) });
  return decide(reached, milestone, now <= at(state.dueBy) ? 'met' : 'missed', now);
}

/** The timeline entry that says a milestone was met in time; written once (its key is derived from it). */
export function milestoneMetEntry(complaint: Complaint, milestone: MilestoneName): TimelineEntry | null {
  const state = complaint.milestones[milestone];
  if (state.outcome !== 'met' || !state.metAt) return null;
  return {
    at: state.metAt,
    type: 'milestone_met',
    actor: SYSTEM_ACTOR,
    detail: { milestone, dueBy: state.dueBy, metAt: state.metAt, round: complaint.round },
  };
}

/** What the workflow does after checking a milestone. */
export type CheckOutcome =
  /** Met in time: go on to the next milestone. */
  | 'met'
  /** Not yet due (or the clock is stopped): wait until `wakeAt` and check again. */
  | 'wait'
  /** Missed: escalate. */
  | 'overdue'
  /** Closed: nothing left to watch. */
  | 'closed'
  /** Reopened since this execution started: the newer round's execution watches it. */
  | 'superseded';

export interface CheckDecision {
  complaint: Complaint;
  /** Entries to write with the complaint (empty when nothing changed). */
  timeline: TimelineEntry[];
  /** milestone_met entries to write idempotently (no complaint change needed). */
  metEntries: TimelineEntry[];
  outcome: CheckOutcome;
  wakeAt?: string;
}

/**
 * Checks one milestone of one round at `now`: met, still to wait for (recording the
 * deadline warning when it is due), or missed (recorded here, so a failing escalation
 * never loses the miss).
 */
export function checkMilestone(
  complaint: Complaint,
  milestone: MilestoneName,
  round: number,
  now: Date,
): CheckDecision {
  const unchanged = (outcome: CheckOutcome, extra: Partial<CheckDecision> = {}): CheckDecision => ({
    complaint,
    timeline: [],
    metEntries: [],
    outcome,
    ...extra,
  });
  if (complaint.round !== round) return unchanged('superseded');
  if (complaint.status === 'closed') {
    return unchanged('closed', {
      metEntries: MILESTONES.map((m) => milestoneMetEntry(complaint, m)).filter((e): e is TimelineEntry => e !== null),
    });
  }
  const state = complaint.milestones[milestone];
  if (state.outcome === 'met') {
    const entry = milestoneMetEntry(complaint, milestone);
    return unchanged('met', { metEntries: entry ? [entry] : [] });
  }
  if (state.outcome === 'missed') return unchanged('overdue');

  const dueBy = at(state.dueBy);
  const missed = () => ({
    ...decide(complaint, milestone, 'missed', now),
    metEntries: [],
    outcome: 'overdue' as const,
  });
  if (complaint.pause) {
    const pausedAt = at(complaint.pause.since);
    // A deadline that had passed before the clock stopped stays missed.
    if (dueBy <= pausedAt) return missed();
    // The deadline if the customer came back right now: the earliest it can be, so waking then is never late.
    return unchanged('wait', {
      wakeAt: iso(deadlineAfterPause(complaint.sla.calendarRules, dueBy, pausedAt, now, complaint.sla.counting)),
    });
  }
  if (now >= dueBy) return missed();
  if (now >= at(state.warnAt) && !state.warnedAt) {
    const minutesLeft = Math.round((dueBy.getTime() - now.getTime()) / MINUTE);
    return {
      complaint: withMilestone(complaint, milestone, { ...state, warnedAt: iso(now) }),
      timeline: [
        {
          at: iso(now),
          type: 'deadline_warning',
          actor: SYSTEM_ACTOR,
          detail: { milestone, dueBy: state.dueBy, minutesLeft, round },
        },
      ],
      metEntries: [],
      outcome: 'wait',
      wakeAt: state.dueBy,
    };
  }
  const wakeAt = state.warnedAt || at(state.warnAt) <= now ? state.dueBy : state.warnAt;
  return unchanged('wait', { wakeAt });
}

export interface EscalationStep {
  complaint: Complaint;
  timeline: TimelineEntry[];
  /** `escalated`: a new owner to notify; `at_top`: the ladder ends, nobody new to tell; `superseded`: a newer round took over. */
  outcome: 'escalated' | 'at_top' | 'superseded';
  fromLevel: number;
  toLevel: number;
  /** True when this call changed the complaint (false on a retry of an escalation already made). */
  changed: boolean;
}

/** The recipients of an escalation notice, as the timeline records them (roles and message ids, never addresses). */
export interface Notified {
  role: string;
  channel: 'email' | 'sms';
  messageId: string;
}

/**
 * Moves a complaint one step up its ladder after `milestone` was missed, once: a retry finds
 * the escalation already made and changes nothing. At the top of the ladder it stops there.
 * `channelsOf(role)` says how a role can be reached (from the escalation contacts).
 */
export function escalateMilestone(
  complaint: Complaint,
  milestone: MilestoneName,
  round: number,
  now: Date,
  channelsOf: (role: EscalationRole) => Array<'email' | 'sms'>,
): EscalationStep {
  const level = complaint.escalationLevel;
  if (complaint.round !== round)
    return { complaint, timeline: [], outcome: 'superseded', fromLevel: level, toLevel: level, changed: false };
  const state = complaint.milestones[milestone];
  if (state.escalation) {
    const { fromLevel, toLevel } = state.escalation;
    return {
      complaint,
      timeline: [],
      outcome: toLevel > fromLevel ? 'escalated' : 'at_top',
      fromLevel,
      toLevel,
      changed: false,
    };
  }
  const ladder = complaint.escalation.ladder;
  const top = ladder.length - 1;
  const toLevel = Math.min(level + 1, top);
  const handled = withMilestone(complaint, milestone, {
    ...state,
    escalation: { at: iso(now), fromLevel: level, toLevel },
  });
  if (toLevel === level)
    return { complaint: handled, timeline: [], outcome: 'at_top', fromLevel: level, toLevel, changed: true };

  const fromRole = defined(ladder[level], `escalation level ${level}`);
  const toRole = defined(ladder[toLevel], `escalation level ${toLevel}`);
  const notified: Notified[] = channelsOf(toRole).map((channel) => ({
    role: toRole,
    channel,
    messageId: messageIds.escalationNotice(complaint.id, milestone, toLevel, channel),
  }));
  return {
    complaint: {
      ...handled,
      escalationLevel: toLevel,
      ownerRole: toRole,
      escalations: [...complaint.escalations, { milestone, fromLevel: level, toLevel, fromRole, toRole, at: iso(now) }],
    },
    timeline: [
      {
        at: iso(now),
        type: 'escalated',
        actor: SYSTEM_ACTOR,
        // Nobody to tell (no contact configured for the role): the timeline says so rather than staying silent.
        detail: {
          milestone,
          fromLevel: level,
          toLevel,
          fromRole,
          toRole,
          notified,
          ...(notified.length ? {} : { notSent: 'no_contact' }),
          round,
        },
      },
    ],
    outcome: 'escalated',
    fromLevel: level,
    toLevel,
    changed: true,
  };
}

/**
 * The deadline a screen shows: the first milestone not reached yet, while the complaint is open and
 * its SLA clock runs (null when closed, paused or every milestone is reached). No `secondsLeft`:
 * the open-complaints index orders by `dueBy` alone; the function below adds it as of a `now`.
 */
export function nextOpenMilestone(
  complaint: Pick<Complaint, 'status' | 'pause' | 'milestones'>,
): { milestone: MilestoneName; dueBy: string } | null {
  if (complaint.status === 'closed' || complaint.pause) return null;
  for (const milestone of MILESTONES) {
    const state = complaint.milestones[milestone];
    if (!state.metAt) return { milestone, dueBy: state.dueBy };
  }
  return null;
}

/** nextOpenMilestone with the seconds left until it is due at `now` (negative once it has passed). */
export function nextDeadline(
  complaint: Pick<Complaint, 'status' | 'pause' | 'milestones'>,
  now: Date,
): { milestone: MilestoneName; dueBy: string; secondsLeft: number } | null {
  const next = nextOpenMilestone(complaint);
  if (!next) return null;
  return { ...next, secondsLeft: Math.floor((at(next.dueBy).getTime() - now.getTime()) / 1000) };
}
