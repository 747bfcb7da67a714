import { describe, expect, it } from 'vitest';
import { mergePatch } from '../../../shared/domain/merge-patch.js';
import {
  CAMPAIGN_CHANNEL,
  computeMetrics,
  groupCells,
  intervalsOf,
  kpiFigures,
  previousPeriod,
  share,
  statusOf,
} from '../../../shared/domain/metrics.js';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings.js';
import { KPI_NAMES } from '../../../shared/schemas/settings.js';

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
    // 41 / 10 = 4.1 → (4.1 − 1) / 4 × 10 = 7.75 on 0–10; the other four dimensions have no answers counted
    expect(metrics.satisfaction.dimensions.attitude).toEqual({ n: 10, average: 4.1, satisfiedShare: 0.8, csi: 7.75 });
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
    // a month to date: the same days of the previous month, cut at its end
    ['2026-12-01', '2026-12-07', '2026-11-01', '2026-11-07'],
    ['2026-11-01', '2026-11-10', '2026-10-01', '2026-10-10'],
    ['2026-03-01', '2026-03-30', '2026-02-01', '2026-02-28'],
    ['2026-01-01', '2026-01-15', '2025-12-01', '2025-12-15'],
    // anything else: as many days just before
    ['2026-03-02', '2026-03-08', '2026-02-23', '2026-03-01'],
    ['2026-11-10', '2026-11-10', '2026-11-09', '2026-11-09'],
  ])('%s..%s → %s..%s', (from, to, previousFrom, previousTo) => {
    expect(previousPeriod(from, to)).toEqual({ from: previousFrom, to: previousTo });
  });
});

describe('interval series buckets', () => {
  it('cuts weeks (Monday to Sunday) and months at the period’s ends', () => {
    expect(intervalsOf('2026-11-04', '2026-11-17', 'week')).toEqual([
      { from: '2026-11-04', to: '2026-11-08' },
      { from: '2026-11-09', to: '2026-11-15' },
      { from: '2026-11-16', to: '2026-11-17' },
    ]);
    expect(intervalsOf('2026-06-15', '2026-09-10', 'month').map((b) => b.from)).toEqual([
      '2026-06-15',
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
    ]);
    expect(intervalsOf('2026-12-30', '2027-01-01', 'day')).toHaveLength(3);
  });
});

