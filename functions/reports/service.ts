/**
 * Use cases of the period reports (month, quarter, year): build one from counters (the period,
 * the one before and four more of the same kind for the trend), store it, render it, and email
 * it at most once per period.
 */

import { MIN_DRIVER_ANSWERS } from '../../shared/domain/analysis.js';
import { realSpan } from '../../shared/domain/clock.js';
import { defined, Invalid, NotFound } from '../../shared/domain/errors.js';
import { maskFreeText } from '../../shared/domain/masking.js';
import { computeMetrics, groupCells } from '../../shared/domain/metrics.js';
import { type RowExport, renderReportCsv } from '../../shared/domain/report/csv.js';
import type { Language } from '../../shared/domain/report/labels.js';
import {
  buildReport,
  type CampaignSummary,
  EXAMPLES_PER_PROBLEM,
  type ExampleComment,
  type GoalSummary,
  type ImprovementSummary,
  type PeriodReport,
  topProblemCategories,
} from '../../shared/domain/report/model.js';
import {
  previousReportPeriod,
  type ReportPeriod,
  reportPeriod,
  reportPeriodEndedBefore,
} from '../../shared/domain/report/period.js';
import { localDate } from '../../shared/domain/time.js';
import { EXPORT_LINK_SECONDS, EXPORT_RETENTION_DAYS, EXPORT_STALE_SECONDS } from '../../shared/jobs/declarations.js';
import type { EmailMessage } from '../../shared/notify/ports.js';
import { send } from '../../shared/notify/send.js';
import { logger } from '../../shared/observability/logger.js';
import { countEvent } from '../../shared/observability/metrics.js';
import { ports } from '../../shared/ports.js';
import { SCHEDULES } from '../../shared/schedules.js';
import type { Settings } from '../../shared/schemas/settings.js';
import { FIRST_YEAR, LAST_YEAR } from '../../shared/schemas/vocabulary.js';
import { type CounterReader, dynamoCounterReader } from '../../shared/store/aggregates.js';
import { dynamoExportJobStore, type ExportJobRecord, type ExportJobStore } from '../../shared/store/exports.js';
import { dynamoReportStore, type ReportStore } from '../../shared/store/reports.js';
import { type ClientRequest, claimItems, claimOnly, dynamoRequestClaims } from '../../shared/store/requests.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';
import { commentExamples, type SurveyStore } from '../../shared/store/surveys.js';
import { reportEmail } from './email.js';
import { inlineExportMaxItems, type MonthRows, monthRowExports } from './exports.js';

export interface ReportDeps {
  store: ReportStore;
  settings: SettingsStore;
  /** Improvement actions to list in the report: the improvements capability's, wired in functions/composition.ts. */
  improvements(month: string, now: Date): Promise<ImprovementSummary[]>;
  /** Goals alive in the period with their progress as of `asOf` (the settings capability's, functions/composition.ts). */
  goals(period: { from: string; to: string }, asOf: string): Promise<GoalSummary[]>;
  /** Survey campaigns whose window overlaps the period, with their progress (the surveys capability's). */
  campaigns(period: { from: string; to: string }): Promise<CampaignSummary[]>;
  /** Row-level exports of the month for the CSV (survey responses, complaints), without personal data; at most `maxItems` read. */
  rowExports(month: string, options?: { maxItems?: number }): Promise<MonthRows>;
  /** Export jobs of a period (the CSV with every row, built outside the request). */
  exportJobs: ExportJobStore;
  /** Delivers the email (SES in AWS, the outbox locally), once per message id. */
  sendEmail(email: EmailMessage): Promise<unknown>;
  /** Commented answers of the top problems (bounded reads); the text comes unmasked and is masked here. */
  commentExamples: SurveyStore['commentExamples'];
  /** The KPI counter cells of the report's periods (cost flat in the number of records). */
  counters: Pick<CounterReader, 'readCounters'>;
}

