/** Live KPIs: sum the counter cells of a period and compute every figure from them. */

import { type Actor, hasRole } from '../../shared/domain/access.js';
import { sumCounters } from '../../shared/domain/aggregates.js';
import { driverFigures, MIN_DRIVER_ANSWERS } from '../../shared/domain/analysis.js';
import { Forbidden, Invalid } from '../../shared/domain/errors.js';
import { goalProgress } from '../../shared/domain/goals.js';
import { answerGroups, DEFAULT_MIN_GROUP_SIZE } from '../../shared/domain/groups.js';
import {
  agentFigures,
  causeParetos,
  computeMetrics,
  groupCells,
  intervalsOf,
  isCellGroupBy,
  kpiFigures,
  previousPeriod,
  scorecardOf,
} from '../../shared/domain/metrics.js';
import { LEGACY_QUESTIONNAIRE } from '../../shared/domain/questionnaires.js';
import { addDays, localDate } from '../../shared/domain/time.js';
import type { AgentMetricsQuery, DriversQuery, MetricsQuery } from '../../shared/schemas/metrics.js';
import type { KpiName, Settings } from '../../shared/schemas/settings.js';
import { DIMENSIONS } from '../../shared/schemas/vocabulary.js';
import { type CounterReader, type CounterRow, dynamoCounterReader } from '../../shared/store/aggregates.js';
import { dynamoGoalStore, type GoalStore } from '../../shared/store/goals.js';
import {
  dynamoMessagingCounterStore,
  type MessagingCounterStore,
  type MessagingTotals,
} from '../../shared/store/messaging-counters.js';
import { openOffsetCursor, sealOffsetCursor } from '../../shared/store/paging.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';
import { dynamoStaffStore, type StaffStore } from '../../shared/store/staff.js';

/** What the metrics use cases read: the settings and the counter cells (nothing else, so cost is flat in volume). */
export interface MetricsDeps {
  settings: SettingsStore;
  counters: CounterReader;
  /** The organisation's messaging counters (sends, segments, cost), read for a whole-organisation selection. */
  messaging: MessagingCounterStore;
  /** Agents' names for the per-agent rows (one BatchGetItem a page). */
  staff: Pick<StaffStore, 'getStaffMembers'>;
  /** The goals shown beside the figures of their scope. */
  goals: Pick<GoalStore, 'list'>;
}

const defaults: MetricsDeps = {
  settings: dynamoSettingsStore,
  counters: dynamoCounterReader,
  messaging: dynamoMessagingCounterStore,
  staff: dynamoStaffStore,
  goals: dynamoGoalStore,
};

/**
 * The goals of exactly this selection (the whole organisation, a team and/or a channel), each with its
 * progress today: one counter read per goal, of its current period.
 */
async function goalsOf(
  deps: MetricsDeps,
  settings: Settings,
  scope: { team?: string | undefined; channel?: string | undefined },
  today: string,
) {
  const goals = (await deps.goals.list()).filter(
    (goal) => goal.scope.team === scope.team && goal.scope.channel === scope.channel,
  );
  return Promise.all(
    goals.map((goal) => {
      const kpi = goal.kpi as KpiName;
      return goalProgress(goal, settings.kpis[kpi].direction, today, async (period) => {
        const rows = await deps.counters.readCounters(period.from, period.to, goal.scope);
        return computeMetrics(rows, { ...period, timezone: settings.timezone }, settings).values[kpi];
      });
    }),
  );
}

/** USD from micro-USD, to the micro-dollar (the counters are integers: sums are exact). */
const usd = (micro: number) => Math.round(micro) / 1e6;

/** `/metrics` `messaging`: messages sent and their list cost per channel, and the cost per survey invitation. */
export function messagingFigures(totals: MessagingTotals) {
  const channels = Object.entries(totals.byChannel);
  const costMicro = channels.reduce((sum, [, row]) => sum + row.costMicroUsd, 0);
  return {
    sent: channels.reduce((sum, [, row]) => sum + row.sent, 0),
    byChannel: Object.fromEntries(
      channels.map(([channel, row]) => [
        channel,
        { sent: row.sent, cost: usd(row.costMicroUsd), segments: row.segments },
      ]),
    ),
    cost: usd(costMicro),
    costPerSurvey: totals.surveyInvitations
      ? Math.round(totals.surveyCostMicroUsd / totals.surveyInvitations) / 1e6
      : null,
  };
}

/** Longest period one call may cover (counters are read per month, so this bounds the reads). */
const MAX_DAYS = 400;
/** The longest daily series one call answers. */
const MAX_SERIES_DAYS = 366;

