/**
 * Idempotency inside the write (shared/store/requests.ts): a keyed POST /interactions,
 * /complaints and /complaints/{id}/events writes its claim in the record's own transaction — one
 * write, no Powertools record around it. A request that dies at any write (before it reaches the
 * table, or after it was written and the answer lost) leaves nothing or exactly one record, and a
 * retry with the same key answers that record; copies in flight together make one record and
 * all answer it (no "in progress" 409: the transaction of one commits, the others are cancelled
 * on the claim and replay it); the same key with another body is a 422. The staff POSTs of goals,
 * campaigns, questionnaires and reports: idempotency-staff-posts.http.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../support/builders/complaints.js';
import { anInteraction } from '../support/builders/interactions.js';
import { crashAtWrite } from '../support/crashes.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z'), schedules: false });
});
afterAll(() => api?.runtime.stop());

/** The writes of this customer's requests (a workflow the request starts writes beside it, about other items). */
const about = (customerId: string) => (input: unknown) => JSON.stringify(input).includes(`CUSTOMER#${customerId}`);

const interactionsOf = async (customerId: string) =>
  (await api.call('GET', `/interactions?customerId=${customerId}&from=2026-11-01&to=2026-11-10`, { as: 'agent' })).body
    .items as Array<{ id: string }>;
const complaintsOf = async (customerId: string) =>
  (await api.call('GET', `/complaints?customerId=${customerId}`, { as: 'agent' })).body.items as Array<{ id: string }>;

const cases = [
  {
    what: 'POST /interactions',
    path: '/interactions',
    body: (customerId: string) => anInteraction({ customerId, startedAt: '2026-11-09T02:00:00Z' }),
    stored: interactionsOf,
  },
  {
    what: 'POST /complaints',
    path: '/complaints',
    body: (customerId: string) => aComplaintBody({ customerId }),
    stored: complaintsOf,
  },
] as const;

describe.each(cases)('$what with an Idempotency-Key', ({ path, body, stored }) => {
  const post = (customerId: string, key: string, payload: unknown = body(customerId)) =>
    api.call('POST', path, { as: 'agent', body: payload, headers: { 'idempotency-key': key } });
  /** The crashed request: its 500 is what an injected crash answers (not a documented answer, so not checked as one). */
  const postRaw = async (customerId: string, key: string) =>
    (
      await fetch(`${api.runtime.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await api.runtime.token('test-agent', ['agent'])}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body(customerId)),
      })
    ).status;

  it('writes once: the claim is an item of the record’s own transaction', async () => {
    const writes = crashAtWrite(undefined, about(`C-once-${path.length}`));
    try {
      expect((await post(`C-once-${path.length}`, 'once')).status).toBe(201);
    } finally {
      writes.remove();
    }
    expect(writes.writes).toEqual(['TransactWriteItemsCommand']);
  });

  it('leaves nothing or exactly one record after a crash at any write, and a retry answers that record', async () => {
    const customer = (w: number, moment: string) => `C-crash-${path.length}-${w}-${moment}`;
    const counting = crashAtWrite(undefined, about(customer(0, 'clean')));
    try {
      await post(customer(0, 'clean'), 'clean');
    } finally {
      counting.remove();
    }
    const writes = counting.writes.length;
    expect(writes).toBeGreaterThan(0);
    for (let write = 1; write <= writes; write += 1)
      for (const moment of ['before', 'after'] as const) {
        const customerId = customer(write, moment);
        const key = `crash-${write}-${moment}`;
        // Dead from the crash on, as a Lambda that timed out: nothing of the request runs after it.
        const crash = crashAtWrite({ write, moment, dead: true }, about(customerId));
        let crashed: number;
        try {
          crashed = await postRaw(customerId, key);
        } finally {
          crash.remove();
        }
        expect(crashed, `${moment} write ${write}`).toBe(500);
        const left = await stored(customerId);
        expect(left.length, `${moment} write ${write}: records left`).toBe(moment === 'before' && write === 1 ? 0 : 1);

        const retry = await post(customerId, key);
        expect(retry.status, retry.text).toBe(201);
        const after = await stored(customerId);
        expect(after.map((r) => r.id)).toEqual([retry.body.id]);
        if (left.length) {
          expect(retry.body.id).toBe(left[0]?.id);
          expect(retry.headers.get('idempotent-replayed')).toBe('true');
        }
        const again = await post(customerId, key);
        expect(again.body).toEqual(retry.body);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
      }
  });

  it('makes one record of copies in flight together, and every copy answers it', async () => {
    const customerId = `C-copies-${path.length}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(customerId, 'copies')));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect((await stored(customerId)).map((r) => r.id)).toEqual([...ids]);
  });

  it('refuses the same key with another body (422) and writes nothing for it', async () => {
    const customerId = `C-other-body-${path.length}`;
    expect((await post(customerId, 'reused')).status).toBe(201);
    const reused = await post(customerId, 'reused', { ...body(customerId), channel: 'email' });
    expect(reused.status).toBe(422);
    expect(reused.body.type).toContain('idempotency-key-reused');
    expect(await stored(customerId)).toHaveLength(1);
  });
});