const defaults: Omit<ReportDeps, 'improvements' | 'goals' | 'campaigns'> = {
  store: dynamoReportStore,
  commentExamples,
  settings: dynamoSettingsStore,
  rowExports: monthRowExports,
  exportJobs: dynamoExportJobStore,
  sendEmail: (email) => send({ channel: 'email', ...email }),
  counters: dynamoCounterReader,
};

/** What a caller passes: the part another capability provides, and any replacement of the rest. */
export type GivenReportDeps = Pick<ReportDeps, 'improvements' | 'goals' | 'campaigns'> & Partial<ReportDeps>;

/** A claim older than this is taken to belong to a run that crashed mid-send. */
const EMAIL_CLAIM_TIMEOUT_MS = 15 * 60 * 1000;

/** A period's KPIs from the counter cells of its days: a quarter or a year is its months summed, cell by cell. */
async function metricsOfPeriod(period: ReportPeriod, settings: Settings, deps: Pick<ReportDeps, 'counters'>) {
  const { from, to } = period;
  const rows = await deps.counters.readCounters(from, to);
  const metricsOf = (cells: typeof rows) => computeMetrics(cells, { from, to, timezone: settings.timezone }, settings);
  return Object.assign(metricsOf(rows), {
    teams: () => [...groupCells(rows, 'team')].map(([team, cells]) => ({ team, metrics: metricsOf(cells) })),
  });
}

/** The report of a month (YYYY-MM), quarter (YYYY-Qn) or year (YYYY); `name` is checked by the route schema. */
export async function buildPeriodReport(name: string, now: Date, deps: GivenReportDeps): Promise<PeriodReport> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const period = reportPeriod(name);
  const year = Number(name.slice(0, 4));
  if (!period || !(year >= FIRST_YEAR && year <= LAST_YEAR))
    throw Invalid.field(
      'period',
      `must be a month (YYYY-MM), a quarter (YYYY-Qn) or a year (YYYY), from ${FIRST_YEAR} to ${LAST_YEAR}`,
    );
  if (period.from > localDate(now, settings.timezone)) throw Invalid.field('period', 'is in the future');
  const periods = [period];
  for (let earliest = period, i = 0; i < 5; i += 1) periods.unshift((earliest = previousReportPeriod(earliest)));
  const metrics = await Promise.all(periods.map((p) => metricsOfPeriod(p, settings, all)));
  const current = defined(metrics.at(-1), "the period's metrics");
  const previous = defined(metrics.at(-2), "the previous period's metrics");
  const examples = await maskedExamples(period.months, topProblemCategories(current), all);
  const today = localDate(now, settings.timezone);
  const asOf = [period.to, today].sort()[0] ?? today;
  return buildReport({
    month: period.name,
    kind: period.kind,
    generatedAt: now,
    settings,
    current,
    previous,
    history: periods
      .slice(0, -1)
      .map((p, i) => ({ month: p.name, metrics: defined(metrics[i], `metrics of ${p.name}`) })),
    improvements: await all.improvements(period.name, now),
    teams: current.teams(),
    examples,
    goals: await all.goals(period, asOf),
    campaigns: await all.campaigns(period),
  });
}

/**
 * The customers' own words about each top problem (s002 "客户原话"), masked with the same rules as
 * the public suggestion board before they reach the report, its page, CSV or email.
 */
async function maskedExamples(
  months: string[],
  categories: string[],
  deps: Pick<ReportDeps, 'commentExamples'>,
): Promise<Record<string, ExampleComment[]>> {
  if (!categories.length) return {};
  const found = await deps.commentExamples(months, categories, EXAMPLES_PER_PROBLEM);
  return Object.fromEntries(
    Object.entries(found).map(([category, examples]) => [
      category,
      examples.map((example) => ({
        text: maskFreeText(example.comment),
        lowestScore: example.lowestScore,
        day: example.day,
        channel: example.channel,
      })),
    ]),
  );
}

