/** The interactions contract over real HTTP against the local runtime (DynamoDB Local underneath). */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z') });
});
afterAll(() => api?.runtime.stop());

const expectProblem = (reply: { status: number; headers: Headers; body: any }, status: number) => {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(JSON.stringify(reply.body)).not.toMatch(/\n\s+at /);
};

describe('recording an interaction', () => {
  it('answers 201 with the derived timing of a chat answered in 12 s and resolved in 40 min', async () => {
    const reply = await api.call('POST', '/interactions', {
      as: 'agent',
      body: anInteraction({
        startedAt: '2026-11-03T08:00:00Z',
        firstResponseAt: '2026-11-03T08:00:12Z',
        resolvedAt: '2026-11-03T08:40:00Z',
        team: 'online',
      }),
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      status: 'resolved',
      firstResponseSeconds: 12,
      resolutionSeconds: 2400,
      responseTargetMet: true,
      resolutionTargetMet: true,
      createdBy: 'test-agent',
    });
    const read = await api.call('GET', `/interactions/${reply.body.id}`, { as: 'agent' });
    // A single read carries every field of a list row, the customer's name among them (no profile here).
    expect(read.body).toEqual({
      ...reply.body,
      customer: { id: 'C-10042', name: null },
      nextDeadline: null,
      allowedEvents: [],
    });
  });

  it('records a late store visit as missed and keeps its overdue reason', async () => {
    const reply = await api.call('POST', '/interactions', {
      body: anInteraction({
        channel: 'store',
        startedAt: '2026-11-03T08:00:00Z',
        firstResponseAt: '2026-11-03T08:05:00Z',
        overdueReason: 'staffing',
      }),
    });
    expect(reply.body).toMatchObject({
      responseTargetSeconds: 180,
      firstResponseSeconds: 300,
      responseTargetMet: false,
      overdueReason: 'staffing',
    });
  });

  it('sets the resolution later with PATCH and derives it', async () => {
    const created = await api.call('POST', '/interactions', {
      body: anInteraction({ channel: 'email', startedAt: '2026-11-04T01:00:00Z' }),
    });
    const patched = await api.call('PATCH', `/interactions/${created.body.id}`, {
      body: { firstResponseAt: '2026-11-04T01:30:00Z', resolvedAt: '2026-11-04T06:30:00Z', overdueReason: 'process' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      status: 'resolved',
      responseTargetMet: true,
      resolutionTargetMet: false,
      resolutionSeconds: 19800,
      version: 2,
    });
  });
});

describe('the error contract', () => {
  it('401 without a token and with a forged one', async () => {
    expectProblem(await api.call('GET', '/interactions', { as: null }), 401);
    expectProblem(
      await api.call('GET', '/interactions', {
        as: null,
        headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged' },
      }),
      401,
    );
  });

  it('403 for a verified caller without a role that reaches agent', async () => {
    const token = await api.runtime.token('visitor', [] as never);
    expectProblem(
      await api.call('GET', '/interactions', { as: null, headers: { authorization: `Bearer ${token}` } }),
      403,
    );
  });

  it('404 for an id that does not exist', async () => {
    expectProblem(await api.call('GET', '/interactions/01JC0ZQ8M3Y7D5T2N4K6P8R0SV'), 404);
  });

  it('400 naming every bad field, unknown fields included', async () => {
    const reply = await api.call('POST', '/interactions', {
      body: { ...anInteraction(), complexity: 'hard', status: 'resolved' },
    });
    expectProblem(reply, 400);
    expect(reply.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['complexity', 'status']);
  });

  it('400 when times are out of order', async () => {
    const reply = await api.call('POST', '/interactions', {
      body: anInteraction({ resolvedAt: '2026-11-03T07:00:00Z' }),
    });
    expectProblem(reply, 400);
    expect(reply.body.errors).toEqual([
      {
        path: 'resolvedAt',
        pointer: '/resolvedAt',
        code: 'not_ordered',
        message: 'must not be before startedAt',
        params: { after: 'startedAt' },
      },
    ]);
  });

  it('400 for a body that is not JSON, 415 for one that is not declared JSON', async () => {
    expectProblem(await api.call('POST', '/interactions', { rawBody: '{"customerId":' }), 400);
    expectProblem(
      await api.call('POST', '/interactions', { rawBody: 'customerId=1', headers: { 'content-type': 'text/plain' } }),
      415,
    );
  });

  it('413 for a body over 64 KiB, and nothing is stored', async () => {
    const reply = await api.call('POST', '/interactions', {
      body: anInteraction({ customerId: 'C-big', summary: 'x'.repeat(70 * 1024) }),
    });
    expectProblem(reply, 413);
    const list = await api.call('GET', '/interactions?customerId=C-big&from=2026-11-01&to=2026-11-10');
    expect(list.body.items).toEqual([]);
  });

  it('answers CORS preflights and puts CORS headers on answers', async () => {
    const preflight = await fetch(`${api.runtime.url}/interactions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://console.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const reply = await api.call('GET', '/interactions', { headers: { origin: 'https://console.example.com' } });
    expect(reply.headers.get('access-control-allow-origin')).toBeTruthy();
  });
});

describe('idempotent POST', () => {
  it('returns the first answer to a retry with the same key and creates nothing new', async () => {
    const body = anInteraction({ customerId: 'C-retry', startedAt: '2026-11-05T02:00:00Z' });
    const headers = { 'idempotency-key': 'retry-key-1' };
    const first = await api.call('POST', '/interactions', { body, headers });
    const second = await api.call('POST', '/interactions', { body, headers: { 'Idempotency-Key': 'retry-key-1' } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const list = await api.call('GET', '/interactions?customerId=C-retry&from=2026-11-01&to=2026-11-10');
    expect(list.body.items).toHaveLength(1);
  });

  it('422 when the key is reused with a different body', async () => {
    const headers = { 'idempotency-key': 'retry-key-2' };
    await api.call('POST', '/interactions', { body: anInteraction({ customerId: 'C-reuse' }), headers });
    expectProblem(
      await api.call('POST', '/interactions', { body: anInteraction({ customerId: 'C-other' }), headers }),
      422,
    );
  });

  it('keeps keys of different callers apart', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const mine = await api.call('POST', '/interactions', {
      as: 'agent',
      body: anInteraction({ customerId: 'C-k1' }),
      headers,
    });
    const theirs = await api.call('POST', '/interactions', {
      as: 'supervisor',
      body: anInteraction({ customerId: 'C-k1' }),
      headers,
    });
    expect(theirs.body.id).not.toBe(mine.body.id);
  });
});

describe('listing', () => {
  it('walks every interaction of a channel and range exactly once, newest first, across pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 31; i += 1) {
      const day = String(1 + (i % 7)).padStart(2, '0');
      const reply = await api.call('POST', '/interactions', {
        body: anInteraction({
          customerId: `C-walk-${i % 3}`,
          channel: 'wechat',
          startedAt: `2026-10-${day}T0${i % 10}:${String(i).padStart(2, '0')}:00Z`,
        }),
      });
      ids.push(reply.body.id);
    }
    const seen: { id: string; startedAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `channel=wechat&from=2026-10-01&to=2026-10-07&limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api.call('GET', `/interactions?${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(seen.map((i) => i.startedAt)).toEqual(
      seen
        .map((i) => i.startedAt)
        .sort()
        .reverse(),
    );
  });

  it('filters a customer history by channel and reads dates in the settings time zone (Asia/Shanghai)', async () => {
    // 2026-10-20T23:30+08:00 is 15:30Z the same day; 2026-10-21T00:30+08:00 is 16:30Z on the 20th.
    await api.call('POST', '/interactions', {
      body: anInteraction({ customerId: 'C-tz', channel: 'phone', startedAt: '2026-10-20T23:30:00+08:00' }),
    });
    await api.call('POST', '/interactions', {
      body: anInteraction({ customerId: 'C-tz', channel: 'phone', startedAt: '2026-10-21T00:30:00+08:00' }),
    });
    await api.call('POST', '/interactions', {
      body: anInteraction({ customerId: 'C-tz', channel: 'chat', startedAt: '2026-10-21T00:40:00+08:00' }),
    });
    const reply = await api.call('GET', '/interactions?customerId=C-tz&channel=phone&from=2026-10-21&to=2026-10-21');
    expect(reply.body.items.map((i: { startedAt: string }) => i.startedAt)).toEqual(['2026-10-20T16:30:00.000Z']);
  });

  it('400 for a limit out of range, a reversed range and a foreign cursor', async () => {
    expectProblem(await api.call('GET', '/interactions?limit=101'), 400);
    expectProblem(await api.call('GET', '/interactions?from=2026-10-09&to=2026-10-01'), 400);
    expectProblem(await api.call('GET', '/interactions?cursor=bm90LWEtY3Vyc29y'), 400);
  });
});

describe('robustness', () => {
  const field = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string()),
    fc.object(),
  );
  const bodies = fc.oneof(
    fc.record(
      {
        customerId: fc.oneof(fc.string(), field),
        channel: fc.oneof(fc.constantFrom('phone', 'chat', 'app', 'wechat', 'email', 'store'), field),
        complexity: fc.oneof(fc.constantFrom('simple', 'complex'), field),
        startedAt: fc.oneof(
          fc
            .date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString()),
          field,
        ),
        firstResponseAt: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          field,
        ),
        summary: field,
      },
      { requiredKeys: [] },
    ),
    fc.anything(),
  );

  it('never answers a random body with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const reply = await api.call('POST', '/interactions', { rawBody: JSON.stringify(body) ?? 'null' });
        expect(reply.status).toBeLessThan(500);
        const patched = await api.call('PATCH', '/interactions/01JC0ZQ8M3Y7D5T2N4K6P8R0SV', {
          rawBody: JSON.stringify(body) ?? 'null',
        });
        expect(patched.status).toBeLessThan(500);
      }),
      { numRuns: 120 },
    );
  });

  it('never answers random query strings with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('limit', 'cursor', 'from', 'to', 'channel', 'customerId', 'x'), fc.string()),
        async (query) => {
          const reply = await api.call('GET', `/interactions?${new URLSearchParams(query)}`);
          expect(reply.status).toBeLessThan(500);
        },
      ),
      { numRuns: 80 },
    );
  });
});
