/**
 * The call-back queue of negative feedback (s004 差评分析, 情绪识别): every detractor answer and
 * every strongly negative comment is an alert someone must call back within two business days
 * on the team's calendar, claimed by one person and closed with an outcome. Pure.
 */
import type { Calendar } from '../schemas/settings.js';
import { ALWAYS_OPEN, workingPeriodsOn } from './complaints/calendar.js';
import { addDays, DAY, localDate, MINUTE, zonedInstant, zoneOffsetMs } from './time.js';

/** s004: a call-back is due two business days after the answer. */
export const CALLBACK_BUSINESS_DAYS = 2;

export type AlertStatus = 'open' | 'claimed' | 'done';
export type AlertKind = 'detractor' | 'negative_comment';

/** A day the calendar has working time on (every day for a 24×7 calendar, none on a holiday). */
const isBusinessDay = (calendar: Calendar, date: string) => workingPeriodsOn(calendar, date).length > 0;

/**
 * `days` business days after `from`, at the same local time of day: Friday 15:00 with a
 * Monday–Friday calendar is due Tuesday 15:00; a closed day or holiday does not count.
 */
export function businessDaysAfter(from: Date, days: number, calendar: Calendar): Date {
  const zone = calendar.timezone;
  let date = localDate(from, zone);
  for (let counted = 0, guard = 0; counted < days && guard < 3660; guard += 1) {
    date = addDays(date, 1);
    if (isBusinessDay(calendar, date)) counted += 1;
  }
  const sinceMidnight = (((from.getTime() + zoneOffsetMs(from, zone)) % DAY) + DAY) % DAY;
  return new Date(zonedInstant(date, Math.floor(sinceMidnight / MINUTE), zone).getTime() + (sinceMidnight % MINUTE));
}

/** A detractor when the answer's NPS raised it; otherwise the comment did. */
export const alertKindOf = (reasons: readonly string[]): AlertKind =>
  reasons.some((reason) => reason.startsWith('NPS')) ? 'detractor' : 'negative_comment';

/** Whether an outcome recorded at `at` met the call-back's `dueBy`. */
export const handledInTime = (at: Date, dueBy: string) => at.getTime() <= new Date(dueBy).getTime();

/** The calendar a team's call-backs follow: a calendar named after the team, else the one complaints of medium severity use. */
export function callbackCalendar(
  settings: { calendars: Record<string, Calendar>; sla: { policies: { medium: { calendar: string } } } },
  team: string | undefined,
): Calendar {
  const own = team && Object.hasOwn(settings.calendars, team) ? settings.calendars[team] : undefined;
  return own ?? settings.calendars[settings.sla.policies.medium.calendar] ?? ALWAYS_OPEN;
}

/** When a call-back raised at `raisedAt` is due, and the counter cell of that day where it counts. */
export function callbackDue(
  raisedAt: Date,
  cell: { channel: string; team: string },
  settings: Parameters<typeof callbackCalendar>[0] & { timezone: string },
  team: string | undefined,
): { dueBy: string; dueCell: { day: string; channel: string; team: string } } {
  const dueBy = businessDaysAfter(raisedAt, CALLBACK_BUSINESS_DAYS, callbackCalendar(settings, team));
  return { dueBy: dueBy.toISOString(), dueCell: { ...cell, day: localDate(dueBy, settings.timezone) } };
}