/** A report stored before example comments (goals, drivers, campaigns, lowest sub-indicators) existed reads as one without them. */
function withExamples(report: PeriodReport): PeriodReport {
  return {
    ...report,
    topProblems: report.topProblems.map((p) => ({ ...p, examples: p.examples ?? [] })),
    satisfaction: { ...report.satisfaction, lowestSubIndicators: report.satisfaction.lowestSubIndicators ?? [] },
    goals: report.goals ?? [],
    drivers: report.drivers ?? { target: 'overall', minAnswers: MIN_DRIVER_ANSWERS, items: [] },
    campaigns: report.campaigns ?? [],
  };
}

async function view(month: string, store: ReportStore) {
  const stored = await store.getReport(month);
  if (!stored) throw new NotFound(`The report for ${month} has not been built yet.`);
  const email = await store.getEmailState(month);
  return {
    ...withExamples(stored.report),
    version: stored.version,
    email: email
      ? { status: email.status, recipients: email.recipients, ...(email.sentAt ? { sentAt: email.sentAt } : {}) }
      : null,
  };
}

/**
 * Builds and stores the report of `month` and, when asked, emails it to the recipients in
 * settings — once: a re-run rebuilds the stored report but does not email again, unless the
 * earlier email failed. An email failure leaves the stored report intact and is reported
 * (the scheduled job throws so EventBridge retries it).
 *
 * Idempotent by itself: the report is the one record of its period (a run again rebuilds it) and its
 * email is claimed once per period. A keyed request's claim (`options.request`) therefore only
 * gives a retry its replay and another body its 422: it is looked up first (a retry rebuilds and
 * sends nothing) and written once the run is done (a run that died before, mid-email included, is
 * run again by the retry rather than answered half-done).
 */
export async function generatePeriodReport(
  month: string,
  now: Date,
  options: { email: boolean; request?: ClientRequest | undefined },
  deps: GivenReportDeps,
) {
  const all = { ...defaults, ...deps };
  if (options.request && (await dynamoRequestClaims.find(options.request)))
    return { report: await view(month, all.store), emailError: undefined };
  const report = await buildPeriodReport(month, now, all);
  await all.store.putReport(report);
  let emailError: Error | undefined;
  if (options.email) {
    const { settings } = await all.settings.current();
    const recipients = settings.reportRecipients;
    if (!recipients.length)
      logger.warn(
        'monthly report not emailed: no report recipients configured (reportRecipients; GET /health lists it)',
        {
          month,
        },
      );
    if (
      recipients.length &&
      (await all.store.claimEmail(
        month,
        now,
        new Date(now.getTime() - realSpan(ports().clock, EMAIL_CLAIM_TIMEOUT_MS)),
        recipients.length,
      ))
    ) {
      try {
        await all.sendEmail(
          reportEmail(report, {
            language: settings.reportLanguage,
            to: recipients,
            exports: await emailRowExports(month, all),
          }),
        );
        await all.store.recordEmailOutcome(month, { sent: true, at: now });
        countEvent('ReportEmailed');
      } catch (error) {
        emailError = error as Error;
        await all.store.recordEmailOutcome(month, { sent: false, error: emailError.message });
      }
    }
  }
  await claimOnly(options.request, month, now);
  return { report: await view(month, all.store), emailError };
}

export async function readReport(month: string, deps: Partial<ReportDeps> = {}) {
  return view(month, deps.store ?? defaults.store);
}

/** The email state of `month`'s report (`sent`, `failed`, `sending`), or null when it was never emailed. */
export async function reportEmailStatus(month: string, deps: Partial<ReportDeps> = {}): Promise<string | null> {
  return (await (deps.store ?? defaults.store).getEmailState(month))?.status ?? null;
}

export async function reportForRendering(month: string, deps: Partial<ReportDeps> = {}) {
  const all = { ...defaults, ...deps };
  const stored = await all.store.getReport(month);
  if (!stored) throw new NotFound(`The report for ${month} has not been built yet.`);
  const { settings } = await all.settings.current();
  return {
    report: withExamples(stored.report),
    language: settings.reportLanguage,
    exports: (options: { maxItems?: number } = {}) => rowExportsOf(month, all, options),
  };
}

