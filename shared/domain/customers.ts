/**
 * Customers (§8): the derived segment and the activity counts other capabilities add to.
 *
 * Activity is a set of plain counters on one item per customer (see shared/store/customers.ts,
 * `recordCustomerActivity`): totals plus one counter per local month for the things the
 * segment looks back on, so a complaint or an alert is one atomic ADD with no read.
 */
import { type NpsClass, npsClass } from './surveys.js';

/** Things that happen to a customer and are counted. */
export const ACTIVITY_KINDS = ['complaints', 'surveys', 'responses', 'validResponses', 'negativeFeedback'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Kinds also counted per month, for "in the last three months". */
const MONTHLY: readonly ActivityKind[] = ['complaints', 'negativeFeedback'];

/** A complainer is frequent with this many complaints in the current and two previous months. */
export const FREQUENT_COMPLAINER_COMPLAINTS = 3;
const LOOKBACK_MONTHS = 3;

/** The counter attributes to ADD for one event in a local month (YYYY-MM). */
export function activityDelta(kind: ActivityKind, month: string, by = 1): Record<string, number> {
  return { [kind]: by, ...(MONTHLY.includes(kind) ? { [monthlyName(kind, month)]: by } : {}) };
}

const monthlyName = (kind: ActivityKind, month: string) => `${kind}_m${month.replace('-', '')}`;

export interface CustomerActivity {
  counters: Record<string, number>;
  latestNps?: { score: number; at: string } | undefined;
}

export interface CustomerCounts {
  complaints: number;
  complaintsLast3Months: number;
  surveys: number;
  responses: number;
  validResponses: number;
  negativeFeedback: number;
}

export interface CustomerSegment {
  /** From the latest valid NPS answer; null before the first one. */
  nps: NpsClass | null;
  frequentComplainer: boolean;
  atRisk: boolean;
  /** All that apply, for display: e.g. ["detractor", "frequent_complainer", "at_risk"]. */
  labels: string[];
}

function lastMonths(month: string, count: number): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(y, m - 1 - i, 1)).toISOString().slice(0, 7));
}

const recent = (activity: CustomerActivity, kind: ActivityKind, month: string) =>
  lastMonths(month, LOOKBACK_MONTHS).reduce((sum, m) => sum + (activity.counters[monthlyName(kind, m)] ?? 0), 0);

export function customerCounts(activity: CustomerActivity, month: string): CustomerCounts {
  const total = (kind: ActivityKind) => activity.counters[kind] ?? 0;
  return {
    complaints: total('complaints'),
    complaintsLast3Months: recent(activity, 'complaints', month),
    surveys: total('surveys'),
    responses: total('responses'),
    validResponses: total('validResponses'),
    negativeFeedback: total('negativeFeedback'),
  };
}

/**
 * The segment in the local month `month`:
 * - promoter / passive / detractor from the latest valid NPS;
 * - frequent complainer: 3 or more complaints in the current and two previous months;
 * - at risk: a detractor who complained or left strongly negative feedback in that window,
 *   two or more negative-feedback alerts in it, or a frequent complainer who is not a promoter.
 */
export function deriveSegment(activity: CustomerActivity, month: string): CustomerSegment {
  const nps = activity.latestNps ? npsClass(activity.latestNps.score) : null;
  const complaints = recent(activity, 'complaints', month);
  const negative = recent(activity, 'negativeFeedback', month);
  const frequentComplainer = complaints >= FREQUENT_COMPLAINER_COMPLAINTS;
  const atRisk =
    (nps === 'detractor' && complaints + negative > 0) || negative >= 2 || (frequentComplainer && nps !== 'promoter');
  const labels = [
    ...(nps ? [nps] : []),
    ...(frequentComplainer ? ['frequent_complainer'] : []),
    ...(atRisk ? ['at_risk'] : []),
  ];
  return { nps, frequentComplainer, atRisk, labels };
}
