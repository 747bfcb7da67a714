import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSurveyToken } from '../../shared/domain/survey-token.js';
import { DEV_SURVEY_SIGNING_KEY } from '../../shared/secrets/survey-signing-key.js';
import { anInteraction } from '../support/builders/interactions.js';
import { aCustomer, aSurveyResponse } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let runtime: TestApi;
let sequence = 0;
/**
 * Every call on a fresh connection: under a loaded full run a reused keep-alive socket was
 * once reset by the local server between two requests (ECONNRESET before any answer).
 */
const api = {
  get runtime() {
    return runtime.runtime;
  },
  call: (...[method, path, options = {}]: Parameters<TestApi['call']>) =>
    runtime.call(method, path, { ...options, headers: { connection: 'close', ...options.headers } }),
};

/** A resolved interaction of a customer of its own, an hour ago. */
async function anInteractionId(customerId = `C-E${++sequence}`): Promise<string> {
  const startedAt = new Date(api.runtime.clock.now().getTime() - 3600_000);
  const response = await api.call('POST', '/interactions', {
    as: 'agent',
    body: anInteraction({
      customerId,
      channel: 'chat',
      startedAt: startedAt.toISOString(),
      resolvedAt: new Date(startedAt.getTime() + 600_000).toISOString(),
    }),
  });
  expect(response.status).toBe(201);
  return response.body.id;
}

async function aSurveyLink(customerId?: string): Promise<{ id: string; token: string }> {
  const response = await api.call('POST', '/surveys', {
    as: 'agent',
    body: { subject: { type: 'interaction', id: await anInteractionId(customerId) } },
  });
  expect(response.status).toBe(201);
  return response.body;
}

