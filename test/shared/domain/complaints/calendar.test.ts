import { describe, expect, it } from 'vitest';
import {
  addWorkingTime,
  deadlineAfter,
  deadlineAfterPause,
  isWorkingTime,
  nextWorkingTime,
  workingTimeBetween,
} from '../../../../shared/domain/complaints/calendar.js';
import { HOUR } from '../../../../shared/domain/time.js';
import type { Calendar } from '../../../../shared/schemas/settings.js';

const at = (iso: string) => new Date(iso);
const weekdays = (start: string, end: string) =>
  Object.fromEntries(['1', '2', '3', '4', '5'].map((day) => [day, [{ start, end }]])) as Calendar['workingHours'];

const ROUND_THE_CLOCK: Calendar = { timezone: 'Asia/Shanghai', workingHours: {}, holidays: [] };
/** Mon–Fri 09:00–18:00 in Shanghai, closed for the National Day week. */
const SHANGHAI_OFFICE: Calendar = {
  timezone: 'Asia/Shanghai',
  workingHours: weekdays('09:00', '18:00'),
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
};
const BERLIN_OFFICE: Calendar = { timezone: 'Europe/Berlin', workingHours: weekdays('09:00', '17:00'), holidays: [] };
const SHANGHAI_SHORT_DAYS: Calendar = {
  timezone: 'Asia/Shanghai',
  workingHours: weekdays('09:00', '17:00'),
  holidays: [],
};

describe('calendar-hour deadlines (the default 24×7 policy)', () => {
  it('falls 1 h, 24 h and 72 h after registration', () => {
    const registered = at('2026-11-03T02:00:00Z');
    expect(deadlineAfter(ROUND_THE_CLOCK, registered, 60, 'elapsed')).toEqual(at('2026-11-03T03:00:00Z'));
    expect(deadlineAfter(ROUND_THE_CLOCK, registered, 24 * 60, 'elapsed')).toEqual(at('2026-11-04T02:00:00Z'));
    expect(deadlineAfter(ROUND_THE_CLOCK, registered, 72 * 60, 'elapsed')).toEqual(at('2026-11-06T02:00:00Z'));
  });

  it('counts the same in working-time mode when the calendar never closes', () => {
    expect(deadlineAfter(ROUND_THE_CLOCK, at('2026-11-03T23:30:00Z'), 24 * 60, 'working_time')).toEqual(
      at('2026-11-04T23:30:00Z'),
    );
  });

  it('skips a holiday of a round-the-clock calendar', () => {
    const withHoliday: Calendar = { ...ROUND_THE_CLOCK, holidays: ['2026-11-04'] };
    // 23:30 on the 3rd (local) + 1 h lands on the closed 4th: moves to 00:00 on the 5th.
    expect(deadlineAfter(withHoliday, at('2026-11-03T15:30:00Z'), 60, 'elapsed')).toEqual(at('2026-11-04T16:00:00Z'));
  });
});

describe('business-hour deadlines with holidays (Asia/Shanghai, no DST)', () => {
  it('moves a deadline that falls after closing on Friday to Monday’s opening', () => {
    // Friday 17:30 local + 60 min = 18:30, after closing.
    expect(deadlineAfter(SHANGHAI_OFFICE, at('2026-11-06T09:30:00Z'), 60, 'elapsed')).toEqual(
      at('2026-11-09T01:00:00Z'),
    );
  });

  it('counts only working time when the policy says so: Friday 17:30 + 1 h is Monday 09:30', () => {
    expect(deadlineAfter(SHANGHAI_OFFICE, at('2026-11-06T09:30:00Z'), 60, 'working_time')).toEqual(
      at('2026-11-09T01:30:00Z'),
    );
  });

  it('keeps a deadline that lands exactly at closing time', () => {
    expect(deadlineAfter(SHANGHAI_OFFICE, at('2026-11-06T09:00:00Z'), 60, 'elapsed')).toEqual(
      at('2026-11-06T10:00:00Z'),
    );
    expect(isWorkingTime(SHANGHAI_OFFICE, at('2026-11-06T10:00:00Z'))).toBe(true);
    expect(isWorkingTime(SHANGHAI_OFFICE, at('2026-11-06T10:00:01Z'))).toBe(false);
  });

  it('jumps the National Day week: 17:30 on 30 September + 1 h is 09:00 on 8 October', () => {
    expect(deadlineAfter(SHANGHAI_OFFICE, at('2026-09-30T09:30:00Z'), 60, 'elapsed')).toEqual(
      at('2026-10-08T01:00:00Z'),
    );
    expect(deadlineAfter(SHANGHAI_OFFICE, at('2026-09-30T09:30:00Z'), 60, 'working_time')).toEqual(
      at('2026-10-08T01:30:00Z'),
    );
  });

  it('spreads 24 working hours over three office days: Tuesday 10:00 → Thursday 16:00', () => {
    expect(deadlineAfter(SHANGHAI_OFFICE, at('2026-11-03T02:00:00Z'), 24 * 60, 'working_time')).toEqual(
      at('2026-11-05T08:00:00Z'),
    );
  });

  it('starts the clock at opening for a complaint registered before it', () => {
    // Monday 07:00 local.
    expect(addWorkingTime(SHANGHAI_OFFICE, at('2026-11-08T23:00:00Z'), HOUR)).toEqual(at('2026-11-09T02:00:00Z'));
  });

  it('leaves the lunch break out', () => {
    const withLunch: Calendar = {
      ...SHANGHAI_OFFICE,
      workingHours: {
        '2': [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '18:00' },
        ],
      },
    };
    // Tuesday 11:30 + 60 working minutes = 13:30.
    expect(addWorkingTime(withLunch, at('2026-11-03T03:30:00Z'), HOUR)).toEqual(at('2026-11-03T05:30:00Z'));
  });

  it('measures working time across a weekend', () => {
    // Friday 17:00 → Monday 10:00: one hour on Friday, one on Monday.
    expect(workingTimeBetween(SHANGHAI_OFFICE, at('2026-11-06T09:00:00Z'), at('2026-11-09T02:00:00Z'))).toBe(2 * HOUR);
    expect(workingTimeBetween(SHANGHAI_OFFICE, at('2026-11-09T02:00:00Z'), at('2026-11-06T09:00:00Z'))).toBe(0);
  });

  it('gives the same answer in Shanghai the weekend Europe changes its clocks', () => {
    // Friday 27 March 16:30 local + 1 working hour → Monday 30 March 09:30 local (UTC+8 throughout).
    expect(deadlineAfter(SHANGHAI_SHORT_DAYS, at('2026-03-27T08:30:00Z'), 60, 'working_time')).toEqual(
      at('2026-03-30T01:30:00Z'),
    );
  });

  it('refuses a calendar that never opens instead of looping', () => {
    const closed: Calendar = { timezone: 'Asia/Shanghai', workingHours: { '1': [] }, holidays: [] };
    expect(() => nextWorkingTime(closed, at('2026-11-03T02:00:00Z'))).toThrow(/no working time/);
  });
});

