import { describe, expect, it } from 'vitest';
import { driverCounters } from '../../../shared/domain/analysis.js';
import { activityDelta, customerCounts, deriveSegment } from '../../../shared/domain/customers.js';
import { npsClass, responseContribution } from '../../../shared/domain/surveys.js';
import { answers } from '../../support/builders/surveys.js';

const cell = { day: '2026-11-03', channel: 'phone', team: 'hotline' };

describe('what a survey response adds to the KPI counters', () => {
  it('adds satisfaction, dimension, NPS and comment-category counters for a valid response', () => {
    const contribution = responseContribution({
      cell,
      subjectType: 'interaction',
      valid: true,
      answers: answers({
        scores: { responsiveness: 2, professionalism: 5, attitude: 4, resolution: 3, convenience: 4 },
        overall: 4,
        nps: 6,
        comment: '等了很久',
      }),
      categories: ['slow_response'],
      alert: false,
    });
    expect(contribution).toEqual({
      cell,
      counters: {
        responses: 1,
        valid_responses: 1,
        overall_sum: 4,
        overall_satisfied: 1,
        dim_responsiveness_sum: 2,
        dim_responsiveness_satisfied: 0,
        dim_professionalism_sum: 5,
        dim_professionalism_satisfied: 1,
        dim_attitude_sum: 4,
        dim_attitude_satisfied: 1,
        dim_resolution_sum: 3,
        dim_resolution_satisfied: 0,
        dim_convenience_sum: 4,
        dim_convenience_satisfied: 1,
        nps_detractors: 1,
        comments: 1,
        comment_cat_slow_response: 1,
        // the key-driver sums of each dimension (x) against overall (o = 4) and NPS (p = 6)
        ...driverCounters({ responsiveness: 2, professionalism: 5, attitude: 4, resolution: 3, convenience: 4 }, 4, 6),
      },
    });
    expect(contribution.counters).toMatchObject({
      drv_responsiveness__n: 1,
      drv_responsiveness__x: 2,
      drv_responsiveness__xx: 4,
      drv_responsiveness__o: 4,
      drv_responsiveness__oo: 16,
      drv_responsiveness__xo: 8,
      drv_responsiveness__p: 6,
      drv_responsiveness__pp: 36,
      drv_responsiveness__xp: 12,
    });
  });

  it('counts an invalid response only as a response that was left out', () => {
    const contribution = responseContribution({
      cell,
      subjectType: 'complaint',
      valid: false,
      answers: answers({ nps: 0 }),
      categories: ['attitude'],
      alert: true,
    });
    expect(contribution.counters).toEqual({ responses: 1, invalid_responses: 1 });
  });

  it("counts a complaint's closing survey as second-round satisfaction, and the alert", () => {
    const contribution = responseContribution({
      cell,
      subjectType: 'complaint',
      valid: true,
      answers: answers({ overall: 5, nps: 10 }),
      categories: [],
      alert: true,
    });
    expect(contribution.counters).toMatchObject({
      complaint_survey_responses: 1,
      complaint_survey_satisfied: 1,
      nps_promoters: 1,
      negative_alerts: 1,
    });
  });

  it('puts NPS answers in the s004 groups', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsClass)).toEqual([
      'detractor',
      'detractor',
      'passive',
      'passive',
      'promoter',
      'promoter',
    ]);
  });
});

describe('customer segment', () => {
  const activity = (counters: Record<string, number>, latestNps?: number) => ({
    counters,
    ...(latestNps === undefined ? {} : { latestNps: { score: latestNps, at: '2026-11-01T00:00:00Z' } }),
  });
  const plus = (...deltas: Record<string, number>[]) => {
    const total: Record<string, number> = {};
    for (const delta of deltas) for (const [k, v] of Object.entries(delta)) total[k] = (total[k] ?? 0) + v;
    return total;
  };

  it('has no NPS group before the first valid answer', () => {
    expect(deriveSegment(activity({}), '2026-11')).toEqual({
      nps: null,
      frequentComplainer: false,
      atRisk: false,
      labels: [],
    });
  });

  it('follows the latest valid NPS', () => {
    expect(deriveSegment(activity({}, 10), '2026-11').labels).toEqual(['promoter']);
    expect(deriveSegment(activity({}, 7), '2026-11').labels).toEqual(['passive']);
  });

  it('calls three complaints in the current and two previous months a frequent complainer, at risk unless a promoter', () => {
    const counters = plus(
      activityDelta('complaints', '2026-09'),
      activityDelta('complaints', '2026-10'),
      activityDelta('complaints', '2026-11'),
    );
    expect(deriveSegment(activity(counters, 8), '2026-11')).toMatchObject({ frequentComplainer: true, atRisk: true });
    expect(deriveSegment(activity(counters, 9), '2026-11')).toMatchObject({ frequentComplainer: true, atRisk: false });
    expect(deriveSegment(activity(counters, 8), '2027-01').frequentComplainer).toBe(false);
    expect(customerCounts(activity(counters), '2026-11')).toMatchObject({ complaints: 3, complaintsLast3Months: 3 });
    expect(customerCounts(activity(counters), '2026-12')).toMatchObject({ complaints: 3, complaintsLast3Months: 2 });
  });

  it('puts a detractor who recently complained or left angry feedback at risk', () => {
    expect(deriveSegment(activity(activityDelta('complaints', '2026-11'), 3), '2026-11').labels).toEqual([
      'detractor',
      'at_risk',
    ]);
    expect(deriveSegment(activity(activityDelta('negativeFeedback', '2026-10'), 5), '2026-11').atRisk).toBe(true);
    expect(deriveSegment(activity({}, 3), '2026-11').atRisk).toBe(false);
  });
});
