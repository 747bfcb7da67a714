/**
 * The live KPIs, computed from summed counters only (see aggregates.ts), so their cost
 * depends on the number of days and cells, never on the number of records.
 * Shares are 0–1 and null when there is nothing to divide by.
 */

import type { KpiName, KpiTarget, Settings } from '../schemas/settings.js';
import { CAUSE_KINDS } from '../schemas/vocabulary.js';
import { type AggregateCell, ALL_CHANNELS, type Counters, percentile, sumCounters } from './aggregates.js';
import { csiFigures } from './analysis.js';
import { countsByCategory } from './categories.js';
import { CUSTOMER_GROUP_KEYS } from './groups.js';
import { legacyResponses } from './questionnaire-counters.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { addDays, datesBetween } from './time.js';

export type Status = 'green' | 'amber' | 'red';

/** value / total, or null when total is 0. Rounded to 4 places so answers are stable. */
export function share(value: number | undefined, total: number | undefined): number | null {
  if (!total) return null;
  return Math.round(((value ?? 0) / total) * 10_000) / 10_000;
}

const mean = (sum: number | undefined, count: number | undefined) =>
  count ? Math.round(((sum ?? 0) / count) * 100) / 100 : null;

/** Red/amber/green of a value against its target; undefined when there is no value. */
export function statusOf(value: number | null, target: KpiTarget): Status | undefined {
  if (value === null) return undefined;
  const better = (a: number, b: number) => (target.direction === 'higher' ? a >= b : a <= b);
  if (better(value, target.target)) return 'green';
  if (better(value, target.amber)) return 'amber';
  return 'red';
}

function satisfaction(c: Counters, settings: Pick<Settings, 'kpis'>) {
  const valid = c.valid_responses ?? 0;
  const analysis = csiFigures(c, settings.kpis.csiWeights);
  // Valid answers with an overall score: every answer before questionnaires, and since then those
  // whose questionnaire asks it (questionnaire-counters.ts: `overall_n`).
  const withOverall = (c.overall_n ?? 0) + legacyResponses(c);
  return {
    responses: c.responses ?? 0,
    validResponses: valid,
    csat: mean(c.overall_sum, withOverall),
    satisfiedShare: share(c.overall_satisfied, withOverall),
    // s004 CSI: every dimension with answers (the five service dimensions always), on 1–5 and 0–10.
    dimensions: analysis.dimensions,
    csi: analysis.csi,
    subIndicators: analysis.subIndicators,
    lowestDimension: analysis.lowestDimension,
    lowestSubIndicator: analysis.lowestSubIndicator,
  };
}

function nps(c: Counters) {
  const promoters = c.nps_promoters ?? 0;
  const passives = c.nps_passives ?? 0;
  const detractors = c.nps_detractors ?? 0;
  const total = promoters + passives + detractors;
  return {
    score: total ? Math.round(((promoters - detractors) / total) * 1000) / 10 : null,
    promoters,
    passives,
    detractors,
  };
}

/**
 * Answered within the channel's target ÷ (answered + unanswered past the target): pending contacts are
 * in neither. Every contact is held to its channel's target (s000: 20 s online, 3 min in store), complex
 * ones too: a complex contact answered inside its 1 h feedback target but past the channel's is a miss
 * here (`frt_within_widened_only`) and a success of `complexFeedbackWithinHourShare` only.
 */
const firstResponseShare = (c: Counters) =>
  share((c.frt_within ?? 0) - (c.frt_within_widened_only ?? 0), (c.frt_count ?? 0) + (c.frt_unanswered ?? 0));
/** Resolved in target ÷ (resolved + unresolved past the target). */
const resolutionShare = (c: Counters, complexity?: 'simple' | 'complex') =>
  complexity
    ? share(c[`res_${complexity}_within`], (c[`res_${complexity}_count`] ?? 0) + (c[`res_${complexity}_overdue`] ?? 0))
    : share(
        (c.res_simple_within ?? 0) + (c.res_complex_within ?? 0),
        (c.res_count ?? 0) + (c.res_simple_overdue ?? 0) + (c.res_complex_overdue ?? 0),
      );

