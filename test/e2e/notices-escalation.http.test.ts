/**
 * Who hears what about a tier-1 complaint, through the local API with the clock at 900× (the
 * 1 h response deadline passes in four seconds): the customer's acknowledgement and the
 * department head's notice at registration (the workflow's first step), the warning before
 * the deadline and the escalation on the miss (the CDK-synthesized workflow) — each message once,
 * also when the job runs again and the workflow's tasks are retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMilestoneTask, escalateTask } from '../../functions/escalation/service.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { aCustomer } from '../support/builders/surveys.js';
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
  // 10:00 in Shanghai: everything below happens before the 21:00 quiet hours.
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

type Entry = { type: string; actor: string; detail: Record<string, unknown> };
const timelineOf = async (id: string): Promise<Entry[]> =>
  (await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' })).body.items;
const runJob = async () =>
  expect((await api.call('POST', '/_local/jobs/follow-ups', { as: 'admin' })).status).toBe(200);
const outboxOf = (id: string) => api.runtime.outbox.list().filter((m) => m.id.includes(id));

describe('a tier-1 complaint nobody answers in time', () => {
  it('tells the customer, then the department head, warns before the deadline and escalates on the miss — each once', async () => {
    expect(
      (await api.call('PUT', '/customers/C-tier1', { body: aCustomer({ phone: '+8613900000101' }) })).status,
    ).toBeLessThan(300);
    // The assignee's deadline warning goes to their contact in the staff directory.
    const staff = await api.call('PUT', '/staff/agent-7', {
      body: { name: 'Li Lei', roles: ['agent'], email: 'li.lei@example.com', phone: '+8613900000107', active: true },
    });
    expect(staff.status).toBeLessThan(300);
    const registered = await api.call('POST', '/complaints', {
      as: 'agent',
      body: aComplaintBody({ severity: 'high', customerId: 'C-tier1' }),
    });
    expect(registered.status).toBe(201);
    const { id } = registered.body;
    expect(registered.body).toMatchObject({ tier: 1, ownerRole: 'department_head' });

    const assigned = await api.call('POST', `/complaints/${id}/events`, {
      as: 'agent',
      body: { type: 'assign', assigneeId: 'agent-7' },
    });
    expect(assigned.status).toBe(200);
    await runJob();
    // Assigned and the registration notices sent: now the warning may go (to the assignee).
    warnFiveMinutesBefore(registered.body);

    const timeline = await until(
      async () => {
        const items = await timelineOf(id);
        return items.filter((e) => e.type === 'owner_notified' && e.detail.template === 'missed').length === 2
          ? items
          : undefined;
      },
      { timeoutMs: 30_000 },
    );
    // The job and the workflow run again: nothing new goes out, nothing new is recorded.
    await runJob();
    await runJob();
    for (const task of [checkMilestoneTask, escalateTask])
      await task({ complaintId: id, round: 1, milestone: 'respond' }, api.runtime.clock.now());

    const notices = timeline
      .filter((e) => e.type.endsWith('_notified') || ['registered', 'deadline_warning', 'escalated'].includes(e.type))
      .map((e) => [e.type, e.detail.template, e.detail.role, e.detail.channel].filter(Boolean).join(' '));
    expect(notices).toEqual([
      'registered',
      'customer_notified acknowledged sms',
      'owner_notified registered department_head email',
      'owner_notified registered department_head sms',
      'deadline_warning',
      'owner_notified deadline_warning assignee email',
      'owner_notified deadline_warning assignee sms',
      'escalated',
      'owner_notified missed department_head email',
      'owner_notified missed department_head sms',
    ]);
    expect(timeline.find((e) => e.type === 'escalated')?.detail).toMatchObject({ toRole: 'executive' });
    expect(await timelineOf(id)).toHaveLength(timeline.length);

    const sent = outboxOf(id);
    expect(sent.map((m) => m.id).sort()).toEqual(
      [
        `escalation-${id}-respond-l1-email`,
        `escalation-${id}-respond-l1-sms`,
        `followup:notify:customer:${id}:acknowledged:r1`,
        `owner-${id}-deadline_warning-respond-r1-email`,
        `owner-${id}-deadline_warning-respond-r1-sms`,
        `owner-${id}-missed-respond-r1-email`,
        `owner-${id}-missed-respond-r1-sms`,
        `owner-${id}-registered-r1-email`,
        `owner-${id}-registered-r1-sms`,
      ].sort(),
    );
    const to = (suffix: string) => sent.find((m) => m.id.endsWith(suffix))!;
    expect(to(':acknowledged:r1')).toMatchObject({ kind: 'sms', to: ['+8613900000101'] });
    expect(to(':acknowledged:r1').text).toContain(`编号${id}`);
    expect(to('registered-r1-email')).toMatchObject({ to: ['cs-head@example.com'] });
    expect(to('registered-r1-email').subject).toContain(id);
    expect(to('deadline_warning-respond-r1-email')).toMatchObject({ to: ['li.lei@example.com'] });
    expect(to('deadline_warning-respond-r1-sms')).toMatchObject({ to: ['+8613900000107'] });
    expect(to('respond-l1-email')).toMatchObject({ to: ['executive@example.com'] });
    expect(to('missed-respond-r1-sms')).toMatchObject({ to: ['+8613800000002'] });
  });
});