function periodOf(query: { from?: string | undefined; to?: string | undefined }, now: Date, timezone: string) {
  const to = query.to ?? localDate(now, timezone);
  const from = query.from ?? `${to.slice(0, 7)}-01`;
  if (from > to) throw Invalid.field('from', 'must not be after to', 'not_ordered', { before: 'to' });
  if (addDays(from, MAX_DAYS) < to) throw Invalid.field('from', `period may span at most ${MAX_DAYS} days`);
  return { from, to };
}

/**
 * Which team's cells a caller may read: an agent reads only their own figures (403 otherwise), a
 * supervisor of a team only that team's (403 for another; their team by default), managers and
 * team-less staff any.
 */
function scopeOf(actor: Actor, query: { team?: string | undefined; agentId?: string | undefined }) {
  if (!hasRole(actor, 'supervisor')) {
    if (query.agentId !== actor.id) throw new Forbidden('An agent may read only their own figures (agentId=<own id>).');
    return { team: query.team };
  }
  if (hasRole(actor, 'manager') || !actor.team) return { team: query.team };
  if (query.team && query.team !== actor.team)
    throw new Forbidden(`A supervisor reads the figures of their own team (${actor.team}) only.`);
  return { team: actor.team };
}

/** Agent figures are kept over all channels (per-agent cells have no channel): refuse what would mislead. */
function checkCombination(query: MetricsQuery) {
  if (query.groupBy && !isCellGroupBy(query.groupBy) && query.agentId)
    throw Invalid.field(
      'groupBy',
      `groups of answers (${query.groupBy}) are kept per team, not per agent: no groupBy=${query.groupBy} with agentId`,
      'invalid',
    );
  if (query.groupBy === 'channel' && query.agentId)
    throw Invalid.field(
      'groupBy',
      'an agent’s figures are kept over all channels: no groupBy=channel with agentId',
      'invalid',
    );
  if ((query.groupBy === 'agent' || query.agentId) && query.channel)
    throw Invalid.field(
      'channel',
      'agent figures are kept over all channels: no channel with agentId or groupBy=agent',
      'invalid',
    );
}

/**
 * Every KPI of a period (with its target and status), optionally per channel, team or agent
 * (`groupBy`) and beside the previous period (`compare=previous`). Reads counter cells only:
 * months × shards partitions per period read, whatever the number of records.
 */
export async function metricsFor(asked: MetricsQuery, now: Date, actor: Actor, deps: Partial<MetricsDeps> = {}) {
  // `agentId=me`: the caller's own figures (what an agent's home screen asks for without knowing its id).
  const query = asked.agentId === 'me' ? { ...asked, agentId: actor.id } : asked;
  const all = { ...defaults, ...deps };
  const { readCounters, readAgentCounters } = all.counters;
  const { settings } = await all.settings.current();
  const { from, to } = periodOf(query, now, settings.timezone);
  checkCombination(query);
  const { team } = scopeOf(actor, query);
  type Period = { from: string; to: string };
  // The figures of the whole selection: the team cells, or one agent's cells.
  const readOwn = (p: Period) =>
    query.agentId
      ? readAgentCounters(p.from, p.to, { team, agent: query.agentId })
      : readCounters(p.from, p.to, { channel: query.channel, team });
  // Groups come from the same cells, except per-agent groups of a whole team: from its agents' cells.
  const separateGroups = query.groupBy === 'agent' && !query.agentId;
  const read = async (p: Period) => {
    const [own, grouped] = await Promise.all([
      readOwn(p),
      separateGroups ? readAgentCounters(p.from, p.to, { team }) : undefined,
    ]);
    return { own, grouped: grouped ?? own };
  };
  const previous = query.compare === 'previous' ? previousPeriod(from, to) : undefined;
  // Messaging is the organisation's: read for a whole-organisation selection only.
  const wholeOrganisation = !query.agentId && !team && !query.channel;
  const [current, before, messagingTotals, goals] = await Promise.all([
    read({ from, to }),
    previous ? read(previous) : undefined,
    wholeOrganisation ? all.messaging.readMessagingTotals(from, to) : undefined,
    // Goals are of a team, channel or the organisation, never of one agent.
    query.agentId
      ? undefined
      : goalsOf(all, settings, { team, channel: query.channel }, localDate(now, settings.timezone)),
  ]);
  const messaging = {
    ...(messagingTotals ? { messaging: messagingFigures(messagingTotals) } : {}),
    ...(goals ? { goals } : {}),
  };
  const metrics = computeMetrics(
    current.own,
    {
      from,
      to,
      timezone: settings.timezone,
      channel: query.channel,
      team,
      agentId: query.agentId,
      groupBy: query.groupBy,
      previous,
    },
    settings,
  );
  const valuesOf = (cells: CounterRow[]) =>
    computeMetrics(cells, { from, to, timezone: settings.timezone }, settings).values;
  const kpis = kpiFigures(metrics.values, settings, before && valuesOf(before.own));
  const series = query.interval ? seriesOf(current.own, from, to, query.interval, settings) : undefined;
  const withSeries = series ? { series } : {};
  if (!query.groupBy) return { ...metrics, ...messaging, kpis, ...withSeries };
  if (!isCellGroupBy(query.groupBy)) {
    // Groups of answers: from the group counters of the same summed cells (groups.ts), small ones suppressed.
    const minGroupSize = settings.kpis.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
    const groups = answerGroups(sumCounters(current.own.map((row) => row.counters)), query.groupBy, {
      minGroupSize,
      csiWeights: settings.kpis.csiWeights,
      legacyQuestionnaire: LEGACY_QUESTIONNAIRE.id,
      serviceDimensions: DIMENSIONS,
    });
    return { ...metrics, period: { ...metrics.period, minGroupSize }, ...messaging, kpis, ...withSeries, groups };
  }
  const groupBy = query.groupBy;
  const previousGroups = before && groupCells(before.grouped, groupBy);
  const groups = [...groupCells(current.grouped, groupBy)].map(([key, cells]) => {
    const values = valuesOf(cells);
    return {
      key,
      kpis: kpiFigures(values, settings, previousGroups && valuesOf(previousGroups.get(key) ?? [])),
      // s000/s002 原因分析 per group: the same cause counters, summed over the group's cells.
      causes: causeParetos(sumCounters(cells.map((row) => row.counters))),
      // s004 scorecard per team and agent (per channel too: the same weights over the channel's figures).
      ...scorecardOf(values, settings),
    };
  });
  return { ...metrics, ...messaging, kpis, ...withSeries, groups };
}

