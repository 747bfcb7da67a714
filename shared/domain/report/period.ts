/**
 * Report periods: a month (YYYY-MM), a quarter (YYYY-Qn) or a year (YYYY). Every report is
 * built from the counter cells of its days, so a quarter costs what three months cost, and its
 * figures are those of its months summed (never averaged).
 */
import { defined } from '../errors.js';
import { localDate, monthRange } from '../time.js';

export type ReportKind = 'month' | 'quarter' | 'year';

export interface ReportPeriod {
  /** YYYY-MM, YYYY-Qn or YYYY. */
  name: string;
  kind: ReportKind;
  /** First and last local date, inclusive. */
  from: string;
  to: string;
  /** Its months, in order (YYYY-MM). */
  months: string[];
}

export const REPORT_PERIOD_PATTERN = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;

const monthName = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** The period a name means, or undefined when it is none of YYYY-MM, YYYY-Qn, YYYY. */
export function reportPeriod(name: string): ReportPeriod | undefined {
  const match = REPORT_PERIOD_PATTERN.exec(name);
  if (!match) return undefined;
  const year = Number(match[1]);
  const [kind, first, count]: [ReportKind, number, number] = match[2]
    ? ['month', Number(match[2]) - 1, 1]
    : match[3]
      ? ['quarter', (Number(match[3]) - 1) * 3, 3]
      : ['year', 0, 12];
  const months = Array.from({ length: count }, (_, i) => monthName(year * 12 + first + i));
  const firstMonth = defined(months[0], `the first month of ${name}`);
  const lastMonth = defined(months.at(-1), `the last month of ${name}`);
  return { name, kind, from: monthRange(firstMonth).from, to: monthRange(lastMonth).to, months };
}

/** The period of the same kind just before (2026-Q1 → 2025-Q4, 2026 → 2025, 2026-01 → 2025-12). */
export function previousReportPeriod(period: ReportPeriod): ReportPeriod {
  const [year, month] = defined(period.months[0], `the first month of ${period.name}`).split('-').map(Number) as [
    number,
    number,
  ];
  const start = year * 12 + month - 1 - period.months.length;
  const name =
    period.kind === 'month'
      ? monthName(start)
      : period.kind === 'quarter'
        ? `${Math.floor(start / 12)}-Q${Math.floor((start % 12) / 3) + 1}`
        : String(Math.floor(start / 12));
  return defined(reportPeriod(name), `report period ${name}`);
}

/** The period of `kind` that just ended when a schedule fires at `now` (read in the schedule's own zone). */
export function reportPeriodEndedBefore(now: Date, kind: ReportKind, zone: string): ReportPeriod {
  const today = localDate(now, zone);
  const name =
    kind === 'month'
      ? today.slice(0, 7)
      : kind === 'quarter'
        ? `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`
        : today.slice(0, 4);
  const current = defined(reportPeriod(name), `report period ${name}`);
  return previousReportPeriod(current);
}
