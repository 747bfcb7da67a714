import { describe, expect, it } from 'vitest';
import { type HourCounts, isSurge, surgeDays, surgeFigures, surgeOpening } from '../../../shared/domain/surges.js';

const NOW = new Date('2026-11-10T02:30:00Z');
const threshold = { minCount: 5, multipleOfMean: 3 };

/** `perDay` complaints at 09:00 UTC on each of the `days` days before yesterday. */
function baseline(perDay: number, days = 28): HourCounts[] {
  return Array.from({ length: days }, (_, i) => ({
    day: new Date(Date.UTC(2026, 10, 8 - i)).toISOString().slice(0, 10),
    hours: { h09: perDay },
  }));
}

describe('surge figures', () => {
  it('counts the 24 hours up to the current one, and the daily mean over the 28 days before them', () => {
    const items: HourCounts[] = [
      // Today 00:00–02:59 UTC and yesterday from 03:00: the last 24 h.
      { day: '2026-11-10', hours: { h00: 1, h02: 2, h03: 50 } }, // h03 is in the future: ignored
      { day: '2026-11-09', hours: { h03: 1, h23: 1, h02: 4 } }, // 02:00 yesterday is 24½ h ago: baseline
      ...baseline(1),
    ];
    const figures = surgeFigures(items, NOW);
    expect(figures.last24h).toBe(5);
    // 28 days × 1, plus the 4 of yesterday 02:00, over 28 days.
    expect(figures.dailyMean).toBeCloseTo((28 + 4) / 28, 6);
    // A day further back is outside the baseline.
    expect(surgeFigures([...items, { day: '2026-10-11', hours: { h09: 100 } }], NOW)).toEqual(figures);
  });

  it('is a surge at both parts of the threshold only', () => {
    expect(isSurge({ last24h: 5, dailyMean: 0 }, threshold)).toBe(true);
    expect(isSurge({ last24h: 4, dailyMean: 0 }, threshold)).toBe(false);
    // A category that usually has 3 a day needs 9.
    expect(isSurge({ last24h: 8, dailyMean: 3 }, threshold)).toBe(false);
    expect(isSurge({ last24h: 9, dailyMean: 3 }, threshold)).toBe(true);
  });

  it('reads 29 UTC days, and opens for the local day with a 72 h assessment', () => {
    expect(surgeDays(NOW)).toEqual({ from: '2026-10-12', to: '2026-11-10' });
    // 23:30 UTC is the next day in Shanghai.
    expect(surgeOpening(new Date('2026-11-09T23:30:00Z'), 'Asia/Shanghai')).toEqual({
      day: '2026-11-10',
      dueBy: '2026-11-12T23:30:00.000Z',
    });
  });
});
