/** The monthly report as plain text (the email's text part), zh or en. */
import { decimal, kpiValue, percent } from './format.js';
import { CATEGORY_LABELS, LABELS, type Language } from './labels.js';
import type { PeriodReport } from './model.js';

export function renderReportText(report: PeriodReport, language: Language): string {
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
    `${l.goals}:`,
    ...(report.goals ?? []).map(
      (g) =>
        `- ${g.name ?? g.id} (${l.kpis[g.kpi as keyof typeof l.kpis] ?? g.kpi}): ${kpiValue(g.kpi, g.current)} / ${l.expectedNow} ${kpiValue(g.kpi, g.expectedNow)} / ${l.target} ${kpiValue(g.kpi, g.targetValue)} ${g.by} — ${l.goalStatuses[g.status] ?? g.status}`,
    ),
    '',
    `${l.drivers}:`,
    ...(report.drivers?.items ?? [])
      .filter((d) => d.priority !== null)
      .map(
        (d) =>
          `- ${d.priority}. ${l.dimensions[d.dimension as keyof typeof l.dimensions] ?? d.dimension}: r ${d.r}, CSI ${decimal(d.csi)} (${l.quadrants[d.quadrant ?? ''] ?? '—'})`,
      ),
    `${l.lowestSubIndicators}: ${(report.satisfaction.lowestSubIndicators ?? []).map((s) => `${s.subIndicator} (CSI ${decimal(s.csi)})`).join(', ') || '—'}`,
    '',
    `${l.campaigns}:`,
    ...(report.campaigns ?? []).map(
      (c) =>
        `- ${c.name}: ${l.responseRate} ${percent(c.responseRate)}, ${l.marginOfError} ${c.marginOfError === null ? '—' : `±${percent(c.marginOfError)}`}`,
    ),
    '',
    `${l.shortfalls}:`,
    ...report.shortfalls.map(
      (k) =>
        `- ${l.kpis[k.name as keyof typeof l.kpis] ?? k.name}: ${kpiValue(k.name, k.value)} (${l.target} ${kpiValue(k.name, k.target)}, ${k.status}) — ${k.owner}`,
    ),
  ].join('\n');
}
