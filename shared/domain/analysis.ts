/**
 * Analysis figures of s004 from summed counters only (cost flat in the number of answers):
 * dimension scores and the weighted CSI (客户满意度指数), sub-indicator averages, the lowest
 * dimension (the improvement focus), and the key-driver correlations (Pearson r from
 * pre-aggregated sums, never from the answers themselves).
 *
 * Counter names (see /work/notes/questionnaire-counters.md, written by the questionnaires):
 * `dim_<d>_sum` / `dim_<d>_satisfied` / `dim_<d>_n` per dimension, `itemized_responses` (valid
 * answers written with item counts), `sub_<d>__<s>_sum|_n|_satisfied` per sub-indicator. An answer
 * stored before item counts existed added exactly one scale answer to each of the five service
 * dimensions, so n(d) = dim_<d>_n + (valid_responses − itemized_responses) for those five.
 */

import { DIMENSIONS, type Dimension } from '../schemas/vocabulary.js';
import type { Counters } from './aggregates.js';

/** The five service dimensions always, and any other dimension with answers. */
export type DimensionStats = Record<Dimension, DimensionStat> & Partial<Record<string, DimensionStat>>;

const SERVICE_DIMENSIONS = new Set<string>(DIMENSIONS);
const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** s004's 0–10 score of a 1–5 mean: (mean − 1) ÷ 4 × 10. */
export const scoreOf = (mean: number) => ((mean - 1) / 4) * 10;

export interface DimensionStat {
  /** Scale answers under the dimension. */
  n: number;
  /** Mean of those answers (1–5), 2 decimals; null without answers. */
  average: number | null;
  /** Share of those answers that are 4 or 5. */
  satisfiedShare: number | null;
  /** The dimension's score on 0–10 ((mean − 1) ÷ 4 × 10), 2 decimals. */
  csi: number | null;
}

function stat(sum: number, satisfied: number, n: number): DimensionStat {
  if (n <= 0) return { n: 0, average: null, satisfiedShare: null, csi: null };
  const mean = sum / n;
  return { n, average: round2(mean), satisfiedShare: round4(satisfied / n), csi: round2(scoreOf(mean)) };
}

/**
 * Scale answers under dimension `d`: its item count plus, for the five service dimensions, one per
 * answer stored before item counts. Every scale answer is 1–5, so a sum of 0 means no answers.
 */
function answersOf(c: Counters, d: string, legacy: number): number {
  if (!c[`dim_${d}_sum`]) return 0;
  return (c[`dim_${d}_n`] ?? 0) + (SERVICE_DIMENSIONS.has(d) ? legacy : 0);
}

/** Every dimension with a counter in `c` (the five service dimensions always), with n, average, share and score. */
export function dimensionStats(c: Counters): DimensionStats {
  const names = new Set<string>(DIMENSIONS);
  for (const name of Object.keys(c)) {
    const match = /^dim_([a-z][a-z0-9_]*?)_(sum|n|satisfied)$/.exec(name);
    if (match?.[1]) names.add(match[1]);
  }
  const legacy = Math.max(0, (c.valid_responses ?? 0) - (c.itemized_responses ?? 0));
  const out: Record<string, DimensionStat> = {};
  for (const d of [...names].sort()) {
    out[d] = stat(c[`dim_${d}_sum`] ?? 0, c[`dim_${d}_satisfied`] ?? 0, answersOf(c, d, legacy));
  }
  return out as DimensionStats;
}

/** Average (1–5), n and score of every `<dimension>.<subIndicator>` answered in `c`. */
export function subIndicatorStats(c: Counters): Record<string, DimensionStat> {
  const keys = new Set<string>();
  for (const name of Object.keys(c)) {
    const match = /^sub_([a-z][a-z0-9_]*?)__([a-z][a-z0-9_]*?)_(sum|n|satisfied)$/.exec(name);
    if (match) keys.add(`${match[1]}__${match[2]}`);
  }
  const out: Record<string, DimensionStat> = {};
  for (const key of [...keys].sort()) {
    const s = stat(c[`sub_${key}_sum`] ?? 0, c[`sub_${key}_satisfied`] ?? 0, c[`sub_${key}_n`] ?? 0);
    if (s.n > 0) out[key.replace('__', '.')] = s;
  }
  return out;
}

/**
 * The CSI: the mean of the dimension scores weighted by `weights` (kpis.csiWeights), over the
 * dimensions that have answers; without weights every such dimension weighs the same. null when
 * no weighted dimension has answers. Weighted on the unrounded scores, 2 decimals.
 */
export function csiOf(c: Counters, weights?: Partial<Record<string, number>>): number | null {
  const legacy = Math.max(0, (c.valid_responses ?? 0) - (c.itemized_responses ?? 0));
  let weighted = 0;
  let total = 0;
  for (const [d, figures] of Object.entries(dimensionStats(c))) {
    if (!figures || figures.n === 0) continue;
    const weight = weights ? (weights[d] ?? 0) : 1;
    if (weight <= 0) continue;
    const n = answersOf(c, d, legacy);
    weighted += weight * scoreOf((c[`dim_${d}_sum`] ?? 0) / n);
    total += weight;
  }
  return total > 0 ? round2(weighted / total) : null;
}