describe('KPI figures', () => {
  const values = Object.fromEntries(KPI_NAMES.map((name) => [name, null])) as Parameters<typeof kpiFigures>[0];

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

describe('CSI from counters (s004, issue 23)', () => {
  const at = { day: '2026-10-05', channel: 'chat', team: 'none' };
  // 4 valid answers stored before item counts (one answer per service dimension each) and 2 itemized
  // answers: a product item each (4 and 2), a price item (3) from one of them; sub-indicators of resolution.
  const counters = {
    valid_responses: 6,
    itemized_responses: 2,
    dim_responsiveness_sum: 4 * 4 + 5 + 3, // legacy 4 answers of 4, itemized 5 and 3 (n 2) → 24 / 6 = 4 → 7.5
    dim_responsiveness_n: 2,
    dim_professionalism_sum: 18 + 8, // 26 / 6 = 4.333… → 8.33
    dim_professionalism_n: 2,
    dim_attitude_sum: 24, // 24 / 6 = 4 → 7.5
    dim_attitude_n: 2,
    dim_resolution_sum: 12 + 4, // 16 / 6 = 2.666… → 4.17
    dim_resolution_n: 2,
    dim_convenience_sum: 30, // 30 / 6 = 5 → 10
    dim_convenience_n: 2,
    dim_product_sum: 6, // itemized only: 6 / 2 = 3 → 5
    dim_product_n: 2,
    dim_price_sum: 3, // 3 / 1 → 5
    dim_price_n: 1,
    sub_resolution__follow_up_sum: 3, // 3 / 2 = 1.5 → 1.25
    sub_resolution__follow_up_n: 2,
    sub_resolution__follow_up_satisfied: 0,
    sub_resolution__solution_fit_sum: 9, // 9 / 2 = 4.5 → 8.75
    sub_resolution__solution_fit_n: 2,
    sub_resolution__solution_fit_satisfied: 2,
  };
  const metricsWith = (kpis: Record<string, unknown> = {}) =>
    computeMetrics([{ cell: at, counters }], period, { kpis: { ...DEFAULT_SETTINGS.kpis, ...kpis } });

  it('scores each dimension on 0–10 from every answer of it, old and itemized', () => {
    const { dimensions } = metricsWith().satisfaction;
    expect(dimensions.responsiveness).toMatchObject({ n: 6, average: 4, csi: 7.5 });
    expect(dimensions.professionalism).toMatchObject({ n: 6, average: 4.33, csi: 8.33 });
    expect(dimensions.resolution).toMatchObject({ n: 6, average: 2.67, csi: 4.17 });
    expect(dimensions.product).toMatchObject({ n: 2, average: 3, csi: 5 });
    expect(dimensions.price).toMatchObject({ n: 1, average: 3, csi: 5 });
  });

  it('weighs the dimension scores equally by default, or by kpis.csiWeights', () => {
    // equal: (7.5 + 8.3333 + 7.5 + 4.1667 + 10 + 5 + 5) / 7 = 47.5 / 7 = 6.7857 → 6.79
    expect(metricsWith().satisfaction.csi).toBe(6.79);
    expect(metricsWith().values.csi).toBe(6.79);
    // 0.5 × 7.5 (responsiveness) + 0.25 × 4.1667 (resolution) + 0.25 × 10 (convenience) = 7.2917 → 7.29
    const weighted = metricsWith({ csiWeights: { responsiveness: 0.5, resolution: 0.25, convenience: 0.25 } });
    expect(weighted.satisfaction.csi).toBe(7.29);
    // a weighted dimension without answers is left out, the others' weights renormalised: 10 × 1
    expect(metricsWith({ csiWeights: { logistics: 0.5, convenience: 0.5 } }).satisfaction.csi).toBe(10);
  });

  it('gives sub-indicator averages and names the lowest dimension and sub-indicator', () => {
    const { satisfaction } = metricsWith();
    expect(satisfaction.subIndicators).toEqual({
      'resolution.follow_up': { n: 2, average: 1.5, satisfiedShare: 0, csi: 1.25 },
      'resolution.solution_fit': { n: 2, average: 4.5, satisfiedShare: 1, csi: 8.75 },
    });
    expect(satisfaction.lowestDimension).toEqual({ dimension: 'resolution', csi: 4.17 });
    expect(satisfaction.lowestSubIndicator).toEqual({ subIndicator: 'resolution.follow_up', csi: 1.25 });
  });
});

describe('groups of counter cells', () => {
  const row = (channel: string, team: string, agent?: string) => ({
    cell: { day: '2026-11-02', channel, team, ...(agent ? { agent } : {}) },
  });
  const rows = [row('phone', 'T1', 'A1'), row('email', 'T2'), row(CAMPAIGN_CHANNEL, 'CMP-1', 'A1'), row('phone', 'T1')];

  it('leaves campaign cells out of team and agent groups: their team is a campaign id, no team', () => {
    expect([...groupCells(rows, 'team').keys()]).toEqual(['T1', 'T2']);
    expect(groupCells(rows, 'team').get('T1')).toHaveLength(2);
    expect([...groupCells(rows, 'agent').keys()]).toEqual(['A1']);
    expect(groupCells(rows, 'agent').get('A1')).toHaveLength(1);
  });

  it('keeps campaign answers as their own channel', () => {
    expect([...groupCells(rows, 'channel').keys()]).toEqual([CAMPAIGN_CHANNEL, 'email', 'phone']);
  });
});
