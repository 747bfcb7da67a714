/**
 * An improvement action's notices through the local API, the follow-up job run as of chosen
 * instants, each run twice: the owner hears it was created (contact from the staff directory) and,
 * once, that it fell overdue — when its due date is moved, at the new one; the department's head
 * hears it was verified (its team contact, else the organisation's). Each notice is on the action's
 * history once, and every message is in the outbox once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpNeeds } from '../../functions/composition.js';
import { runFollowUps } from '../../functions/followups/service.js';
import { configureDemoContacts } from '../support/contacts.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

// Tuesday 10:00 in Shanghai.
const START = new Date('2026-11-10T02:00:00Z');
/** Runs the follow-up job twice as of `at`: the second run must send nothing new. */
const runJobTwice = async (at: string) => {
  await runFollowUps(new Date(at), followUpNeeds);
  await runFollowUps(new Date(at), followUpNeeds);
};

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  await configureDemoContacts(api);
  // The logistics department has a head of its own; other departments fall back to the organisation's.
  const patched = await api.call('PATCH', '/settings', {
    as: 'admin',
    body: {
      escalation: {
        teamContacts: {
          logistics: { department_head: { name: 'Head of logistics', email: 'logistics-head@example.com' } },
        },
      },
    },
  });
  expect(patched.status).toBe(200);
  const staff = await api.call('PUT', '/staff/mgr-lin', {
    body: { name: 'Lin Tao', roles: ['manager'], email: 'lin.tao@example.com', active: true },
  });
  expect(staff.status).toBeLessThan(300);
});
afterAll(() => api?.runtime.stop());

const plan = async (body: Record<string, unknown>) => {
  const created = await api.call('POST', '/improvements', {
    as: 'manager',
    body: { problem: 'Parcels wait a day at the hub', measure: 'Second sorting shift', ...body },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
};
const patch = async (id: string, body: Record<string, unknown>) => {
  const reply = await api.call('PATCH', `/improvements/${id}`, { as: 'manager', body });
  expect(reply.status).toBe(200);
  return reply.body;
};
const sentFor = (id: string) => api.runtime.outbox.list().filter((m) => m.id.includes(`:improvement:${id}:`));
type Change = { action: string; actor: string; notice?: Record<string, unknown> };
const noticesOf = async (id: string) =>
  ((await api.call('GET', `/improvements/${id}`, { as: 'manager' })).body.history as Change[])
    .filter((c) => c.action === 'notified')
    .map((c): Record<string, unknown> => ({ actor: c.actor, ...c.notice }));

describe("an improvement action's notices", () => {
  it('tell the owner it was created and, once, that it is overdue, and the department that it was verified', async () => {
    const id = await plan({ department: 'logistics', ownerId: 'mgr-lin', dueDate: '2026-11-12' });
    await runJobTwice('2026-11-10T02:05:00Z');
    expect(sentFor(id).map((m) => [m.id, m.kind, m.to.join()])).toEqual([
      [`followup:notify:improvement:${id}:created`, 'email', 'lin.tao@example.com'],
    ]);
    expect(sentFor(id)[0]!.subject).toContain(`Improvement ${id} is yours, due 2026-11-12`);

    // 23:00 on the due date: not overdue yet. 00:30 the day after: overdue, told once.
    await runJobTwice('2026-11-12T15:00:00Z');
    expect(sentFor(id)).toHaveLength(1);
    await runJobTwice('2026-11-12T16:30:00Z');
    await runJobTwice('2026-11-13T16:30:00Z');
    expect(sentFor(id).map((m) => m.id)).toEqual([
      `followup:notify:improvement:${id}:created`,
      `followup:notify:improvement:${id}:overdue`,
    ]);
    expect(sentFor(id)[1]).toMatchObject({ kind: 'email', to: ['lin.tao@example.com'] });
    expect(sentFor(id)[1]!.subject).toContain('overdue');

    await patch(id, { status: 'in_progress', startedOn: '2026-11-10' });
    await patch(id, { status: 'done' });
    expect((await patch(id, { status: 'verified' })).status).toBe('verified');
    await runJobTwice('2026-11-14T02:00:00Z');
    const verified = sentFor(id).filter((m) => m.id.endsWith(':verified'));
    expect(verified).toEqual([expect.objectContaining({ kind: 'email', to: ['logistics-head@example.com'] })]);
    expect(verified[0]!.subject).toContain(`Improvement ${id} verified`);

    // On the action's history, each once, to a role (never an address).
    expect(await noticesOf(id)).toEqual([
      {
        actor: 'system:followups',
        template: 'created',
        role: 'owner',
        channel: 'email',
        messageId: `followup:notify:improvement:${id}:created`,
      },
      {
        actor: 'system:followups',
        template: 'overdue',
        role: 'owner',
        channel: 'email',
        messageId: `followup:notify:improvement:${id}:overdue`,
      },
      {
        actor: 'system:followups',
        template: 'verified',
        role: 'department_head',
        channel: 'email',
        messageId: `followup:notify:improvement:${id}:verified`,
      },
    ]);
  });

  it('go to the department head when the owner has no contact, and a moved due date moves the overdue notice', async () => {
    const id = await plan({ department: 'quality', ownerId: 'nobody-listed', dueDate: '2026-11-11' });
    await runJobTwice('2026-11-10T02:10:00Z');
    // No directory entry for the owner, no team contact for quality: the organisation's department head.
    expect(sentFor(id).map((m) => [m.kind, m.to.join()])).toEqual([['email', 'cs-head@example.com']]);

    await patch(id, { dueDate: '2026-11-20' });
    await runJobTwice('2026-11-11T16:30:00Z');
    await runJobTwice('2026-11-15T16:30:00Z');
    expect(sentFor(id)).toHaveLength(1);
    await runJobTwice('2026-11-20T16:30:00Z');
    expect(sentFor(id).map((m) => m.id)).toEqual([
      `followup:notify:improvement:${id}:created`,
      `followup:notify:improvement:${id}:overdue`,
    ]);
    expect(sentFor(id)[1]!.text ?? sentFor(id)[1]!.subject).toContain('2026-11-20');
    expect((await noticesOf(id)).map((n) => `${n.template} ${n.role} ${n.channel}`)).toEqual([
      'created department_head email',
      'overdue department_head email',
    ]);
  });

  it('tell nobody about an action done before its due date', async () => {
    const id = await plan({ department: 'logistics', ownerId: 'mgr-lin', dueDate: '2026-11-11' });
    await patch(id, { status: 'in_progress' });
    await patch(id, { status: 'done' });
    await runJobTwice('2026-11-12T16:30:00Z');
    expect(sentFor(id).map((m) => m.id)).toEqual([`followup:notify:improvement:${id}:created`]);
  });

  it('leave every message in the outbox once', () => {
    const ids = api.runtime.outbox.list().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
