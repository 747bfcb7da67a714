/** The monthly report as an email: email-safe HTML, a plain-text part, and the CSV attached. */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { renderReportCsv, type RowExport } from '../../shared/domain/report/csv.js';
import { renderReportHtml } from '../../shared/domain/report/html.js';
import { LABELS, type Language } from '../../shared/domain/report/labels.js';
import type { MonthlyReport } from '../../shared/domain/report/model.js';
import { decimal, kpiValue, percent } from '../../shared/domain/report/format.js';

export interface ReportEmail {
  /** Deterministic: one month's report is one message, whatever the number of runs. */
  id: string;
  from: string;
  to: string[];
  subject: string;
  raw: Buffer;
}

function plainText(report: MonthlyReport, language: Language): string {
  const l = LABELS[language];
  return [
    l.title(report.month),
    `${l.period}: ${report.period.from} – ${report.period.to}`,
    `${l.csat}: ${decimal(report.satisfaction.csat)}   ${l.satisfiedShare}: ${percent(report.satisfaction.satisfiedShare)}   NPS: ${decimal(report.nps.score, 1)}`,
    `${l.complaints}: ${report.complaints.count}   ${l.respondedInTime}: ${percent(report.complaints.respondedInTimeShare)}`,
    '',
    `${l.shortfalls}:`,
    ...report.shortfalls.map((k) => `- ${l.kpis[k.name as keyof typeof l.kpis] ?? k.name}: ${kpiValue(k.name, k.value)} (${l.target} ${kpiValue(k.name, k.target)}, ${k.status}) — ${k.owner}`),
  ].join('\n');
}

export async function composeReportEmail(
  report: MonthlyReport,
  options: { language: Language; from: string; to: string[]; exports?: RowExport[] },
): Promise<ReportEmail> {
  const subject = LABELS[options.language].title(report.month);
  const id = `report-${report.month}@careloop`;
  const composer = new MailComposer({
    from: options.from,
    to: options.to,
    subject,
    messageId: `<${id}>`,
    text: plainText(report, options.language),
    html: renderReportHtml(report, { language: options.language, variant: 'email' }),
    attachments: [
      {
        filename: `careloop-report-${report.month}.csv`,
        content: renderReportCsv(report, { language: options.language, exports: options.exports }),
        contentType: 'text/csv; charset=utf-8',
      },
    ],
  });
  const raw = await composer.compile().build();
  return { id, from: options.from, to: options.to, subject, raw };
}