describe('POST /complaints/{id}/events with an Idempotency-Key', () => {
  const event = (id: string, key: string, body: unknown) =>
    api.call('POST', `/complaints/${id}/events`, { as: 'agent', body, headers: { 'idempotency-key': key } });
  const register = async (customerId: string) =>
    (await api.call('POST', '/complaints', { as: 'agent', body: aComplaintBody({ customerId }) })).body.id as string;
  const entries = async (id: string, type: string) =>
    (
      (await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' })).body.items as Array<{ type: string }>
    ).filter((entry) => entry.type === type);

  it('applies an event once: a retry, even after the complaint moved on, answers the complaint as it is now', async () => {
    const id = await register('C-event-retry');
    const first = await event(id, 'assign-1', { type: 'assign', assigneeId: 'test-agent' });
    expect(first.status).toBe(200);
    const retry = await event(id, 'assign-1', { type: 'assign', assigneeId: 'test-agent' });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.version).toBe(first.body.version);

    expect((await event(id, 'respond-1', { type: 'respond', note: 'Called back' })).status).toBe(200);
    // "respond" again would be a 409 (already responded): the same request is answered, not refused.
    const late = await event(id, 'respond-1', { type: 'respond', note: 'Called back' });
    expect(late.status).toBe(200);
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    expect(late.body.status).toBe('responded');
    expect(await entries(id, 'respond')).toHaveLength(1);
  });

  it('applies one of two copies in flight together; both answer 200', async () => {
    const id = await register('C-event-copies');
    expect((await event(id, 'assign-copies', { type: 'assign', assigneeId: 'test-agent' })).status).toBe(200);
    const copies = await Promise.all(
      Array.from({ length: 3 }, () => event(id, 'note-copies', { type: 'respond', note: 'One call' })),
    );
    expect(copies.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(copies.filter((c) => c.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    expect(await entries(id, 'respond')).toHaveLength(1);
  });

  it('refuses the key with another event (422)', async () => {
    const id = await register('C-event-422');
    expect((await event(id, 'assign-422', { type: 'assign', assigneeId: 'test-agent' })).status).toBe(200);
    expect((await event(id, 'e-422', { type: 'respond', note: 'a' })).status).toBe(200);
    expect((await event(id, 'e-422', { type: 'respond', note: 'b' })).status).toBe(422);
  });
});

describe('suggestions and improvement actions with an Idempotency-Key', () => {
  const keyed = (as: 'agent' | 'manager', path: string, key: string, body: unknown) =>
    api.call('POST', path, { as, body, headers: { 'idempotency-key': key } });

  it('records a suggestion once and applies a decision once: a retry is answered, not refused', async () => {
    const body = { text: 'Please add a night shift', channel: 'app' };
    const first = await keyed('agent', '/suggestions', 'suggestion-1', body);
    expect(first.status).toBe(201);
    const again = await keyed('agent', '/suggestions', 'suggestion-1', body);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);

    const decision = { decision: 'adopted', plannedFor: '2026-12-01' };
    const path = `/suggestions/${first.body.id}/decision`;
    const adopted = await keyed('manager', path, 'decide-1', decision);
    expect(adopted.status).toBe(200);
    // A second decision is a 409 (decided already); the same request is answered again.
    const retried = await keyed('manager', path, 'decide-1', decision);
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body.status).toBe('adopted');
    expect((await keyed('manager', path, 'decide-1', { decision: 'rejected', reason: 'x' })).status).toBe(422);
  });
});
