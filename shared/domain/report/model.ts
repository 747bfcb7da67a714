/**
 * The monthly satisfaction report (s002 报告内容框架, s004 报告机制), built from the KPIs of
 * the month, the month before and the five before that — all read from counters, so
 * building it costs the same whatever the volume.
 */
import type { KpiName, Settings } from '../../schemas/settings.js';
import { CONTACT_CHANNELS, DIMENSIONS, type Dimension, KPI_NAMES } from '../../schemas/vocabulary.js';
import { type Driver, driverFigures, MIN_DRIVER_ANSWERS } from '../analysis.js';
import type { Metrics, Status } from '../metrics.js';
import type { ReportKind } from './period.js';

export type Change = 'up' | 'down' | 'flat';

export interface ImprovementSummary {
  id: string;
  problem: string;
  measure: string;
  department: string;
  ownerId: string;
  dueDate: string;
  status: string;
  overdue: boolean;
  /** The cause it removes (s003 根因), linking it to the causes Pareto. */
  cause?: { kind: string; detail?: string | undefined };
}

/** A cause is large while the kinds before it cover less than this share of the cases (the Pareto's vital few). */
export const LARGE_CAUSE_CUMULATIVE_SHARE = 0.8;

/**
 * The causes Paretos of the period (complaints resolved, contacts missed), each kind with the open
 * improvement actions (not yet done or verified) that name it; a large cause without one stands out.
 */
function causesSection(current: Metrics, improvements: ImprovementSummary[]) {
  const open = improvements.filter((i) => i.status === 'planned' || i.status === 'in_progress');
  const rows = (pareto: Metrics['causes']['complaints']) => {
    let before = 0;
    return pareto.items.map((item) => {
      const large = before < LARGE_CAUSE_CUMULATIVE_SHARE;
      before = item.cumulativeShare;
      return {
        ...item,
        large,
        improvements: open.filter((i) => i.cause?.kind === item.kind).map((i) => ({ id: i.id, problem: i.problem })),
      };
    });
  };
  return {
    complaints: { total: current.causes.complaints.total, items: rows(current.causes.complaints) },
    misses: { total: current.causes.misses.total, items: rows(current.causes.misses) },
  };
}

/** A goal in the report: its figures as of the period's last day (or today, while the period runs). */
export interface GoalSummary {
  id: string;
  name?: string | undefined;
  kpi: string;
  scope: { team?: string | undefined; channel?: string | undefined };
  owner: string;
  by: string;
  baselineValue: number | null;
  targetValue: number | null;
  expectedNow: number | null;
  current: number | null;
  status: 'on_track' | 'at_risk' | 'achieved' | 'missed';
  /** The day the figures are of. */
  asOf: string;
}

/** A survey campaign whose window overlaps the period, with its progress (s004 ≥ 15 % response, s000 ≤ 5 % error). */
export interface CampaignSummary {
  id: string;
  name: string;
  questionnaire: { id: string; version: number };
  window: { from: string; to: string };
  status: string;
  audience: number;
  invited: number;
  answered: number;
  valid: number;
  responseRate: number | null;
  marginOfError: number | null;
}

/** How many of the lowest sub-indicators the report lists. */
export const LOWEST_SUB_INDICATORS = 3;

export interface ReportInput {
  /** The period's name: YYYY-MM, YYYY-Qn or YYYY. */
  month: string;
  kind: ReportKind;
  generatedAt: Date;
  settings: Pick<Settings, 'kpis' | 'timezone'>;
  current: Metrics;
  previous: Metrics;
  /** The months before `month`, oldest first, ending with the previous month (up to 5). */
  history: Array<{ month: string; metrics: Metrics }>;
  improvements: ImprovementSummary[];
  /** The period's figures of each team (from the same counter cells), for the per-team table. */
  teams?: Array<{ team: string; metrics: Metrics }>;
  /** Masked example comments per problem category (s002 "客户原话"), the lowest-scored first. */
  examples?: Record<string, ExampleComment[]>;
  /** The goals alive in the period, with their progress. */
  goals?: GoalSummary[];
  /** The survey campaigns whose window overlaps the period. */
  campaigns?: CampaignSummary[];
}