/** The dimension with the lowest score (ties: by name), the improvement focus; null without answers. */
export function lowestOf(stats: Partial<Record<string, DimensionStat>>): { dimension: string; csi: number } | null {
  let lowest: { dimension: string; csi: number } | null = null;
  for (const [dimension, figures] of Object.entries(stats)) {
    if (!figures || figures.csi === null) continue;
    if (!lowest || figures.csi < lowest.csi) lowest = { dimension, csi: figures.csi };
  }
  return lowest;
}

/** The CSI section of `satisfaction` in /metrics. */
export function csiFigures(c: Counters, weights?: Partial<Record<string, number>>) {
  const dimensions = dimensionStats(c);
  const subIndicators = subIndicatorStats(c);
  const lowestSub = lowestOf(subIndicators);
  return {
    csi: csiOf(c, weights),
    dimensions,
    subIndicators,
    lowestDimension: lowestOf(dimensions),
    lowestSubIndicator: lowestSub ? { subIndicator: lowestSub.dimension, csi: lowestSub.csi } : null,
  };
}

/** Fewer valid answers than this give no correlation (api-contract.md "Analysis": null below 30). */
export const MIN_DRIVER_ANSWERS = 30;

/**
 * What one valid answer adds to the key-driver sums of its cell, per dimension it scored (x, the
 * dimension's score of that answer, 1–5) against overall (o, 1–5) and NPS (p, 0–10):
 * `drv_<d>__n|x|xx|o|oo|xo|p|pp|xp`. Pearson r of any period is then read from summed cells.
 */
export function driverCounters(scores: Partial<Record<string, number | null>>, overall: number, nps: number): Counters {
  const counters: Counters = {};
  for (const [d, x] of Object.entries(scores)) {
    if (typeof x !== 'number') continue;
    const at = (name: string, value: number) => {
      counters[`drv_${d}__${name}`] = value;
    };
    at('n', 1);
    at('x', x);
    at('xx', x * x);
    at('o', overall);
    at('oo', overall * overall);
    at('xo', x * overall);
    at('p', nps);
    at('pp', nps * nps);
    at('xp', x * nps);
  }
  return counters;
}

/** Pearson r from sums; null when either variable is constant (no variance) or n is 0. */
export function pearson(n: number, sx: number, sy: number, sxx: number, syy: number, sxy: number): number | null {
  const vx = n * sxx - sx * sx;
  const vy = n * syy - sy * sy;
  if (n === 0 || vx <= 0 || vy <= 0) return null;
  return Math.max(-1, Math.min(1, (n * sxy - sx * sy) / Math.sqrt(vx * vy)));
}

export interface Driver {
  dimension: string;
  /** Valid answers that scored the dimension. */
  n: number;
  /** Pearson r with the target, 3 decimals; null below MIN_DRIVER_ANSWERS or without variance. */
  r: number | null;
  /** The dimension's score on 0–10 over the same answers. */
  csi: number | null;
  /** 1 = fix first: strong driver with a low score (r × (10 − score)); null without r. */
  priority: number | null;
  /** Importance × performance quadrant: a strong driver (r ≥ the median r) with a low score (≤ the median score) is `fix_first`. */
  quadrant: 'fix_first' | 'keep_up' | 'watch' | 'low_priority' | null;
}

/**
 * Key drivers (s004 关联分析): each dimension's correlation with overall or NPS over the valid answers
 * of the summed cells, its score, and a priority (strong driver with a low score first).
 */
export function driverFigures(c: Counters, target: 'overall' | 'nps'): Driver[] {
  const dims = new Set<string>();
  for (const name of Object.keys(c)) {
    const match = /^drv_([a-z][a-z0-9_]*?)__n$/.exec(name);
    if (match?.[1] && (c[name] ?? 0) > 0) dims.add(match[1]);
  }
  const y = target === 'overall' ? 'o' : 'p';
  const rows = [...dims].sort().map((d) => {
    const sum = (name: string) => c[`drv_${d}__${name}`] ?? 0;
    const n = sum('n');
    const enough = n >= MIN_DRIVER_ANSWERS;
    const r = enough ? pearson(n, sum('x'), sum(y), sum('xx'), sum(`${y}${y}`), sum(`x${y}`)) : null;
    const score = enough && n > 0 ? scoreOf(sum('x') / n) : null;
    return { dimension: d, n, r, score };
  });
  const ranked = rows
    .flatMap((row) => (row.r !== null && row.score !== null ? [{ ...row, r: row.r, score: row.score }] : []))
    .map((row) => ({ ...row, key: row.r * (10 - row.score) }))
    .sort((a, b) => b.key - a.key || a.dimension.localeCompare(b.dimension));
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  };
  const rMedian = ranked.length ? median(ranked.map((row) => row.r)) : 0;
  const scoreMedian = ranked.length ? median(ranked.map((row) => row.score)) : 0;
  return rows.map((row) => {
    const rank = ranked.findIndex((entry) => entry.dimension === row.dimension);
    const strong = row.r !== null && row.r >= rMedian;
    const low = row.score !== null && row.score <= scoreMedian;
    return {
      dimension: row.dimension,
      n: row.n,
      r: row.r === null ? null : Math.round(row.r * 1000) / 1000,
      csi: row.score === null ? null : round2(row.score),
      priority: rank === -1 ? null : rank + 1,
      quadrant: rank === -1 ? null : strong ? (low ? 'fix_first' : 'keep_up') : low ? 'watch' : 'low_priority',
    };
  });
}
