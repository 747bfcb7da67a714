/**
 * Questionnaires over HTTP (issue 22): the three built-ins, draft → publish → immutable versions
 * that answers keep, the 400s/409s of bad questionnaires, a survey asking s001's standard through
 * JSON (a missing answer named), and exact dimension and sub-indicator averages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumCounters } from '../../shared/domain/aggregates.js';
import { dimensionStats, subIndicatorStats } from '../../shared/domain/questionnaire-counters.js';
import { DIMENSIONS } from '../../shared/schemas/vocabulary.js';
import { dynamoCounterReader } from '../../shared/store/aggregates.js';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { aSurveyAfterContact } from '../support/surveys.js';

let api: TestApi;
let sequence = 0;

const LABELS = ['非常不满意', '不满意', '一般', '满意', '非常满意'].map((zh, i) => ({
  zh,
  en: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'][i]!,
}));
const scaleQ = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'scale',
  text: { zh: `问题 ${id}`, en: `Question ${id}` },
  required: true,
  labels: LABELS,
  ...extra,
});

beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), schedules: false });
  // Answered at once: the too-fast rule has its own domain tests.
  const patched = await api.call('PATCH', '/settings', {
    as: 'admin',
    body: { surveys: { minAnswerSeconds: 0, minSecondsPerQuestion: 0 } },
  });
  expect(patched.status).toBe(200);
});
afterAll(() => api?.runtime.stop());

/** A survey about a chat of a customer of its own, resolved an hour ago, for `team`. */
async function aSurvey(
  team: string,
  body: Record<string, unknown> = {},
): Promise<{ token: string; id: string; customerId: string; day: string }> {
  const customerId = `C-Q${++sequence}`;
  const { survey } = await aSurveyAfterContact(api, { customerId, team, survey: body });
  return { ...(survey as { token: string; id: string }), customerId, day: '2026-11-10' };
}

/** Answers a survey as a customer does: the form read first (else the answer is "too fast"). */
async function answer(token: string, body: unknown) {
  expect((await api.call('GET', `/surveys/${token}`, { as: null })).status).toBe(200);
  return api.call('POST', `/surveys/${token}/responses`, { as: null, body });
}

describe('built-in questionnaires', () => {
  it('lists the three built-ins, published as version 1', async () => {
    const list = await api.call('GET', '/questionnaires', { as: 'supervisor' });
    expect(list.status).toBe(200);
    for (const id of ['service-transaction', 'service-standard', 'relationship'])
      expect(list.body.items).toContainEqual(
        expect.objectContaining({ id, status: 'published', builtIn: true, latestVersion: 1, draftVersion: null }),
      );
    expect((await api.call('GET', '/questionnaires', { as: 'agent' })).status).toBe(403);
  });

  it('keeps service-transaction exactly today’s form', async () => {
    const q = (await api.call('GET', '/questionnaires/service-transaction', { as: 'supervisor' })).body;
    expect(q).toMatchObject({ id: 'service-transaction', version: 1, status: 'published' });
    expect(q.questions.map((x: { id: string; type: string }) => `${x.id}:${x.type}`)).toEqual([
      ...DIMENSIONS.map((d) => `${d}:scale`),
      'overall:scale',
      'nps:nps',
      'comment:text',
    ]);
  });

  it('builds service-standard on s001: five dimensions, 3–4 sub-indicator items each, five labels on every scale', async () => {
    const reply = await api.call('GET', '/questionnaires/service-standard?version=1', { as: 'supervisor' });
    expect(reply.status).toBe(200);
    const questions = reply.body.questions as Array<Record<string, any>>;
    for (const d of DIMENSIONS) {
      const items = questions.filter((q) => q.dimension === d);
      expect(items.length, d).toBeGreaterThanOrEqual(3);
      expect(items.length, d).toBeLessThanOrEqual(4);
      expect(
        items.every((q) => typeof q.subIndicator === 'string'),
        d,
      ).toBe(true);
      expect(new Set(items.map((q) => q.subIndicator)).size, d).toBe(items.length);
    }
    for (const q of questions.filter((x) => x.type === 'scale')) {
      expect(q.labels, q.id).toHaveLength(5);
      for (const label of q.labels) expect(label.zh.length * label.en.length, q.id).toBeGreaterThan(0);
      expect(q.text.zh).not.toBe(q.text.en);
    }
    expect(questions.map((q) => q.id)).toEqual(expect.arrayContaining(['overall', 'nps', 'comment']));
  });

  it('builds relationship on s002/s004: product, price, logistics, brand, service, basic information', async () => {
    const questions = (await api.call('GET', '/questionnaires/relationship', { as: 'supervisor' })).body
      .questions as Array<Record<string, any>>;
    const dimensions = new Set(questions.map((q) => q.dimension).filter(Boolean));
    for (const d of ['product', 'price', 'logistics', 'brand', ...DIMENSIONS]) expect(dimensions).toContain(d);
    expect(questions.filter((q) => q.profileField).map((q) => q.profileField)).toEqual([
      'customerType',
      'customerSince',
    ]);
    expect(questions.find((q) => q.id === 'repurchase')).toMatchObject({ type: 'scale' });
    expect(questions.find((q) => q.type === 'multi')?.choices.length).toBeGreaterThanOrEqual(2);
  });
});

