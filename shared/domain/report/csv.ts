/**
 * The report as CSV for spreadsheets: each table of the report as a titled block, then a
 * row-level export of the month (one row per survey response and per complaint, no
 * personal data). UTF-8 with a BOM so Excel opens Chinese text correctly.
 */

import { LABELS, type Labels, type Language } from './labels.js';
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

/**
 * One titled block of the CSV: its title (a label of the report's language), its column names
 * (fixed, English, for formulas and imports) and its rows, read from the report.
 */
interface CsvSection {
  title: (labels: Labels) => string;
  headers: string[];
  rows: (report: PeriodReport) => CsvValue[][];
}

/** The report's tables, in the order the CSV shows them. */
const SECTIONS: CsvSection[] = [
  {
    title: (l) => l.overview,
    headers: [
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
    rows: (report) => [
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
  },
  {
    title: (l) => l.satisfaction,
    headers: ['dimension', 'average', 'satisfied_share', 'previous_satisfied_share', 'change'],
    rows: (report) =>
      report.satisfaction.dimensions.map((d) => [
        d.dimension,
        d.average,
        d.satisfiedShare,
        d.previousSatisfiedShare,
        d.change,
      ]),
  },
  {
    title: (l) => l.subIndicators,
    headers: ['dimension', 'sub_indicator', 'n', 'average', 'csi', 'lowest_rank'],
    rows: (report) => [
      ...report.satisfaction.dimensions.map((d): CsvValue[] => [d.dimension, '', null, d.average, d.csi, null]),
      ...Object.entries(report.satisfaction.subIndicators ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, f]): CsvValue[] => {
          const rank = (report.satisfaction.lowestSubIndicators ?? []).findIndex((s) => s.subIndicator === key);
          return [key.split('.')[0], key.split('.')[1] ?? '', f.n, f.average, f.csi, rank === -1 ? null : rank + 1];
        }),
    ],
  },
  {
    title: (l) => l.drivers,
    headers: ['priority', 'dimension', 'r', 'csi', 'n', 'quadrant'],
    rows: (report) => (report.drivers?.items ?? []).map((d) => [d.priority, d.dimension, d.r, d.csi, d.n, d.quadrant]),
  },
  {
    title: (l) => l.nps,
    headers: ['score', 'promoters', 'passives', 'detractors', 'previous_score', 'change'],
    rows: (report) => [
      [
        report.nps.score,
        report.nps.promoters,
        report.nps.passives,
        report.nps.detractors,
        report.nps.previousScore,
        report.nps.change,
      ],
    ],
  },
  {
    title: (l) => l.complaintMilestones,
    headers: [
      'complaints',
      'responded_in_time',
      'solution_in_time',
      'closed_in_time',
      'escalations',
      'recurrence_rate',
      'second_round_satisfied',
    ],
    rows: (report) => [
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
  },
  {
    title: (l) => l.serviceEfficiency,
    headers: [
      'channel',
      'interactions',
      'first_response_within_target',
      'p50_seconds',
      'p90_seconds',
      'resolution_within_target',
    ],
    rows: (report) =>
      report.serviceEfficiency.map((c) => [
        c.channel,
        c.interactions,
        c.firstResponseWithinTargetShare,
        c.p50Seconds,
        c.p90Seconds,
        c.resolutionWithinTargetShare,
      ]),
  },
  {
    title: (l) => l.topProblems,
    headers: ['category', 'count', 'share'],
    rows: (report) => report.topProblems.map((p) => [p.category, p.count, p.share]),
  },
  {
    title: (l) => l.examples,
    headers: ['category', 'comment', 'lowest_score', 'service_day', 'channel'],
    rows: (report) =>
      report.topProblems.flatMap((p) =>
        (p.examples ?? []).map((x) => [p.category, x.text, x.lowestScore, x.day, x.channel]),
      ),
  },
  {
    title: (l) => l.shortfalls,
    headers: ['kpi', 'value', 'target', 'amber', 'status', 'owner'],
    rows: (report) => report.shortfalls.map((k) => [k.name, k.value, k.target, k.amber, k.status, k.owner]),
  },
  {
    title: (l) => l.goals,
    headers: [
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
    rows: (report) =>
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
  },
  {
    title: (l) => l.campaigns,
    headers: [
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
    rows: (report) =>
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
  },
  {
    title: (l) => l.improvements,
    headers: ['id', 'problem', 'measure', 'department', 'owner_id', 'due_date', 'status', 'overdue'],
    rows: (report) =>
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
  },
  {
    title: (l) => l.trend,
    headers: ['month', 'csat', 'satisfied_share', 'nps', 'valid_responses', 'complaints'],
    rows: (report) => report.trend.map((t) => [t.month, t.csat, t.satisfiedShare, t.nps, t.responses, t.complaints]),
  },
];

/** A block: its title line (`# title`), its header line, its rows; CRLF between lines. */
const csvBlock = (title: string, headers: string[], rows: CsvValue[][]) =>
  [[`# ${title}`], headers, ...rows].map(csvLine).join('\r\n');

/**
 * The report's sections (SECTIONS), then the row-level exports given, as blocks parted by a blank
 * line; a BOM first, a CRLF last.
 */
export function renderReportCsv(report: PeriodReport, options: { language: Language; exports?: RowExport[] }): string {
  const labels = LABELS[options.language];
  const blocks = [
    ...SECTIONS.map((section) => csvBlock(section.title(labels), section.headers, section.rows(report))),
    ...(options.exports ?? []).map((extra) => csvBlock(extra.title, extra.headers, extra.rows)),
  ];
  return `\uFEFF${blocks.join('\r\n\r\n')}\r\n`;
}
