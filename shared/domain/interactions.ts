import type { Complexity, ContactChannel } from '../schemas/common.js';
import type { InteractionEvent, InteractionMilestone } from '../schemas/interactions.js';
import type { ServiceTargets } from '../schemas/settings.js';
import { type FieldError, OVERDUE_REASON_KINDS } from '../schemas/vocabulary.js';
import { type Contribution, counterName, histogramCounter, NO_TEAM } from './aggregates.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { secondsBetween } from './time.js';

/** The facts of one contact that timing depends on. */
export interface InteractionTimes {
  startedAt: Date;
  firstResponseAt?: Date | undefined;
  resolvedAt?: Date | undefined;
}

export interface InteractionTiming {
  firstResponseSeconds: number | null;
  resolutionSeconds: number | null;
  /** Target in force for this contact's first response (complex issues: first feedback within 1 h). */
  responseTargetSeconds: number;
  resolutionTargetSeconds: number;
  /** null while still open and within target: not yet known. */
  responseTargetMet: boolean | null;
  resolutionTargetMet: boolean | null;
  status: 'open' | 'resolved';
}

/**
 * The first-response target of a contact: the channel's own target, widened to the
 * complex-issue feedback target (1 h by default) when the issue is complex.
 */
export function responseTargetSeconds(
  channel: ContactChannel,
  complexity: Complexity,
  targets: ServiceTargets,
): number {
  const channelTarget = targets.firstResponseSeconds[channel];
  return complexity === 'complex' ? Math.max(channelTarget, targets.complexFirstFeedbackSeconds) : channelTarget;
}

export function resolutionTargetSeconds(complexity: Complexity, targets: ServiceTargets): number {
  return targets.resolutionSeconds[complexity];
}

/**
 * Whether a milestone met its target: true/false once it happened; while it has not,
 * false as soon as the target has passed at `now`, otherwise null (still possible).
 */
export function isWithinTarget(start: Date, done: Date | undefined, targetSeconds: number, now: Date): boolean | null {
  if (done) return secondsBetween(start, done) <= targetSeconds;
  return secondsBetween(start, now) > targetSeconds ? false : null;
}

/**
 * The targets a contact is held to, fixed when it is recorded. A complex contact also keeps its
 * channel's own first-response target (`channelResponseTargetSeconds`): s000 measures every contact
 * against it in the first-response rate, and complex ones again against 1 h.
 */
export function targetsFor(channel: ContactChannel, complexity: Complexity, targets: ServiceTargets) {
  return {
    responseTargetSeconds: responseTargetSeconds(channel, complexity, targets),
    resolutionTargetSeconds: resolutionTargetSeconds(complexity, targets),
    ...(complexity === 'complex' ? { channelResponseTargetSeconds: targets.firstResponseSeconds[channel] } : {}),
  };
}

/**
 * The channel's own first-response target of a stored contact: a simple contact's response target;
 * a complex one's as stored. A complex contact recorded before it was stored falls back to the
 * default channel target (DEFAULT_SETTINGS), so its contribution stays a function of the record.
 */
export function channelTargetOf(record: {
  channel: ContactChannel;
  complexity: Complexity;
  responseTargetSeconds: number;
  channelResponseTargetSeconds?: number | undefined;
}): number {
  if (record.complexity !== 'complex') return record.responseTargetSeconds;
  return (
    record.channelResponseTargetSeconds ??
    Math.min(record.responseTargetSeconds, DEFAULT_SETTINGS.targets.firstResponseSeconds[record.channel])
  );
}

/** Derives the timing figures of an interaction against the targets in force when it was recorded. */
export function deriveTiming(
  times: InteractionTimes,
  targets: { responseTargetSeconds: number; resolutionTargetSeconds: number },
  now: Date,
): InteractionTiming {
  const responseTarget = targets.responseTargetSeconds;
  const resolutionTarget = targets.resolutionTargetSeconds;
  return {
    firstResponseSeconds: times.firstResponseAt ? secondsBetween(times.startedAt, times.firstResponseAt) : null,
    resolutionSeconds: times.resolvedAt ? secondsBetween(times.startedAt, times.resolvedAt) : null,
    responseTargetSeconds: responseTarget,
    resolutionTargetSeconds: resolutionTarget,
    responseTargetMet: isWithinTarget(times.startedAt, times.firstResponseAt ?? times.resolvedAt, responseTarget, now),
    resolutionTargetMet: isWithinTarget(times.startedAt, times.resolvedAt, resolutionTarget, now),
    status: times.resolvedAt ? 'resolved' : 'open',
  };
}

