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
import { generateMonthlyReport, monthToReport, readReport, reportForRendering } from './service.js';

provideDefaults({ email: () => emailSender(sesTransport(), dynamoMessageLedger, () => ports().clock) });

export const getReport = apiHandler(pick(reportRoutes, 'getReport'), async ({ params }) =>
  ok(await readReport(params.month)),
);

export const getReportHtml = apiHandler(pick(reportRoutes, 'getReportHtml'), async ({ params, query }) => {
  const { report, language } = await reportForRendering(params.month);
  return {
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: renderReportHtml(report, { language: query.lang ?? language, variant: 'web' }),
  };
});

export const getReportCsv = apiHandler(pick(reportRoutes, 'getReportCsv'), async ({ params, query }) => {
  const { report, language, exports } = await reportForRendering(params.month);
  return {
    status: 200,
    contentType: 'text/csv; charset=utf-8',
    headers: { 'content-disposition': `attachment; filename="careloop-report-${params.month}.csv"` },
    body: renderReportCsv(report, { language: query.lang ?? language, exports: await exports() }),
  };
});

export const generateReport = apiHandler(pick(reportRoutes, 'generateReport'), async ({ params, body, now }) => {
  const { report } = await generateMonthlyReport(params.month, now, { email: body.email ?? false }, reportNeeds);
  return ok(report);
});

/**
 * EventBridge Scheduler target: the previous month's report, emailed. Throws when the email
 * failed, so the scheduler's retry policy runs it again (the stored report is already safe).
 */
export async function scheduledMonthlyReport(): Promise<{ month: string; email: string | null }> {
  const now = ports().clock.now();
  const month = monthToReport(now);
  const { report, emailError } = await generateMonthlyReport(month, now, { email: true }, reportNeeds);
  logger.info('monthly report built', { month, version: report.version, email: report.email?.status ?? null });
  if (emailError) throw emailError;
  return { month, email: report.email?.status ?? null };
}