/** The KPIs of each interval of the period, from the cells already read for it (no further read). */
function seriesOf(
  cells: CounterRow[],
  from: string,
  to: string,
  interval: 'day' | 'week' | 'month',
  settings: Settings,
) {
  if (interval === 'day' && addDays(from, MAX_SERIES_DAYS) <= to)
    throw Invalid.field('interval', `interval=day spans at most ${MAX_SERIES_DAYS} days`, 'out_of_range', {
      max: MAX_SERIES_DAYS,
    });
  return intervalsOf(from, to, interval).map((bucket) => {
    const inBucket = cells.filter((row) => row.cell.day >= bucket.from && row.cell.day <= bucket.to);
    const { values } = computeMetrics(inBucket, { ...bucket, timezone: settings.timezone }, settings);
    return { ...bucket, kpis: kpiFigures(values, settings) };
  });
}

/** Per-agent figures of a period: one row per agent, from the per day × agent cells only. */
export async function agentMetricsFor(
  query: AgentMetricsQuery,
  now: Date,
  actor: Actor,
  deps: Partial<MetricsDeps> = {},
) {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const { from, to } = periodOf(query, now, settings.timezone);
  const { team } = scopeOf(actor, query);
  const scopedTeam = team ?? (hasRole(actor, 'manager') ? undefined : actor.team);
  const rows = await all.counters.readAgentCounters(from, to, { team: scopedTeam });
  // Paged by position over the rows (summed from counter cells, not stored as items), in a sealed cursor tied to the filters.
  const identity = `metrics/agents|${from}|${to}|${scopedTeam ?? ''}`;
  const offset = await openOffsetCursor(identity, query.cursor);
  const figures = agentFigures(rows, settings);
  const limit = query.limit ?? 100;
  const page = figures.slice(offset, offset + limit);
  const members = await all.staff.getStaffMembers(page.map((row) => row.agentId));
  return {
    period: { from, to, timezone: settings.timezone, ...(scopedTeam ? { team: scopedTeam } : {}) },
    items: page.map((row) => ({ ...row, name: members.get(row.agentId)?.name ?? null })),
    nextCursor: offset + limit < figures.length ? await sealOffsetCursor(identity, offset + limit) : null,
  };
}

/**
 * Key drivers of a period (s004 关联分析): per dimension its Pearson r with overall or NPS, from the
 * pre-aggregated sums of the team cells (never the answers), its score and a priority.
 */
export async function driversFor(query: DriversQuery, now: Date, actor: Actor, deps: Partial<MetricsDeps> = {}) {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const { from, to } = periodOf(query, now, settings.timezone);
  const { team } = scopeOf(actor, query);
  const rows = await all.counters.readCounters(from, to, { channel: query.channel, team });
  const target = query.target ?? 'overall';
  return {
    period: {
      from,
      to,
      timezone: settings.timezone,
      ...(query.channel ? { channel: query.channel } : {}),
      ...(team ? { team } : {}),
    },
    target,
    minAnswers: MIN_DRIVER_ANSWERS,
    items: driverFigures(sumCounters(rows.map((row) => row.counters)), target),
  };
}
