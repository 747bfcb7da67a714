/** Live KPIs: sum the counter cells of a period and compute every figure from them. */

import { Invalid } from '../../shared/domain/errors.js';
import { computeMetrics } from '../../shared/domain/metrics.js';
import { addDays, localDate } from '../../shared/domain/time.js';
import type { MetricsQuery } from '../../shared/schemas/metrics.js';
import { readCounters } from '../../shared/store/aggregates.js';
import { currentSettings } from '../../shared/store/settings.js';

/** Longest period one call may cover (counters are read per month, so this bounds the reads). */
const MAX_DAYS = 400;

export async function metricsFor(query: MetricsQuery, now: Date) {
  const { settings } = await currentSettings();
  const to = query.to ?? localDate(now, settings.timezone);
  const from = query.from ?? `${to.slice(0, 7)}-01`;
  if (from > to) throw Invalid.field('from', 'must not be after to', 'not_ordered', { before: 'to' });
  if (addDays(from, MAX_DAYS) < to) throw Invalid.field('from', `period may span at most ${MAX_DAYS} days`);
  const rows = await readCounters(from, to, { channel: query.channel, team: query.team });
  return computeMetrics(
    rows,
    { from, to, timezone: settings.timezone, channel: query.channel, team: query.team },
    settings,
  );
}
