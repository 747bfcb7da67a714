/**
 * Goals (s000 3 个月满意度提升 10 %; s004 NPS 每季度提升 5 个百分点, CSI 7.5 → 8.0): a KPI to move from
 * its value over a baseline period to a target by a date. The baseline value (and so the target)
 * is fixed when the goal is set; progress is the KPI from the day after the baseline to today,
 * against a straight line from the baseline value to the target.
 */
import type { Change } from './audit.js';
import { addDays, datesBetween } from './time.js';

export type GoalStatus = 'on_track' | 'at_risk' | 'achieved' | 'missed';
export type GoalTarget = { value: number } | { change: { absolute: number } | { relative: number } };
export type Direction = 'higher' | 'lower';

export interface GoalRecord {
  id: string;
  kpi: string;
  scope: { team?: string | undefined; channel?: string | undefined };
  baseline: { from: string; to: string };
  target: GoalTarget;
  by: string;
  owner: string;
  name?: string | undefined;
  /** The KPI over the baseline period when the goal was set (null: no data). */
  baselineValue: number | null;
  /** The value to reach (null: a change from a missing baseline). */
  targetValue: number | null;
  /** When the owner was told the goal turned at_risk (once). */
  atRiskNotifiedAt?: string | undefined;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy?: string | undefined;
  history?: Change[] | undefined;
  version: number;
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** The value a target names: itself, or the baseline value changed by an absolute amount or a share. */
export function targetValueOf(target: GoalTarget, baselineValue: number | null): number | null {
  if ('value' in target) return target.value;
  if (baselineValue === null) return null;
  const change = target.change;
  return 'absolute' in change ? round4(baselineValue + change.absolute) : round4(baselineValue * (1 + change.relative));
}

/** The days whose figures are the goal's `current`: after the baseline, up to today (or `by` once passed). */
export function currentPeriodOf(goal: Pick<GoalRecord, 'baseline' | 'by'>, today: string) {
  const from = addDays(goal.baseline.to, 1);
  const to = today < goal.by ? today : goal.by;
  return from <= to ? { from, to } : null;
}

/** Days from a to b (b after a: positive). */
const daysBetween = (a: string, b: string) =>
  a <= b ? datesBetween(a, b).length - 1 : -(datesBetween(b, a).length - 1);

/**
 * Where the KPI should be today: on the straight line from the baseline value (at the end of the
 * baseline period) to the target value (at `by`); the target once `by` is reached.
 */
export function expectedNowOf(
  goal: Pick<GoalRecord, 'baseline' | 'by' | 'baselineValue' | 'targetValue'>,
  today: string,
): number | null {
  if (goal.baselineValue === null || goal.targetValue === null) return null;
  const total = daysBetween(goal.baseline.to, goal.by);
  const elapsed = Math.min(daysBetween(goal.baseline.to, today), total);
  if (total <= 0) return goal.targetValue;
  return round4(goal.baselineValue + ((goal.targetValue - goal.baselineValue) * Math.max(0, elapsed)) / total);
}

/**
 * achieved once the current value meets the target; missed when `by` passed without it; otherwise
 * on_track at or past expectedNow (in the KPI's direction) and at_risk behind it or without data.
 */
export function goalStatusOf(
  direction: Direction,
  figures: { current: number | null; expectedNow: number | null; targetValue: number | null },
  today: string,
  by: string,
): GoalStatus {
  const atLeast = (a: number, b: number) => (direction === 'higher' ? a >= b : a <= b);
  const { current, expectedNow, targetValue } = figures;
  if (current !== null && targetValue !== null && atLeast(current, targetValue)) return 'achieved';
  if (today > by) return 'missed';
  if (current === null || expectedNow === null) return 'at_risk';
  return atLeast(current, expectedNow) ? 'on_track' : 'at_risk';
}

/** A goal with its progress as of `today`, given the KPI's value over a period (null without data). */
export async function goalProgress(
  goal: GoalRecord,
  direction: Direction,
  today: string,
  valueOver: (period: { from: string; to: string }) => Promise<number | null>,
) {
  const currentPeriod = currentPeriodOf(goal, today);
  const current = currentPeriod ? await valueOver(currentPeriod) : null;
  const expectedNow = expectedNowOf(goal, today);
  const { atRiskNotifiedAt: _, ...shown } = goal;
  return {
    ...shown,
    direction,
    current,
    currentPeriod,
    expectedNow,
    status: goalStatusOf(direction, { current, expectedNow, targetValue: goal.targetValue }, today, goal.by),
  };
}
