/**
 * The reports as email messages: the monthly report (email-safe HTML, a plain-text part, the CSV
 * attached) and the weekly complaint summary. The renderings live in shared/domain/report.
 */
import { messageIds } from '../../shared/domain/message-ids.js';
import type { ComplaintSummary } from '../../shared/domain/report/complaint-summary.js';
import {
  complaintSummaryHtml,
  complaintSummaryText,
  SUMMARY_WORDS,
} from '../../shared/domain/report/complaint-summary-render.js';
import { type RowExport, renderReportCsv } from '../../shared/domain/report/csv.js';
import { renderReportHtml } from '../../shared/domain/report/html.js';
import { LABELS, type Language } from '../../shared/domain/report/labels.js';
import type { PeriodReport } from '../../shared/domain/report/model.js';
import { renderReportText } from '../../shared/domain/report/text.js';
import type { EmailMessage } from '../../shared/notify/ports.js';

/**
 * The report email. Its id is the month's, so the exactly-once sender (shared/notify) sends a
 * month's report once however many runs ask it to.
 */
export function reportEmail(
  report: PeriodReport,
  options: { language: Language; to: string[]; exports?: RowExport[] },
): EmailMessage {
  return {
    id: messageIds.monthlyReport(report.month),
    to: options.to,
    subject: LABELS[options.language].title(report.month),
    text: renderReportText(report, options.language),
    html: renderReportHtml(report, { language: options.language, variant: 'email' }),
    attachments: [
      {
        filename: `careloop-report-${report.month}.csv`,
        contentType: 'text/csv; charset=utf-8',
        content: renderReportCsv(report, { language: options.language, exports: options.exports }),
      },
    ],
  };
}

/** The email: one message id per week, so a re-run (or a scheduler retry) never sends it twice. */
export function complaintSummaryEmail(
  summary: ComplaintSummary,
  options: { language: Language; to: string[] },
): EmailMessage {
  return {
    id: messageIds.complaintSummary(summary.week),
    to: options.to,
    subject: SUMMARY_WORDS[options.language].subject(summary.week),
    text: complaintSummaryText(summary, options.language),
    html: complaintSummaryHtml(summary, options.language),
  };
}