export const OVERDUE_REASONS = ['staffing', 'process', 'tooling', 'customer', 'other', 'unexplained'] as const;

function service(c: Counters, byChannel: Map<string, Counters>) {
  return {
    interactions: c.interactions ?? 0,
    abandoned: c.abandoned ?? 0,
    pending: { firstResponse: c.frt_pending ?? 0, resolution: c.res_pending ?? 0 },
    firstResponse: {
      p50Seconds: percentile(c, 'frt', 0.5),
      p90Seconds: percentile(c, 'frt', 0.9),
      withinTargetShare: firstResponseShare(c),
      answered: c.frt_count ?? 0,
      unanswered: c.frt_unanswered ?? 0,
      byChannel: Object.fromEntries(
        [...byChannel.entries()]
          .filter(([, counters]) => (counters.interactions ?? 0) > 0)
          .map(([channel, counters]) => [
            channel,
            {
              interactions: counters.interactions ?? 0,
              withinTargetShare: firstResponseShare(counters),
              unanswered: counters.frt_unanswered ?? 0,
              p50Seconds: percentile(counters, 'frt', 0.5),
              p90Seconds: percentile(counters, 'frt', 0.9),
              resolutionWithinTargetShare: resolutionShare(counters),
            },
          ]),
      ),
    },
    resolution: {
      simpleWithinTargetShare: resolutionShare(c, 'simple'),
      complexWithinTargetShare: resolutionShare(c, 'complex'),
      overdue: (c.res_simple_overdue ?? 0) + (c.res_complex_overdue ?? 0),
      p50Seconds: percentile(c, 'res', 0.5),
      p90Seconds: percentile(c, 'res', 0.9),
    },
    complexFeedbackWithinHourShare: share(c.cfb_within, c.cfb_count),
    overdueByReason: {
      contacts: c.overdue_contacts ?? 0,
      ...Object.fromEntries(OVERDUE_REASONS.map((reason) => [reason, c[`overdue_reason_${reason}`] ?? 0])),
    } as { contacts: number } & Record<(typeof OVERDUE_REASONS)[number], number>,
    firstContactResolutionShare: share(c.fcr, c.res_count),
    averageHandlingSeconds: c.res_count ? Math.round((c.res_sum ?? 0) / c.res_count) : null,
  };
}

function complaints(c: Counters) {
  const count = c.complaints ?? 0;
  const decided = (milestone: string) => (c[`${milestone}_met`] ?? 0) + (c[`${milestone}_missed`] ?? 0);
  // By category code: counters written under a free slug before the managed list count towards its code.
  const byCategory = countsByCategory(c, 'complaints_cat_');
  return {
    count,
    rate: share(count, c.interactions),
    respondedInTimeShare: share(c.respond_met, decided('respond')),
    solutionInTimeShare: share(c.solution_met, decided('solution')),
    closedInTimeShare: share(c.close_met, decided('close')),
    escalations: c.escalations ?? 0,
    recurrenceRate: share(c.recurrences, count),
    secondRoundSatisfiedShare: share(c.complaint_survey_satisfied, c.complaint_survey_responses),
    byCategory,
    categoryShares: Object.fromEntries(Object.entries(byCategory).map(([name, n]) => [name, share(n, count)])),
    averageResolutionSeconds: c.cres_count ? Math.round((c.cres_sum ?? 0) / c.cres_count) : null,
    p90ResolutionSeconds: percentile(c, 'cres', 0.9),
    // s004 投诉解决率: resolved at the first attempt (never reopened) ÷ every complaint registered, open ones included.
    resolutionRate: share(c.resolved_first_attempt, count),
    resolvedFirstAttempt: c.resolved_first_attempt ?? 0,
    // The closed-based share (closed without a reopen ÷ closed): kept under its honest name, and as
    // `firstAttemptResolutionShare` (the v1.1 field), which is the same closed-based figure.
    closedFirstAttemptShare: share(c.closed_first_attempt, c.closed),
    firstAttemptResolutionShare: share(c.closed_first_attempt, c.closed),
    escalatedResolvedShare: share(c.escalated_resolved, c.escalated_complaints),
  };
}

