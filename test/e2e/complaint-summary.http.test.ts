/**
 * The weekly complaint summary for the complaints desk (s000 每周汇总, issue 14): the week's new,
 * resolved and escalated complaints by category and team (from counters), the open backlog and
 * its oldest cases (from the open index), descriptions masked; emailed once per week to
 * settings.complaintSummaryRecipients, and not at all while that list is empty.
 */
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../support/builders/complaints.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
const WEEK = '2026-W47'; // Monday 16 to Sunday 22 November 2026
const SECRETS = ['13812345678', 'li.wei@example.com', '110101199003071234'];
const ids: Record<'open' | 'closed' | 'escalated', string> = { open: '', closed: '', escalated: '' };

const register = async (body: Parameters<typeof aComplaintBody>[0]) => {
  const reply = await api.call('POST', '/complaints', { as: 'agent', body: aComplaintBody(body) });
  expect(reply.status).toBe(201);
  return reply.body.id as string;
};
const event = async (id: string, body: Record<string, unknown>) => {
  const reply = await api.call('POST', `/complaints/${id}/events`, { as: 'supervisor', body });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
};
const runJob = async (week?: string) => {
  const reply = await api.call('POST', '/_local/jobs/complaint-summary', { body: week ? { week } : {} });
  expect(reply.status).toBe(200);
  return reply.body;
};

beforeAll(async () => {
  // Wednesday 18 November, 10:00 in Shanghai; the clock runs at real speed, so no deadline passes.
  api = await startTestRuntime({ startAt: new Date('2026-11-18T02:00:00Z'), schedules: false });
  ids.open = await register({
    customerId: 'C-desk-1',
    category: 'logistics',
    team: 'online',
    description: '快递丢了。请回电 13812345678，邮箱 li.wei@example.com，身份证 110101199003071234',
  });
  ids.closed = await register({ customerId: 'C-desk-2', category: 'price_billing', team: 'stores' });
  for (const body of [
    { type: 'assign', assigneeId: 'agent-3' },
    { type: 'respond', note: 'Called back' },
    { type: 'propose_solution', solution: 'Refund the double charge' },
    { type: 'resolve', cause: { kind: 'process' } },
    { type: 'close' },
  ])
    await event(ids.closed, body);
  ids.escalated = await register({ customerId: 'C-desk-3', category: 'logistics', team: 'online' });
  await event(ids.escalated, { type: 'escalate', note: 'Customer threatens to go to the regulator.' });
});
afterAll(() => api?.runtime.stop());

describe('the weekly complaint summary', () => {
  it('sends nothing while no complaints desk is configured, and says so', async () => {
    const run = await runJob(WEEK);
    expect(run).toMatchObject({ week: WEEK, recipients: 0, email: 'not_configured' });
    expect(api.runtime.outbox.list().filter((m) => m.id.startsWith('complaint-summary-'))).toEqual([]);
  });

  it("counts the week's new, resolved and escalated complaints by category and team, and the open backlog", async () => {
    const { summary } = await runJob(WEEK);
    expect(summary).toMatchObject({
      week: WEEK,
      period: { from: '2026-11-16', to: '2026-11-22', timezone: 'Asia/Shanghai' },
      new: {
        count: 3,
        byCategory: { logistics: 2, price_billing: 1 },
        bySeverity: { medium: 3 },
        byTeam: { online: 2, stores: 1 },
      },
      resolved: { count: 1, byCategory: { price_billing: 1 }, byTeam: { stores: 1 } },
      escalated: { count: 1, byCategory: { logistics: 1 }, byTeam: { online: 1 } },
      open: {
        count: 2,
        unresolved: 2,
        overdue: 0,
        byCategory: { logistics: 2 },
        byTeam: { online: 2 },
        overdueByTeam: {},
        complete: true,
      },
    });
    // Oldest first; the closed complaint is not in the backlog; the description is masked.
    expect(summary.open.oldest.map((c: { id: string }) => c.id)).toEqual([ids.open, ids.escalated]);
    expect(summary.open.oldest[0]).toMatchObject({
      category: 'logistics',
      team: 'online',
      status: 'registered',
      daysOpen: 0,
      breached: false,
      description: '快递丢了。请回电 138****5678，邮箱 l***@example.com，身份证 11**************34',
    });
    expect(summary.open.oldest[1]).toMatchObject({ escalationLevel: 1 });
  });

  it('a week without complaints is all zeros (counters of other days do not leak in)', async () => {
    const { summary } = await runJob('2026-W46');
    expect(summary.new).toEqual({ count: 0, byCategory: {}, bySeverity: {}, byTeam: {} });
    expect(summary.resolved.count).toBe(0);
    expect(summary.escalated.count).toBe(0);
  });

  it('emails the complaints desk once per week, however often the job runs, with no personal data unmasked', async () => {
    const patched = await api.call('PATCH', '/settings', {
      body: { complaintSummaryRecipients: ['complaints-desk@example.com'], reportLanguage: 'en' },
    });
    expect(patched.status).toBe(200);
    expect((await runJob(WEEK)).email).toBe('sent');
    const again = await Promise.all([runJob(WEEK), runJob(WEEK)]);
    expect(again.map((r) => r.email)).toEqual(['duplicate', 'duplicate']);
    const sent = api.runtime.outbox.list().filter((m) => m.id === `complaint-summary-${WEEK}@careloop`);
    expect(sent).toHaveLength(1);

    const raw = readFileSync(sent[0]!.file, 'utf8');
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe(`Weekly complaint summary · ${WEEK}`);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('complaints-desk@example.com');
    expect(mail.text).toContain('New this week: 3');
    expect(mail.text).toContain('Resolved this week: 1');
    expect(mail.text).toContain('Open now: 2 (unresolved 2, overdue 0)');
    expect(mail.text).toContain(ids.open);
    expect(mail.html).toContain('<table');
    for (const [format, text] of Object.entries({ raw, text: mail.text ?? '', html: String(mail.html) }))
      for (const secret of SECRETS) expect(text.includes(secret), `${secret} in ${format}`).toBe(false);
  });

  it('refuses a malformed week', async () => {
    const reply = await api.call('POST', '/_local/jobs/complaint-summary', { body: { week: '2026-47' } });
    expect(reply.status).toBe(400);
  });
});
