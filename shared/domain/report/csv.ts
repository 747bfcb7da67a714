/**
 * The report as CSV for spreadsheets: each table of the report as a titled block, then a
 * row-level export of the month (one row per survey response and per complaint, no
 * personal data). UTF-8 with a BOM so Excel opens Chinese text correctly.
 */

import { LABELS, type Language } from './labels.js';
import type { PeriodReport } from './model.js';

export type CsvValue = string | number | boolean | null | undefined;

/** RFC 4180 quoting; cells that a spreadsheet would run as a formula are defused with a leading '. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: CsvValue[]) => cells.map(csvCell).join(',');

export interface RowExport {
  title: string;
  headers: string[];
  rows: CsvValue[][];
}

export function renderReportCsv(report: PeriodReport, options: { language: Language; exports?: RowExport[] }): string {
  const l = LABELS[options.language];
  const blocks: CsvValue[][][] = [];
  const block = (title: string, headers: string[], rows: CsvValue[][]) =>
    blocks.push([[`# ${title}`], headers, ...rows]);

  block(
    l.overview,
    [
      'month',
      'from',
      'to',
      'interactions',
      'complaints',
      'responses',
      'valid_responses',
      'response_rate',
      'csat',
      'satisfied_share',
      'nps',
    ],
    [
      [
        report.month,
        report.period.from,
        report.period.to,
        report.overview.interactions,
        report.overview.complaints,
        report.overview.responses,
        report.overview.validResponses,
        report.overview.responseRate,
        report.satisfaction.csat,
        report.satisfaction.satisfiedShare,
        report.nps.score,
      ],
    ],
  );
  block(
    l.satisfaction,
    ['dimension', 'average', 'satisfied_share', 'previous_satisfied_share', 'change'],
    report.satisfaction.dimensions.map((d) => [
      d.dimension,
      d.average,
      d.satisfiedShare,
      d.previousSatisfiedShare,
      d.change,
    ]),
  );
  block(
    l.subIndicators,
    ['dimension', 'sub_indicator', 'n', 'average', 'csi', 'lowest_rank'],
    [
      ...report.satisfaction.dimensions.map((d): CsvValue[] => [d.dimension, '', null, d.average, d.csi, null]),
      ...Object.entries(report.satisfaction.subIndicators ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, f]): CsvValue[] => {
          const rank = (report.satisfaction.lowestSubIndicators ?? []).findIndex((s) => s.subIndicator === key);
          return [key.split('.')[0], key.split('.')[1] ?? '', f.n, f.average, f.csi, rank === -1 ? null : rank + 1];
        }),
    ],
  );
  block(
    l.drivers,
    ['priority', 'dimension', 'r', 'csi', 'n', 'quadrant'],
    (report.drivers?.items ?? []).map((d) => [d.priority, d.dimension, d.r, d.csi, d.n, d.quadrant]),
  );
  block(
    l.nps,
    ['score', 'promoters', 'passives', 'detractors', 'previous_score', 'change'],
    [
      [
        report.nps.score,
        report.nps.promoters,
        report.nps.passives,
        report.nps.detractors,
        report.nps.previousScore,
        report.nps.change,
      ],
    ],
  );
  block(
    l.complaintMilestones,
    [
      'complaints',
      'responded_in_time',
      'solution_in_time',
      'closed_in_time',
      'escalations',
      'recurrence_rate',
      'second_round_satisfied',
    ],
    [
      [
        report.complaints.count,
        report.complaints.respondedInTimeShare,
        report.complaints.solutionInTimeShare,
        report.complaints.closedInTimeShare,
        report.complaints.escalations,
        report.complaints.recurrenceRate,
        report.complaints.secondRoundSatisfiedShare,
      ],
    ],
  );
  block(
    l.serviceEfficiency,
    [
      'channel',
      'interactions',
      'first_response_within_target',
      'p50_seconds',
      'p90_seconds',
      'resolution_within_target',
    ],
    report.serviceEfficiency.map((c) => [
      c.channel,
      c.interactions,
      c.firstResponseWithinTargetShare,
      c.p50Seconds,
      c.p90Seconds,
      c.resolutionWithinTargetShare,
    ]),
  );
  block(
    l.topProblems,
    ['category', 'count', 'share'],
    report.topProblems.map((p) => [p.category, p.count, p.share]),
  );
  block(
    l.examples,
    ['category', 'comment', 'lowest_score', 'service_day', 'channel'],
    report.topProblems.flatMap((p) =>
      (p.examples ?? []).map((x) => [p.category, x.text, x.lowestScore, x.day, x.channel]),
    ),
  );
  block(
    l.shortfalls,
    ['kpi', 'value', 'target', 'amber', 'status', 'owner'],
    report.shortfalls.map((k) => [k.name, k.value, k.target, k.amber, k.status, k.owner]),
  );
  block(
    l.goals,
    [
      'id',
      'name',
      'kpi',
      'team',
      'channel',
      'baseline',
      'target',
      'by',
      'expected_now',
      'current',
      'status',
      'owner',
      'as_of',
    ],
    (report.goals ?? []).map((g) => [
      g.id,
      g.name,
      g.kpi,
      g.scope.team,
      g.scope.channel,
      g.baselineValue,
      g.targetValue,
      g.by,
      g.expectedNow,
      g.current,
      g.status,
      g.owner,
      g.asOf,
    ]),
  );
  block(
    l.campaigns,
    [
      'id',
      'name',
      'questionnaire',
      'version',
      'window_from',
      'window_to',
      'status',
      'audience',
      'invited',
      'answered',
      'valid',
      'response_rate',
      'margin_of_error',
    ],
    (report.campaigns ?? []).map((c) => [
      c.id,
      c.name,
      c.questionnaire.id,
      c.questionnaire.version,
      c.window.from,
      c.window.to,
      c.status,
      c.audience,
      c.invited,
      c.answered,
      c.valid,
      c.responseRate,
      c.marginOfError,
    ]),
  );
  block(
    l.improvements,
    ['id', 'problem', 'measure', 'department', 'owner_id', 'due_date', 'status', 'overdue'],
    report.improvements.map((i) => [
      i.id,
      i.problem,
      i.measure,
      i.department,
      i.ownerId,
      i.dueDate,
      i.status,
      i.overdue,
    ]),
  );
  block(
    l.trend,
    ['month', 'csat', 'satisfied_share', 'nps', 'valid_responses', 'complaints'],
    report.trend.map((t) => [t.month, t.csat, t.satisfiedShare, t.nps, t.responses, t.complaints]),
  );
  for (const extra of options.exports ?? []) block(extra.title, extra.headers, extra.rows);

  return `\uFEFF${blocks.map((lines) => lines.map(csvLine).join('\r\n')).join('\r\n\r\n')}\r\n`;
}
