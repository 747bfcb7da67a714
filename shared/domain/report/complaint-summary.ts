/**
 * The weekly complaint summary for the complaints desk (s000 投诉处置: "每周汇总数据"): what came in,
 * what was resolved and escalated in the week, and the open backlog with its oldest cases. The
 * week's flows come from the KPI counters (registration-day and event-day cells), the backlog
 * from the open-complaints index: the cost does not grow with the number of complaints ever
 * recorded. Free text (a complaint's description) is masked before it is shown.
 */

import type { Counters } from '../aggregates.js';
import { countsByCategory, foldLegacy } from '../categories.js';
import { maskFreeText } from '../masking.js';
import { addDays, dayOfWeek, localDate } from '../time.js';

/** A Monday-to-Sunday week in the settings' zone, named as ISO 8601 (`2026-W48`). */
export interface Week {
  name: string;
  from: string;
  to: string;
}

/** The ISO week (Monday to Sunday) holding `date` (YYYY-MM-DD). */
export function weekOf(date: string): Week {
  const from = addDays(date, -((dayOfWeek(date) + 6) % 7));
  const thursday = addDays(from, 3);
  const year = Number(thursday.slice(0, 4));
  const dayOfYear = (Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / 86_400_000;
  const number = Math.floor(dayOfYear / 7) + 1;
  return { name: `${year}-W${String(number).padStart(2, '0')}`, from, to: addDays(from, 6) };
}

/** The week that ended last before `now`, read in `zone` (the Monday job reports on the week before). */
export function weekEndedBefore(now: Date, zone: string): Week {
  const today = localDate(now, zone);
  return weekOf(addDays(weekOf(today).from, -1));
}

/** `2026-W48` → its Monday to Sunday. */
export function weekFromName(name: string) {
  const match = /^(\d{4})-W(\d{2})$/.exec(name);
  if (!match) throw new Error(`not an ISO week: ${name}`);
  const [year, number] = [Number(match[1]), Number(match[2])];
  // 4 January is always in week 1.
  const week1 = weekOf(`${year}-01-04`);
  const monday = new Date(Date.parse(`${week1.from}T00:00:00Z`) + (number - 1) * 7 * 86_400_000);
  return weekOf(monday.toISOString().slice(0, 10));
}

export interface CounterCell {
  cell: { team: string };
  counters: Counters;
}

export interface BacklogComplaint {
  id: string;
  category: string;
  severity: string;
  team?: string | undefined;
  status: string;
  registeredAt: string;
  breached: boolean;
  description: string;
  escalationLevel: number;
  resolvedAt?: string | undefined;
}

/** How many of the oldest open complaints the summary lists. */
export const OLDEST_LISTED = 5;

const NO_TEAM = 'none';

function byPrefix(counters: Counters, prefix: string): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counters)
      .filter(([name, value]) => name.startsWith(prefix) && value !== 0)
      .map(([name, value]): [string, number] => [name.slice(prefix.length), value])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** Per category code (legacy slugs folded in), by code. */
const byCode = (counters: Counters, prefix: string): Record<string, number> =>
  Object.fromEntries(Object.entries(countsByCategory(counters, prefix)).sort(([a], [b]) => a.localeCompare(b)));

function byTeam(rows: CounterCell[], counter: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) {
    const value = row.counters[counter] ?? 0;
    if (value) out[row.cell.team] = (out[row.cell.team] ?? 0) + value;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function count(values: Iterable<string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[value] = (out[value] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

export function buildComplaintSummary(input: {
  week: Week;
  generatedAt: Date;
  timezone: string;
  /** The counter cells of the week's days (every channel and team). */
  cells: CounterCell[];
  backlog: { items: BacklogComplaint[]; complete: boolean };
  /** Surge alerts opened in the week's months (those of the week's days are listed). */
  surges?: ReadonlyArray<WeekSurge>;
}) {
  const total: Counters = {};
  for (const row of input.cells)
    for (const [name, value] of Object.entries(row.counters)) total[name] = (total[name] ?? 0) + value;
  const open = input.backlog.items;
  const overdue = open.filter((c) => c.breached);
  const unresolved = open.filter((c) => !c.resolvedAt);
  const now = input.generatedAt.getTime();
  const oldest = [...unresolved]
    .sort((a, b) => a.registeredAt.localeCompare(b.registeredAt) || a.id.localeCompare(b.id))
    .slice(0, OLDEST_LISTED)
    .map((c) => ({
      id: c.id,
      category: c.category,
      severity: c.severity,
      team: c.team ?? NO_TEAM,
      status: c.status,
      registeredAt: c.registeredAt,
      daysOpen: Math.floor((now - Date.parse(c.registeredAt)) / 86_400_000),
      breached: c.breached,
      escalationLevel: c.escalationLevel,
      // The customer's words may carry a phone, an email, a name: masked, and kept short.
      description: truncate(maskFreeText(c.description), 80),
    }));
  return {
    week: input.week.name,
    period: { from: input.week.from, to: input.week.to, timezone: input.timezone },
    generatedAt: input.generatedAt.toISOString(),
    /** Registered in the week. */
    new: {
      count: total.complaints ?? 0,
      byCategory: byCode(total, 'complaints_cat_'),
      bySeverity: byPrefix(total, 'complaints_sev_'),
      byTeam: byTeam(input.cells, 'complaints'),
    },
    /** Resolved in the week, whenever registered. */
    resolved: {
      count: total.cday_resolved ?? 0,
      byCategory: byCode(total, 'cday_resolved_cat_'),
      byTeam: byTeam(input.cells, 'cday_resolved'),
    },
    /** Escalation steps taken in the week (a missed deadline or an agent's escalate). */
    escalated: {
      count: total.cday_escalations ?? 0,
      byCategory: byCode(total, 'cday_escalations_cat_'),
      byTeam: byTeam(input.cells, 'cday_escalations'),
    },
    /** Not closed now; `overdue` missed a deadline; `unresolved` still has no solution accepted. */
    open: {
      count: open.length,
      unresolved: unresolved.length,
      overdue: overdue.length,
      byCategory: count(open.map((c) => foldLegacy(c.category))),
      byTeam: count(open.map((c) => c.team ?? NO_TEAM)),
      overdueByTeam: count(overdue.map((c) => c.team ?? NO_TEAM)),
      /** False when the backlog was larger than one read's budget: the figures are then a lower bound. */
      complete: input.backlog.complete,
      oldest,
    },
    /** Surges opened in the week (s000 专项评估), oldest first, each with its 72 h assessment. */
    surges: (input.surges ?? [])
      .filter((surge) => surge.day >= input.week.from && surge.day <= input.week.to)
      .map(({ id, day, category, last24h, dailyMean, dueBy, status, improvementId }) => ({
        id,
        day,
        category,
        last24h,
        dailyMean,
        dueBy,
        status,
        improvementId,
      }))
      .sort((a, b) => a.day.localeCompare(b.day) || a.id.localeCompare(b.id)),
  };
}

/** A surge alert as the summary lists it. */
export interface WeekSurge {
  id: string;
  day: string;
  category: string;
  last24h: number;
  dailyMean: number;
  dueBy: string;
  status: string;
  improvementId: string;
}

export type ComplaintSummary = ReturnType<typeof buildComplaintSummary>;

function truncate(text: string, length: number): string {
  const chars = [...text];
  return chars.length <= length ? text : `${chars.slice(0, length - 1).join('')}…`;
}