/** A customer's own words about a top problem, personal data already masked. */
export interface ExampleComment {
  text: string;
  /** The lowest score that answer gave (overall or a dimension). */
  lowestScore: number | null;
  day: string;
  channel: string;
}

/** How many example comments a top problem shows. */
export const EXAMPLES_PER_PROBLEM = 2;

/** The categories the top-problems table lists (the three mentioned most), for reading their examples. */
export function topProblemCategories(current: Metrics): string[] {
  return topProblemsSection(current).map((p) => p.category);
}

/** ↑/↓/→ between two values; small moves (below `epsilon`) are flat. */
export function changeBetween(current: number | null, previous: number | null, epsilon: number): Change | null {
  if (current === null || previous === null) return null;
  if (Math.abs(current - previous) < epsilon) return 'flat';
  return current > previous ? 'up' : 'down';
}

export const ARROWS: Record<Change, string> = { up: '↑', down: '↓', flat: '→' };

/** The month at a glance. */
function overviewSection(current: Metrics) {
  return {
    interactions: current.service.interactions,
    complaints: current.complaints.count,
    responses: current.satisfaction.responses,
    validResponses: current.satisfaction.validResponses,
    responseRate: current.satisfaction.responseRate,
  };
}

/** CSAT, satisfied share and each dimension, against the month before. */
function satisfactionSection(current: Metrics, previous: Metrics) {
  const dimensions = DIMENSIONS.map((dimension: Dimension) => {
    const now = current.satisfaction.dimensions[dimension];
    const before = previous.satisfaction.dimensions[dimension];
    return {
      dimension,
      average: now.average,
      satisfiedShare: now.satisfiedShare,
      csi: now.csi,
      previousCsi: before.csi,
      previousAverage: before.average,
      previousSatisfiedShare: before.satisfiedShare,
      change: changeBetween(now.satisfiedShare, before.satisfiedShare, 0.01),
    };
  });
  return {
    csat: current.satisfaction.csat,
    previousCsat: previous.satisfaction.csat,
    satisfiedShare: current.satisfaction.satisfiedShare,
    previousSatisfiedShare: previous.satisfaction.satisfiedShare,
    change: changeBetween(current.satisfaction.satisfiedShare, previous.satisfaction.satisfiedShare, 0.01),
    csi: current.satisfaction.csi,
    previousCsi: previous.satisfaction.csi,
    lowestDimension: current.satisfaction.lowestDimension,
    subIndicators: current.satisfaction.subIndicators,
    lowestSubIndicator: current.satisfaction.lowestSubIndicator,
    lowestSubIndicators: lowestSubIndicatorsOf(current),
    dimensions,
  };
}

/** The sub-indicators with a score, lowest CSI first (by name among equals), at most LOWEST_SUB_INDICATORS. */
function lowestSubIndicatorsOf(current: Metrics) {
  return Object.entries(current.satisfaction.subIndicators)
    .filter(([, figures]) => figures.csi !== null)
    .map(([subIndicator, figures]) => ({
      subIndicator,
      n: figures.n,
      average: figures.average,
      csi: figures.csi as number,
    }))
    .sort((a, b) => a.csi - b.csi || a.subIndicator.localeCompare(b.subIndicator))
    .slice(0, LOWEST_SUB_INDICATORS);
}

/**
 * Key drivers of the period against overall satisfaction (s004 关联分析), from the same summed cells
 * as GET /metrics/drivers: importance (r) × score, a quadrant each, ranked (fix first: strong driver, low score).
 */
function driversSection(current: Metrics): { target: 'overall'; minAnswers: number; items: Driver[] } {
  const items = driverFigures(current.counters, 'overall').sort(
    (a, b) => (a.priority ?? Infinity) - (b.priority ?? Infinity) || a.dimension.localeCompare(b.dimension),
  );
  return { target: 'overall', minAnswers: MIN_DRIVER_ANSWERS, items };
}

function npsSection(current: Metrics, previous: Metrics) {
  return {
    ...current.nps,
    previousScore: previous.nps.score,
    change: changeBetween(current.nps.score, previous.nps.score, 1),
  };
}

