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
});
