/**
 * Issue 13's "done when", end to end through the local runtime at CARELOOP_TIME_SCALE=3600 (the
 * follow-up job run by hand, twice more at the end, to show it sends nothing again): registering a complaint shows in the outbox and on the timeline, in order, the customer's
 * acknowledgement, the owner's notice, the warning to the assignee and the escalation notice —
 * each once — and a detractor's answer shows up in GET /alerts and, once its outcome is recorded,
 * in alertsHandledInTime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../functions/escalation/handler.js';
import { checkMilestoneTask } from '../../functions/escalation/service.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { anInteraction } from '../support/builders/interactions.js';
import { aCustomer, aSurveyResponse } from '../support/builders/surveys.js';
import { configureDemoContacts } from '../support/contacts.js';
import { gatedChecks } from '../support/gated-checks.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { until } from '../support/wait.js';

// Tuesday 10:00 in Shanghai. An hour passes in a real second, so the quiet hours (21:00) may well
// come during the test: a high complaint's notices do not wait for them.
const START = new Date('2026-11-10T02:00:00Z');

let api: TestApi;
// The warning check decides only once the complaint is assigned, with the clock held an hour before the
// response deadline (test/support/gated-checks.ts): a busy machine can otherwise let the deadline pass
// before the workflow's warning step runs, and the assignee is then rightly not warned.
const gate = gatedChecks('respond', () => api.runtime);
beforeAll(async () => {
  api = await startTestRuntime({
    startAt: START,
    timeScale: 3600,
    schedules: false,
    workflowHandlers: gate.handlers,
  });
  await api.runtime.workflows.prepare();
  // A fresh installation tells nobody: the admin sets the escalation contacts first.
  await configureDemoContacts(api);
  // At 3600× the default 15-minute warning window is 250 ms of real time, and on the shared two
  // cores one HTTP call can take longer than that: a high complaint here gets 4 h to respond,
  // warned 2 h ahead (seconds of real time between the steps). The same workflow, the same notices.
  const patched = await api.call('PATCH', '/settings', {
    as: 'admin',
    body: { sla: { policies: { high: { respondMinutes: 240 } }, warningMinutes: 120 } },
  });
  expect(patched.status).toBe(200);
});
afterAll(() => api?.runtime.stop());

type Entry = { type: string; detail: Record<string, unknown> };
const timelineOf = async (id: string): Promise<Entry[]> =>
  (await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' })).body.items;
const runJob = async () =>
  expect((await api.call('POST', '/_local/jobs/follow-ups', { as: 'admin' })).status).toBe(200);

/** What a message is, by its id (the ids are deterministic: that is what makes each one go out once). */
function kindOf(id: string, complaintId: string): string {
  if (id === `followup:notify:customer:${complaintId}:acknowledged:r1`) return 'customer acknowledgement';
  if (id.startsWith(`owner-${complaintId}-registered-`)) return 'owner notice';
  if (id.startsWith(`owner-${complaintId}-deadline_warning-respond-`)) return 'warning to the assignee';
  if (id.startsWith(`escalation-${complaintId}-respond-l1-`)) return 'escalation notice';
  if (id.startsWith(`owner-${complaintId}-missed-respond-`)) return 'missed, to the owner';
  return `other: ${id}`;
}

