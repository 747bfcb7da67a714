/**
 * Pre-aggregated counters: what every KPI is read from, so the cost of a metrics call
 * or a report does not grow with the number of records.
 *
 * A record (interaction, complaint, survey response) *contributes* counters to one cell
 * (local day × channel × team). When a record changes, the store writes the difference
 * between its old and new contribution in the same transaction as the record itself, so a
 * retried or duplicated write is never counted twice and a late `resolvedAt` moves the
 * record's contribution instead of adding a second one.
 */

/** Where a record's counters land: its local service date, channel and team. */
export interface AggregateCell {
  /** YYYY-MM-DD in the settings' time zone at the time the record was created. */
  day: string;
  channel: string;
  /** `none` when the record has no team. */
  team: string;
  /** Set on per-agent cells (day × team × agent, channel `all`), which hold the same counters again. */
  agent?: string;
}

export type Counters = Record<string, number>;

export interface Contribution {
  cell: AggregateCell;
  counters: Counters;
}

export const NO_TEAM = 'none';

/** Counter names are attribute names: letters, digits and underscores only. */
const COUNTER_NAME = /^[a-z][a-z0-9_]*$/;

export function counterName(...parts: string[]): string {
  const name = parts
    .join('_')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_');
  if (!COUNTER_NAME.test(name)) throw new Error(`invalid counter name ${name}`);
  return name;
}

/** The identity of a counter cell (day, channel, team, agent), as one string. */
export const cellKey = (cell: AggregateCell) => `${cell.day}|${cell.channel}|${cell.team}|${cell.agent ?? ''}`;

/** The channel of per-agent cells: an agent's figures are kept over all channels. */
export const ALL_CHANNELS = 'all';

/**
 * The same counters again in an agent's own cell (day × team × agent), from which per-agent
 * figures are read with the same cost as team figures: cells, never records.
 */
export function forAgent(contribution: Contribution, agentId: string | undefined, only?: Counters): Contribution[] {
  if (!agentId) return [];
  return [
    { cell: { ...contribution.cell, channel: ALL_CHANNELS, agent: agentId }, counters: only ?? contribution.counters },
  ];
}

/**
 * The counter changes that turn `before` into `after` (either may be empty: a new record
 * has no `before`, an erased one no `after`). Cells and counters that do not change are left out.
 */
export function contributionDelta(before: Contribution[], after: Contribution[]): Contribution[] {
  const cells = new Map<string, Contribution>();
  const add = (contribution: Contribution, sign: 1 | -1) => {
    const key = cellKey(contribution.cell);
    const entry = cells.get(key) ?? { cell: contribution.cell, counters: {} };
    for (const [name, value] of Object.entries(contribution.counters)) {
      entry.counters[name] = (entry.counters[name] ?? 0) + sign * value;
    }
    cells.set(key, entry);
  };
  for (const c of before) add(c, -1);
  for (const c of after) add(c, 1);
  const out: Contribution[] = [];
  for (const entry of cells.values()) {
    const counters = Object.fromEntries(Object.entries(entry.counters).filter(([, value]) => value !== 0));
    if (Object.keys(counters).length) out.push({ cell: entry.cell, counters });
  }
  return out;
}

/** Sums the counters of many cells (e.g. every cell of a month, filtered by channel or team). */
export function sumCounters(rows: Iterable<Counters>): Counters {
  const total: Counters = {};
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) total[name] = (total[name] ?? 0) + value;
  }
  return total;
}

/**
 * Fixed histogram buckets for durations in seconds: bucket i counts values in
 * (BOUNDS[i-1], BOUNDS[i]]; the last bucket is everything above the last bound.
 * Bounds sit on the service targets (20 s, 3 min, 1 h, 4 h, 24 h, 72 h), so compliance is exact.
 */
export const HISTOGRAM_BOUNDS_SECONDS = [
  5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 450, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800, 14400,
  21600, 28800, 43200, 86400, 129600, 172800, 259200, 432000, 604800,
] as const;

export function histogramBucket(seconds: number): number {
  const index = HISTOGRAM_BOUNDS_SECONDS.findIndex((bound) => seconds <= bound);
  return index === -1 ? HISTOGRAM_BOUNDS_SECONDS.length : index;
}

/** The counter that holds one histogram bucket, e.g. `frt_h03`. */
export function histogramCounter(prefix: string, seconds: number): string {
  return `${prefix}_h${String(histogramBucket(seconds)).padStart(2, '0')}`;
}

/**
 * The p-th percentile (0–1) of a histogram stored as `<prefix>_hNN` counters, by linear
 * interpolation inside the bucket that holds the rank. Error ≤ that bucket's width.
 * null when the histogram is empty.
 */
export function percentile(counters: Counters, prefix: string, p: number): number | null {
  const counts = Array.from(
    { length: HISTOGRAM_BOUNDS_SECONDS.length + 1 },
    (_, i) => counters[`${prefix}_h${String(i).padStart(2, '0')}`] ?? 0,
  );
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = p * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i += 1) {
    const count = counts[i] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const lower = HISTOGRAM_BOUNDS_SECONDS[i - 1] ?? 0;
      const upper = HISTOGRAM_BOUNDS_SECONDS[i] ?? lower * 2;
      return Math.round(lower + ((rank - seen) / count) * (upper - lower));
    }
    seen += count;
  }
  return HISTOGRAM_BOUNDS_SECONDS.at(-1) ?? 0;
}