describe('survey endpoints over HTTP', () => {
  beforeAll(async () => {
    // Ten times real time: a customer reading the form for a few real seconds is not "too fast".
    runtime = await startTestRuntime({ timeScale: 10 });
  });
  afterAll(async () => runtime?.runtime.stop());

  it('takes a customer from profile to one classified, counted response, and erases them on request', async () => {
    expect(
      (
        await api.call('PUT', '/customers/C-flow', {
          as: 'agent',
          body: aCustomer({ language: 'en', preferredChannel: 'email' }),
        })
      ).status,
    ).toBe(201);
    const created = await api.call('POST', '/surveys', {
      as: 'agent',
      body: { subject: { type: 'interaction', id: await anInteractionId('C-flow') } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      token: expect.any(String),
      channel: 'email',
      language: 'en',
    });
    expect(created.body.url).toBe(`${api.runtime.url}/s/${created.body.token}`);

    const form = await api.call('GET', `/surveys/${created.body.token}`, { as: null });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({
      scale: { min: 1, max: 5 },
      nps: true,
      language: 'en',
      expiresAt: created.body.expiresAt,
    });
    expect(form.body.dimensions.map((d: { key: string }) => d.key)).toEqual([
      'responsiveness',
      'professionalism',
      'attitude',
      'resolution',
      'convenience',
    ]);
    expect(form.body.questions.nps).toBe('How likely are you to recommend us to a friend or colleague?');
    const zh = await api.call('GET', `/surveys/${created.body.token}?lang=zh`, { as: null });
    expect(zh.body.dimensions.map((d: { label: string }) => d.label)).toEqual([
      '响应与及时性',
      '专业性与准确性',
      '态度与沟通',
      '问题解决与结果',
      '环境与便捷性',
    ]);
    expect(zh.body.questions.nps).toContain('您有多大可能向朋友或同事推荐我们');

    await new Promise((resolve) => setTimeout(resolve, 1200)); // 12 s on the runtime's clock: read like a person
    const body = aSurveyResponse({ nps: 2, comment: 'Waited 40 minutes on hold and the agent was rude' });
    const answer = await api.call('POST', `/surveys/${created.body.token}/responses`, { as: null, body });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ valid: true, flags: [], categories: ['slow_response', 'attitude'] });
    expect((await api.call('POST', `/surveys/${created.body.token}/responses`, { as: null, body })).status).toBe(410);
    expect((await api.call('GET', `/surveys/${created.body.token}`, { as: null })).status).toBe(410);

    const customer = await api.call('GET', '/customers/C-flow', { as: 'agent' });
    expect(customer.body).toMatchObject({
      latestNps: { score: 2 },
      segment: { nps: 'detractor' },
      counts: { surveys: 1, responses: 1, validResponses: 1, negativeFeedback: 1 },
    });

    expect((await api.call('DELETE', '/customers/C-flow', { as: 'admin' })).status).toBe(204);
    expect((await api.call('GET', '/customers/C-flow', { as: 'agent' })).status).toBe(404);
  });

  it('answers 404 problem+json for a link that does not verify, and 410 for an expired one', async () => {
    const { token } = await aSurveyLink();
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const bad = await api.call('GET', `/surveys/${tampered}`, { as: null });
    expect(bad.status).toBe(404);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(
      (await api.call('POST', `/surveys/${tampered}/responses`, { as: null, body: aSurveyResponse() })).status,
    ).toBe(404);
    const expired = signSurveyToken(
      { surveyId: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV', expiresAt: new Date(api.runtime.clock.now().getTime() - 1000) },
      [DEV_SURVEY_SIGNING_KEY],
    );
    expect((await api.call('GET', `/surveys/${expired}`, { as: null })).status).toBe(410);
  });

  it('answers 400 naming the field for scores out of range or unknown fields', async () => {
    const { token } = await aSurveyLink();
    const outOfRange = await api.call('POST', `/surveys/${token}/responses`, {
      as: null,
      body: aSurveyResponse({ nps: 11 }),
    });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.errors).toEqual([
      {
        path: 'nps',
        pointer: '/nps',
        code: 'out_of_range',
        message: expect.any(String),
        params: { max: 10, maximum: 10 },
      },
    ]);
    const unknown = await api.call('POST', `/surveys/${token}/responses`, {
      as: null,
      body: { ...aSurveyResponse(), valid: true },
    });
    expect(unknown.body.errors).toEqual([
      { path: 'valid', pointer: '/valid', code: 'unknown_field', message: 'is not a field of this request' },
    ]);
    const fractional = await api.call('POST', `/surveys/${token}/responses`, {
      as: null,
      body: aSurveyResponse({ scores: { ...aSurveyResponse().scores, attitude: 4.5 } }),
    });
    expect(fractional.body.errors[0].path).toBe('scores.attitude');
  });

  it('guards invitations: 401 without a token, 400 for a bad subject, 404 for an unknown one, 409 for a second one, 429 when throttled', async () => {
    const interactionId = await anInteractionId('C-guard');
    expect(
      (await api.call('POST', '/surveys', { as: null, body: { subject: { type: 'interaction', id: interactionId } } }))
        .status,
    ).toBe(401);
    expect(
      (await api.call('POST', '/surveys', { as: 'agent', body: { subject: { type: 'order', id: interactionId } } }))
        .status,
    ).toBe(400);
    expect(
      (
        await api.call('POST', '/surveys', {
          as: 'agent',
          body: { subject: { type: 'interaction', id: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV' } },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api.call('POST', '/surveys', {
          as: 'agent',
          body: { subject: { type: 'complaint', id: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV' } },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api.call('POST', '/surveys', {
          as: 'agent',
          body: { subject: { type: 'interaction', id: interactionId } },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api.call('POST', '/surveys', {
          as: 'agent',
          body: { subject: { type: 'interaction', id: interactionId } },
        })
      ).status,
    ).toBe(409);
    const throttled = await api.call('POST', '/surveys', {
      as: 'agent',
      body: { subject: { type: 'interaction', id: await anInteractionId('C-guard') } },
    });
    expect(throttled.status).toBe(429);
    expect(throttled.body.type).toBe('https://careloop.dev/problems/throttled');
  });

  it('returns the first invitation again for a retry with the same Idempotency-Key', async () => {
    const body = { subject: { type: 'interaction', id: await anInteractionId() } };
    const headers = { 'Idempotency-Key': `survey-${sequence}` };
    const first = await api.call('POST', '/surveys', { as: 'agent', body, headers });
    const retry = await api.call('POST', '/surveys', { as: 'agent', body, headers });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
  });

  it('declares the public survey routes without auth and documents 410 in OpenAPI', async () => {
    const document = (await api.call('GET', '/openapi.json', { as: null })).body;
    expect(document.paths['/surveys/{token}'].get.security).toEqual([]);
    expect(document.paths['/surveys/{token}/responses'].post.responses['410']).toBeDefined();
    expect(document.paths['/customers/{id}'].delete.responses['204']).toBeDefined();
  });

  it('never answers 5xx to random survey bodies, tokens or raw text', async () => {
    const scores = fc.record(
      {
        responsiveness: fc.anything(),
        professionalism: fc.integer({ min: 0, max: 6 }),
        attitude: fc.oneof(fc.constant(null), fc.integer()),
        resolution: fc.double(),
        convenience: fc.string(),
      },
      { requiredKeys: [] },
    );
    const bodies = fc.oneof(
      fc.record(
        {
          scores,
          overall: fc.oneof(fc.integer({ min: -1, max: 6 }), fc.constant(null)),
          nps: fc.oneof(fc.integer({ min: -1, max: 11 }), fc.string()),
          comment: fc.oneof(fc.string({ maxLength: 3000 }), fc.string({ unit: 'grapheme' })),
        },
        { requiredKeys: [] },
      ),
      fc.record({
        scores: fc.constant(aSurveyResponse().scores),
        overall: fc.integer({ min: 1, max: 5 }),
        nps: fc.integer({ min: 0, max: 10 }),
        comment: fc.string({ unit: 'binary', maxLength: 300 }),
      }),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const { token } = await aSurveyLink();
        const first = await api.call('POST', `/surveys/${token}/responses`, { as: null, body });
        const second = await api.call('POST', `/surveys/${token}/responses`, { as: null, body });
        expect(first.status).toBeLessThan(500);
        expect(second.status).toBeLessThan(500);
        if (first.status === 201) expect(second.status).toBe(410);
      }),
      { numRuns: 20 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ minLength: 1, maxLength: 300 }), fc.base64String({ minLength: 4, maxLength: 90 })),
        fc.string({ maxLength: 200 }),
        async (token, raw) => {
          const path = `/surveys/${encodeURIComponent(token)}`;
          expect((await api.call('GET', path, { as: null })).status).toBeLessThan(500);
          expect((await api.call('POST', `${path}/responses`, { as: null, rawBody: raw })).status).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
  }, 90_000); // ~150 HTTP calls, most of them DynamoDB transactions: generous for a loaded 2-core machine
});
