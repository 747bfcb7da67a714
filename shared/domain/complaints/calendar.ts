/**
 * Working time of a calendar (business hours per weekday, holidays, an IANA zone), and
 * deadlines computed on it. Pure: instants in, instants out. Wall times are resolved in the
 * calendar's zone on each local date, so a DST change moves opening hours with the clock.
 */
import type { Calendar } from '../../schemas/settings.js';
import { addDays, dayOfWeek, localDate, MINUTE, zonedInstant } from '../time.js';

/** How a policy's minutes use the calendar (see SlaPolicy.counting). */
export type Counting = 'elapsed' | 'working_time';

/** One stretch of working time, [start, end). */
export interface WorkingPeriod {
  start: Date;
  end: Date;
}

/** A calendar that never closes: 24×7 in its zone, no holidays. */
export const ALWAYS_OPEN: Calendar = { timezone: 'UTC', workingHours: {}, holidays: [] };

/** Far enough to cross any realistic run of closed days; a calendar with no working time at all fails loudly. */
const MAX_DAYS_SEARCHED = 3660;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether the calendar lists working hours at all (an empty `workingHours` means open around the clock). */
const hasBusinessHours = (calendar: Calendar) => Object.keys(calendar.workingHours).length > 0;

/** The working periods of one local date, in order (none on a holiday or a closed weekday). */
export function workingPeriodsOn(calendar: Calendar, date: string): WorkingPeriod[] {
  if (calendar.holidays.includes(date)) return [];
  const weekday = String(dayOfWeek(date) || 7) as keyof Calendar['workingHours'];
  const hours = hasBusinessHours(calendar)
    ? (calendar.workingHours[weekday] ?? [])
    : [{ start: '00:00', end: '24:00' }];
  return hours
    .map(({ start, end }) => ({
      start: zonedInstant(date, minutesOf(start), calendar.timezone),
      end: zonedInstant(date, minutesOf(end), calendar.timezone),
    }))
    .filter((period) => period.end > period.start)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Working periods that end after `from`, in order, starting on `from`'s local date. */
function* periodsFrom(calendar: Calendar, from: Date): Generator<WorkingPeriod> {
  // Start a day early: a period of the previous local date never ends after `from`, but this costs nothing and keeps the rule simple.
  let date = addDays(localDate(from, calendar.timezone), -1);
  for (let searched = 0; searched < MAX_DAYS_SEARCHED; searched += 1, date = addDays(date, 1)) {
    for (const period of workingPeriodsOn(calendar, date)) if (period.end > from) yield period;
  }
  throw new Error(`calendar in ${calendar.timezone} has no working time within ${MAX_DAYS_SEARCHED} days`);
}

/** Whether `instant` falls in working time (a period's closing instant counts as inside). */
export function isWorkingTime(calendar: Calendar, instant: Date): boolean {
  const date = localDate(instant, calendar.timezone);
  return [addDays(date, -1), date].some((day) =>
    workingPeriodsOn(calendar, day).some((p) => p.start <= instant && instant <= p.end),
  );
}

/** `instant` itself when it is working time, else the next opening. */
export function nextWorkingTime(calendar: Calendar, instant: Date): Date {
  if (isWorkingTime(calendar, instant)) return instant;
  for (const period of periodsFrom(calendar, instant)) if (period.start >= instant) return period.start;
  /* c8 ignore next */
  throw new Error('unreachable');
}

/** The instant at which `ms` of working time has passed after `from`. */
export function addWorkingTime(calendar: Calendar, from: Date, ms: number): Date {
  let remaining = ms;
  for (const period of periodsFrom(calendar, from)) {
    const start = period.start > from ? period.start : from;
    const available = period.end.getTime() - start.getTime();
    if (remaining <= available) return new Date(start.getTime() + remaining);
    remaining -= available;
  }
  /* c8 ignore next */
  throw new Error('unreachable');
}

/** Working time between two instants, in milliseconds (0 when `to` is not after `from`). */
export function workingTimeBetween(calendar: Calendar, from: Date, to: Date): number {
  if (to <= from) return 0;
  let total = 0;
  for (const period of periodsFrom(calendar, from)) {
    if (period.start >= to) break;
    const start = period.start > from ? period.start : from;
    const end = period.end < to ? period.end : to;
    total += Math.max(0, end.getTime() - start.getTime());
  }
  return total;
}

/**
 * The deadline `minutes` after `start`. `elapsed`: the minutes run around the clock and a
 * deadline outside working time moves to the next working time; `working_time`: only
 * working time counts.
 *
 * @example
 * // Registered Friday 17:30 in a Mon–Fri 09:00–18:00 Shanghai calendar, 60 minutes to respond:
 * deadlineAfter(officeHours, new Date('2026-11-06T09:30:00Z'), 60, 'elapsed');      // Monday 09:00 (01:00Z)
 * deadlineAfter(officeHours, new Date('2026-11-06T09:30:00Z'), 60, 'working_time'); // Monday 09:30 (01:30Z)
 */
export function deadlineAfter(calendar: Calendar, start: Date, minutes: number, counting: Counting): Date {
  if (counting === 'working_time') return addWorkingTime(calendar, start, minutes * MINUTE);
  return nextWorkingTime(calendar, new Date(start.getTime() + minutes * MINUTE));
}

/**
 * Where a deadline moves when its clock was stopped from `pausedAt` to `resumedAt`: later by
 * the paused time as the policy counts it (all of it for `elapsed`, its working part for `working_time`).
 */
export function deadlineAfterPause(
  calendar: Calendar,
  dueBy: Date,
  pausedAt: Date,
  resumedAt: Date,
  counting: Counting,
): Date {
  if (counting === 'working_time')
    return addWorkingTime(calendar, dueBy, workingTimeBetween(calendar, pausedAt, resumedAt));
  return nextWorkingTime(calendar, new Date(dueBy.getTime() + Math.max(0, resumedAt.getTime() - pausedAt.getTime())));
}
