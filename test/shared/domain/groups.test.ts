import { describe, expect, it } from 'vitest';
import { sumCounters } from '../../../shared/domain/aggregates.js';
import { answerGroups, customerGroupsOf, type GroupFigures, suppressSmall } from '../../../shared/domain/groups.js';
import { answerCounters } from '../../../shared/domain/questionnaire-counters.js';
import { type Answers, builtInVersion } from '../../../shared/domain/questionnaires.js';
import { responseContribution } from '../../../shared/domain/surveys.js';
import { DIMENSIONS } from '../../../shared/schemas/vocabulary.js';
import { counterUpdate } from '../../../shared/store/aggregates.js';
import { answers } from '../../support/builders/surveys.js';

const cell = { day: '2026-11-10', channel: 'chat', team: 'online' };
const options = { legacyQuestionnaire: 'service-transaction', serviceDimensions: DIMENSIONS, minGroupSize: 1 };

describe('customerGroupsOf', () => {
  it('places an answer by tier, the segment before it, type and tenure (new under 365 days)', () => {
    expect(
      customerGroupsOf(
        { tier: 'gold', customerType: 'business', customerSince: '2025-11-11' },
        { nps: 'detractor', frequentComplainer: true, atRisk: false },
        '2026-11-10',
      ),
    ).toEqual({ tier: 'gold', segment: 'frequent_complainer', customerType: 'business', newOrReturning: 'new' });
    expect(customerGroupsOf({ customerSince: '2025-11-10' }, undefined, '2026-11-10')).toMatchObject({
      tier: 'none',
      segment: 'none',
      customerType: 'unknown',
      newOrReturning: 'returning',
    });
    expect(
      customerGroupsOf(undefined, { nps: 'promoter', frequentComplainer: true, atRisk: true }, '2026-11-10'),
    ).toMatchObject({ segment: 'at_risk', newOrReturning: 'unknown' });
  });
});

describe('answer groups from counters', () => {
  it('keeps a v1.1 answer and a questionnaire answer per group, exactly', () => {
    const legacy = responseContribution({
      cell,
      subjectType: 'interaction',
      valid: true,
      answers: answers({ every: 2, nps: 3 }),
      categories: [],
      alert: false,
      groups: { tier: 'gold', segment: 'none', customerType: 'business', newOrReturning: 'new' },
    });
    const standard = builtInVersion('service-standard', 1)!;
    const items: Answers = { overall: 5, nps: 10 };
    for (const q of standard.questions) if (q.type === 'scale' && q.dimension) items[q.id] = 4;
    const modern = responseContribution({
      cell,
      subjectType: 'interaction',
      valid: true,
      answers: { ...answers({ every: 4, nps: 10 }), overall: 5, questionnaire: standard },
      categories: [],
      alert: false,
      itemCounters: answerCounters(standard, items),
      groups: { tier: 'silver', segment: 'promoter', customerType: 'business', newOrReturning: 'returning' },
    });
    const total = sumCounters([legacy.counters, modern.counters]);
    const types = answerGroups(total, 'customerType', options);
    // business: overall 2 and 5 → 3.5; NPS 3 (detractor) and 10 (promoter) → 0; one negative (overall 2) of 2.
    // responsiveness: the legacy 2 (one answer) and three items of 4 → 14/4 = 3.5 → 6.25.
    expect(types).toMatchObject([
      { key: 'business', n: 2, suppressed: false, csat: 3.5, nps: 0, negativeShare: 0.5, satisfiedShare: 0.5 },
    ]);
    expect(types[0]!.dimensions.responsiveness).toEqual({ n: 4, average: 3.5, csi: 6.25 });
    expect(answerGroups(total, 'tier', options).map((g) => [g.key, g.n, g.csat])).toEqual([
      ['gold', 1, 2],
      ['silver', 1, 5],
    ]);
    // Questionnaires: the v1.1 answer is service-transaction's, with one answer per service dimension.
    const questionnaires = answerGroups(total, 'questionnaire', options);
    expect(questionnaires.map((g) => [g.key, g.n, g.csat, g.negativeShare])).toEqual([
      ['service-standard', 1, 5, 0],
      ['service-transaction', 1, 2, 1],
    ]);
    expect(questionnaires[1]!.dimensions.attitude).toEqual({ n: 1, average: 2, csi: 2.5 });
  });

  it('adds no group counters to an invalid answer', () => {
    const invalid = responseContribution({
      cell,
      subjectType: 'interaction',
      valid: false,
      answers: answers(),
      categories: [],
      alert: false,
      groups: { tier: 'gold', segment: 'none', customerType: 'business', newOrReturning: 'new' },
    });
    expect(Object.keys(invalid.counters).filter((name) => name.startsWith('grp_'))).toEqual([]);
  });

  it('keeps the counter update of the longest built-in questionnaire inside DynamoDB’s 4 KB expression limit', () => {
    const relationship = builtInVersion('relationship', 1)!;
    const items: Answers = {};
    for (const q of relationship.questions) {
      if (q.type === 'scale') items[q.id] = 4;
      else if (q.type === 'nps') items[q.id] = 9;
      else if (q.type === 'single') items[q.id] = q.choices![0]!.id;
      else if (q.type === 'multi') items[q.id] = q.choices!.map((choice) => choice.id);
      else items[q.id] = 'text';
    }
    const contribution = responseContribution({
      cell,
      subjectType: 'interaction',
      valid: true,
      answers: { ...answers({ every: 4, nps: 9 }), comment: 'great', questionnaire: relationship },
      categories: ['speed'],
      sentiment: 'positive',
      alert: false,
      itemCounters: answerCounters(relationship, items),
      groups: { tier: 'gold', segment: 'none', customerType: 'business', newOrReturning: 'new' },
    });
    const update = counterUpdate(contribution, { shard: 0, slot: 0 }).Update!;
    expect(update.UpdateExpression!.length).toBeLessThan(4096);
  });
});

describe('suppressSmall', () => {
  const group = (key: string, n: number) => ({ key, n, suppressed: false, csat: 4 }) as unknown as GroupFigures;
  it('hides a group under the minimum, and the next smallest when it would be the only one hidden', () => {
    const out = suppressSmall([group('a', 3), group('b', 9), group('c', 7)], 5);
    expect(out.map((g) => [g.key, g.suppressed, g.csat])).toEqual([
      ['a', true, null],
      ['b', false, 4],
      ['c', true, null],
    ]);
    // Two small groups already hide each other; a lone group hides nothing else.
    expect(suppressSmall([group('a', 3), group('b', 2), group('c', 7)], 5).map((g) => g.suppressed)).toEqual([
      true,
      true,
      false,
    ]);
    expect(suppressSmall([group('a', 3)], 5).map((g) => [g.n, g.suppressed])).toEqual([[3, true]]);
  });
});
