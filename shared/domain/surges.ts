/**
 * Complaint surges (s000 专项评估: a sudden rise in one kind of complaint gets a special assessment
 * within 72 h). As a complaint is registered, its category's complaints of the last 24 hours are
 * compared with the category's daily mean over the 28 days before them; at the configured
 * threshold a `surge` alert opens, once per category and local day. Pure: the counts come from
 * the category's hour counters (shared/store/surges.ts), never from reading complaints.
 */
import { DAY, HOUR, localDate } from './time.js';

/** The baseline: the category's daily mean over this many days before the last 24 hours. */
export const SURGE_BASELINE_DAYS = 28;
/** s000: the special assessment is due 72 hours after the surge opened. */
export const SURGE_ASSESSMENT_HOURS = 72;

export interface SurgeThreshold {
  /** At least this many complaints of one category in 24 hours… */
  minCount: number;
  /** …and at least this multiple of its daily mean over the previous 28 days. */
  multipleOfMean: number;
}

/** The hour counter a complaint registered at `at` adds to: its UTC day's item, attribute `hHH`. */
export function surgeHourOf(at: Date): { day: string; hour: string } {
  const iso = at.toISOString();
  return { day: iso.slice(0, 10), hour: `h${iso.slice(11, 13)}` };
}

/** The UTC days whose hour counters a check at `now` reads: the last 24 hours and the 28 days before. */
export function surgeDays(now: Date): { from: string; to: string } {
  return {
    from: new Date(now.getTime() - (SURGE_BASELINE_DAYS + 1) * DAY).toISOString().slice(0, 10),
    to: now.toISOString().slice(0, 10),
  };
}

/** One stored counter item: a UTC day and its complaints per hour (`h00`…`h23`). */
export interface HourCounts {
  day: string;
  hours: Record<string, number>;
}

export interface SurgeFigures {
  /** The category's complaints in the 24 hours up to now (the current hour included). */
  last24h: number;
  /** Its daily mean over the 28 days before those 24 hours. */
  dailyMean: number;
}

/**
 * The window figures at `now`, by whole hours: the 24 hours ending with the current one, and the
 * 28 × 24 hours before them.
 */
export function surgeFigures(items: readonly HourCounts[], now: Date): SurgeFigures {
  const currentHour = Math.floor(now.getTime() / HOUR) * HOUR;
  const windowStart = currentHour - 23 * HOUR;
  const baselineStart = windowStart - SURGE_BASELINE_DAYS * DAY;
  let last24h = 0;
  let baseline = 0;
  for (const item of items)
    for (const [hour, count] of Object.entries(item.hours)) {
      const start = Date.parse(`${item.day}T${hour.slice(1)}:00:00Z`);
      if (Number.isNaN(start) || start > currentHour) continue;
      if (start >= windowStart) last24h += count;
      else if (start >= baselineStart) baseline += count;
    }
  return { last24h, dailyMean: baseline / SURGE_BASELINE_DAYS };
}

/** Whether the figures reach the threshold (both parts). */
export const isSurge = (figures: SurgeFigures, threshold: SurgeThreshold): boolean =>
  figures.last24h >= threshold.minCount && figures.last24h >= threshold.multipleOfMean * figures.dailyMean;

/** The local day a surge counts for (once per category and day), and when its assessment is due. */
export function surgeOpening(now: Date, timeZone: string): { day: string; dueBy: string } {
  return {
    day: localDate(now, timeZone),
    dueBy: new Date(now.getTime() + SURGE_ASSESSMENT_HOURS * HOUR).toISOString(),
  };
}
