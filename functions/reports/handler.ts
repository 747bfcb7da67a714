/** Lambda entry points of the monthly report: the API routes and the scheduled job. */

import { renderReportHtml } from '../../shared/domain/report/html.js';
import { apiHandler, ok } from '../../shared/http/api.js';
import { REPORT_PAGE_CSP } from '../../shared/http/headers.js';
import { reportRoutes } from '../../shared/http/routes/reports.js';
import { pick } from '../../shared/http/routes/route.js';
import { lambdaJobRunner } from '../../shared/jobs/lambda.js';
import type { JobRequest } from '../../shared/jobs/ports.js';
import { s3FileStore } from '../../shared/jobs/s3.js';
import { awsEmailSender } from '../../shared/notify/aws.js';
import { logger } from '../../shared/observability/logger.js';
import { emitOperationalMetric, OPERATIONAL_METRICS } from '../../shared/observability/operations.js';
import { ports, provideDefaults } from '../../shared/ports.js';
import { reportNeeds } from '../composition.js';
import {
  generatePeriodReport,
  inlineReportCsv,
  monthToReport,
  periodsToReport,
  readReport,
  readReportExport,
  reportEmailStatus,
  reportForRendering,
  runReportExport,
  startReportExport,
} from './service.js';
import { sendWeeklyComplaintSummary } from './weekly-summary.js';

provideDefaults({
  ...awsEmailSender(),
  jobs: () => lambdaJobRunner(),
  files: () => s3FileStore(),
});

export const getReport = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(reportRoutes, 'getReport'),
  async ({ params }) => ok(await readReport(params.period)),
);

export const getReportHtml = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(reportRoutes, 'getReportHtml'),
  async ({ params, query }) => {
    const { report, language } = await reportForRendering(params.period);
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      headers: {
        'content-security-policy': REPORT_PAGE_CSP,
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
      },
      body: renderReportHtml(report, { language: query.lang ?? language, variant: 'web' }),
    };
  },
);

export const getReportCsv = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(reportRoutes, 'getReportCsv'),
  async ({ params, query, actor, now }) => {
    const csv = await inlineReportCsv(params.period, query.lang);
    // More rows than one answer holds: never a cut-short file, but the export job and where to follow it.
    if (csv === null) return accepted(await startReportExport(params.period, actor.id, now));
    return {
      status: 200,
      contentType: 'text/csv; charset=utf-8',
      headers: { 'content-disposition': `attachment; filename="careloop-report-${params.period}.csv"` },
      body: csv,
    };
  },
);

export const createReportExport = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(reportRoutes, 'createReportExport'),
  async ({ params, actor, now, clientRequest }) =>
    accepted(await startReportExport(params.period, actor.id, now, clientRequest)),
  // Idempotency inside the write: the claim names the export job; a retry answers the job as it is now.
  { inWrite: true, replay: async (id, { params }) => accepted(await readReportExport(params.period, id)) },
);

export const getReportExport = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(reportRoutes, 'getReportExport'),
  async ({ params }) => ok(await readReportExport(params.period, params.id)),
);

const accepted = (job: { statusUrl: string }) => ({ status: 202, body: job, headers: { location: job.statusUrl } });

/** The export job (shared/jobs): run by this function invoking itself in AWS, in-process locally. */
export async function reportExportJob(job: JobRequest): Promise<void> {
  if (job.kind !== 'reportExport') throw new Error(`reportExportJob got a ${job.kind} job`);
  await runReportExport(job.period, job.id);
}

export const generateReport = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(reportRoutes, 'generateReport'),
  async ({ params, body, now, clientRequest }) => {
    const options = { email: body.email ?? false, request: clientRequest };
    const { report } = await generatePeriodReport(params.period, now, options, reportNeeds);
    return ok(report);
  },
  // The report is the one record of its period: a retry answers it as it is now (generatePeriodReport).
  { inWrite: true, replay: async (_period, { params }) => ok(await readReport(params.period)) },
);

/**
 * EventBridge Scheduler target: the previous month's report and, on the first day of a quarter or
 * a year, the quarter's and the year's, each emailed once. Throws when an email failed, so the
 * scheduler's retry policy runs it again (stored reports are safe, sent emails are not sent twice).
 */
export async function scheduledMonthlyReport(): Promise<{ periods: Array<{ period: string; email: string | null }> }> {
  const now = ports().clock.now();
  const periods: Array<{ period: string; email: string | null }> = [];
  let failure: Error | undefined;
  for (const period of periodsToReport(now)) {
    const { report, emailError } = await generatePeriodReport(period, now, { email: true }, reportNeeds);
    logger.info('report built', { period, version: report.version, email: report.email?.status ?? null });
    periods.push({ period, email: report.email?.status ?? null });
    failure ??= emailError;
  }
  if (failure) throw failure;
  return { periods };
}

/**
 * EventBridge Scheduler target, 08:00 on the 2nd: emits MonthlyReportNotEmailed (1 when last
 * month's report has not gone out by email, else 0), which the operations alarm watches. A fresh
 * stack with no report recipients configured alarms here too: that is what is missing.
 */
export async function scheduledMonthlyReportCheck(): Promise<{ month: string; email: string | null }> {
  const month = monthToReport(ports().clock.now());
  const email = await reportEmailStatus(month);
  emitOperationalMetric(OPERATIONAL_METRICS.monthlyReportNotEmailed, email === 'sent' ? 0 : 1);
  if (email !== 'sent') logger.error('monthly report not emailed by the 2nd', { month, email });
  return { month, email };
}

/**
 * EventBridge Scheduler target, 08:00 on Mondays: the week that just ended, emailed to the
 * complaints desk once (a retry or a second run finds the message id already sent).
 */
export async function scheduledWeeklyComplaintSummary(): Promise<{ week: string; recipients: number; email: string }> {
  const { week, recipients, email } = await sendWeeklyComplaintSummary(ports().clock.now());
  return { week, recipients, email };
}
