import { describe, expect, it } from 'vitest';
import { previousReportPeriod, reportPeriod, reportPeriodEndedBefore } from '../../../shared/domain/report/period.js';

describe('report periods', () => {
  it('reads a month, a quarter and a year', () => {
    expect(reportPeriod('2026-02')).toEqual({
      name: '2026-02',
      kind: 'month',
      from: '2026-02-01',
      to: '2026-02-28',
      months: ['2026-02'],
    });
    expect(reportPeriod('2026-Q3')).toEqual({
      name: '2026-Q3',
      kind: 'quarter',
      from: '2026-07-01',
      to: '2026-09-30',
      months: ['2026-07', '2026-08', '2026-09'],
    });
    expect(reportPeriod('2026')).toMatchObject({ kind: 'year', from: '2026-01-01', to: '2026-12-31' });
    expect(reportPeriod('2026')!.months).toHaveLength(12);
  });

  it.each(['2026-13', '2026-Q5', '2026-Q0', '26', '2026-1', 'Q3-2026', '2026-q3'])('refuses %s', (name) => {
    expect(reportPeriod(name)).toBeUndefined();
  });

  it.each([
    ['2026-01', '2025-12'],
    ['2026-03', '2026-02'],
    ['2026-Q1', '2025-Q4'],
    ['2026-Q3', '2026-Q2'],
    ['2026', '2025'],
  ])('%s comes after %s', (name, before) => {
    expect(previousReportPeriod(reportPeriod(name)!).name).toBe(before);
  });

  it('names the period that just ended where the schedule fires', () => {
    // 08:00 on 1 October in Shanghai is 00:00 UTC: Q3 and September ended, the year did not
    const firstOfOctober = new Date('2026-10-01T00:00:00Z');
    expect(reportPeriodEndedBefore(firstOfOctober, 'quarter', 'Asia/Shanghai').name).toBe('2026-Q3');
    expect(reportPeriodEndedBefore(firstOfOctober, 'month', 'Asia/Shanghai').name).toBe('2026-09');
    // 08:00 on 1 January in Shanghai: the year before and its last quarter
    const newYear = new Date('2027-01-01T00:00:00Z');
    expect(reportPeriodEndedBefore(newYear, 'year', 'Asia/Shanghai').name).toBe('2026');
    expect(reportPeriodEndedBefore(newYear, 'quarter', 'Asia/Shanghai').name).toBe('2026-Q4');
  });
});