/** Why the times of a contact cannot be right, or null when they are ordered. */
export function timeOrderProblem(
  times: Pick<InteractionTimes, 'startedAt' | 'firstResponseAt' | 'resolvedAt'>,
): FieldError | null {
  const { startedAt, firstResponseAt, resolvedAt } = times;
  const notBefore = (path: string, after: string): FieldError => ({
    path,
    code: 'not_ordered',
    message: `must not be before ${after}`,
    params: { after },
  });
  if (firstResponseAt && firstResponseAt < startedAt) return notBefore('firstResponseAt', 'startedAt');
  if (resolvedAt && resolvedAt < startedAt) return notBefore('resolvedAt', 'startedAt');
  if (resolvedAt && firstResponseAt && resolvedAt < firstResponseAt) return notBefore('resolvedAt', 'firstResponseAt');
  return null;
}

/**
 * The facts that decide whether a contact's targets have passed, as stored on the record.
 * `responseOverdue` / `resolutionOverdue` are set (once, never unset) by the write or the
 * overdue job that first sees the target pass without an answer / a resolution; they make the
 * contribution a pure function of the stored record, so a contact moves between pending,
 * missed and answered exactly once however many times it is rewritten.
 */
export interface InteractionProgress {
  startedAt: Date;
  firstResponseAt?: Date | undefined;
  resolvedAt?: Date | undefined;
  abandonedAt?: Date | undefined;
  responseTargetSeconds: number;
  resolutionTargetSeconds: number;
  responseOverdue?: boolean | undefined;
  resolutionOverdue?: boolean | undefined;
  /** s000 预警: the share of a target after which an open contact is at risk (as in force when recorded). */
  warnAtShare?: number | undefined;
  /** Set once (by the overdue sweep, which tells the supervisor) when the share of that target passed. */
  responseWarned?: boolean | undefined;
  resolutionWarned?: boolean | undefined;
}

const at = (start: Date, seconds: number) => new Date(start.getTime() + seconds * 1000);

/** When a contact's response target passes, and its resolution target. */
export function targetTimes(
  record: Pick<InteractionProgress, 'startedAt' | 'responseTargetSeconds' | 'resolutionTargetSeconds'>,
) {
  return {
    responseDueAt: at(record.startedAt, record.responseTargetSeconds),
    resolutionDueAt: at(record.startedAt, record.resolutionTargetSeconds),
  };
}

/**
 * The overdue flags a contact has at `now`: a flag once set stays set; it is set when the target
 * time has passed without the milestone. An abandoned contact has nothing left to resolve.
 */
export function overdueFlags(record: InteractionProgress, now: Date) {
  const { responseDueAt, resolutionDueAt } = targetTimes(record);
  const responded = record.firstResponseAt ?? record.resolvedAt;
  return {
    responseOverdue: record.responseOverdue === true || (!responded && now > responseDueAt),
    resolutionOverdue:
      record.resolutionOverdue === true || (!record.resolvedAt && !record.abandonedAt && now > resolutionDueAt),
  };
}

/**
 * The deadline a screen shows for a contact: its first milestone not reached yet, passed or not
 * (the first response while unanswered, then the resolution); null once resolved or abandoned.
 * Unlike `nextDueAt`, a passed target stays the deadline until its milestone is reached.
 */
export function interactionDeadline(
  record: Pick<
    InteractionProgress,
    'startedAt' | 'firstResponseAt' | 'resolvedAt' | 'abandonedAt' | 'responseTargetSeconds' | 'resolutionTargetSeconds'
  >,
): { milestone: InteractionMilestone; dueBy: Date } | null {
  if (record.resolvedAt || record.abandonedAt) return null;
  const { responseDueAt, resolutionDueAt } = targetTimes(record);
  return record.firstResponseAt
    ? { milestone: 'resolution', dueBy: resolutionDueAt }
    : { milestone: 'firstResponse', dueBy: responseDueAt };
}

