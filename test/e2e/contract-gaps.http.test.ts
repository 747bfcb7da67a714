/**
 * Small contract rules a schema-driven fuzzer checks (contract, "Conventions" and "Auth"): header
 * lengths, PATCH bodies that change nothing, forms that come back instead of a bare 400, a URL over
 * 16 KB, a method a path does not take, an expired token's problem naming the path, and a document
 * that states every rule the validator applies (patterns, bounds, names), so data valid by the
 * document is never refused for its form.
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

describe('the document states what the validator enforces, no less (#27.5)', () => {
  const matches = (pattern: string, value: string) => new RegExp(pattern, 'u').test(value);

  it('timestamps: the same expression zod checks, in the years 2000–2100, proven by requests', async () => {
    const { pattern } = document.components.schemas.CreateInteractionBody.properties.startedAt;
    const cases: Array<[string, boolean]> = [
      ['2026-11-03T08:15:00Z', true],
      ['2026-11-03T08:15:00.123+08:00', true],
      ['2000-01-01T00:00:00Z', true],
      ['2100-12-31T23:59:59Z', true],
      // RFC 3339 `date-time` takes these; the API does not, and the document says so.
      ['2026-11-03t08:15:00Z', false],
      ['2026-11-03T08:15:00z', false],
      ['2026-12-31T23:59:60Z', false],
      ['2026-11-03T08:15Z', false],
      ['2026-11-03T08:15:00+0800', false],
      ['2026-02-30T08:15:00Z', false],
      ['1999-12-31T23:59:59Z', false],
      ['0143-05-05T08:04:00Z', false],
      ['2101-01-01T00:00:00Z', false],
    ];
    for (const [value, accepted] of cases) {
      expect(matches(pattern, value), `document on ${value}`).toBe(accepted);
      // The validator agrees (a PATCH of a fresh interaction's first response time, before or after it starts:
      // a refused value names the field, an accepted one gets past validation — 200, or 400 for ordering only).
      const reply = await api.call('POST', '/interactions', {
        body: anInteraction({
          customerId: 'C-DOC-TS',
          startedAt: value,
          firstResponseAt: undefined,
          resolvedAt: undefined,
        }),
      });
      // "not in the future" is the clock's rule, not the format's: 2100 is refused for that reason only.
      const formatRefused = (reply.body.errors ?? []).some(
        (e: { path: string; message: string }) => e.path === 'startedAt' && !/future/.test(e.message),
      );
      expect(formatRefused, `validator on ${value}: ${reply.status} ${JSON.stringify(reply.body.errors)}`).toBe(
        !accepted,
      );
    }
  });

  it('dates: the same, and a date outside the years is refused by both', async () => {
    const { pattern } = document.components.schemas.CreateImprovementBody.properties.dueDate;
    for (const [value, accepted] of [
      ['2026-11-03', true],
      ['2100-12-31', true],
      ['1999-12-31', false],
      ['2101-01-01', false],
      ['2026-02-29', false],
      ['2028-02-29', true],
    ] as const) {
      expect(matches(pattern, value), value).toBe(accepted);
      const reply = await api.call('GET', `/interactions?from=${value}&to=${value}`);
      expect(reply.status, `${value}: ${JSON.stringify(reply.body)}`).toBe(accepted ? 200 : 400);
    }
  });

  it('KPI values: not a non-zero number closer to 0 than a millionth, in the document as in the validator', async () => {
    const target = document.components.schemas.CreateImprovementBody.properties.expectedEffect.properties.target;
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const valid = new Ajv2020({ strict: false }).compile(target);
    for (const [value, accepted] of [
      [0, true],
      [0.85, true],
      [-0.000001, true],
      [1e-7, false],
      [-5e-324, false],
      [100.5, false],
    ] as const) {
      expect(valid(value), `document on ${value}`).toBe(accepted);
      const reply = await api.call('POST', '/improvements', {
        as: 'manager',
        body: {
          problem: 'Slow first response on chat',
          measure: 'Add a second agent at lunch time',
          department: 'online',
          ownerId: 'manager-1',
          dueDate: '2026-12-31',
          expectedEffect: { metric: 'csi', target: value },
        },
      });
      expect(reply.status, `validator on ${value}: ${JSON.stringify(reply.body)}`).toBe(accepted ? 201 : 400);
    }
  });

  it('names that would reach an object prototype, sizes of maps and repeated channels: stated too', async () => {
    const { schemas } = document.components;
    const patch = schemas.SettingsPatch.properties;
    // A patch may use the names the settings take; the merged settings hold at most so many.
    for (const keywords of [
      patch.surveys.properties.commentKeywords,
      schemas.SurveySettings.properties.commentKeywords,
    ]) {
      expect(keywords.propertyNames.pattern).toBe('^[a-z][a-z0-9_]{0,39}$');
      expect(keywords.propertyNames.not.enum).toEqual(expect.arrayContaining(['__proto__', 'constructor']));
    }
    expect(schemas.SurveySettings.properties.commentKeywords.maxProperties).toBe(100);
    expect(schemas.VersionedSettings.properties.calendars.maxProperties).toBe(50);
    expect(patch.calendars.propertyNames.not.enum).toContain('prototype');
    expect(patch.messaging.properties.channelOrder.uniqueItems).toBe(true);
    const constructorCategory = await api.call('PATCH', '/settings', {
      body: { surveys: { commentKeywords: { constructor: ['x'] } } },
    });
    expect(constructorCategory.status).toBe(400);
    const twice = await api.call('PATCH', '/settings', { body: { messaging: { channelOrder: ['sms', 'sms'] } } });
    expect(twice.status).toBe(400);
    expect(document.components.schemas.CreateQuestionnaireBody.properties.copyOf.properties.version.maximum).toBe(
      999_999,
    );
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

  it('/c/{token} with a comment over 2,000 characters: nothing recorded, the link still answers', async () => {
    await api.runtime.workflows.prepare();
    const phone = '+8613800004242';
    expect(
      (await api.call('PUT', '/customers/C-GAPS-C', { as: 'agent', body: aCustomer({ language: 'en', phone }) }))
        .status,
    ).toBe(201);
    const created = await api.call('POST', '/complaints', {
      as: 'agent',
      body: {
        customerId: 'C-GAPS-C',
        channel: 'phone',
        category: 'logistics',
        severity: 'medium',
        description: 'Late parcel',
      },
    });
    expect(created.status).toBe(201);
    for (const event of [
      { type: 'assign', assigneeId: 'agent-7' },
      { type: 'respond' },
      { type: 'propose_solution', solution: 'A replacement goes out today.' },
      { type: 'resolve' },
    ])
      expect(
        (await api.call('POST', `/complaints/${created.body.id}/events`, { as: 'agent', body: event })).status,
      ).toBe(200);
    expect((await api.call('POST', '/_local/jobs/follow-ups', { as: 'admin' })).status).toBe(200);
    const message = api.runtime.outbox.list().find((m) => m.to.includes(phone) && m.text?.includes('/c/'));
    const path = new URL(/(https?:\/\/\S+\/c\/[A-Za-z0-9_-]+)/.exec(message?.text ?? '')![1]!).pathname;
    const reply = await postForm(`${path}?lang=en`, { answer: 'no', comment: `still broken ${'z'.repeat(2100)}` });
    expect(reply.status).toBe(422);
    expect(reply.headers.get('content-type')).toMatch(/text\/html/);
    const page = await reply.text();
    expect(page).toContain('too long');
    expect(page).toContain('still broken');
    expect((await api.call('GET', `/complaints/${created.body.id}`)).body.status).toBe('resolved');
    expect((await postForm(`${path}?lang=en`, { answer: 'yes', comment: 'fine now' })).status).toBe(200);
    expect((await api.call('GET', `/complaints/${created.body.id}`)).body.status).toBe('confirmed');
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
