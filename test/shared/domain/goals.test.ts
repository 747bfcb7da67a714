import { describe, expect, it } from 'vitest';
import { currentPeriodOf, expectedNowOf, goalStatusOf, targetValueOf } from '../../../shared/domain/goals.js';

describe('goal arithmetic', () => {
  it('turns a target into a value: as given, or changed from the baseline', () => {
    expect(targetValueOf({ value: 8 }, null)).toBe(8);
    expect(targetValueOf({ change: { absolute: 5 } }, 32)).toBe(37); // s004 NPS +5 a quarter
    expect(targetValueOf({ change: { relative: 0.1 } }, 4)).toBe(4.4); // s000 +10 %
    expect(targetValueOf({ change: { absolute: 5 } }, null)).toBeNull();
  });

  it('draws expectedNow on a straight line from the end of the baseline to `by`, the target after it', () => {
    const goal = {
      baseline: { from: '2026-07-01', to: '2026-09-30' },
      by: '2026-12-29',
      baselineValue: 7.5,
      targetValue: 8,
    };
    expect(expectedNowOf(goal, '2026-09-30')).toBe(7.5);
    expect(expectedNowOf(goal, '2026-11-14')).toBe(7.75); // 45 of 90 days
    expect(expectedNowOf(goal, '2027-01-15')).toBe(8);
    expect(expectedNowOf({ ...goal, baselineValue: null }, '2026-11-14')).toBeNull();
    expect(currentPeriodOf(goal, '2026-11-14')).toEqual({ from: '2026-10-01', to: '2026-11-14' });
    expect(currentPeriodOf(goal, '2027-02-01')).toEqual({ from: '2026-10-01', to: '2026-12-29' });
    expect(currentPeriodOf(goal, '2026-09-30')).toBeNull();
  });

  it('is on track at or past expectedNow and at risk behind it, in the KPI’s direction', () => {
    const higher = (current: number | null, today = '2026-11-14') =>
      goalStatusOf('higher', { current, expectedNow: 7.75, targetValue: 8 }, today, '2026-12-29');
    expect(higher(7.75)).toBe('on_track');
    expect(higher(7.74)).toBe('at_risk');
    expect(higher(8)).toBe('achieved');
    expect(higher(null)).toBe('at_risk');
    expect(higher(7.9, '2026-12-30')).toBe('missed');
    // A lower-is-better KPI (negative share ≤ 3 %): below the line is ahead.
    const lower = (current: number) =>
      goalStatusOf('lower', { current, expectedNow: 0.04, targetValue: 0.03 }, '2026-11-14', '2026-12-29');
    expect(lower(0.035)).toBe('on_track');
    expect(lower(0.045)).toBe('at_risk');
    expect(lower(0.03)).toBe('achieved');
  });
});