/** The events a contact accepts now: none once resolved or abandoned; abandon only before any answer. */
export function allowedInteractionEvents(
  record: Pick<InteractionProgress, 'firstResponseAt' | 'resolvedAt' | 'abandonedAt'>,
): InteractionEvent[] {
  if (record.resolvedAt || record.abandonedAt) return [];
  return record.firstResponseAt ? ['resolve'] : ['respond', 'resolve', 'abandon'];
}

/** When a contact's targets reach their warning share (null without one). */
export function warnTimes(
  record: Pick<InteractionProgress, 'startedAt' | 'responseTargetSeconds' | 'resolutionTargetSeconds' | 'warnAtShare'>,
): { responseWarnAt: Date; resolutionWarnAt: Date } | null {
  const share = record.warnAtShare;
  if (!share) return null;
  return {
    responseWarnAt: at(record.startedAt, record.responseTargetSeconds * share),
    resolutionWarnAt: at(record.startedAt, record.resolutionTargetSeconds * share),
  };
}

/**
 * The warning flags a contact has at `now` (s000 预警): set once a target's warning share passed
 * while its milestone was still open and the target not yet missed; a flag once set stays set.
 */
export function warnFlags(record: InteractionProgress, now: Date) {
  const times = warnTimes(record);
  const responded = record.firstResponseAt ?? record.resolvedAt;
  const open = !record.resolvedAt && !record.abandonedAt;
  return {
    responseWarned:
      record.responseWarned === true ||
      (times !== null && !responded && !record.abandonedAt && !record.responseOverdue && now >= times.responseWarnAt),
    resolutionWarned:
      record.resolutionWarned === true ||
      (times !== null && open && !record.resolutionOverdue && now >= times.resolutionWarnAt),
  };
}

/**
 * At risk (GET /interactions?atRisk=true): open, no target missed yet, and past the warning share
 * of the target it is working towards (its first response while unanswered, else its resolution).
 */
export function isAtRisk(record: InteractionProgress): boolean {
  if (record.resolvedAt || record.abandonedAt || isOpenOverdue(record)) return false;
  const responded = record.firstResponseAt ?? record.resolvedAt;
  return (!responded && record.responseWarned === true) || record.resolutionWarned === true;
}

/**
 * The next time the overdue sweep must look at a contact (the due index's key): its next target
 * time, or a warning time before it that has not been handled yet.
 */
export function nextCheckAt(record: InteractionProgress): Date | null {
  const due = nextDueAt(record);
  const times = warnTimes(record);
  const responded = record.firstResponseAt ?? record.resolvedAt;
  const candidates = [
    due,
    times && !responded && !record.abandonedAt && !record.responseOverdue && !record.responseWarned
      ? times.responseWarnAt
      : null,
    times && !record.resolvedAt && !record.abandonedAt && !record.resolutionOverdue && !record.resolutionWarned
      ? times.resolutionWarnAt
      : null,
  ].filter((d): d is Date => d !== null);
  return candidates.length ? new Date(Math.min(...candidates.map((d) => d.getTime()))) : null;
}

/**
 * The next target time the overdue job must look at (null when none is left): the response target
 * while unanswered and not yet counted as missed, then the resolution target while unresolved.
 */
export function nextDueAt(record: InteractionProgress): Date | null {
  const { responseDueAt, resolutionDueAt } = targetTimes(record);
  const responded = record.firstResponseAt ?? record.resolvedAt;
  if (!responded && !record.responseOverdue) return responseDueAt;
  if (!record.resolvedAt && !record.abandonedAt && !record.resolutionOverdue) return resolutionDueAt;
  return null;
}

/** Whether the first response missed its target (answered late, or unanswered past it). */
export function responseMissed(record: InteractionProgress): boolean {
  const responded = record.firstResponseAt ?? record.resolvedAt;
  if (responded) return secondsBetween(record.startedAt, responded) > record.responseTargetSeconds;
  return record.responseOverdue === true;
}

