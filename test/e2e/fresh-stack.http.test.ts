/**
 * A fresh installation tells nobody anything until an admin configures who: no escalation
 * contacts, no report recipients. Complaints still escalate (the timeline says nobody was told
 * and why), the jobs run cleanly (no 500, nothing sent to a placeholder address), and
 * GET /health names what is missing until it is configured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../support/builders/complaints.js';
import { configureDemoContacts, DEMO_CONTACTS } from '../support/contacts.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { until } from '../support/wait.js';

let api: TestApi;
beforeAll(async () => {
  // 10:00 in Shanghai, outside quiet hours; 900×: a 1 h deadline passes in 4 s.
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), timeScale: 900, schedules: false });
  await api.runtime.workflows.prepare();
});
afterAll(() => api?.runtime.stop());

const outbox = async () => (await api.call('GET', '/_local/outbox', { as: 'admin' })).body.items as unknown[];

describe('a fresh stack', () => {
  it('has no escalation contacts and no report recipients in its settings', async () => {
    const settings = (await api.call('GET', '/settings', { as: 'manager' })).body;
    expect(settings.escalation.contacts).toEqual({});
    expect(settings.reportRecipients).toEqual([]);
  });

  it('says on /health what is missing: every escalation role on a ladder and the report recipients', async () => {
    const reply = await api.call('GET', '/health', { as: null });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('ok');
    // The local runtime's outbox needs no provider-verified sender, so careloop:senderEmail is not listed here.
    expect([...reply.body.missing].sort()).toEqual([
      'complaintSummaryRecipients',
      'escalation.contacts.department_head',
      'escalation.contacts.executive',
      'escalation.contacts.supervisor',
      'reportRecipients',
    ]);
    expect(reply.body.warnings).toEqual([]);
  });

  it('escalates a complaint nobody answers, sends nothing, and the timeline says nobody was told and why', async () => {
    const registered = await api.call('POST', '/complaints', {
      as: 'agent',
      body: aComplaintBody({ severity: 'medium', customerId: 'C-fresh' }),
    });
    expect(registered.status).toBe(201);
    const { id } = registered.body;
    const timeline = await until(async () => {
      const reply = await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' });
      return reply.body.items.some((e: { type: string }) => e.type === 'escalated')
        ? (reply.body.items as Array<{ type: string; detail: any }>)
        : undefined;
    });
    expect(timeline.find((e) => e.type === 'escalated')?.detail).toMatchObject({
      milestone: 'respond',
      toRole: 'department_head',
      notified: [],
      notSent: 'no_contact',
    });
    // The follow-up job tells the owners it can (none): each notice is on the timeline as not sent, with the reason.
    expect((await api.call('POST', '/_local/jobs/follow-ups', {})).status).toBe(200);
    const after = (await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' })).body.items as Array<{
      type: string;
      detail: any;
    }>;
    const ownerNotices = after.filter((e) => e.type === 'owner_notified');
    expect(ownerNotices.length).toBeGreaterThan(0);
    for (const notice of ownerNotices)
      expect(notice.detail).toMatchObject({ channel: 'none', notSent: 'no_owner_contact' });
    expect(await outbox()).toEqual([]);
  });

  it('builds the monthly report without emailing it to anyone', async () => {
    const report = await api.call('POST', '/_local/jobs/monthly-report', { body: { month: '2026-10' } });
    expect(report.status).toBe(200);
    expect(report.body.emailError).toBeUndefined();
    expect((await api.call('GET', '/reports/2026-10', { as: 'manager' })).status).toBe(200);
    expect(await outbox()).toEqual([]);
  });

  it('stops listing what an admin configures', async () => {
    const patched = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { escalation: { contacts: { supervisor: DEMO_CONTACTS.supervisor } } },
    });
    expect(patched.status).toBe(200);
    const partly = (await api.call('GET', '/health', { as: null })).body;
    expect(partly.missing).not.toContain('escalation.contacts.supervisor');
    expect(partly.missing).toContain('escalation.contacts.executive');
    expect(partly.missing).toContain('reportRecipients');

    await configureDemoContacts(api);
    expect((await api.call('GET', '/health', { as: null })).body.missing).toEqual(['complaintSummaryRecipients']);
    const desk = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { complaintSummaryRecipients: ['complaints-desk@example.com'] },
    });
    expect(desk.status).toBe(200);
    expect((await api.call('GET', '/health', { as: null })).body).toMatchObject({ missing: [], warnings: [] });
  });
});