function complaintsSection(current: Metrics) {
  return {
    count: current.complaints.count,
    rate: current.complaints.rate,
    respondedInTimeShare: current.complaints.respondedInTimeShare,
    solutionInTimeShare: current.complaints.solutionInTimeShare,
    closedInTimeShare: current.complaints.closedInTimeShare,
    escalations: current.complaints.escalations,
    recurrenceRate: current.complaints.recurrenceRate,
    secondRoundSatisfiedShare: current.complaints.secondRoundSatisfiedShare,
    byCategory: current.complaints.byCategory,
  };
}

/** Per channel, in a fixed order, so two builds of the same month render the same tables. */
function serviceEfficiencySection(current: Metrics) {
  return Object.entries(current.service.firstResponse.byChannel)
    .sort(([a], [b]) => channelRank(a) - channelRank(b) || a.localeCompare(b))
    .map(([channel, figures]) => ({
      channel,
      interactions: figures.interactions,
      firstResponseWithinTargetShare: figures.withinTargetShare,
      p50Seconds: figures.p50Seconds,
      p90Seconds: figures.p90Seconds,
      resolutionWithinTargetShare: figures.resolutionWithinTargetShare,
    }));
}

function serviceSection(current: Metrics) {
  return {
    firstResponseWithinTargetShare: current.service.firstResponse.withinTargetShare,
    simpleResolutionWithinTargetShare: current.service.resolution.simpleWithinTargetShare,
    complexResolutionWithinTargetShare: current.service.resolution.complexWithinTargetShare,
    firstContactResolutionShare: current.service.firstContactResolutionShare,
    averageHandlingSeconds: current.service.averageHandlingSeconds,
  };
}

/**
 * The three comment categories mentioned most, with their share of the categorised comments and
 * up to two masked example comments each.
 */
function topProblemsSection(current: Metrics, examples: Record<string, ExampleComment[]> = {}) {
  const commentCounts = Object.entries(sumPrefixed(current, 'comment_cat_')).sort(
    ([ca, a], [cb, b]) => b - a || ca.localeCompare(cb),
  );
  const commented = commentCounts.reduce((n, [, c]) => n + c, 0);
  return commentCounts.slice(0, 3).map(([category, count]) => ({
    category,
    count,
    share: commented ? Math.round((count / commented) * 1000) / 1000 : 0,
    examples: (examples[category] ?? []).slice(0, EXAMPLES_PER_PROBLEM),
  }));
}

/** Every KPI in settings with its value, the month before, its target and status. */
function kpiSection(input: ReportInput) {
  const { current, previous } = input;
  return KPI_NAMES.map((name) => {
    const target = input.settings.kpis[name];
    return {
      name,
      value: current.values[name],
      previous: previous.values[name],
      target: target.target,
      amber: target.amber,
      direction: target.direction,
      owner: target.owner,
      status: (current.status[name] ?? null) as Status | null,
    };
  });
}

/** The KPIs off target, red before amber. */
function shortfallsOf(kpis: ReturnType<typeof kpiSection>) {
  return kpis
    .filter((k) => k.status === 'red' || k.status === 'amber')
    .sort((a, b) => (a.status === b.status ? 0 : a.status === 'red' ? -1 : 1));
}

/** The last six months, this one included. */
function trendSection(input: ReportInput) {
  return [...input.history, { month: input.month, metrics: input.current }].slice(-6).map(({ month, metrics }) => ({
    month,
    csat: metrics.satisfaction.csat,
    satisfiedShare: metrics.satisfaction.satisfiedShare,
    nps: metrics.nps.score,
    responses: metrics.satisfaction.validResponses,
    complaints: metrics.complaints.count,
  }));
}

/** One row per team, by team name. */
function teamsSection(input: ReportInput) {
  return [...(input.teams ?? [])]
    .sort((a, b) => a.team.localeCompare(b.team))
    .map(({ team, metrics }) => ({
      team,
      interactions: metrics.service.interactions,
      firstResponseWithinTargetShare: metrics.service.firstResponse.withinTargetShare,
      firstContactResolutionShare: metrics.service.firstContactResolutionShare,
      csat: metrics.satisfaction.csat,
      nps: metrics.nps.score,
      complaints: metrics.complaints.count,
    }));
}

