/**
 * The hand-written layer of @careloop/client against the local runtime: the bearer token, typed
 * problem+json errors (field pointers and codes, `current` and the ETag of a 412/409), the If-Match
 * memory, `pages()` over nextCursor and `idempotent()` retries that never create twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../../test/support/builders/complaints.js';
import {
  all,
  createClient,
  idempotencyKey,
  idempotent,
  isProblem,
  ok,
  ProblemError,
  pages,
  type RevalidateHeader,
  settle,
} from '../src/index.js';
import { type ClientHarness, type RecordedClient, recordingFetch, startClientHarness } from './support.js';

let harness: ClientHarness;
let agent: RecordedClient;
let admin: RecordedClient;
beforeAll(async () => {
  harness = await startClientHarness({ startAt: new Date('2026-11-10T02:00:00Z') });
  agent = await harness.client('agent-cl', ['agent'], 'hotline');
  admin = await harness.client('admin-cl', ['admin']);
  await ok(
    agent.api.PUT('/customers/{id}', {
      params: { path: { id: 'C-client' } },
      body: { name: '林霞', preferredChannel: 'sms', language: 'zh', consent: { sms: true, email: false } },
    }),
  );
});
afterAll(() => harness?.stop());

const register = (customerId = 'C-client') =>
  ok(agent.api.POST('/complaints', { params: { header: idempotencyKey() }, body: aComplaintBody({ customerId }) }));

describe('auth', () => {
  it('sends the token on every call, asking a token function each time', async () => {
    let asked = 0;
    const token = agent.token;
    const api = createClient({
      baseUrl: harness.api.runtime.url,
      token: async () => {
        asked += 1;
        return token;
      },
    });
    expect((await ok(api.GET('/me'))).sub).toBe('agent-cl');
    expect((await ok(api.GET('/me'))).roles).toEqual(['agent']);
    expect(asked).toBe(2);
  });

  it('without a token a staff route is a thrown ProblemError 401 with the problem type', async () => {
    const api = createClient({ baseUrl: harness.api.runtime.url });
    const error = await ok(api.GET('/me')).catch((e: unknown) => e);
    expect(isProblem(error)).toBe(true);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 401, type: 'https://careloop.dev/problems/unauthenticated', errors: [] });
  });
});

describe('typed problem+json errors', () => {
  it('a 400 names each field by JSON pointer (exact where a key holds a dot), with a code and params', async () => {
    const saved = await settle(
      admin.api.PATCH('/settings', {
        body: { escalation: { teamContacts: { 'north.team': { supervisor: { name: 'North', email: 'nope' } } } } },
      }),
    );
    expect(saved.ok).toBe(false);
    if (saved.ok) return;
    expect(saved.problem.status).toBe(400);
    expect(saved.problem.type).toBe('https://careloop.dev/problems/validation');
    expect(saved.problem.at('/escalation/teamContacts/north.team/supervisor/email')).toMatchObject({
      code: 'invalid_format',
      params: { format: 'email' },
    });
  });

  it('a 409 of a refused transition carries the complaint as stored, its ETag and what it accepts', async () => {
    const complaint = await register();
    const refused = await settle(
      agent.api.POST('/complaints/{id}/events', { params: { path: { id: complaint.id } }, body: { type: 'resolve' } }),
    );
    if (refused.ok) throw new Error('resolve of a registered complaint went through');
    expect(refused.problem.status).toBe(409);
    expect(refused.problem.current).toMatchObject({ id: complaint.id, status: 'registered' });
    expect(refused.problem.current?.allowedEvents).toContain('assign');
    expect(refused.problem.problem?.currentStatus).toBe('registered');
    expect(refused.problem.etag).toBe(`"${complaint.version}"`);
  });
});

describe('If-Match from the last ETag seen', () => {
  it('remembers a creation’s ETag, sends it, and after a 412 holds the version the 412 answered', async () => {
    const complaint = await register();
    const path = `/complaints/${complaint.id}`;
    expect(agent.api.etag(path)).toBe(`"${complaint.version}"`);

    // Someone else assigns it meanwhile, from their own read.
    const other = await harness.client('agent-other', ['agent'], 'hotline');
    await ok(other.api.GET('/complaints/{id}', { params: { path: { id: complaint.id } } }));
    const assigned = await ok(
      other.api.POST('/complaints/{id}/events', {
        params: { path: { id: complaint.id }, header: other.api.ifMatch(path) },
        body: { type: 'assign', assigneeId: 'agent-other' },
      }),
    );
    expect(other.api.etag(path)).toBe(`"${assigned.version}"`);

    const stale = await settle(
      agent.api.POST('/complaints/{id}/events', {
        params: { path: { id: complaint.id }, header: agent.api.ifMatch(path) },
        body: { type: 'assign', assigneeId: 'agent-cl', reassign: true },
      }),
    );
    if (stale.ok) throw new Error('a stale If-Match went through');
    expect(stale.problem.status).toBe(412);
    expect(stale.problem.current).toMatchObject({ status: 'assigned', version: assigned.version });
    expect(stale.problem.etag).toBe(`"${assigned.version}"`);
    // The client now holds the version the 412 answered: the retry needs no second read.
    expect(agent.api.etag(path)).toBe(`"${assigned.version}"`);
    const retried = await ok(
      agent.api.POST('/complaints/{id}/events', {
        params: { path: { id: complaint.id }, header: agent.api.ifMatch(path) },
        body: { type: 'assign', assigneeId: 'agent-cl', reassign: true },
      }),
    );
    expect(retried.assigneeId).toBe('agent-cl');
    expect(agent.api.etag(path)).toBe(`"${retried.version}"`);
  });

  it('keys a record by its path under the base URL; an unread record has no If-Match to give', () => {
    expect(() => agent.api.ifMatch('/complaints/never-read')).toThrow(/read the record first/);
    expect(agent.api.etag('/complaints/never-read')).toBeUndefined();
  });

  it('with api.requireIfMatch on, a write without If-Match is a 428 and with the remembered ETag it goes through', async () => {
    await ok(admin.api.GET('/settings'));
    await ok(
      admin.api.PATCH('/settings', {
        params: { header: admin.api.ifMatch('/settings') },
        body: { api: { requireIfMatch: true } },
      }),
    );
    try {
      const complaint = await register();
      const without = await settle(
        agent.api.POST('/complaints/{id}/events', {
          params: { path: { id: complaint.id } },
          body: { type: 'assign', assigneeId: 'agent-cl' },
        }),
      );
      expect(without.ok ? 200 : without.problem.status).toBe(428);
      const strict = agent.strict();
      const assigned = await ok(
        strict.POST('/complaints/{id}/events', {
          params: { path: { id: complaint.id }, header: agent.api.ifMatch(`/complaints/${complaint.id}`) },
          body: { type: 'assign', assigneeId: 'agent-cl' },
        }),
      );
      expect(assigned.status).toBe('assigned');
    } finally {
      await ok(
        admin.api.PATCH('/settings', {
          params: { header: admin.api.ifMatch('/settings') },
          body: { api: { requireIfMatch: false } },
        }),
      );
    }
  });
});

describe('pages()', () => {
  it('follows nextCursor to the end, one call a page, every item once', async () => {
    const customerId = 'C-client-pages';
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await register(customerId)).id);
    const before = agent.calls.length;
    const seen: string[] = [];
    let count = 0;
    for await (const page of pages((cursor) =>
      agent.api.GET('/complaints', { params: { query: { customerId, limit: 2, cursor } } }),
    )) {
      count += 1;
      seen.push(...page.items.map((row) => row.id));
    }
    expect(count).toBe(3);
    expect(agent.calls.length - before).toBe(3);
    expect(seen.sort()).toEqual(created.sort());
    const everything = await all((cursor) =>
      agent.api.GET('/complaints', { params: { query: { customerId, limit: 2, cursor } } }),
    );
    expect(everything.map((row) => row.customer.name)).toEqual(Array(5).fill(null));
  });

  it('throws the ProblemError of a page that fails', async () => {
    const walk = async () => {
      for await (const _ of pages((cursor) =>
        agent.api.GET('/complaints', { params: { query: { cursor: cursor ?? 'forged' } } }),
      ));
    };
    await expect(walk()).rejects.toMatchObject({ status: 400 });
  });
});

describe('idempotent()', () => {
  it('retries a POST whose answer was lost with the same key: one complaint, the first answer replayed', async () => {
    const calls: string[] = [];
    const keys: (string | null)[] = [];
    let lose = true;
    const losingFetch = recordingFetch(harness.checker, calls, async (input, init) => {
      const request = new Request(input, init);
      keys.push(request.headers.get('idempotency-key'));
      const response = await fetch(request);
      if (lose) {
        lose = false;
        await response.arrayBuffer();
        throw new TypeError('fetch failed: the connection was reset after the request was sent');
      }
      return response;
    });
    const api = createClient({ baseUrl: harness.api.runtime.url, token: agent.token, fetch: losingFetch });
    const customerId = 'C-client-retry';
    const result = await idempotent(
      (key) => api.POST('/complaints', { params: { header: key }, body: aComplaintBody({ customerId }) }),
      { backoffMs: () => 10 },
    );
    expect(result.response.status).toBe(201);
    expect(result.response.headers.get('idempotent-replayed')).toBe('true');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    const stored = await ok(agent.api.GET('/complaints', { params: { query: { customerId } } }));
    expect(stored.items.map((row) => row.id)).toEqual([result.data?.id]);
  });

  it('sends a key it is given, and does not retry an answer a retry cannot change', async () => {
    let attempts = 0;
    const result = await idempotent(
      (key) => {
        attempts += 1;
        expect(key).toEqual({ 'Idempotency-Key': 'form-7f1c2d' });
        return agent.api.POST('/complaints', {
          params: { header: key },
          body: aComplaintBody({ customerId: 'C-client-retry', severity: 'medium', description: '' }),
        });
      },
      { key: 'form-7f1c2d' },
    );
    expect(attempts).toBe(1);
    expect(result.response.status).toBe(400);
    expect(result.error?.errors?.[0]?.pointer).toBe('/description');
  });
});

describe('lists polled with If-None-Match (revalidate)', () => {
  /** A client whose fetch notes what each request sent as If-None-Match and what status came back. */
  const observed = () => {
    const wire: Array<{ ifNoneMatch: string | null; status: number }> = [];
    const api = createClient({
      baseUrl: harness.api.runtime.url,
      token: agent.token,
      fetch: recordingFetch(harness.checker, [], async (input) => {
        const request = input instanceof Request ? input : new Request(input);
        const response = await fetch(request);
        wire.push({ ifNoneMatch: request.headers.get('if-none-match'), status: response.status });
        return response;
      }),
    });
    return { api, wire };
  };

  it('answers an identical second call from a 304 with the same data, and a change makes it 200 again', async () => {
    const { api, wire } = observed();
    const customerId = 'C-poll';
    await register(customerId);
    const queue = (header: RevalidateHeader) =>
      api.GET('/complaints', { params: { query: { customerId, open: 'true' }, header } });

    const first = await api.revalidate(queue);
    expect(first.error, JSON.stringify(first.error)).toBeUndefined();
    expect(first.unchanged).toBe(false);
    expect(first.data?.items).toHaveLength(1);
    const etag = first.response.headers.get('etag');
    expect(etag).toMatch(/^W\//);

    const second = await api.revalidate(queue);
    expect(second.unchanged).toBe(true);
    expect(second.data).toEqual(first.data);
    // On the wire: the first call sent no validator, the second the first page's ETag and got a 304.
    expect(wire).toEqual([
      { ifNoneMatch: null, status: 200 },
      { ifNoneMatch: etag, status: 304 },
    ]);

    // Something in the list changes: a full answer again, then 304s for the new page.
    const added = await register(customerId);
    const third = await api.revalidate(queue);
    expect(third.unchanged).toBe(false);
    expect(third.data?.items.map((row) => row.id).sort()).toEqual([first.data?.items[0]?.id, added.id].sort());
    const fourth = await api.revalidate(queue);
    expect(fourth).toMatchObject({ unchanged: true, data: third.data });
    expect(wire.slice(2).map((call) => call.status)).toEqual([200, 304]);
    expect(wire[3]?.ifNoneMatch).toBe(third.response.headers.get('etag'));
  });

  it('keeps a page per URL (query order aside), sends no validator on a plain call, and forgets on sign-out', async () => {
    const { api, wire } = observed();
    await register('C-poll-2');
    const byCustomer = (customerId: string) => (header: RevalidateHeader) =>
      api.GET('/complaints', { params: { query: { customerId, open: 'true' }, header } });
    await api.revalidate(byCustomer('C-poll-2'));
    // Another URL has a page of its own: not answered from the first.
    const other = await api.revalidate(byCustomer('C-poll-none'));
    expect(other).toMatchObject({ unchanged: false, data: { items: [] } });
    // The same query written in another order is the same page.
    const reordered = await api.revalidate((header) =>
      api.GET('/complaints', { params: { query: { open: 'true', customerId: 'C-poll-2' }, header } }),
    );
    expect(reordered.unchanged).toBe(true);
    // A call made without revalidate is the API's plain answer.
    const plain = await api.GET('/complaints', { params: { query: { customerId: 'C-poll-2', open: 'true' } } });
    expect(plain.response.status).toBe(200);
    expect(wire.at(-1)).toEqual({ ifNoneMatch: null, status: 200 });
    api.forgetVersions();
    expect((await api.revalidate(byCustomer('C-poll-2'))).unchanged).toBe(false);
    expect(wire.at(-1)).toEqual({ ifNoneMatch: null, status: 200 });
  });
});