describe('issue 13, done when: a complaint registered at 3600×', () => {
  it('shows the acknowledgement, the owner notice, the warning and the escalation, in order, each once', async () => {
    expect(
      (
        await api.call('PUT', '/customers/C-walk-1', {
          body: aCustomer({ phone: '+8613900000201', language: 'en', consent: { sms: true, email: false } }),
        })
      ).status,
    ).toBeLessThan(300);
    // The assignee's warning goes to their contact in the staff directory.
    const staff = await api.call('PUT', '/staff/agent-17', {
      body: { name: 'Han Mei', roles: ['agent'], email: 'han.mei@example.com', active: true },
    });
    expect(staff.status).toBeLessThan(300);

    const registered = await api.call('POST', '/complaints', {
      as: 'agent',
      body: aComplaintBody({ customerId: 'C-walk-1', severity: 'high' }),
    });
    expect(registered.status).toBe(201);
    const { id } = registered.body;
    // High: tier 1, owned by the department head; nobody responds, so the response deadline (4 h = 4 s) is missed.
    expect(registered.body).toMatchObject({ tier: 1, ownerRole: 'department_head' });
    const assigned = await api.call('POST', `/complaints/${id}/events`, {
      as: 'agent',
      body: { type: 'assign', assigneeId: 'agent-17' },
    });
    expect(assigned.status).toBe(200);
    gate.release(id, new Date(new Date(registered.body.deadlines.respondBy).getTime() - 60 * 60_000));

    const sentFor = () => api.runtime.outbox.list().filter((m) => m.id.includes(id));
    await until(
      async () => (sentFor().some((m) => m.id.startsWith(`owner-${id}-missed-respond-`)) ? true : undefined),
      { timeoutMs: 60_000 },
    );
    // The job (it also fires on its schedule) and the workflow's steps run again: nothing new goes out.
    await runJob();
    await runJob();
    await check({ complaintId: id, round: 1, milestone: 'respond', announce: true } as never, {} as never);
    await checkMilestoneTask({ complaintId: id, round: 1, milestone: 'respond' }, api.runtime.clock.now());

    const sent = sentFor();
    const ids = sent.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    // In the order they went out (a notice by email and SMS goes on both at once, in either order).
    expect(ids.map((m) => kindOf(m, id))).toEqual([
      'customer acknowledgement',
      'owner notice',
      'owner notice',
      'warning to the assignee',
      'escalation notice',
      'escalation notice',
      'missed, to the owner',
      'missed, to the owner',
    ]);
    const to = (kind: string) =>
      sent
        .filter((m) => kindOf(m.id, id) === kind)
        .map((m) => `${m.kind} ${m.to.join()}`)
        .sort();
    expect(to('customer acknowledgement')).toEqual(['sms +8613900000201']);
    expect(sent[0]!.text).toContain(`We received your complaint, no. ${id}.`);
    expect(to('owner notice')).toEqual(['email cs-head@example.com', 'sms +8613800000002']);
    expect(to('warning to the assignee')).toEqual(['email han.mei@example.com']);
    expect(to('escalation notice')).toEqual(['email executive@example.com', 'sms +8613800000003']);
    expect(to('missed, to the owner')).toEqual(['email cs-head@example.com', 'sms +8613800000002']);

    // The timeline, in the same order, each notice once.
    const timeline = await timelineOf(id);
    const notices = timeline
      .filter((e) => ['customer_notified', 'owner_notified', 'escalated'].includes(e.type))
      .map((e) =>
        [e.type, e.detail.template ?? e.detail.toRole, e.detail.role, e.detail.channel].filter(Boolean).join(' '),
      );
    expect(notices).toEqual([
      'customer_notified acknowledged sms',
      'owner_notified registered department_head email',
      'owner_notified registered department_head sms',
      'owner_notified deadline_warning assignee email',
      'escalated executive',
      'owner_notified missed department_head email',
      'owner_notified missed department_head sms',
    ]);
    expect(timeline.find((e) => e.type === 'escalated')?.detail).toMatchObject({
      milestone: 'respond',
      fromRole: 'department_head',
      toRole: 'executive',
    });
  }, 120_000);

  it("shows a detractor's answer in GET /alerts, and in alertsHandledInTime once its outcome is recorded", async () => {
    expect(
      (await api.call('PUT', '/customers/C-walk-2', { body: aCustomer({ phone: '+8613900000202' }) })).status,
    ).toBeLessThan(300);
    const at = api.runtime.clock.now().toISOString();
    const interaction = await api.call('POST', '/interactions', {
      body: anInteraction({ customerId: 'C-walk-2', startedAt: at, resolvedAt: at }),
    });
    expect(interaction.status).toBe(201);
    const survey = await api.call('POST', '/surveys', {
      as: 'agent',
      body: { subject: { type: 'interaction', id: interaction.body.id } },
    });
    expect(survey.status).toBe(201);
    expect((await api.call('GET', `/surveys/${survey.body.token}`, { as: null })).status).toBe(200);
    // At 3600× the ten seconds a real answer takes pass in three real milliseconds: wait them out.
    await new Promise((resolve) => setTimeout(resolve, 20));
    // NPS 6: a detractor, under the default threshold (surveys.alertNpsAtOrBelow = 6).
    const answered = await api.call('POST', `/surveys/${survey.body.token}/responses`, {
      as: null,
      body: aSurveyResponse({ nps: 6 }),
    });
    expect(answered.status).toBe(201);
    expect(answered.body.valid).toBe(true);

    const alerts = (await api.call('GET', '/alerts', { as: 'supervisor' })).body.items as Array<{
      id: string;
      kind: string;
      responseId: string;
      status: string;
      dueBy: string;
      nps: number;
    }>;
    const alert = alerts.find((a) => a.responseId === answered.body.id);
    expect(alert).toMatchObject({ kind: 'detractor', status: 'open', nps: 6 });
    // Due two business days later (24×7): the day it counts in, in Shanghai.
    const dueDay = new Date(new Date(alert!.dueBy).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const metricsOf = async () =>
      (await api.call('GET', `/metrics?from=${dueDay}&to=${dueDay}`, { as: 'supervisor' })).body;
    // raised counts on the answer's day, due on its due day: this is the due day.
    expect((await metricsOf()).alerts).toEqual({ raised: 0, due: 1, handledInTime: 0, handledInTimeShare: 0 });

    expect((await api.call('POST', `/alerts/${alert!.id}/claim`, { as: 'supervisor' })).status).toBe(200);
    const done = await api.call('POST', `/alerts/${alert!.id}/outcome`, {
      as: 'supervisor',
      body: { outcome: 'called_back', note: 'Apologised; a voucher is on its way.' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', outcome: 'called_back', handledInTime: true });
    const metrics = await metricsOf();
    expect(metrics.alerts).toEqual({ raised: 0, due: 1, handledInTime: 1, handledInTimeShare: 1 });
    expect(metrics.values.alertsHandledInTime).toBe(1);
    expect(metrics.status.alertsHandledInTime).toBe('green');
  });
});