export type Finding =
  | { kind: 'red'; kpi: KpiName; value: number; target: number }
  | { kind: 'change'; kpi: KpiName; value: number; previous: number; better: boolean }
  | {
      kind: 'focus';
      dimension: string;
      average: number;
      /** The dimension's score on 0–10 (s004 CSI). */
      csi: number;
      /** The lowest sub-indicator of the period (any dimension), when the questionnaires have some. */
      subIndicator?: string;
      subIndicatorCsi?: number;
    };

/**
 * What a reader should see first, written from the data: the red KPIs (at most three), the two
 * largest moves against the period before (measured in widths of each KPI's amber band, so shares
 * and NPS points compare), and the weakest survey dimension as the focus for the next period.
 */
function findingsOf(input: ReportInput, kpis: ReturnType<typeof kpiSection>): Finding[] {
  const red: Finding[] = kpis
    .flatMap((k) =>
      k.status === 'red' && k.value !== null
        ? [{ kind: 'red' as const, kpi: k.name, value: k.value, target: k.target }]
        : [],
    )
    .slice(0, 3);
  const moves = kpis
    .flatMap((k) => {
      const { value, previous } = k;
      if (value === null || previous === null || previous === undefined || value === previous) return [];
      return [{ k, value, previous, size: Math.abs(value - previous) / Math.max(Math.abs(k.target - k.amber), 1e-9) }];
    })
    .sort((a, b) => b.size - a.size || a.k.name.localeCompare(b.k.name))
    .slice(0, 2)
    .map(
      ({ k, value, previous }): Finding => ({
        kind: 'change',
        kpi: k.name,
        value,
        previous,
        better: k.direction === 'higher' ? value > previous : value < previous,
      }),
    );
  // s004: the lowest-scoring dimension is the improvement focus, with the lowest sub-indicator.
  const { lowestDimension, lowestSubIndicator, dimensions } = input.current.satisfaction;
  const weakest = lowestDimension && dimensions[lowestDimension.dimension];
  const focus: Finding[] =
    lowestDimension && weakest?.average != null
      ? [
          {
            kind: 'focus',
            dimension: lowestDimension.dimension,
            average: weakest.average,
            csi: lowestDimension.csi,
            ...(lowestSubIndicator
              ? { subIndicator: lowestSubIndicator.subIndicator, subIndicatorCsi: lowestSubIndicator.csi }
              : {}),
          },
        ]
      : [];
  return [...red, ...moves, ...focus];
}

export function buildReport(input: ReportInput) {
  const { current, previous } = input;
  const kpis = kpiSection(input);
  return {
    month: input.month,
    kind: input.kind,
    generatedAt: input.generatedAt.toISOString(),
    period: { from: current.period.from, to: current.period.to, timezone: input.settings.timezone },
    overview: overviewSection(current),
    satisfaction: satisfactionSection(current, previous),
    nps: npsSection(current, previous),
    complaints: complaintsSection(current),
    serviceEfficiency: serviceEfficiencySection(current),
    service: serviceSection(current),
    topProblems: topProblemsSection(current, input.examples),
    kpis,
    shortfalls: shortfallsOf(kpis),
    findings: findingsOf(input, kpis),
    teams: teamsSection(input),
    overdueReasons: current.service.overdueByReason,
    causes: causesSection(current, input.improvements),
    improvements: input.improvements,
    trend: trendSection(input),
    goals: input.goals ?? [],
    drivers: driversSection(current),
    campaigns: input.campaigns ?? [],
  };
}

/** The report of one period: a month, a quarter or a year. */
export type PeriodReport = ReturnType<typeof buildReport>;

const channelRank = (channel: string) => {
  const rank = (CONTACT_CHANNELS as readonly string[]).indexOf(channel);
  return rank === -1 ? CONTACT_CHANNELS.length : rank;
};

/** Counters whose names start with `prefix`, keyed by the rest of the name (from the metrics' raw values). */
function sumPrefixed(metrics: Metrics, prefix: string): Record<string, number> {
  return Object.fromEntries(
    Object.entries(metrics.counters)
      .filter(([name, value]) => name.startsWith(prefix) && value > 0)
      .map(([name, value]) => [name.slice(prefix.length), value]),
  );
}