/**
 * Survey coverage from one population (s000/s002): subjects invited ÷ subjects eligible, of the same
 * kinds — resolved contacts (`res_count`) and closed complaints (`closed`, whose closing survey is owed),
 * each counted in its subject's cell. A subject invited again after its link expired unanswered is one
 * subject: each kind's invited count is capped at its eligible count, so the share never exceeds 1.
 * `skipped` counts the invitations the follow-up job owed but did not send, by reason.
 */
function surveys(c: Counters) {
  const eligibleInteractions = c.res_count ?? 0;
  const eligibleComplaints = c.closed ?? 0;
  const invited =
    Math.min(c.invited_interaction ?? 0, eligibleInteractions) + Math.min(c.invited_complaint ?? 0, eligibleComplaints);
  return {
    invited: (c.invited_interaction ?? 0) + (c.invited_complaint ?? 0),
    eligible: eligibleInteractions + eligibleComplaints,
    coverageShare: share(invited, eligibleInteractions + eligibleComplaints),
    skipped: {
      throttled: c.survey_skipped_throttled ?? 0,
      noConsent: c.survey_skipped_no_consent ?? 0,
      noContact: c.survey_skipped_no_contact ?? 0,
    },
  };
}

export interface MetricsPeriod {
  from: string;
  to: string;
  timezone: string;
  channel?: string | undefined;
  team?: string | undefined;
  agentId?: string | undefined;
  groupBy?: GroupBy | undefined;
  /** With compare=previous: the period the `previous` values are from. */
  previous?: { from: string; to: string } | undefined;
}

/**
 * s004 scorecard attainment of one KPI, 0–100: 100 at or past its target, 0 at or past its amber bound
 * (where red begins), linear between; null without a value.
 */
export function attainmentOf(value: number | null, target: Pick<KpiTarget, 'target' | 'amber' | 'direction'>) {
  if (value === null) return null;
  const sign = target.direction === 'higher' ? 1 : -1;
  const gap = sign * (target.target - target.amber);
  if (gap <= 0) return sign * (value - target.target) >= 0 ? 100 : 0;
  const reached = (sign * (value - target.amber)) / gap;
  return Math.round(Math.max(0, Math.min(1, reached)) * 10_000) / 100;
}

/**
 * The weighted scorecard (s004 权重设定: kpis.scorecard, default NPS 30 %, satisfaction 25 %, complaint
 * resolution 20 %, first response and first-contact resolution 12.5 % each): `score` 0–100 = Σ weight ×
 * attainment over the KPIs with a value, the weights of those rescaled to 1 (null when none has one).
 */
export function scorecardOf(values: Record<KpiName, number | null>, settings: Pick<Settings, 'kpis'>) {
  const weights = settings.kpis.scorecard ?? DEFAULT_SETTINGS.kpis.scorecard ?? {};
  const attainment: Partial<Record<KpiName, number | null>> = {};
  let weighted = 0;
  let total = 0;
  for (const [kpi, weight] of Object.entries(weights) as Array<[KpiName, number]>) {
    const a = attainmentOf(values[kpi] ?? null, settings.kpis[kpi]);
    attainment[kpi] = a;
    if (a === null || weight <= 0) continue;
    weighted += weight * a;
    total += weight;
  }
  return { score: total > 0 ? Math.round((weighted / total) * 10) / 10 : null, attainment };
}

