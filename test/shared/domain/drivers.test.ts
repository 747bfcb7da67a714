/** Key drivers from pre-aggregated sums (issue 23): Pearson r exactly as from the answers themselves. */
import { describe, expect, it } from 'vitest';
import { sumCounters } from '../../../shared/domain/aggregates.js';
import { driverCounters, driverFigures, pearson } from '../../../shared/domain/analysis.js';

/** 30 answers: responsiveness equals overall, attitude is always 4, resolution runs against overall. */
const answers = Array.from({ length: 30 }, (_, i) => {
  const overall = (i % 5) + 1; // 1..5 six times each
  return {
    overall,
    nps: overall * 2,
    scores: { responsiveness: overall, attitude: 4, resolution: 6 - overall, convenience: i % 2 ? 5 : 3 },
  };
});
const summed = (rows: typeof answers) => sumCounters(rows.map((a) => driverCounters(a.scores, a.overall, a.nps)));

/** The textbook Pearson r straight from the pairs, to compare the sums with. */
function direct(xs: number[], ys: number[]): number {
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  const cov = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
  const vx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  const vy = ys.reduce((s, y) => s + (y - my) ** 2, 0);
  return cov / Math.sqrt(vx * vy);
}

describe('key drivers from sums (n, Σx, Σy, Σx², Σy², Σxy per dimension)', () => {
  const items = driverFigures(summed(answers), 'overall');
  const of = (d: string) => items.find((item) => item.dimension === d)!;

  it('gives r = 1 for a dimension equal to overall, null for a constant one, −1 for its mirror', () => {
    expect(of('responsiveness')).toMatchObject({ n: 30, r: 1 });
    expect(of('attitude')).toMatchObject({ n: 30, r: null, priority: null, quadrant: null });
    expect(of('resolution')).toMatchObject({ n: 30, r: -1 });
  });

  it('agrees with r computed from the answers themselves', () => {
    const xs = answers.map((a) => a.scores.convenience);
    const ys = answers.map((a) => a.overall);
    expect(of('convenience').r).toBe(Math.round(direct(xs, ys) * 1000) / 1000);
    // i odd → 5, even → 3; overall (i % 5) + 1: a weak positive correlation, not 0 and not 1
    expect(Math.abs(of('convenience').r!)).toBeLessThan(1);
  });

  it('scores each dimension on 0–10 and ranks a strong driver with a low score first', () => {
    // responsiveness mean 3 → 5; convenience mean 4 → 7.5; resolution mean 3 → 5; attitude 4 → 7.5
    expect(of('responsiveness').csi).toBe(5);
    expect(of('attitude').csi).toBe(7.5);
    // r × (10 − score): responsiveness 1 × 5 = 5 first; convenience ~0 × 2.5; resolution −1 × 5 last
    expect(of('responsiveness')).toMatchObject({ priority: 1, quadrant: 'fix_first' });
    expect(of('resolution').priority).toBe(3);
  });

  it('correlates with NPS when asked', () => {
    const nps = driverFigures(summed(answers), 'nps');
    expect(nps.find((item) => item.dimension === 'responsiveness')!.r).toBe(1); // NPS = 2 × overall
  });

  it('gives no figures below 30 answers, but the count', () => {
    const few = driverFigures(summed(answers.slice(0, 29)), 'overall');
    expect(few.find((item) => item.dimension === 'responsiveness')).toEqual({
      dimension: 'responsiveness',
      n: 29,
      r: null,
      csi: null,
      priority: null,
      quadrant: null,
    });
  });

  it('is null without variance and clamps rounding noise into [−1, 1]', () => {
    expect(pearson(3, 6, 6, 12, 14, 12)).toBeNull(); // x constant 2
    expect(pearson(0, 0, 0, 0, 0, 0)).toBeNull();
  });
});
