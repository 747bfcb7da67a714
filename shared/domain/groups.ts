/**
 * Satisfaction by customer group (s004 客户分群对比): tier, segment, customer type, new or
 * returning, and questionnaire, answered from counters only (cost flat in the number of answers).
 *
 * A valid answer adds a few of its counters again under its customer's group, in the same cell:
 * `grp_<key>_<value>__<counter>` for key ∈ tier, segment, customertype, newreturning (see
 * GROUP_COUNTERS for which). Questionnaire groups read the `qn_<qn>__…` counters the
 * questionnaires already write. A group with fewer valid answers than `kpis.minGroupSize` shows
 * its `n` and null figures; when exactly one group would be hidden, the next smallest is hidden
 * too, so the total minus the others never gives a hidden group's figures away.
 */

import type { Counters } from './aggregates.js';
import { csiOf, dimensionStats, lowestOf } from './analysis.js';

/** The customer-group keys of `/metrics?groupBy=` (beside channel, team, agent and questionnaire). */
export const CUSTOMER_GROUP_KEYS = ['tier', 'segment', 'customerType', 'newOrReturning'] as const;
export type CustomerGroupKey = (typeof CUSTOMER_GROUP_KEYS)[number];
export type AnswerGroupKey = CustomerGroupKey | 'questionnaire';

/** Counter prefix of each key (counter names are lower-case). */
const PREFIX: Record<CustomerGroupKey, string> = {
  tier: 'tier',
  segment: 'segment',
  customerType: 'customertype',
  newOrReturning: 'newreturning',
};

/** The group a customer's answer falls in, per key. */
export type CustomerGroups = Record<CustomerGroupKey, string>;

/** Default of `kpis.minGroupSize` (api-contract.md "Analysis (v1.2)"). */
export const DEFAULT_MIN_GROUP_SIZE = 5;

const DAY_MS = 86_400_000;

/**
 * A customer's groups when an answer arrives: their tier (`none`), their segment before the answer
 * (the most pressing label: at_risk, frequent_complainer, then their NPS class; `none`), their type
 * (`unknown`) and new (customer for less than 365 days on the answer's day) or returning (`unknown`
 * without `customerSince`).
 */
