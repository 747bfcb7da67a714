/**
 * Small contract rules a schema-driven fuzzer checks (contract, "Conventions" and "Auth"): header
 * lengths, PATCH bodies that change nothing, forms that come back instead of a bare 400, a URL over
 * 16 KB, a method a path does not take, and an expired token's problem naming the path.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInteraction } from '../support/builders/interactions.js';
import { aCustomer } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
let document: any;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-03T02:00:00Z'), schedules: false });
  document = await (await fetch(`${api.runtime.url}/openapi.json`)).json();
});
afterAll(() => api?.runtime.stop());

const postForm = (path: string, fields: Record<string, string>) =>
  fetch(`${api.runtime.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

describe('Idempotency-Key over 255 characters', () => {
  it('is a 400 naming the header, and creates nothing', async () => {
    const body = anInteraction({ customerId: 'C-IDEM-LONG' });
    const reply = await api.call('POST', '/interactions', { body, headers: { 'idempotency-key': 'k'.repeat(5000) } });
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([expect.objectContaining({ path: 'Idempotency-Key', code: 'too_long' })]);
    const list = await api.call('GET', '/interactions?customerId=C-IDEM-LONG');
    expect(list.body.items).toEqual([]);
  });

  it('takes a key of exactly 255', async () => {
    const reply = await api.call('POST', '/interactions', {
      body: anInteraction({ customerId: 'C-IDEM-255', startedAt: '2026-11-02T08:00:00Z' }),
      headers: { 'idempotency-key': 'k'.repeat(255) },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  });
});

describe('PATCH bodies that set nothing', () => {
  it('are documented with minProperties 1', () => {
    for (const name of ['PatchInteractionBody', 'PatchImprovementBody', 'SettingsPatch'])
      expect(document.components.schemas[name].minProperties, name).toBe(1);
  });

  it('PATCH /settings {} is a 400', async () => {
    const reply = await api.call('PATCH', '/settings', { body: {} });
    expect(reply.status).toBe(400);
  });
});

describe('the document states the rules the handlers apply', () => {
  it('the board form marks text required', () => {
    expect(document.components.schemas.SuggestionBoardForm.required).toContain('text');
  });

  it('e-mail fields carry the pattern the validation uses', () => {
    const email = document.components.schemas.PutCustomerBody.properties.email;
    expect(email.pattern).toBeTruthy();
    expect(new RegExp(email.pattern).test('wang.xiaoming@example.com')).toBe(true);
    expect(new RegExp(email.pattern).test('"quoted"@example.com')).toBe(false);
  });
});

describe('an over-long field on a customer page: the form again (422), answers kept', () => {
  it('/s/{token} with a comment over 2,000 characters', async () => {
    expect(
      (await api.call('PUT', '/customers/C-GAPS-S', { as: 'agent', body: aCustomer({ language: 'en' }) })).status,
    ).toBe(201);
    const interaction = await api.call('POST', '/interactions', {
      as: 'agent',
      body: anInteraction({
        customerId: 'C-GAPS-S',
        startedAt: '2026-11-03T01:00:00Z',
        firstResponseAt: '2026-11-03T01:00:10Z',
        resolvedAt: '2026-11-03T01:10:00Z',
      }),
    });
    const survey = await api.call('POST', '/surveys', {
      as: 'agent',
      body: { subject: { type: 'interaction', id: interaction.body.id } },
    });
    expect(survey.status).toBe(201);
    const reply = await postForm(`/s/${survey.body.token}?lang=en`, {
      responsiveness: '4',
      professionalism: '5',
      attitude: '5',
      resolution: '4',
      convenience: '3',
      overall: '4',
      nps: '8',
      comment: `kept words ${'x'.repeat(2100)}`,
    });
    expect(reply.status).toBe(422);
    expect(reply.headers.get('content-type')).toMatch(/text\/html/);
    const page = await reply.text();
    expect(page).toContain('too long');
    expect(page).toContain('kept words');
    expect(page).toMatch(/name="convenience" value="3" checked/);
    // Nothing was recorded: the same link still takes the answer once shortened.
    const again = await postForm(`/s/${survey.body.token}?lang=en`, {
      responsiveness: '4',
      professionalism: '5',
      attitude: '5',
      resolution: '4',
      convenience: '3',
      overall: '4',
      nps: '8',
      comment: 'kept words',
    });
    expect(again.status).toBe(200);
  });

  it('/suggestions/board with a text over 4,000 characters, and without text', async () => {
    const long = await postForm('/suggestions/board?lang=en', {
      text: `my idea ${'y'.repeat(4100)}`,
      contact: 'a@b.cn',
    });
    expect(long.status).toBe(422);
    const page = await long.text();
    expect(page).toContain('too long');
    expect(page).toContain('my idea');
    const empty = await postForm('/suggestions/board?lang=en', { contact: 'a@b.cn' });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Please write your suggestion');
  });
});

describe('what the server refuses before any route', () => {
  it('a URL over 16 KB is a 431 problem+json', async () => {
    const reply = await fetch(`${api.runtime.url}/interactions?q=${'x'.repeat(17 * 1024)}`);
    expect(reply.status).toBe(431);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(((await reply.json()) as { status: number }).status).toBe(431);
  });

  it('TRACE on a known path is a 405 with Allow', async () => {
    const reply = await fetch(`${api.runtime.url}/health`, { method: 'PUT' });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toMatch(/\bGET\b/);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    const { request } = await import('node:http');
    const trace = await new Promise<{ status: number; allow: string | undefined }>((resolve, reject) => {
      const outgoing = request(`${api.runtime.url}/interactions`, { method: 'TRACE' }, (answer) => {
        answer.resume();
        resolve({ status: answer.statusCode ?? 0, allow: answer.headers.allow });
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(trace.status).toBe(405);
    expect(trace.allow).toMatch(/GET.*POST|POST.*GET/);
  });

  it('an unknown path stays a 404', async () => {
    expect((await fetch(`${api.runtime.url}/no-such-thing`, { method: 'PUT' })).status).toBe(404);
  });
});

describe('an expired token', () => {
  it('is a 401 token-expired whose problem names the path (instance)', async () => {
    const expired = await new SignJWT({ 'cognito:groups': ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('old-session')
      .setIssuer('careloop-local')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(api.runtime.jwtSecret));
    const reply = await fetch(`${api.runtime.url}/interactions?limit=1`, {
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(reply.status).toBe(401);
    const problem = (await reply.json()) as { type: string; instance?: string };
    expect(problem.type).toMatch(/token-expired$/);
    expect(problem.instance).toBe('/interactions');
  });
});