/** Row exports (one row per response and complaint) come with monthly reports; a quarter or year has its tables only. */
function rowExportsOf(
  name: string,
  deps: Pick<ReportDeps, 'rowExports'>,
  options: { maxItems?: number } = {},
): Promise<MonthRows> {
  return reportPeriod(name)?.kind === 'month'
    ? deps.rowExports(name, options)
    : Promise.resolve({ exports: [], itemsRead: 0, complete: true });
}

/** Rows an emailed report carries at most; a month with more says so in the attachment and points to the export. */
export const EMAIL_EXPORT_MAX_ITEMS = 20_000;

async function emailRowExports(month: string, deps: Pick<ReportDeps, 'rowExports'>): Promise<RowExport[]> {
  const rows = await rowExportsOf(month, deps, { maxItems: EMAIL_EXPORT_MAX_ITEMS });
  if (rows.complete) return rows.exports;
  return [
    {
      title: 'rows',
      headers: ['note'],
      rows: [
        [
          `More than ${EMAIL_EXPORT_MAX_ITEMS} rows this month: too many for an email. Export them all with POST /reports/${month}/exports.`,
        ],
      ],
    },
  ];
}

/** A job still `running` long after its start that will not finish (EXPORT_STALE_SECONDS): shown, and restarted, as failed. */
const isStale = (job: ExportJobRecord, now: Date) =>
  job.status === 'running' && now.getTime() - Date.parse(job.requestedAt) >= EXPORT_STALE_SECONDS * 1000;

const STALE_ERROR = `The export did not finish within ${EXPORT_STALE_SECONDS / 60} minutes; start it again (POST) to restart it.`;

const exportView = async (stored: ExportJobRecord, now: Date) => {
  const job: ExportJobRecord = isStale(stored, now) ? { ...stored, status: 'failed', error: STALE_ERROR } : stored;
  const link =
    job.status === 'ready' && job.fileKey ? await ports().files.link(job.fileKey, EXPORT_LINK_SECONDS) : null;
  return {
    id: job.id,
    period: job.period,
    status: job.status,
    statusUrl: `/reports/${job.period}/exports/${job.id}`,
    requestedAt: job.requestedAt,
    finishedAt: job.finishedAt ?? null,
    rows: job.rows ? { responses: job.rows.responses ?? 0, complaints: job.rows.complaints ?? 0 } : null,
    url: link?.url ?? null,
    expiresAt: link?.expiresAt ?? null,
    error: job.error ?? null,
  };
};

/**
 * Starts the export of a period's CSV with every row, as a job (or finds the one already started
 * for this version of the report within the hour: a repeated request does not export twice). The
 * job's id is deterministic, so the start is idempotent by itself; a keyed request's claim
 * (shared/store/requests.ts) is written with the new job, or alone when the job existed, and gives a
 * retry its replay and the key reused with another body its 422.
 */
export async function startReportExport(
  period: string,
  actorId: string,
  now: Date,
  request?: ClientRequest,
  deps: Partial<ReportDeps> = {},
) {
  const all = { ...defaults, ...deps };
  const stored = await all.store.getReport(period);
  if (!stored) throw new NotFound(`The report for ${period} has not been built yet.`);
  const hour = now.toISOString().slice(0, 13).replace(/\D/g, '');
  const id = `v${stored.version}-${hour}`;
  const expiresAt = Math.floor(now.getTime() / 1000) + EXPORT_RETENTION_DAYS * 86_400;
  const { job, created } = await all.exportJobs.create(
    { id, period, status: 'running', requestedAt: now.toISOString(), requestedBy: actorId },
    expiresAt,
    claimItems(request, id, now),
  );
  if (created) {
    await ports().jobs.start({ kind: 'reportExport', period, id });
    return exportView(job, now);
  }
  await claimOnly(request, id, now);
  // A job that failed, or will not finish (its start was lost, or every attempt died), starts over:
  // once, however many copies of this request ask at the same time.
  if (job.status === 'failed' || isStale(job, now)) {
    if (await all.exportJobs.restart(job, now.toISOString(), actorId)) {
      await ports().jobs.start({ kind: 'reportExport', period, id });
      logger.info('report export restarted', { period, id, was: job.status });
    }
    const current = await all.exportJobs.get(period, id);
    return exportView(current ?? job, now);
  }
  return exportView(job, now);
}

