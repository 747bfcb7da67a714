/** The scheduled monthly report reports the month that just ended where its schedule fired. */
import { describe, expect, it } from 'vitest';
import { monthToReport, periodsToReport } from '../../../functions/reports/service.js';
import { SCHEDULES } from '../../../shared/schedules.js';

describe('the month the scheduled report covers', () => {
  it('is the month before the 1st on which the schedule fired, read in the schedule zone', () => {
    const schedule = SCHEDULES.find((s) => s.id === 'monthlyReport')!;
    expect(schedule.timezone).toBe('Asia/Shanghai');
    // 08:00 on 1 December in Shanghai is still 30 November in UTC and in every zone west of it.
    const fired = new Date('2026-12-01T00:00:00Z');
    expect(monthToReport(fired)).toBe('2026-11');
    expect(monthToReport(new Date('2027-01-01T00:00:00Z'))).toBe('2026-12');
  });

  it('never skips a month for a schedule in a zone west of UTC', () => {
    // 08:00 on 1 December in Los Angeles.
    expect(monthToReport(new Date('2026-12-01T16:00:00Z'), 'America/Los_Angeles')).toBe('2026-11');
    // The same instant read in Shanghai is already 2 December: still November's report.
    expect(monthToReport(new Date('2026-12-01T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-11');
  });
});

describe('the periods one scheduled run reports', () => {
  it('is the month alone inside a quarter, the month and its quarter at a quarter end, all three at a year end', () => {
    // 08:00 in Shanghai on the 1st (00:00 UTC)
    expect(periodsToReport(new Date('2026-12-01T00:00:00Z'))).toEqual(['2026-11']);
    expect(periodsToReport(new Date('2026-10-01T00:00:00Z'))).toEqual(['2026-09', '2026-Q3']);
    expect(periodsToReport(new Date('2027-01-01T00:00:00Z'))).toEqual(['2026-12', '2026-Q4', '2026']);
  });
});
