import { describe, expect, it } from 'vitest';
import { mergePatch } from '../../../shared/domain/merge-patch.js';
import { computeMetrics, kpiFigures, previousPeriod, share, statusOf } from '../../../shared/domain/metrics.js';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings.js';

const period = { from: '2026-10-01', to: '2026-10-31', timezone: 'Asia/Shanghai' };
const cell = (channel: string) => ({ day: '2026-10-05', channel, team: 'none' });

describe('KPIs from counters', () => {
  // 10 valid responses: overall 5,5,5,4,4,4,3,2,2,1 → sum 35, satisfied 6; NPS 10,9,9,8,7,6,5,3,2,0 → 3 promoters, 2 passives, 5 detractors
  const survey = {
    responses: 12,
    invalid_responses: 2,
    valid_responses: 10,
    overall_sum: 35,
    overall_satisfied: 6,
    dim_attitude_sum: 41,
    dim_attitude_satisfied: 8,
    nps_promoters: 3,
    nps_passives: 2,
    nps_detractors: 5,
    invitations: 40,
  };

  it('computes CSAT, satisfied share and NPS as the contract defines them', () => {
    const metrics = computeMetrics([{ cell: cell('chat'), counters: survey }], period, DEFAULT_SETTINGS);
    expect(metrics.satisfaction).toMatchObject({
      responses: 12,
      validResponses: 10,
      csat: 3.5,
      satisfiedShare: 0.6,
      responseRate: 0.3,
    });
    expect(metrics.satisfaction.dimensions.attitude).toEqual({ average: 4.1, satisfiedShare: 0.8 });
    expect(metrics.nps).toEqual({ score: -20, promoters: 3, passives: 2, detractors: 5 });
  });

  it('sums cells of several channels before dividing', () => {
    const metrics = computeMetrics(
      [
        { cell: cell('chat'), counters: { complaints: 1, interactions: 50, respond_met: 1 } },
        {
          cell: cell('phone'),
          counters: {
            complaints: 3,
            interactions: 50,
            respond_met: 1,
            respond_missed: 2,
            escalations: 2,
            recurrences: 1,
          },
        },
      ],
      period,
      DEFAULT_SETTINGS,
    );
    expect(metrics.complaints).toMatchObject({
      count: 4,
      rate: 0.04,
      respondedInTimeShare: 0.5,
      escalations: 2,
      recurrenceRate: 0.25,
    });
    expect(metrics.values.escalationRate).toBe(0.5);
    expect(metrics.status).toMatchObject({ complaintRate: 'amber', respondedInTime: 'red', recurrenceRate: 'red' });
  });
});

describe('red, amber, green', () => {
  const higher = { target: 0.9, amber: 0.8, direction: 'higher' as const, owner: 'x' };
  const lower = { target: 0.02, amber: 0.04, direction: 'lower' as const, owner: 'x' };
  it.each([
    [0.95, 'green'],
    [0.9, 'green'],
    [0.85, 'amber'],
    [0.8, 'amber'],
    [0.79, 'red'],
  ])('rates %f against a 90 %% target with an 80 %% amber line as %s', (value, expected) => {
    expect(statusOf(value, higher)).toBe(expected);
  });
  it('reverses for KPIs where lower is better', () => {
    expect(statusOf(0.01, lower)).toBe('green');
    expect(statusOf(0.03, lower)).toBe('amber');
    expect(statusOf(0.05, lower)).toBe('red');
  });
  it('gives no status without a value, and no share without a denominator', () => {
    expect(statusOf(null, higher)).toBeUndefined();
    expect(share(3, 0)).toBeNull();
  });
});

describe('JSON merge patch (RFC 7396)', () => {
  it('merges objects, replaces arrays and scalars, and deletes with null', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, list: [1, 2], keep: true }, { a: { b: 3, c: null }, list: [9] })).toEqual({
      a: { b: 3 },
      list: [9],
      keep: true,
    });
  });
  it('replaces the whole document when the patch is not an object', () => {
    expect(mergePatch({ a: 1 }, 'x')).toBe('x');
  });
});

describe('the previous period (compare=previous)', () => {
  it.each([
    // whole months: as many whole months before, whatever their lengths
    ['2026-11-01', '2026-11-30', '2026-10-01', '2026-10-31'],
    ['2026-03-01', '2026-03-31', '2026-02-01', '2026-02-28'],
    ['2026-01-01', '2026-01-31', '2025-12-01', '2025-12-31'],
    ['2026-07-01', '2026-09-30', '2026-04-01', '2026-06-30'], // a quarter
    ['2026-01-01', '2026-12-31', '2025-01-01', '2025-12-31'], // a year
    // anything else: as many days just before
    ['2026-11-01', '2026-11-10', '2026-10-22', '2026-10-31'],
    ['2026-03-02', '2026-03-08', '2026-02-23', '2026-03-01'],
    ['2026-11-10', '2026-11-10', '2026-11-09', '2026-11-09'],
  ])('%s..%s → %s..%s', (from, to, previousFrom, previousTo) => {
    expect(previousPeriod(from, to)).toEqual({ from: previousFrom, to: previousTo });
  });
});

describe('KPI figures', () => {
  const values = Object.fromEntries(Object.keys(DEFAULT_SETTINGS.kpis).map((name) => [name, null])) as Parameters<
    typeof kpiFigures
  >[0];

  it('carry the target, and previous and change only when compared', () => {
    const figures = kpiFigures({ ...values, firstResponse: 0.9, complaintRate: 0.03 }, DEFAULT_SETTINGS);
    expect(figures.firstResponse).toEqual({
      value: 0.9,
      status: 'amber',
      target: 0.95,
      amber: 0.85,
      direction: 'higher',
      owner: 'Service operations',
    });
    expect(figures.csat).toMatchObject({ value: null, status: null });
    const compared = kpiFigures({ ...values, firstResponse: 0.9, complaintRate: 0.03 }, DEFAULT_SETTINGS, {
      ...values,
      firstResponse: 0.8333,
    });
    expect(compared.firstResponse).toMatchObject({ previous: 0.8333, change: 0.0667 });
    expect(compared.complaintRate).toMatchObject({ value: 0.03, status: 'amber', previous: null, change: null });
  });
});