/** Whether the resolution missed its target (resolved late, or unresolved past it). */
export function resolutionMissed(record: InteractionProgress): boolean {
  if (record.resolvedAt) return secondsBetween(record.startedAt, record.resolvedAt) > record.resolutionTargetSeconds;
  return record.resolutionOverdue === true;
}

/** Open work past a target: unresolved, not abandoned, and a target missed. Listed by `?overdue=true`. */
export function isOpenOverdue(record: InteractionProgress): boolean {
  if (record.resolvedAt || record.abandonedAt) return false;
  return responseMissed(record) || resolutionMissed(record);
}

/**
 * What an interaction adds to the pre-aggregated KPIs (see aggregates.ts). Every contact counts in
 * exactly one of: answered (`frt_count`, in target or not), unanswered past its target
 * (`frt_unanswered`, a miss) or pending (`frt_pending`, still inside its target); likewise for
 * resolution (`res_*_count`, `res_*_overdue`, `res_pending`). A late answer moves the contact
 * from `frt_unanswered` to `frt_count` (the store writes the difference).
 */
export function interactionContribution(
  record: InteractionProgress & {
    serviceDay: string;
    channel: ContactChannel;
    team?: string | undefined;
    complexity: Complexity;
    resolvedOnFirstContact?: boolean | undefined;
    overdueReason?: string | undefined;
    cause?: { kind: string } | undefined;
    channelResponseTargetSeconds?: number | undefined;
  },
): Contribution {
  const counters: Record<string, number> = { interactions: 1 };
  if (record.abandonedAt) counters.abandoned = 1;
  const respondedAt = record.firstResponseAt ?? record.resolvedAt;
  const complex = record.complexity === 'complex';
  if (respondedAt) {
    const seconds = secondsBetween(record.startedAt, respondedAt);
    const within = seconds <= record.responseTargetSeconds ? 1 : 0;
    counters.frt_count = 1;
    counters.frt_sum = seconds;
    counters.frt_within = within;
    counters[histogramCounter('frt', seconds)] = 1;
    if (complex) {
      counters.cfb_count = 1;
      counters.cfb_within = within;
      // Answered inside the complex feedback target but past the channel's own one: a success of the
      // 1 h rate, a miss of the first-response rate (s000), which subtracts it from `frt_within`.
      if (within && seconds > channelTargetOf(record)) counters.frt_within_widened_only = 1;
    }
  } else if (record.responseOverdue) {
    counters.frt_unanswered = 1;
    if (record.abandonedAt) counters.frt_unanswered_abandoned = 1;
    if (complex) counters.cfb_count = 1;
  } else {
    counters.frt_pending = 1;
  }
  if (record.resolvedAt) {
    const seconds = secondsBetween(record.startedAt, record.resolvedAt);
    counters.res_count = 1;
    counters.res_sum = seconds;
    counters[histogramCounter('res', seconds)] = 1;
    counters[counterName('res', record.complexity, 'count')] = 1;
    counters[counterName('res', record.complexity, 'within')] = seconds <= record.resolutionTargetSeconds ? 1 : 0;
    counters.fcr = record.resolvedOnFirstContact ? 1 : 0;
  } else if (!record.abandonedAt) {
    if (record.resolutionOverdue) counters[counterName('res', record.complexity, 'overdue')] = 1;
    else counters.res_pending = 1;
  }
  const overdue = responseMissed(record) || resolutionMissed(record);
  if (overdue) {
    counters.overdue_contacts = 1;
    counters[counterName('overdue_reason', record.overdueReason ?? 'unexplained')] = 1;
    // The cause of the miss (s000 原因分析): given, or the kind its overdue reason means; /metrics `causes.misses`.
    const kind = record.cause?.kind ?? OVERDUE_REASON_KINDS[record.overdueReason ?? ''];
    if (kind) counters[counterName('cause_miss', kind)] = 1;
  }
  if (record.overdueReason) counters[counterName('overdue', record.overdueReason)] = 1;
  return { cell: { day: record.serviceDay, channel: record.channel, team: record.team ?? NO_TEAM }, counters };
}