export function customerGroupsOf(
  profile:
    | { tier?: string | undefined; customerType?: string | undefined; customerSince?: string | undefined }
    | undefined,
  segment: { nps: string | null; frequentComplainer: boolean; atRisk: boolean } | undefined,
  day: string,
): CustomerGroups {
  const since = profile?.customerSince;
  const tenureDays = since ? (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${since}T00:00:00Z`)) / DAY_MS : undefined;
  return {
    tier: profile?.tier ?? 'none',
    segment: segment?.atRisk
      ? 'at_risk'
      : segment?.frequentComplainer
        ? 'frequent_complainer'
        : (segment?.nps ?? 'none'),
    customerType: profile?.customerType ?? 'unknown',
    newOrReturning: tenureDays === undefined ? 'unknown' : tenureDays < 365 ? 'new' : 'returning',
  };
}

/** Which of an answer's counters are kept again per group: what the group figures need, no more. */
const GROUP_COUNTER =
  /^(valid_responses|overall_sum|overall_n|overall_satisfied|nps_(promoters|passives|detractors)|negative|dim_[a-z][a-z0-9_]*_(sum|n))$/;

/**
 * The group counters of one valid answer: its `base` counters that GROUP_COUNTER keeps, again under
 * each group. `base` must hold `overall_n` whenever it holds `overall_sum` (the caller adds it for the
 * v1.1 form) and `dim_<d>_n` beside every `dim_<d>_sum`.
 */
export function groupCounters(groups: CustomerGroups, base: Counters): Counters {
  const out: Counters = {};
  const kept = Object.entries(base).filter(([name, value]) => GROUP_COUNTER.test(name) && value !== 0);
  for (const key of CUSTOMER_GROUP_KEYS) {
    const value = groups[key].toLowerCase().replace(/[^a-z0-9_]+/g, '_');
    for (const [name, n] of kept) out[`grp_${PREFIX[key]}_${value}__${name}`] = n;
  }
  return out;
}

export interface GroupFigures {
  key: string;
  /** Valid answers of the group. */
  n: number;
  /** True when n is below the minimum (or hiding it would give a smaller group away): every figure null. */
  suppressed: boolean;
  csat: number | null;
  satisfiedShare: number | null;
  nps: number | null;
  csi: number | null;
  negativeShare: number | null;
  dimensions: Record<string, { n: number; average: number | null; csi: number | null }>;
  lowestDimension: { dimension: string; csi: number } | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** The figures of one group from its own counters (names without the group prefix). */
function figuresOf(key: string, c: Counters, weights: Partial<Record<string, number>> | undefined): GroupFigures {
  const n = c.valid_responses ?? 0;
  // Group counters always carry item counts: no answers before item counts to account for.
  const own = { ...c, itemized_responses: n };
  const dims = dimensionStats(own);
  const dimensions = Object.fromEntries(
    Object.entries(dims).flatMap(([d, s]) => (s && s.n > 0 ? [[d, { n: s.n, average: s.average, csi: s.csi }]] : [])),
  );
  const promoters = c.nps_promoters ?? 0;
  const npsTotal = promoters + (c.nps_passives ?? 0) + (c.nps_detractors ?? 0);
  const overallN = c.overall_n ?? 0;
  return {
    key,
    n,
    suppressed: false,
    csat: overallN ? round2((c.overall_sum ?? 0) / overallN) : null,
    satisfiedShare: share(c.overall_satisfied ?? 0, overallN),
    nps: npsTotal ? Math.round(((promoters - (c.nps_detractors ?? 0)) / npsTotal) * 1000) / 10 : null,
    csi: csiOf(own, weights),
    negativeShare: share(c.negative ?? 0, n),
    dimensions,
    lowestDimension: lowestOf(dims),
  };
}

const hidden = (g: GroupFigures): GroupFigures => ({
  key: g.key,
  n: g.n,
  suppressed: true,
  csat: null,
  satisfiedShare: null,
  nps: null,
  csi: null,
  negativeShare: null,
  dimensions: {},
  lowestDimension: null,
});

/**
 * Small-group suppression: a group under `min` valid answers keeps only its n. When exactly one
 * group is hidden and others are shown, the smallest shown one is hidden as well (secondary
 * suppression), since the whole period's figures minus the shown groups would reveal it.
 */
export function suppressSmall(groups: GroupFigures[], min: number): GroupFigures[] {
  const small = new Set(groups.filter((g) => g.n < min).map((g) => g.key));
  const shown = groups.filter((g) => !small.has(g.key)).sort((a, b) => a.n - b.n || a.key.localeCompare(b.key));
  const first = shown[0];
  if (small.size === 1 && first) small.add(first.key);
  return groups.map((g) => (small.has(g.key) ? hidden(g) : g));
}

/** The counters of each group of a customer key, prefix removed, by group value. */
function customerGroupCounters(c: Counters, key: CustomerGroupKey): Map<string, Counters> {
  const prefix = `grp_${PREFIX[key]}_`;
  const groups = new Map<string, Counters>();
  for (const [name, value] of Object.entries(c)) {
    if (!name.startsWith(prefix)) continue;
    const at = name.indexOf('__', prefix.length);
    if (at < 0) continue;
    const group = name.slice(prefix.length, at);
    const counters = groups.get(group) ?? {};
    counters[name.slice(at + 2)] = (counters[name.slice(at + 2)] ?? 0) + value;
    groups.set(group, counters);
  }
  return groups;
}

/**
 * The counters of each questionnaire, from its `qn_<qn>__…` counters (prefix removed). Answers stored
 * before questionnaires existed are service-transaction's: what the totals hold beyond every
 * questionnaire's own counters, with one answer per service dimension each.
 */
function questionnaireCounters(
  c: Counters,
  legacyId: string,
  serviceDimensions: readonly string[],
): Map<string, Counters> {
  const groups = new Map<string, Counters>();
  for (const [name, value] of Object.entries(c)) {
    const match = /^qn_([a-z0-9_]+?)__(.+)$/.exec(name);
    const [, key, counter] = match ?? [];
    if (!key || !counter) continue;
    // qnKey turns a kebab-case id's `-` into `_`, one-to-one: turned back, it is the id.
    const id = key.replace(/_/g, '-');
    const counters = groups.get(id) ?? {};
    counters[counter] = (counters[counter] ?? 0) + value;
    groups.set(id, counters);
  }
  const legacy = Math.max(0, (c.valid_responses ?? 0) - (c.itemized_responses ?? 0));
  if (legacy > 0) {
    const own = (figure: string) => {
      let sum = 0;
      for (const counters of groups.values()) sum += counters[figure] ?? 0;
      return sum;
    };
    const rest = (figure: string) => Math.max(0, (c[figure] ?? 0) - own(figure));
    const counters = groups.get(legacyId) ?? {};
    const add = (figure: string, value: number) => {
      counters[figure] = (counters[figure] ?? 0) + value;
    };
    add('valid_responses', legacy);
    add('overall_n', legacy);
    for (const figure of [
      'overall_sum',
      'overall_satisfied',
      'nps_promoters',
      'nps_passives',
      'nps_detractors',
      'negative',
    ])
      add(figure, rest(figure));
    for (const d of serviceDimensions) {
      add(`dim_${d}_sum`, rest(`dim_${d}_sum`));
      add(`dim_${d}_n`, legacy);
    }
    groups.set(legacyId, counters);
  }
  return groups;
}

/** The groups of `key` in summed counters, by key, small ones suppressed. */
export function answerGroups(
  c: Counters,
  key: AnswerGroupKey,
  options: {
    minGroupSize?: number | undefined;
    csiWeights?: Partial<Record<string, number>> | undefined;
    legacyQuestionnaire: string;
    serviceDimensions: readonly string[];
  },
): GroupFigures[] {
  const counters =
    key === 'questionnaire'
      ? questionnaireCounters(c, options.legacyQuestionnaire, options.serviceDimensions)
      : customerGroupCounters(c, key);
  const groups = [...counters.entries()]
    .filter(([, g]) => (g.valid_responses ?? 0) > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, g]) => figuresOf(group, g, options.csiWeights));
  return suppressSmall(groups, options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE);
}
