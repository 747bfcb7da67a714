/**
 * Quiet hours: the local night during which non-urgent messages wait. Pure, shared by
 * escalation notices and customer follow-ups.
 */
import { addDays, localDate, zonedInstant } from './time.js';

export interface QuietHours {
  /** HH:MM local; when start > end the quiet period spans midnight (21:00–08:00). */
  start: string;
  end: string;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The quiet periods that touch a local date: the one that started the evening before and the one starting that day. */
function quietPeriodsAround(quiet: QuietHours, date: string, timeZone: string): Array<[Date, Date]> {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return [];
  if (start < end) return [[zonedInstant(date, start, timeZone), zonedInstant(date, end, timeZone)]];
  return [
    [zonedInstant(addDays(date, -1), start, timeZone), zonedInstant(date, end, timeZone)],
    [zonedInstant(date, start, timeZone), zonedInstant(addDays(date, 1), end, timeZone)],
  ];
}

/**
 * When a message due at `now` may go out: `now` outside quiet hours, else the end of the
 * quiet period (the next morning).
 *
 * @example
 * sendableAt(new Date('2026-11-03T14:30:00Z'), { start: '21:00', end: '08:00' }, 'Asia/Shanghai'); // 22:30 local → 08:00 local (00:00Z next day)
 */
export function sendableAt(now: Date, quiet: QuietHours, timeZone: string): Date {
  const date = localDate(now, timeZone);
  for (const [from, to] of quietPeriodsAround(quiet, date, timeZone)) {
    if (from <= now && now < to) return to;
  }
  return now;
}

export function isQuietTime(now: Date, quiet: QuietHours, timeZone: string): boolean {
  return sendableAt(now, quiet, timeZone).getTime() !== now.getTime();
}