export async function readReportExport(period: string, id: string, deps: Partial<ReportDeps> = {}) {
  const job = await (deps.exportJobs ?? defaults.exportJobs).get(period, id);
  if (!job) throw new NotFound(`No export ${id} of ${period}.`);
  return exportView(job, ports().clock.now());
}

/** The job: reads every row of the month, writes the CSV, records the outcome. Safe to run again. */
export async function runReportExport(period: string, id: string, deps: Partial<ReportDeps> = {}) {
  const all = { ...defaults, ...deps };
  const job = await all.exportJobs.get(period, id);
  if (!job || job.status === 'ready') return job;
  try {
    const { report, language, exports } = await reportForRendering(period, all);
    const rows = await exports();
    const fileKey = `exports/${period}/${id}.csv`;
    await ports().files.put(
      fileKey,
      renderReportCsv(report, { language, exports: rows.exports }),
      'text/csv; charset=utf-8',
      `careloop-report-${period}.csv`,
    );
    const counts = Object.fromEntries(rows.exports.map((block) => [block.title, block.rows.length]));
    await all.exportJobs.finish(period, id, {
      status: 'ready',
      finishedAt: ports().clock.now().toISOString(),
      rows: { responses: counts.responses ?? 0, complaints: counts.complaints ?? 0 },
      itemsRead: rows.itemsRead,
      fileKey,
    });
    logger.info('report export ready', { period, id, itemsRead: rows.itemsRead, rows: counts });
  } catch (error) {
    await all.exportJobs.finish(period, id, {
      status: 'failed',
      finishedAt: ports().clock.now().toISOString(),
      error: 'The export failed; it is retried. Start it again (POST) if it stays failed.',
    });
    throw error;
  }
  return all.exportJobs.get(period, id);
}

/** The CSV a request may answer itself: null when the month holds more rows than one answer (start a job then). */
export async function inlineReportCsv(period: string, language: Language | undefined, deps: Partial<ReportDeps> = {}) {
  const rendering = await reportForRendering(period, deps);
  const rows = await rendering.exports({ maxItems: inlineExportMaxItems() });
  if (!rows.complete) return null;
  return renderReportCsv(rendering.report, { language: language ?? rendering.language, exports: rows.exports });
}

const MONTHLY_REPORT_SCHEDULE = defined(
  SCHEDULES.find((schedule) => schedule.id === 'monthlyReport'),
  'the monthlyReport schedule',
);

/** The month a scheduled run at `now` reports on: the month that just ended in the schedule's zone. */
export function monthToReport(now: Date, scheduleZone: string = MONTHLY_REPORT_SCHEDULE.timezone): string {
  // The month that just ended where the schedule fired (the 1st, 08:00 in its zone); read in a zone
  // west of it, the same instant is still the last day of the month before, and a month would be skipped.
  return reportPeriodEndedBefore(now, 'month', scheduleZone).name;
}

/**
 * Every report a scheduled run at `now` builds: the month that just ended and, when that month
 * closed a quarter or a year, the quarter and the year too (so they go out on the first day after
 * their period, from the same schedule).
 */
export function periodsToReport(now: Date, scheduleZone: string = MONTHLY_REPORT_SCHEDULE.timezone): string[] {
  const month = reportPeriodEndedBefore(now, 'month', scheduleZone);
  const closed = (['quarter', 'year'] as const)
    .map((kind) => reportPeriodEndedBefore(now, kind, scheduleZone))
    .filter((period) => period.to === month.to);
  return [month.name, ...closed.map((period) => period.name)];
}
