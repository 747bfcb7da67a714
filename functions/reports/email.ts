/** The monthly report as an email: email-safe HTML, a plain-text part, and the CSV attached. */
import { messageIds } from '../../shared/domain/message-ids.js';
import { type RowExport, renderReportCsv } from '../../shared/domain/report/csv.js';
import { decimal, kpiValue, percent } from '../../shared/domain/report/format.js';
import { renderReportHtml } from '../../shared/domain/report/html.js';
import { CATEGORY_LABELS, LABELS, type Language } from '../../shared/domain/report/labels.js';
import type { PeriodReport } from '../../shared/domain/report/model.js';
import type { EmailMessage } from '../../shared/notify/ports.js';

function plainText(report: PeriodReport, language: Language): string {
  const l = LABELS[language];
  return [
    l.title(report.month),
    `${l.period}: ${report.period.from} – ${report.period.to}`,
    `${l.csat}: ${decimal(report.satisfaction.csat)}   ${l.satisfiedShare}: ${percent(report.satisfaction.satisfiedShare)}   NPS: ${decimal(report.nps.score, 1)}`,
    `${l.complaints}: ${report.complaints.count}   ${l.respondedInTime}: ${percent(report.complaints.respondedInTimeShare)}`,
    '',
    `${l.topProblems}:`,
    ...report.topProblems.flatMap((p) => [
      `- ${CATEGORY_LABELS[language][p.category] ?? p.category}: ${p.count} (${percent(p.share)})`,
      ...(p.examples ?? []).map((x) => `    “${x.text}”`),
    ]),
    '',
    `${l.shortfalls}:`,
    ...report.shortfalls.map(
      (k) =>
        `- ${l.kpis[k.name as keyof typeof l.kpis] ?? k.name}: ${kpiValue(k.name, k.value)} (${l.target} ${kpiValue(k.name, k.target)}, ${k.status}) — ${k.owner}`,
    ),
  ].join('\n');
}

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
    text: plainText(report, options.language),
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
