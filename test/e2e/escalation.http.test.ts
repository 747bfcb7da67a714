/**
 * Nobody answers a complaint registered through the local API: with the clock at 900× the
 * default 1 h response deadline passes in four seconds, and the workflow (the CDK-synthesized
 * definition) escalates it on its own — on the timeline, in the outbox, in the list of breaches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../support/builders/complaints.js';
import { configureDemoContacts } from '../support/contacts.js';
import { gatedChecks } from '../support/gated-checks.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { until } from '../support/wait.js';

let api: TestApi;
// The default 15-minute warning window is one real second at 900×, which a loaded machine can miss
// between two workflow steps: the first respond check waits for the test, then decides with the clock
// stopped 5 minutes before the deadline (test/support/gated-checks.ts). Same workflow, same notices.
const gate = gatedChecks('respond', () => api.runtime);
/** Lets the warning check run, inside the warning window whatever the machine's load. */
const warnFiveMinutesBefore = (complaint: { id: string; deadlines: { respondBy: string } }) =>
  gate.release(complaint.id, new Date(new Date(complaint.deadlines.respondBy).getTime() - 5 * 60_000));
beforeAll(async () => {
  // 10:00 in Shanghai: the deadline passes at 11:00, outside quiet hours.
  // 900×: the 1 h deadline passes in 4 s.
  api = await startTestRuntime({
    startAt: new Date('2026-11-10T02:00:00Z'),
    timeScale: 900,
    schedules: false,
    workflowHandlers: gate.handlers,
  });
  // The notices go to the demo's contacts, configured as an admin would (a fresh stack has none).
  await configureDemoContacts(api);
  await api.runtime.workflows.prepare();
});
afterAll(() => api?.runtime.stop());

describe('a complaint nobody responds to', () => {
  it('escalates on its own to the department head, shown on the timeline, in the outbox and among breached complaints', async () => {
    const registered = await api.call('POST', '/complaints', {
      as: 'agent',
      body: aComplaintBody({ severity: 'medium', customerId: 'C-silent' }),
    });
    expect(registered.status).toBe(201);
    const { id } = registered.body;
    // As a machine too busy to run the check in the warning window would be: the deadline passes first.
    await until(async () =>
      api.runtime.clock.now() > new Date(registered.body.deadlines.respondBy) ? true : undefined,
    );
    warnFiveMinutesBefore(registered.body);

    const timeline = await until(async () => {
      const reply = await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' });
      return reply.body.items.some((e: { type: string }) => e.type === 'escalated')
        ? (reply.body.items as Array<{ type: string; actor: string; detail: any }>)
        : undefined;
    });
    // Notices (the registration's, the warning, the miss) are on the timeline too (test/e2e/notices.http.test.ts).
    const events = timeline.filter((e) => e.type !== 'owner_notified' && e.type !== 'customer_notified');
    const ownerNotices = timeline.filter((e) => e.type === 'owner_notified').map((e) => e.detail);
    // The owner hears of it as it is registered (the workflow's first step) …
    expect(ownerNotices[0]).toMatchObject({ role: 'supervisor', channel: 'email', template: 'registered' });
    // … and, nobody being assigned, gets the warning (a medium complaint: the supervisor, by email).
    expect(ownerNotices[1]).toMatchObject({
      role: 'supervisor',
      channel: 'email',
      template: 'deadline_warning',
    });
    expect(events.map((e) => e.type)).toEqual(['registered', 'deadline_warning', 'breached', 'escalated']);
    expect(events.at(-1)).toMatchObject({
      actor: 'system:escalation',
      detail: {
        milestone: 'respond',
        fromLevel: 0,
        toLevel: 1,
        toRole: 'department_head',
        notified: [
          { role: 'department_head', channel: 'email', messageId: `escalation-${id}-respond-l1-email` },
          { role: 'department_head', channel: 'sms', messageId: `escalation-${id}-respond-l1-sms` },
        ],
      },
    });

    const outbox = await until(async () => {
      const items = (await api.call('GET', '/_local/outbox', { as: 'admin' })).body.items.filter((m: { id: string }) =>
        m.id.startsWith(`escalation-${id}`),
      );
      return items.length === 2
        ? (items as Array<{ kind: string; to: string[]; subject?: string; text?: string }>)
        : undefined;
    });
    expect(outbox).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'email', to: ['cs-head@example.com'], subject: expect.stringContaining(id) }),
        expect.objectContaining({ kind: 'sms', to: ['+8613800000002'], text: expect.stringContaining(id) }),
      ]),
    );

    const complaint = (await api.call('GET', `/complaints/${id}`, { as: 'agent' })).body;
    expect(complaint).toMatchObject({
      escalationLevel: 1,
      ownerRole: 'department_head',
      breached: true,
      kpi: { respond: 'missed' },
    });
    const breached = await api.call('GET', '/complaints?breached=true', { as: 'supervisor' });
    expect(breached.body.items.map((c: { id: string }) => c.id)).toContain(id);
    const executions = (await api.call('GET', '/_local/executions', { as: 'admin' })).body.items;
    expect(executions.find((e: { name: string }) => e.name === `${id}-r1`).path).toContain(
      'Escalate: response overdue',
    );
  });
});

describe('the first complaint after a cold start', () => {
  it('escalates like any other: the workflow only starts once the complaint is stored', async () => {
    // No prepare(): the first registration also waits for the state machine to be synthesized.
    const cold = await startTestRuntime({
      startAt: new Date('2026-11-10T02:00:00Z'),
      timeScale: 3600,
      schedules: false,
    });
    try {
      const registered = await cold.call('POST', '/complaints', {
        as: 'agent',
        body: aComplaintBody({ severity: 'medium', customerId: 'C-first' }),
      });
      expect(registered.status).toBe(201);
      const { id } = registered.body;
      const types = await until(async () => {
        const reply = await cold.call('GET', `/complaints/${id}/timeline`, { as: 'agent' });
        const found = (reply.body.items as Array<{ type: string }>).map((e) => e.type);
        return found.includes('escalated') ? found : undefined;
      });
      // Synthesizing takes seconds, hours at 3600×: the first check comes after the deadline, past its warning.
      const notices = ['deadline_warning', 'owner_notified', 'customer_notified'];
      expect(types.filter((type) => !notices.includes(type))).toEqual(['registered', 'breached', 'escalated']);
      const execution = (await cold.call('GET', '/_local/executions', { as: 'admin' })).body.items.find(
        (e: { name: string }) => e.name === `${id}-r1`,
      );
      expect(execution.path).not.toContain('Nothing to watch in this round');
    } finally {
      await cold.runtime.stop();
    }
  });
});
