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
  /** When the owner was told the goal turned at_risk (cleared when it recovers). */
  atRiskNotifiedAt?: string | undefined;
  /** How many times the goal turned at_risk and its owner was told (the turn in the notice's task id). */
  atRiskNotices?: number | undefined;
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
  return {
    ...goal,
    direction,
    current,
    currentPeriod,
    expectedNow,
    status: goalStatusOf(direction, { current, expectedNow, targetValue: goal.targetValue }, today, goal.by),
  };
}

/** A goal's figures on the day it was checked: what its owner reads in the at_risk notice. */
export interface GoalFigures {
  /** The local day of the check. */
  today: string;
  baselineValue: number | null;
  targetValue: number | null;
  current: number | null;
  expectedNow: number | null;
}

/**
 * What the daily goal check does with a goal of this status (the owner is told once per turn):
 * `notify` when it is at_risk and its owner has not been told since it last turned so; `recovered`
 * when it is back on track (or achieved) after a notice, so that turning at_risk again is a new
 * turn told anew; `none` otherwise (a missed goal is in the reports; it is not news each morning).
 */
export function atRiskStep(
  goal: Pick<GoalRecord, 'atRiskNotifiedAt'>,
  status: GoalStatus,
): 'notify' | 'recovered' | 'none' {
  if (status === 'at_risk') return goal.atRiskNotifiedAt ? 'none' : 'notify';
  if ((status === 'on_track' || status === 'achieved') && goal.atRiskNotifiedAt) return 'recovered';
  return 'none';
}

const shown = (value: number | null) => (value === null ? '—' : String(value));

/**
 * The at_risk notice to a goal's owner, in both languages: the goal, where the KPI is and where the
 * straight line says it should be today, the target and date. Only the goal's own figures: no
 * customer is named (the goal's name is masked like any free text before it gets here).
 */
export function goalAtRiskNotice(input: {
  goal: Pick<GoalRecord, 'id' | 'kpi' | 'scope' | 'by' | 'owner'> & { name?: string | undefined };
  figures: GoalFigures;
  kpiLabel: { zh: string; en: string };
}): { subject: string; text: string; sms: string } {
  const { goal, figures, kpiLabel } = input;
  const title = goal.name ?? `${kpiLabel.en} → ${shown(figures.targetValue)}`;
  const scope = [goal.scope.team && `team ${goal.scope.team}`, goal.scope.channel && `channel ${goal.scope.channel}`]
    .filter(Boolean)
    .join(', ');
  const noData = figures.current === null || figures.expectedNow === null;
  const why = noData
    ? 'There are no figures to measure it by yet (no data in the baseline or since).'
    : `${kpiLabel.en} is ${shown(figures.current)} since the baseline; on the straight line to ${shown(figures.targetValue)} by ${goal.by} it should be ${shown(figures.expectedNow)} today (${figures.today}).`;
  const whyZh = noData
    ? '暂无可衡量的数据（基期或此后无数据）。'
    : `${kpiLabel.zh}目前为 ${shown(figures.current)}，按期达成 ${shown(figures.targetValue)}（${goal.by}）今天（${figures.today}）应达 ${shown(figures.expectedNow)}。`;
  const text = [
    `Goal ${goal.id} (${title}) is at risk. ${why}`,
    `目标 ${goal.id} 有未达成风险。${whyZh}`,
    '',
    `KPI: ${goal.kpi} (${kpiLabel.en} / ${kpiLabel.zh})`,
    ...(scope ? [`Scope: ${scope}`] : []),
    `Baseline: ${shown(figures.baselineValue)}`,
    `Target: ${shown(figures.targetValue)} by ${goal.by}`,
    `Expected today: ${shown(figures.expectedNow)}`,
    `Current: ${shown(figures.current)}`,
    `Owner: ${goal.owner}`,
    '',
    `GET /goals/${goal.id} shows it as it stands; you hear again only if it recovers and falls behind anew.`,
  ].join('\n');
  return {
    subject: `[CareLoop] Goal at risk: ${title} / 目标有风险`,
    text,
    sms: `CareLoop: goal ${goal.id} at risk: ${kpiLabel.en} ${shown(figures.current)}, expected ${shown(figures.expectedNow)} today, target ${shown(figures.targetValue)} by ${goal.by}. 目标有风险。`,
  };
}
