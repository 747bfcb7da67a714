/**
 * How a screen learns what changed (contract "For screens (v1.2)"): `GET /changes` from a cursor,
 * written in each record's own transaction, and list ETags that answer 304 to If-None-Match while
 * nothing in the page changed — a live queue refresh is one small call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/schemas/common.js';
import { positionAt } from '../../shared/store/changes.js';
import { sealPositionCursor } from '../../shared/store/paging.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { until } from '../support/wait.js';

let api: TestApi;
const START = new Date('2026-11-10T02:00:00Z');
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
});
afterAll(() => api?.runtime.stop());

const as = async (sub: string, team?: string, roles: Role[] = ['agent']) => ({
  authorization: `Bearer ${await api.runtime.token(sub, roles, team)}`,
});
const get = (path: string, headers: Record<string, string>) => api.call('GET', path, { as: null, headers });
type Change = { type: string; id: string; version: number; changedAt: string };

describe('the changes feed', () => {
  it('starts empty at now, then answers every change after the cursor oldest first, and nothing twice', async () => {
    const ann = await as('agent-ann', 'feed');
    const start = await get('/changes', ann);
    expect(start.status).toBe(200);
    expect(start.body.items).toEqual([]);
    expect(typeof start.body.nextCursor).toBe('string');

    const made = await api.call('POST', '/interactions', {
      as: null,
      headers: ann,
      body: anInteraction({ customerId: 'C-feed', startedAt: START.toISOString() }),
    });
    const answered = await api.call('PATCH', `/interactions/${made.body.id}`, {
      as: null,
      headers: ann,
      body: { firstResponseAt: START.toISOString() },
    });
    expect(answered.status).toBe(200);
    const complaint = await api.call('POST', '/complaints', { as: 'agent', body: aComplaintBody() });
    expect(complaint.status).toBe(201);

    // Changes show once they are a moment old (the feed never answers past a write still committing).
    const cursor = encodeURIComponent(start.body.nextCursor);
    const seen: Change[] = [];
    let next = cursor;
    await until(
      async () => {
        const page = await get(`/changes?since=${next}`, ann);
        expect(page.status).toBe(200);
        seen.push(...page.body.items);
        next = encodeURIComponent(page.body.nextCursor);
        return seen.some((c) => c.id === complaint.body.id) ? true : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    const mine = seen.filter((c) => c.id === made.body.id || c.id === complaint.body.id);
    expect(mine.map((c) => [c.type, c.id, c.version])).toEqual([
      ['interaction', made.body.id, 1],
      ['interaction', made.body.id, 2],
      ['complaint', complaint.body.id, complaint.body.version],
    ]);
    const times = seen.map((c) => c.changedAt);
    expect(times).toEqual([...times].sort());
    expect(new Set(seen.map((c) => `${c.id}/${c.version}`)).size).toBe(seen.length);

    // Caught up: the same cursor answers nothing new, and its ETag makes the next poll a 304.
    const quiet = await get(`/changes?since=${next}`, ann);
    expect(quiet.body.items).toEqual([]);
    const etag = quiet.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    const again = await get(`/changes?since=${next}`, { ...ann, 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');

    // Types narrow the feed; an agent follows only what an agent may read.
    const onlyComplaints = await get(`/changes?since=${cursor}&types=complaint`, ann);
    expect((onlyComplaints.body.items as Change[]).every((c) => c.type === 'complaint')).toBe(true);
    expect((onlyComplaints.body.items as Change[]).map((c) => c.id)).toContain(complaint.body.id);
  });

  it('tells an alert claim to a supervisor, and keeps alerts from agents', async () => {
    const sup = await as('sup-feed', 'feed', ['supervisor']);
    expect((await get('/changes?types=alert', await as('agent-x', 'feed'))).status).toBe(403);
    const start = await get('/changes?types=alert,improvement', sup);
    expect(start.status).toBe(200);
  });

  it('refuses a cursor it did not issue (400), one past the 24 h retention (410), unknown types and If-None-Match: *', async () => {
    const ann = await as('agent-ann', 'feed');
    const forged = await get('/changes?since=not-a-cursor', ann);
    expect(forged.status).toBe(400);
    expect(forged.body.errors).toEqual([expect.objectContaining({ path: 'since', code: 'invalid_format' })]);
    const stale = await sealPositionCursor(
      'GET /changes',
      positionAt(new Date(START.getTime() - 25 * 3600_000).toISOString()),
    );
    const gone = await get(`/changes?since=${stale}`, ann);
    expect(gone.status).toBe(410);
    expect(gone.body.detail).toMatch(/24 h/);
    const unknown = await get('/changes?types=complaint,survey', ann);
    expect(unknown.body.errors).toEqual([
      expect.objectContaining({
        path: 'types',
        code: 'not_in_list',
        params: expect.objectContaining({ allowed: expect.any(Array) }),
      }),
    ]);
    const star = await get('/interactions', { ...ann, 'if-none-match': '*' });
    expect(star.status).toBe(400);
    expect(star.body.errors).toEqual([expect.objectContaining({ path: 'If-None-Match' })]);
  });
});

describe('list ETags', () => {
  it('answers a list with an ETag, 304 while nothing in the page changed, and a new ETag once something did', async () => {
    const bea = await as('agent-bea', 'etags');
    const made = await api.call('POST', '/interactions', {
      as: null,
      headers: bea,
      body: anInteraction({ customerId: 'C-etags', startedAt: START.toISOString() }),
    });
    const path = '/interactions?sort=nextDeadline';
    const first = await get(path, bea);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    // secondsLeft moves with the clock, yet the page is the same: 304 without a body.
    const same = await get(path, { ...bea, 'if-none-match': etag });
    expect(same.status).toBe(304);
    expect(same.text).toBe('');
    expect(same.headers.get('etag')).toBe(etag);
    expect((await get(path, { ...bea, 'if-none-match': `W/"other", ${etag}` })).status).toBe(304);
    await api.call('PATCH', `/interactions/${made.body.id}`, {
      as: null,
      headers: bea,
      body: { firstResponseAt: START.toISOString() },
    });
    const changed = await get(path, { ...bea, 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.body.items[0].nextDeadline.milestone).toBe('resolution');
  });
});
