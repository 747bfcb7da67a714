import { describe, expect, it } from 'vitest';
import { sumCounters } from '../../../shared/domain/aggregates.js';
import {
  answerCounters,
  dimensionStats,
  questionDistribution,
  questionnaireStats,
} from '../../../shared/domain/questionnaire-counters.js';
import { builtInVersion, checkAnswers } from '../../../shared/domain/questionnaires.js';
import { assessValidity, responseContribution } from '../../../shared/domain/surveys.js';
import { at } from '../../support/builders/interactions.js';
import { answers } from '../../support/builders/surveys.js';

const standard = builtInVersion('service-standard', 1)!;
const transaction = builtInVersion('service-transaction', 1)!;
const cell = { day: '2026-11-10', channel: 'chat', team: 'a' };
const everyItem = (value: number) =>
  Object.fromEntries(standard.questions.filter((q) => q.type === 'scale').map((q) => [q.id, value]));

describe('questionnaire answers', () => {
  it('names each bad answer by its question', () => {
    const errors = checkAnswers(standard.questions, {
      ...everyItem(4),
      nps: 8,
      courtesy: 0,
      first_response: undefined as never,
      x: 1,
    });
    expect(errors.map((e) => `${e.path}:${e.code}`).sort()).toEqual([
      'answers.courtesy:out_of_range',
      'answers.first_response:required',
      'answers.x:unknown_field',
    ]);
  });

  it('asks for more time on a longer questionnaire (minSecondsPerQuestion × questions shown)', () => {
    const context = {
      openedAt: at('2026-11-10T08:00:00Z'),
      submittedAt: at('2026-11-10T08:00:15Z'),
      minAnswerSeconds: 10,
      minSecondsPerQuestion: 1,
    };
    const long = { ...answers(), questionnaire: standard, items: { ...everyItem(4), overall: 4, nps: 8 } };
    expect(assessValidity(long, context).flags.map((f) => f.code)).toEqual(['too_fast']);
    const short = {
      ...answers(),
      questionnaire: transaction,
      items: { responsiveness: 4, professionalism: 5, attitude: 5, resolution: 4, convenience: 4, overall: 4, nps: 8 },
    };
    expect(assessValidity(short, context).valid).toBe(true);
  });
});

describe('questionnaire counters', () => {
  it('counts legacy answers once per service dimension and new ones per item, exactly', () => {
    // A v1.1 answer (no item counters) and a service-standard answer, summed as a metrics call does.
    const legacy = responseContribution({
      cell,
      subjectType: 'interaction',
      valid: true,
      answers: answers({ every: 2, nps: 3 }),
      categories: [],
      alert: false,
    });
    const items = { ...everyItem(5), overall: 5, nps: 10 };
    const modern = responseContribution({
      cell,
      subjectType: 'interaction',
      valid: true,
      answers: { ...answers({ every: 5, nps: 10 }), questionnaire: standard },
      categories: [],
      alert: false,
      itemCounters: answerCounters(standard, items),
    });
    const total = sumCounters([legacy.counters, modern.counters]);
    const dims = dimensionStats(total);
    // responsiveness: one legacy 2 + three items of 5 → 17 / 4
    expect(dims.responsiveness).toEqual({ n: 4, average: 4.25, satisfiedShare: 0.75, csi: 8.13 });
    // convenience: one legacy 2 + four items of 5
    expect(dims.convenience!.n).toBe(5);
    expect(questionnaireStats(total, 'service-standard')).toMatchObject({ validResponses: 1, csat: 5 });
    expect(questionnaireStats(total, 'service-transaction')).toMatchObject({
      validResponses: 1,
      csat: 2,
      nps: { detractors: 1 },
    });
    const firstResponse = questionDistribution(total, standard).find((q) => q.questionId === 'first_response')!;
    expect(firstResponse).toEqual({
      questionId: 'first_response',
      type: 'scale',
      answered: 1,
      counts: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 },
    });
  });

  it('gives the key-driver sums each dimension as the mean of its items, for every questionnaire', () => {
    // s001's standard: responsiveness asked by 3–4 items; the answer as the survey service builds it
    // (scores null: no question is named after a dimension).
    const ids = standard.questions.filter((q) => q.dimension === 'responsiveness').map((q) => q.id);
    const values = [5, 4, 3, 2].slice(0, ids.length);
    const items = {
      ...everyItem(4),
      ...Object.fromEntries(ids.map((id, i) => [id, values[i] ?? 4])),
      overall: 3,
      nps: 7,
    };
    const empty = { responsiveness: null, professionalism: null, attitude: null, resolution: null, convenience: null };
    const modern = responseContribution({
      cell,
      subjectType: 'interaction',
      valid: true,
      answers: { scores: empty, overall: 3, nps: 7, questionnaire: standard, items, shown: standard.questions },
      categories: [],
      alert: false,
      itemCounters: answerCounters(standard, items),
    }).counters;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(modern).toMatchObject({
      drv_responsiveness__n: 1,
      drv_responsiveness__x: mean,
      drv_responsiveness__xx: mean * mean,
      drv_responsiveness__o: 3,
      drv_responsiveness__xo: mean * 3,
      drv_responsiveness__xp: mean * 7,
      drv_attitude__x: 4,
      drv_convenience__n: 1,
    });
    // Today's form: one item per dimension, so the figures are those it always had.
    const scores = { responsiveness: 2, professionalism: 5, attitude: 5, resolution: 4, convenience: 4 };
    const form = { ...scores, overall: 4, nps: 8 };
    const today = responseContribution({
      cell,
      subjectType: 'interaction',
      valid: true,
      answers: {
        ...answers(),
        scores: { ...form },
        questionnaire: transaction,
        items: form,
        shown: transaction.questions,
      },
      categories: [],
      alert: false,
      itemCounters: answerCounters(transaction, form),
    }).counters;
    const legacy = responseContribution({
      cell,
      subjectType: 'interaction',
      valid: true,
      answers: answers({ scores }),
      categories: [],
      alert: false,
    }).counters;
    const drivers = (c: Record<string, number>) => Object.entries(c).filter(([name]) => name.startsWith('drv_'));
    expect(drivers(today)).toEqual(drivers(legacy));
    expect(today.drv_responsiveness__x).toBe(2);
  });
});
