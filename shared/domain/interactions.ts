import type { Channel, Complexity } from '../schemas/common.js';
import type { ServiceTargets } from '../schemas/settings.js';
import { type Contribution, counterName, histogramCounter, NO_TEAM } from './aggregates.js';
import type { FieldError } from './errors.js';
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
export function responseTargetSeconds(channel: Channel, complexity: Complexity, targets: ServiceTargets): number {
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

/** The targets a contact is held to, fixed when it is recorded. */
export function targetsFor(channel: Channel, complexity: Complexity, targets: ServiceTargets) {
  return {
    responseTargetSeconds: responseTargetSeconds(channel, complexity, targets),
    resolutionTargetSeconds: resolutionTargetSeconds(complexity, targets),
  };
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

/** What an interaction adds to the pre-aggregated KPIs (see aggregates.ts). */
export function interactionContribution(record: {
  serviceDay: string;
  channel: Channel;
  team?: string | undefined;
  complexity: Complexity;
  startedAt: Date;
  firstResponseAt?: Date | undefined;
  resolvedAt?: Date | undefined;
  resolvedOnFirstContact?: boolean | undefined;
  overdueReason?: string | undefined;
  responseTargetSeconds: number;
  resolutionTargetSeconds: number;
}): Contribution {
  const counters: Record<string, number> = { interactions: 1 };
  const respondedAt = record.firstResponseAt ?? record.resolvedAt;
  if (respondedAt) {
    const seconds = secondsBetween(record.startedAt, respondedAt);
    counters.frt_count = 1;
    counters.frt_sum = seconds;
    counters.frt_within = seconds <= record.responseTargetSeconds ? 1 : 0;
    counters[histogramCounter('frt', seconds)] = 1;
  }
  if (record.resolvedAt) {
    const seconds = secondsBetween(record.startedAt, record.resolvedAt);
    counters.res_count = 1;
    counters.res_sum = seconds;
    counters[histogramCounter('res', seconds)] = 1;
    counters[counterName('res', record.complexity, 'count')] = 1;
    counters[counterName('res', record.complexity, 'within')] = seconds <= record.resolutionTargetSeconds ? 1 : 0;
    counters.fcr = record.resolvedOnFirstContact ? 1 : 0;
  }
  if (record.overdueReason) counters[counterName('overdue', record.overdueReason)] = 1;
  return { cell: { day: record.serviceDay, channel: record.channel, team: record.team ?? NO_TEAM }, counters };
}