describe('drafts and versions', () => {
  it('publishes a draft as a version that never changes; answers keep the version they answered', async () => {
    const created = await api.call('POST', '/questionnaires', {
      as: 'manager',
      body: { id: 'store-check', name: { zh: '门店快评', en: 'Store check' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'store-check', version: 1, status: 'draft', revision: 1, questions: [] });
    expect(created.headers.get('etag')).toBe('"1"');
    // Not yet publishable: no questions.
    const empty = await api.call('POST', '/questionnaires/store-check/publish', { as: 'manager' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].path).toBe('questions');

    const text = {
      name: { zh: '门店快评', en: 'Store check' },
      questions: [scaleQ('waiting', { dimension: 'responsiveness' })],
    };
    const saved = await api.call('PUT', '/questionnaires/store-check/draft', {
      as: 'manager',
      headers: { 'if-match': '"1"' },
      body: text,
    });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"2"');
    const stale = await api.call('PUT', '/questionnaires/store-check/draft', {
      as: 'manager',
      headers: { 'if-match': '"1"' },
      body: text,
    });
    expect(stale.status).toBe(412);
    expect((await api.call('PUT', '/questionnaires/store-check/draft', { as: 'supervisor', body: text })).status).toBe(
      403,
    );

    const v1 = await api.call('POST', '/questionnaires/store-check/publish', { as: 'manager' });
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ id: 'store-check', version: 1, status: 'published', publishedBy: 'test-manager' });
    // A published version is never edited.
    const edit = await api.call('PUT', '/questionnaires/store-check/draft', { as: 'manager', body: text });
    expect(edit.status).toBe(409);
    expect((await api.call('POST', '/questionnaires/store-check/publish', { as: 'manager' })).status).toBe(409);

    // A survey sent now asks version 1.
    const first = await aSurvey('store', { questionnaireId: 'store-check' });

    // Version 2: a draft of the next version, copied from version 1, then changed and published.
    const next = await api.call('POST', '/questionnaires', { as: 'manager', body: { id: 'store-check' } });
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ version: 2, status: 'draft', questions: text.questions });
    expect((await api.call('POST', '/questionnaires', { as: 'manager', body: { id: 'store-check' } })).status).toBe(
      409,
    );
    const v2text = {
      ...text,
      questions: [
        scaleQ('waiting', { dimension: 'responsiveness', text: { zh: '等候时间', en: 'Waiting time' } }),
        scaleQ('overall'),
      ],
    };
    expect(
      (
        await api.call('PUT', '/questionnaires/store-check/draft', {
          as: 'manager',
          headers: { 'if-match': next.headers.get('etag')! },
          body: v2text,
        })
      ).status,
    ).toBe(200);
    expect((await api.call('POST', '/questionnaires/store-check/publish', { as: 'manager' })).body.version).toBe(2);
    const second = await aSurvey('store', { questionnaireId: 'store-check' });

    // Version 1 reads as it was published.
    const old = await api.call('GET', '/questionnaires/store-check?version=1', { as: 'supervisor' });
    expect(old.body).toMatchObject({ version: 1, status: 'published', questions: text.questions });
    expect((await api.call('GET', '/questionnaires/store-check', { as: 'supervisor' })).body.version).toBe(2);

    // Each survey asks, and each answer keeps, the version it was sent with.
    const form1 = await api.call('GET', `/surveys/${first.token}`, { as: null });
    expect(form1.body.questionnaire).toMatchObject({ id: 'store-check', version: 1 });
    expect(form1.body.questionnaire.questions.map((q: { id: string }) => q.id)).toEqual(['waiting']);
    expect(
      (await api.call('POST', `/surveys/${first.token}/responses`, { as: null, body: { answers: { waiting: 4 } } }))
        .status,
    ).toBe(201);
    const form2 = await api.call('GET', `/surveys/${second.token}`, { as: null });
    expect(form2.body.questionnaire).toMatchObject({
      version: 2,
      questions: [{ text: 'Waiting time' }, { id: 'overall' }],
    });
    const answered2 = await api.call('POST', `/surveys/${second.token}/responses`, {
      as: null,
      body: { answers: { waiting: 5, overall: 5 } },
    });
    expect(answered2.status).toBe(201);
    expect(answered2.body.valid).toBe(true);
    const responses1 = await api.call('GET', `/customers/${first.customerId}/responses`, { as: 'supervisor' });
    expect(responses1.body.items[0]).toMatchObject({
      questionnaire: { id: 'store-check', version: 1 },
      answers: { waiting: 4 },
    });
    const responses2 = await api.call('GET', `/customers/${second.customerId}/responses`, { as: 'supervisor' });
    expect(responses2.body.items[0].questionnaire).toEqual({ id: 'store-check', version: 2 });

    // Retired: still readable, no longer asked.
    expect((await api.call('POST', '/questionnaires/store-check/retire', { as: 'manager' })).body.status).toBe(
      'retired',
    );
    const subject = await api.call('POST', '/interactions', {
      body: anInteraction({ customerId: 'C-Q-retired', team: 'store', startedAt: '2026-11-10T01:00:00Z' }),
    });
    const refused = await api.call('POST', '/surveys', {
      as: 'agent',
      body: { subject: { type: 'interaction', id: subject.body.id }, questionnaireId: 'store-check' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('retired');
    const asked = await api.call('GET', '/questionnaires/store-check?version=1', { as: 'supervisor' });
    expect(asked.body.status).toBe('retired');
  });

  it('copies a built-in into a new questionnaire, and answers 404 for unknown ones', async () => {
    const copy = await api.call('POST', '/questionnaires', {
      as: 'manager',
      body: { id: 'standard-2027', name: { zh: '标准 2027', en: 'Standard 2027' }, copyOf: { id: 'service-standard' } },
    });
    expect(copy.status).toBe(201);
    expect(copy.body.questions.length).toBe(
      (await api.call('GET', '/questionnaires/service-standard', { as: 'supervisor' })).body.questions.length,
    );
    expect((await api.call('GET', '/questionnaires/nope', { as: 'supervisor' })).status).toBe(404);
    expect((await api.call('GET', '/questionnaires/standard-2027?version=3', { as: 'supervisor' })).status).toBe(404);
    const unknownCopy = await api.call('POST', '/questionnaires', { as: 'manager', body: { copyOf: { id: 'nope' } } });
    expect(unknownCopy.status).toBe(400);
    expect(unknownCopy.body.errors[0].path).toBe('copyOf.id');
  });
});

describe('bad questionnaires', () => {
  const draft = async () => {
    const id = `bad-${++sequence}`;
    expect(
      (await api.call('POST', '/questionnaires', { as: 'manager', body: { id, name: { zh: '坏', en: 'Bad' } } }))
        .status,
    ).toBe(201);
    return id;
  };
  const put = async (id: string, questions: unknown[]) =>
    api.call('PUT', `/questionnaires/${id}/draft`, {
      as: 'manager',
      body: { name: { zh: '坏', en: 'Bad' }, questions },
    });
  const paths = (reply: { body: { errors: Array<{ path: string }> } }) => reply.body.errors.map((e) => e.path);

  it('answers 400 naming the field for each broken rule', async () => {
    const id = await draft();
    const cases: Array<[unknown[], string]> = [
      [[], 'questions'],
      [[scaleQ('a'), scaleQ('a')], 'questions.1.id'],
      [[scaleQ('a', { labels: LABELS.slice(0, 4) })], 'questions.0.labels'],
      [[{ id: 'c', type: 'single', text: { zh: '选', en: 'Pick' }, required: true }], 'questions.0.choices'],
      [[scaleQ('a', { dimension: 'Service-Quality' })], 'questions.0.dimension'],
      [Array.from({ length: 61 }, (_, i) => scaleQ(`q${i}`)), 'questions'],
      [[scaleQ('a', { text: { zh: '长'.repeat(501), en: 'x' } })], 'questions.0.text.zh'],
      [[scaleQ('a', { subIndicator: 'speed' })], 'questions.0.subIndicator'],
    ];
    for (const [questions, path] of cases) {
      const reply = await put(id, questions);
      expect(reply.status, path).toBe(400);
      expect(paths(reply), path).toContain(path);
    }
    const noName = await api.call('POST', '/questionnaires', { as: 'manager', body: { id: 'no-name' } });
    expect(noName.status).toBe(400);
    expect(paths(noName)).toContain('name');
    const badId = await api.call('POST', '/questionnaires', {
      as: 'manager',
      body: { id: 'Bad Id', name: { zh: '坏', en: 'Bad' } },
    });
    expect(paths(badId)).toContain('id');
  });

  it('answers 409 for editing a published version, a retired questionnaire or a draft asked by a survey', async () => {
    expect((await put('service-standard', [scaleQ('a')])).status).toBe(409);
    const id = await draft();
    const asked = await api.call('POST', '/surveys', {
      as: 'agent',
      body: { subject: { type: 'interaction', id: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV' }, questionnaireId: id },
    });
    expect([404, 409]).toContain(asked.status); // unknown subject (404) is checked before the questionnaire
    expect((await put(id, [scaleQ('a')])).status).toBe(200);
    expect((await api.call('POST', `/questionnaires/${id}/publish`, { as: 'manager' })).status).toBe(200);
    expect((await api.call('POST', `/questionnaires/${id}/retire`, { as: 'manager' })).status).toBe(200);
    expect((await api.call('POST', '/questionnaires', { as: 'manager', body: { id } })).status).toBe(409);
    expect((await api.call('POST', `/questionnaires/${id}/publish`, { as: 'manager' })).status).toBe(409);
  });
});

/** Every answer of service-standard: each item `score(question)`, overall, NPS. */
async function standardAnswers(score: (id: string, dimension: string) => number, extra: Record<string, unknown> = {}) {
  const questions = (await api.call('GET', '/questionnaires/service-standard', { as: 'supervisor' })).body
    .questions as Array<Record<string, any>>;
  const answers: Record<string, unknown> = {};
  for (const q of questions) if (q.type === 'scale' && q.dimension) answers[q.id] = score(q.id, q.dimension);
  return { answers: { ...answers, overall: 4, nps: 8, ...extra } };
}

describe('a survey asking service-standard (JSON)', () => {
  it('shows its questions, names a missing or bad answer, and takes a complete one', async () => {
    const patched = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { surveys: { questionnaireFor: { interaction: 'service-standard' } } },
    });
    expect(patched.status).toBe(200);
    try {
      const survey = await aSurvey('standard');
      const form = await api.call('GET', `/surveys/${survey.token}?lang=zh`, { as: null });
      expect(form.status).toBe(200);
      expect(form.body.questionnaire).toMatchObject({ id: 'service-standard', version: 1 });
      const first = form.body.questionnaire.questions[0];
      expect(first).toMatchObject({
        id: 'first_response',
        dimension: 'responsiveness',
        dimensionLabel: '响应与及时性',
      });
      expect(first.labels.map((l: { label: string }) => l.label)).toEqual([
        '非常不满意',
        '不满意',
        '一般',
        '满意',
        '非常满意',
      ]);

      const complete = await standardAnswers(() => 4);
      const { first_response: _omitted, ...missing } = complete.answers as Record<string, unknown>;
      const noFirst = await api.call('POST', `/surveys/${survey.token}/responses`, {
        as: null,
        body: { answers: missing },
      });
      expect(noFirst.status).toBe(400);
      expect(noFirst.body.errors).toEqual([
        expect.objectContaining({ path: 'answers.first_response', code: 'required', message: 'is required' }),
      ]);
      const outOfRange = await api.call('POST', `/surveys/${survey.token}/responses`, {
        as: null,
        body: { answers: { ...complete.answers, courtesy: 6, nps: 11, bogus: 1 } },
      });
      expect(outOfRange.status).toBe(400);
      expect(outOfRange.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
        'answers.bogus',
        'answers.courtesy',
        'answers.nps',
      ]);
      const v11 = await api.call('POST', `/surveys/${survey.token}/responses`, {
        as: null,
        body: {
          scores: { responsiveness: 4, professionalism: 4, attitude: 4, resolution: 4, convenience: 4 },
          overall: 4,
          nps: 8,
        },
      });
      expect(v11.status).toBe(400);
      expect(v11.body.errors[0].path).toBe('answers');

      const ok = await api.call('POST', `/surveys/${survey.token}/responses`, {
        as: null,
        body: { ...complete, comment: '客服很耐心' },
      });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ valid: true, flags: [] });
      expect((await api.call('POST', `/surveys/${survey.token}/responses`, { as: null, body: complete })).status).toBe(
        410,
      );
    } finally {
      await api.call('PATCH', '/settings', {
        as: 'admin',
        body: { surveys: { questionnaireFor: { interaction: 'service-transaction' } } },
      });
    }
  });

  it('flags straight-lining over every scale item contradicted by the NPS', async () => {
    const survey = await aSurvey('straight', { questionnaireId: 'service-standard' });
    const body = await standardAnswers(() => 5, { overall: 5, nps: 1, environment: 5, platform_stability: 5 });
    const reply = await answer(survey.token, body);
    expect(reply.status).toBe(201);
    expect(reply.body.flags.map((f: { code: string }) => f.code)).toEqual(['straight_lining']);
  });
});

