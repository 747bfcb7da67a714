/** Live KPIs: sum the counter cells of a period and compute every figure from them. */

import { Forbidden, Invalid } from '../../shared/domain/errors.js';
import { agentFigures, computeMetrics } from '../../shared/domain/metrics.js';
import { addDays, localDate } from '../../shared/domain/time.js';
import { type Actor, hasRole } from '../../shared/http/auth.js';
import type { AgentMetricsQuery, MetricsQuery } from '../../shared/schemas/metrics.js';
import { readAgentCounters, readCounters } from '../../shared/store/aggregates.js';
import { currentSettings } from '../../shared/store/settings.js';

/** Longest period one call may cover (counters are read per month, so this bounds the reads). */
const MAX_DAYS = 400;

function periodOf(query: { from?: string | undefined; to?: string | undefined }, now: Date, timezone: string) {
  const to = query.to ?? localDate(now, timezone);
  const from = query.from ?? `${to.slice(0, 7)}-01`;
  if (from > to) throw Invalid.field('from', 'must not be after to', 'not_ordered', { before: 'to' });
  if (addDays(from, MAX_DAYS) < to) throw Invalid.field('from', `period may span at most ${MAX_DAYS} days`);
  return { from, to };
}

/**
 * Which team's cells a caller may read: an agent reads only their own figures (403 otherwise), a
 * supervisor of a team only that team's (403 for another), managers and team-less staff any.
 */
function scopeOf(actor: Actor, query: { team?: string | undefined; agentId?: string | undefined }) {
  if (!hasRole(actor, 'supervisor')) {
    if (query.agentId !== actor.id) throw new Forbidden('An agent may read only their own figures (agentId=<own id>).');
    return { team: query.team };
  }
  if (hasRole(actor, 'manager') || !actor.team) return { team: query.team };
  if (query.team && query.team !== actor.team)
    throw new Forbidden(`A supervisor reads the figures of their own team (${actor.team}) only.`);
  return { team: query.agentId ? actor.team : query.team };
}

export async function metricsFor(query: MetricsQuery, now: Date, actor: Actor) {
  const { settings } = await currentSettings();
  const { from, to } = periodOf(query, now, settings.timezone);
  const { team } = scopeOf(actor, query);
  const rows = query.agentId
    ? await readAgentCounters(from, to, { team, agent: query.agentId })
    : await readCounters(from, to, { channel: query.channel, team });
  return computeMetrics(
    rows,
    { from, to, timezone: settings.timezone, channel: query.channel, team, agentId: query.agentId },
    settings,
  );
}

/** Per-agent figures of a period: one row per agent, from the per day × agent cells only. */
export async function agentMetricsFor(query: AgentMetricsQuery, now: Date, actor: Actor) {
  const { settings } = await currentSettings();
  const { from, to } = periodOf(query, now, settings.timezone);
  const { team } = scopeOf(actor, query);
  const scopedTeam = team ?? (hasRole(actor, 'manager') ? undefined : actor.team);
  const rows = await readAgentCounters(from, to, { team: scopedTeam });
  return {
    period: { from, to, timezone: settings.timezone, ...(scopedTeam ? { team: scopedTeam } : {}) },
    items: agentFigures(rows),
  };
}
