/**
 * Interactions as a queue screen shows them (contract "For screens (v1.2)"): every row carries its
 * next deadline and the events it accepts; `sort=nextDeadline` lists a team's open work nearest
 * deadline first, `dueWithin` bounds it, and what the deadline order cannot answer is a coded 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/schemas/common.js';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
const START = new Date('2026-11-10T02:00:00Z');
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
});
afterAll(() => api?.runtime.stop());

const as = async (sub: string, team?: string, roles: Role[] = ['agent']) => ({
  authorization: `Bearer ${await api.runtime.token(sub, roles, team)}`,
});
const call = async (path: string, who: Record<string, string>, method = 'GET', body?: unknown) =>
  api.call(method, path, { as: null, headers: who, body });
const minutesBefore = (minutes: number) => new Date(START.getTime() - minutes * 60_000).toISOString();

type Row = {
  id: string;
  nextDeadline: { milestone: string; dueBy: string; secondsLeft: number } | null;
  allowedEvents: string[];
};

describe('the interaction queue', () => {
  const ids: Record<string, string> = {};
  let ann: Record<string, string>;

  beforeAll(async () => {
    ann = await as('agent-ann', 'queue');
    const bob = await as('agent-bob', 'queue');
    const record = async (who: Record<string, string>, name: string, overrides: Record<string, unknown>) => {
      const reply = await call('/interactions', who, 'POST', anInteraction({ customerId: 'C-queue', ...overrides }));
      expect(reply.status).toBe(201);
      ids[name] = reply.body.id;
    };
    // A chat's first answer is due 20 s after it starts, its resolution 4 h after (default targets).
    await record(ann, 'waiting', { channel: 'chat', startedAt: minutesBefore(0) }); // answer due in ~20 s
    await record(ann, 'late', { channel: 'chat', startedAt: minutesBefore(10) }); // answer 9m40s late
    await record(bob, 'answered', {
      channel: 'chat',
      startedAt: minutesBefore(200),
      firstResponseAt: minutesBefore(199),
    }); // resolution due in 40 min
    await record(ann, 'answeredLater', {
      channel: 'chat',
      startedAt: minutesBefore(60),
      firstResponseAt: minutesBefore(59),
    }); // resolution due in 3 h
    await record(ann, 'resolved', {
      channel: 'chat',
      startedAt: minutesBefore(30),
      firstResponseAt: minutesBefore(29),
      resolvedAt: minutesBefore(20),
    });
    await record(ann, 'abandoned', { channel: 'chat', startedAt: minutesBefore(5), abandonedAt: minutesBefore(4) });
    await record(await as('agent-cy', 'other'), 'otherTeam', { channel: 'chat', startedAt: minutesBefore(1) });
  });

  it("lists the caller's team's open work nearest deadline first, with each row's deadline and events", async () => {
    const queue = await call('/interactions?sort=nextDeadline', ann);
    expect(queue.status).toBe(200);
    const rows = queue.body.items as Row[];
    expect(rows.map((r) => r.id)).toEqual([ids.late, ids.waiting, ids.answered, ids.answeredLater]);
    expect(queue.body.nextCursor).toBeNull();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids.late!)!.nextDeadline).toMatchObject({
      milestone: 'firstResponse',
      dueBy: new Date(START.getTime() - 10 * 60_000 + 20_000).toISOString(),
    });
    expect(byId.get(ids.late!)!.nextDeadline!.secondsLeft).toBeLessThanOrEqual(-580);
    expect(byId.get(ids.answered!)!.nextDeadline).toMatchObject({
      milestone: 'resolution',
      dueBy: new Date(START.getTime() + 40 * 60_000).toISOString(),
    });
    const left = byId.get(ids.answered!)!.nextDeadline!.secondsLeft;
    expect(left).toBeLessThanOrEqual(40 * 60);
    expect(left).toBeGreaterThan(30 * 60); // the test takes far less than 10 minutes
    expect(byId.get(ids.waiting!)!.allowedEvents).toEqual(['respond', 'resolve', 'abandon']);
    expect(byId.get(ids.answered!)!.allowedEvents).toEqual(['resolve']);

    // The same rows in the newest-first list, and the single read, carry the same fields.
    const newest = (await call('/interactions?agentId=me', ann)).body.items as Row[];
    const resolved = newest.find((r) => r.id === ids.resolved)!;
    expect(resolved).toMatchObject({ nextDeadline: null, allowedEvents: [] });
    expect(newest.find((r) => r.id === ids.abandoned)).toMatchObject({ nextDeadline: null, allowedEvents: [] });
    const single = await call(`/interactions/${ids.answered}`, ann);
    expect(single.body).toMatchObject({ nextDeadline: { milestone: 'resolution' }, allowedEvents: ['resolve'] });
  });

  it('narrows the queue to deadlines within the next minutes, to one agent, and pages it', async () => {
    const soon = await call('/interactions?dueWithin=60', ann);
    expect((soon.body.items as Row[]).map((r) => r.id)).toEqual([ids.late, ids.waiting, ids.answered]);
    const mine = await call('/interactions?sort=nextDeadline&agentId=me', ann);
    expect((mine.body.items as Row[]).map((r) => r.id)).toEqual([ids.late, ids.waiting, ids.answeredLater]);
    const sup = await as('sup-queue', undefined, ['manager']);
    const first = await call('/interactions?sort=nextDeadline&team=queue&limit=3', sup);
    expect(first.body.items).toHaveLength(3);
    const second = await call(
      `/interactions?sort=nextDeadline&team=queue&limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      sup,
    );
    expect((second.body.items as Row[]).map((r) => r.id)).toEqual([ids.answeredLater]);
    expect(second.body.nextCursor).toBeNull();
    // Resolving takes a contact off the queue at once.
    const done = await call(`/interactions/${ids.late}`, ann, 'PATCH', { resolvedAt: START.toISOString() });
    expect(done.status).toBe(200);
    const after = await call('/interactions?sort=nextDeadline', ann);
    expect((after.body.items as Row[]).map((r) => r.id)).not.toContain(ids.late);
  });

  it('refuses what the deadline order cannot answer with a coded 400 naming the field', async () => {
    const manager = await as('mgr-queue', undefined, ['manager']);
    const cases: Array<[string, Record<string, string>, string, string]> = [
      ['/interactions?dueWithin=0', ann, 'dueWithin', 'out_of_range'],
      ['/interactions?dueWithin=10081', ann, 'dueWithin', 'out_of_range'],
      ['/interactions?dueWithin=soon', ann, 'dueWithin', 'invalid_type'],
      ['/interactions?sort=nextDeadline&status=resolved', ann, 'status', 'not_in_list'],
      ['/interactions?sort=nextDeadline&customerId=C-queue', ann, 'sort', 'not_in_list'],
      ['/interactions?dueWithin=30&sort=newest', ann, 'sort', 'not_in_list'],
      ['/interactions?sort=oldest', ann, 'sort', 'not_in_list'],
      ['/interactions?sort=nextDeadline', manager, 'team', 'required'],
    ];
    for (const [path, who, field, code] of cases) {
      const reply = await call(path, who);
      expect(reply.status, path).toBe(400);
      expect(reply.body.errors, path).toEqual([expect.objectContaining({ path: field, code })]);
    }
  });
});