describe('business-hour deadlines across DST (Europe/Berlin)', () => {
  it('opens at 09:00 local on both sides of the spring change', () => {
    // Friday 27 March 16:30 CET (UTC+1) + 1 working hour → Monday 30 March 09:30 CEST (UTC+2) = 07:30Z.
    expect(deadlineAfter(BERLIN_OFFICE, at('2026-03-27T15:30:00Z'), 60, 'working_time')).toEqual(
      at('2026-03-30T07:30:00Z'),
    );
    expect(deadlineAfter(BERLIN_OFFICE, at('2026-03-27T15:30:00Z'), 60, 'elapsed')).toEqual(at('2026-03-30T07:00:00Z'));
  });

  it('opens at 09:00 local after the autumn change', () => {
    // Friday 23 October 16:30 CEST (UTC+2) + 1 working hour → Monday 26 October 09:30 CET (UTC+1) = 08:30Z.
    expect(deadlineAfter(BERLIN_OFFICE, at('2026-10-23T14:30:00Z'), 60, 'working_time')).toEqual(
      at('2026-10-26T08:30:00Z'),
    );
  });

  it('counts 24 calendar hours as elapsed time over the short night', () => {
    const berlinAllDay: Calendar = { timezone: 'Europe/Berlin', workingHours: {}, holidays: [] };
    // Saturday 28 March 12:00 CET + 24 h = Sunday 13:00 CEST on the wall clock (the day had 23 hours).
    expect(deadlineAfter(berlinAllDay, at('2026-03-28T11:00:00Z'), 24 * 60, 'elapsed')).toEqual(
      at('2026-03-29T11:00:00Z'),
    );
  });

  it('counts an 8-hour working day on the day clocks go back', () => {
    const everyDay: Calendar = {
      ...BERLIN_OFFICE,
      workingHours: { ...BERLIN_OFFICE.workingHours, '7': [{ start: '09:00', end: '17:00' }] },
    };
    // Sunday 25 October is 25 hours long, but 09:00–17:00 local is still 8 hours.
    expect(workingTimeBetween(everyDay, at('2026-10-24T22:00:00Z'), at('2026-10-25T22:00:00Z'))).toBe(8 * HOUR);
  });
});

describe('pausing the SLA clock', () => {
  it('moves a calendar-hour deadline by the whole pause', () => {
    // Due 03:00Z; paused 02:20Z → 04:20Z: two hours later.
    expect(
      deadlineAfterPause(
        ROUND_THE_CLOCK,
        at('2026-11-03T03:00:00Z'),
        at('2026-11-03T02:20:00Z'),
        at('2026-11-03T04:20:00Z'),
        'elapsed',
      ),
    ).toEqual(at('2026-11-03T05:00:00Z'));
  });

  it('moves a working-time deadline only by the working part of the pause', () => {
    // Due Monday 09:30; paused Friday 17:00 → Monday 09:00: one working hour (Friday 17–18) → Monday 10:30.
    expect(
      deadlineAfterPause(
        SHANGHAI_OFFICE,
        at('2026-11-09T01:30:00Z'),
        at('2026-11-06T09:00:00Z'),
        at('2026-11-09T01:00:00Z'),
        'working_time',
      ),
    ).toEqual(at('2026-11-09T02:30:00Z'));
  });

  it('moves an elapsed-time deadline that lands after hours to the next opening', () => {
    // Due Tuesday 17:00; paused 2 h → 19:00, after closing → Wednesday 09:00.
    expect(
      deadlineAfterPause(
        SHANGHAI_OFFICE,
        at('2026-11-03T09:00:00Z'),
        at('2026-11-03T02:00:00Z'),
        at('2026-11-03T04:00:00Z'),
        'elapsed',
      ),
    ).toEqual(at('2026-11-04T01:00:00Z'));
  });
});