/** One row per agent (sorted by id) from per-agent cells: the figures s004 appraises agents on, and their scorecard. */
export function agentFigures(
  rows: Array<{ cell: AggregateCell; counters: Counters }>,
  settings: Pick<Settings, 'kpis'> = DEFAULT_SETTINGS,
) {
  const byAgent = new Map<string, { teams: Set<string>; counters: Counters }>();
  for (const row of rows) {
    if (!row.cell.agent) continue;
    const entry = byAgent.get(row.cell.agent) ?? { teams: new Set<string>(), counters: {} };
    entry.teams.add(row.cell.team);
    entry.counters = sumCounters([entry.counters, row.counters]);
    byAgent.set(row.cell.agent, entry);
  }
  return [...byAgent.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([agentId, { teams, counters: c }]) => ({
      agentId,
      teams: [...teams].sort(),
      interactions: c.interactions ?? 0,
      firstResponseWithinTargetShare: firstResponseShare(c),
      firstContactResolutionShare: share(c.fcr, c.res_count),
      csat: mean(c.overall_sum, (c.overall_n ?? 0) + legacyResponses(c)),
      nps: nps(c).score,
      responses: c.valid_responses ?? 0,
      complaints: c.complaints ?? 0,
      pausedMinutes: Math.round((c.paused_seconds ?? 0) / 60),
      averageFirstResponseSeconds: c.frt_count ? Math.round((c.frt_sum ?? 0) / c.frt_count) : null,
      p50FirstResponseSeconds: percentile(c, 'frt', 0.5),
      ...scorecardOf(
        computeMetrics([{ cell: { day: '', channel: ALL_CHANNELS, team: '' }, counters: c }], PERIODLESS, settings)
          .values,
        settings,
      ),
    }));
}

/** For figures whose period does not matter (a row's values): computeMetrics needs one. */
const PERIODLESS: MetricsPeriod = { from: '', to: '', timezone: 'UTC' };

/** Every KPI of a period from its counter cells, each with a status against the settings' targets. */
/**
 * A Pareto of causes (s000/s002 原因分析): the counters `<prefix><kind>` per kind, largest first, each
 * with its share of the total and the cumulative share (the few kinds behind most cases come first).
 */
export function paretoOf(c: Counters, prefix: string) {
  const counts = CAUSE_KINDS.map((kind) => ({ kind, count: c[`${prefix}${kind}`] ?? 0 }))
    .filter((x) => x.count > 0)
    .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
  const total = counts.reduce((sum, x) => sum + x.count, 0);
  let running = 0;
  return {
    total,
    items: counts.map((x) => {
      running += x.count;
      return { ...x, share: share(x.count, total) as number, cumulativeShare: share(running, total) as number };
    }),
  };
}

/** The two Paretos of summed counters: causes of resolved complaints, and of missed contacts. */
export const causeParetos = (c: Counters) => ({
  complaints: paretoOf(c, 'cause_complaint_'),
  misses: paretoOf(c, 'cause_miss_'),
});

