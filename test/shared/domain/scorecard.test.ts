import { describe, expect, it } from 'vitest';
import { attainmentOf, scorecardOf } from '../../../shared/domain/metrics.js';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings.js';
import type { KpiName } from '../../../shared/schemas/settings.js';

describe('the s004 scorecard', () => {
  it('attains 100 at or past the target, 0 at or past the amber bound, linearly between, either direction', () => {
    const nps = { target: 50, amber: 30, direction: 'higher' as const };
    expect([60, 50, 40, 30, 10].map((v) => attainmentOf(v, nps))).toEqual([100, 100, 50, 0, 0]);
    const rate = { target: 0.03, amber: 0.05, direction: 'lower' as const };
    expect([0.02, 0.03, 0.04, 0.05, 0.1].map((v) => attainmentOf(v, rate))).toEqual([100, 100, 50, 0, 0]);
    expect(attainmentOf(null, nps)).toBeNull();
  });

  it('weighs the attainments by kpis.scorecard (default s004: NPS 30 %, csat 25 %, resolution 20 %, …)', () => {
    const values = Object.fromEntries(Object.keys(DEFAULT_SETTINGS.kpis).map((k) => [k, null])) as Record<
      KpiName,
      number | null
    >;
    // NPS 40 → 50; csat 4.25 (target 4.5, amber 4) → 50; first-attempt resolution 0.9 → 100;
    // first response 0.9 (0.95 / 0.85) → 50; FCR 0.75 (0.8 / 0.7) → 50.
    // 0.3·50 + 0.25·50 + 0.2·100 + 0.125·50 + 0.125·50 = 60
    const all = {
      ...values,
      nps: 40,
      csat: 4.25,
      firstAttemptResolution: 0.9,
      firstResponse: 0.9,
      firstContactResolution: 0.75,
    };
    expect(scorecardOf(all, DEFAULT_SETTINGS)).toEqual({
      score: 60,
      attainment: { nps: 50, csat: 50, firstAttemptResolution: 100, firstResponse: 50, firstContactResolution: 50 },
    });
    // Without complaint figures, the other weights are rescaled: (15 + 12.5 + 6.25 + 6.25) / 0.8 = 50.
    expect(scorecardOf({ ...all, firstAttemptResolution: null }, DEFAULT_SETTINGS).score).toBe(50);
    const custom = { kpis: { ...DEFAULT_SETTINGS.kpis, scorecard: { nps: 0.5, firstAttemptResolution: 0.5 } } };
    expect(scorecardOf(all, custom).score).toBe(75);
    expect(scorecardOf(values, DEFAULT_SETTINGS).score).toBeNull();
  });
});
