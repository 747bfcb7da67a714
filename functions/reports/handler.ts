/** Lambda entry points of the monthly report: the API routes and the scheduled job. */

import { renderReportCsv } from '../../shared/domain/report/csv.js';
import { renderReportHtml } from '../../shared/domain/report/html.js';
import { apiHandler, ok } from '../../shared/http/api.js';
import { reportRoutes } from '../../shared/http/routes/reports.js';
import { pick } from '../../shared/http/routes/route.js';
import { emailSender } from '../../shared/notify/once.js';
import { sesTransport } from '../../shared/notify/ses.js';
import { logger } from '../../shared/observability/logger.js';
import { ports, provideDefaults } from '../../shared/ports.js';
import { dynamoMessageLedger } from '../../shared/store/messages.js';
import { reportNeeds } from '../composition.js';
import { generateMonthlyReport, periodsToReport, readReport, reportForRendering } from './service.js';

provideDefaults({ email: () => emailSender(sesTransport(), dynamoMessageLedger, () => ports().clock) });

export const getReport = apiHandler(pick(reportRoutes, 'getReport'), async ({ params }) =>
  ok(await readReport(params.period)),
);

export const getReportHtml = apiHandler(pick(reportRoutes, 'getReportHtml'), async ({ params, query }) => {
  const { report, language } = await reportForRendering(params.period);
  return {
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: renderReportHtml(report, { language: query.lang ?? language, variant: 'web' }),
  };
});

export const getReportCsv = apiHandler(pick(reportRoutes, 'getReportCsv'), async ({ params, query }) => {
  const { report, language, exports } = await reportForRendering(params.period);
  return {
    status: 200,
    contentType: 'text/csv; charset=utf-8',
    headers: { 'content-disposition': `attachment; filename="careloop-report-${params.period}.csv"` },
    body: renderReportCsv(report, { language: query.lang ?? language, exports: await exports() }),
  };
});

export const generateReport = apiHandler(pick(reportRoutes, 'generateReport'), async ({ params, body, now }) => {
  const { report } = await generateMonthlyReport(params.period, now, { email: body.email ?? false }, reportNeeds);
  return ok(report);
});

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
    const { report, emailError } = await generateMonthlyReport(period, now, { email: true }, reportNeeds);
    logger.info('report built', { period, version: report.version, email: report.email?.status ?? null });
    periods.push({ period, email: report.email?.status ?? null });
    failure ??= emailError;
  }
  if (failure) throw failure;
  return { periods };
}