/** Causes behind resolved complaints (counted on the day resolved) and missed contacts, overall and per team. */
function causes(rows: Array<{ cell: AggregateCell; counters: Counters }>, total: Counters) {
  const byTeam = new Map<string, Counters>();
  for (const row of rows) byTeam.set(row.cell.team, sumCounters([byTeam.get(row.cell.team) ?? {}, row.counters]));
  const both = causeParetos;
  return {
    ...both(total),
    byTeam: Object.fromEntries(
      [...byTeam]
        .map(([team, c]) => [team, both(c)] as const)
        .filter(([, p]) => p.complaints.total + p.misses.total > 0)
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
  };
}

export function computeMetrics(
  rows: Array<{ cell: AggregateCell; counters: Counters }>,
  period: MetricsPeriod,
  settings: Pick<Settings, 'kpis'>,
) {
  const total = sumCounters(rows.map((r) => r.counters));
  const byChannel = new Map<string, Counters>();
  for (const row of rows)
    byChannel.set(row.cell.channel, sumCounters([byChannel.get(row.cell.channel) ?? {}, row.counters]));

  const result = {
    period,
    satisfaction: {
      ...satisfaction(total, settings),
      responseRate: share(total.responses, total.invitations),
      praiseShare: share(total.praise, total.valid_responses),
      praiseTopics: Object.fromEntries(
        Object.entries(total)
          .filter(([name, value]) => name.startsWith('praise_cat_') && value > 0)
          .map(([name, value]) => [name.slice('praise_cat_'.length), value]),
      ),
      recommendationShare: share(total.nps_promoters, total.valid_responses),
      negativeShare: share(total.negative, total.valid_responses),
    },
    surveys: surveys(total),
    nps: nps(total),
    service: service(total, byChannel),
    complaints: complaints(total),
    causes: causes(rows, total),
    // The call-back queue: alerts due in the period, and the share with an outcome by their dueBy.
    alerts: {
      raised: total.negative_alerts ?? 0,
      due: total.alerts_due ?? 0,
      handledInTime: total.alerts_in_time ?? 0,
      handledInTimeShare: share(total.alerts_in_time, total.alerts_due),
    },
  };
  const values: Record<KpiName, number | null> = {
    csat: result.satisfaction.csat,
    satisfiedShare: result.satisfaction.satisfiedShare,
    nps: result.nps.score,
    surveyResponseRate: result.satisfaction.responseRate,
    firstResponse: result.service.firstResponse.withinTargetShare,
    complexFeedback: result.service.complexFeedbackWithinHourShare,
    simpleResolution: result.service.resolution.simpleWithinTargetShare,
    complexResolution: result.service.resolution.complexWithinTargetShare,
    firstContactResolution: result.service.firstContactResolutionShare,
    complaintRate: result.complaints.rate,
    respondedInTime: result.complaints.respondedInTimeShare,
    solutionInTime: result.complaints.solutionInTimeShare,
    closedInTime: result.complaints.closedInTimeShare,
    recurrenceRate: result.complaints.recurrenceRate,
    escalationRate: share(result.complaints.escalations, result.complaints.count),
    firstAttemptResolution: result.complaints.resolutionRate,
    negativeShare: result.satisfaction.negativeShare,
    csi: result.satisfaction.csi,
    escalatedResolution: result.complaints.escalatedResolvedShare,
    praiseShare: result.satisfaction.praiseShare,
    recommendationShare: result.satisfaction.recommendationShare,
    surveyCoverage: result.surveys.coverageShare,
    alertsHandledInTime: result.alerts.handledInTimeShare,
  };
  const status: Partial<Record<KpiName, Status>> = {};
  for (const [name, value] of Object.entries(values) as [KpiName, number | null][]) {
    const s = statusOf(value, settings.kpis[name]);
    if (s) status[name] = s;
  }
  // Group counters stay out of the answer: a small group's figures are only ever shown suppressed (groups.ts).
  const counters = Object.fromEntries(Object.entries(total).filter(([name]) => !name.startsWith('grp_')));
  return { ...result, values, status, kpis: kpiFigures(values, settings), counters };
}

/** A KPI as a screen shows it: its value, status and the target it is measured against (settings.kpis). */
export interface KpiFigure extends KpiTarget {
  value: number | null;
  /** null when the KPI has no data in the period. */
  status: Status | null;
  /** With `compare=previous`: the value of the previous period, and value − previous (null when either is null). */
  previous?: number | null;
  change?: number | null;
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** Every KPI with its target and status; with `previous` values, each also with `previous` and `change`. */
export function kpiFigures(
  values: Record<KpiName, number | null>,
  settings: Pick<Settings, 'kpis'>,
  previous?: Record<KpiName, number | null>,
): Record<KpiName, KpiFigure> {
  const figures = {} as Record<KpiName, KpiFigure>;
  for (const [name, value] of Object.entries(values) as [KpiName, number | null][]) {
    const target = settings.kpis[name];
    figures[name] = {
      value,
      status: statusOf(value, target) ?? null,
      target: target.target,
      amber: target.amber,
      direction: target.direction,
      owner: target.owner,
      ...(previous
        ? {
            previous: previous[name] ?? null,
            change: value === null || previous[name] == null ? null : round4(value - previous[name]),
          }
        : {}),
    };
  }
  return figures;
}

/** Groups that are whole counter cells (every KPI per group). */
export const CELL_GROUP_BY = ['channel', 'team', 'agent'] as const;
export type CellGroupBy = (typeof CELL_GROUP_BY)[number];
/** Every `groupBy`: cell groups, and answer groups (groups.ts: satisfaction figures per customer group or questionnaire). */
export const GROUP_BY = [...CELL_GROUP_BY, ...CUSTOMER_GROUP_KEYS, 'questionnaire'] as const;
export type GroupBy = (typeof GROUP_BY)[number];
export const isCellGroupBy = (by: GroupBy): by is CellGroupBy => (CELL_GROUP_BY as readonly string[]).includes(by);

/** The counter cell channel of a campaign's invitations and answers; its `team` holds the campaign id, not a team. */
export const CAMPAIGN_CHANNEL = 'campaign';

/**
 * The cells of each group (channel, team or agent), keys in order; cells without the key (no agent) are left out,
 * and so are campaign cells from team and agent groups (their `team` is a campaign id, no team's work).
 */
export function groupCells<Row extends { cell: AggregateCell }>(rows: Row[], by: CellGroupBy): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = row.cell[by];
    if (key === undefined) continue;
    if (by !== 'channel' && row.cell.channel === CAMPAIGN_CHANNEL) continue;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The period before `from`..`to`: whole calendar months give as many whole months before
 * (November → October, a quarter → the quarter before); any other period the same number of days
 * just before it (1–10 November → 22–31 October).
 */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const before = addDays(from, -1);
  if (from.endsWith('-01') && addDays(to, 1).endsWith('-01')) {
    const index = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
    const months = index(to) - index(from) + 1;
    const start = index(from) - months;
    const month = `${Math.floor(start / 12)}-${String((start % 12) + 1).padStart(2, '0')}`;
    return { from: `${month}-01`, to: before };
  }
  if (from.endsWith('-01') && from.slice(0, 7) === to.slice(0, 7)) {
    // A month to date: the same days of the previous month (Dec 1–7 against Nov 1–7), cut at its end.
    const month = previousMonthOf(from.slice(0, 7));
    const last = addDays(nextMonthStart(month), -1);
    const sameDay = `${month}-${to.slice(8, 10)}`;
    return { from: `${month}-01`, to: sameDay > last ? last : sameDay };
  }
  return { from: addDays(from, -datesBetween(from, to).length), to: before };
}

const previousMonthOf = (month: string) => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
};
const nextMonthStart = (month: string) => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01-01` : `${year}-${String(m + 1).padStart(2, '0')}-01`;
};

/** The buckets of `interval` across a period (weeks Monday to Sunday, months by calendar), cut at its ends. */
export function intervalsOf(from: string, to: string, interval: 'day' | 'week' | 'month') {
  const buckets: Array<{ from: string; to: string }> = [];
  let start = from;
  while (start <= to) {
    let end: string;
    if (interval === 'day') end = start;
    else if (interval === 'month') end = addDays(nextMonthStart(start.slice(0, 7)), -1);
    else {
      const weekday = (new Date(`${start}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
      end = addDays(start, 6 - weekday);
    }
    if (end > to) end = to;
    buckets.push({ from: start, to: end });
    start = addDays(end, 1);
  }
  return buckets;
}

export type Metrics = ReturnType<typeof computeMetrics>;