describe('dimension and sub-indicator figures', () => {
  it('averages every scale item under its dimension and sub-indicator, with answers from before questionnaires counted as they were', async () => {
    const team = 'figures';
    // Two service-standard answers: responsiveness items 5,4,3 then 2,2,2; every other item 4 then 5 (the optional two left out).
    const scores: Record<string, [number, number]> = {
      first_response: [5, 2],
      resolution_time: [4, 2],
      proactive_updates: [3, 2],
    };
    for (const round of [0, 1] as const) {
      const survey = await aSurvey(team, { questionnaireId: 'service-standard' });
      const body = await standardAnswers((id) => scores[id]?.[round] ?? (round === 0 ? 4 : 5));
      delete (body.answers as Record<string, unknown>).environment;
      delete (body.answers as Record<string, unknown>).platform_stability;
      const reply = await answer(survey.token, body);
      expect(reply.body.valid).toBe(true);
    }
    // One answer of the v1.1 body (service-transaction): one item per dimension.
    const legacy = await aSurvey(team);
    expect(
      (
        await answer(legacy.token, {
          scores: { responsiveness: 1, professionalism: 3, attitude: 3, resolution: 3, convenience: 3 },
          overall: 2,
          nps: 3,
        })
      ).body.valid,
    ).toBe(true);

    const metrics = await api.call('GET', `/metrics?from=2026-11-10&to=2026-11-10&team=${team}`, { as: 'supervisor' });
    expect(metrics.status).toBe(200);
    const s = metrics.body.satisfaction;
    expect(s.validResponses).toBe(3);
    // responsiveness: (5+4+3+2+2+2+1) / 7
    expect(s.dimensions.responsiveness.average).toBe(Math.round((19 / 7) * 100) / 100);
    // professionalism: 4 items × 4, 4 items × 5, one 3 → 39 / 9
    expect(s.dimensions.professionalism.average).toBe(Math.round((39 / 9) * 100) / 100);
    // convenience: 2 items × 4, 2 × 5, one 3 → 21 / 5
    expect(s.dimensions.convenience.average).toBe(4.2);
    expect(s.dimensions.convenience.satisfiedShare).toBe(0.8);
    expect(s.csat).toBe(Math.round((10 / 3) * 100) / 100);

    const counters = sumCounters(
      (await dynamoCounterReader.readCounters('2026-11-10', '2026-11-10', { team })).map((row) => row.counters),
    );
    const subs = subIndicatorStats(counters);
    expect(subs['responsiveness.first_response']).toMatchObject({ n: 2, average: 3.5, satisfiedShare: 0.5, csi: 6.25 });
    expect(subs['responsiveness.proactive_updates']).toMatchObject({ n: 2, average: 2.5, satisfiedShare: 0 });
    expect(subs['attitude.courtesy']).toMatchObject({ n: 2, average: 4.5, satisfiedShare: 1 });
    expect(subs['convenience.environment']).toBeUndefined();
    expect(dimensionStats(counters).responsiveness).toMatchObject({ n: 7 });
  });
});
