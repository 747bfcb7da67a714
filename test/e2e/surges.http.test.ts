/**
 * Complaint surges over real HTTP (contract "Categories and causes (v1.2)"; s000 专项评估 within
 * 72 h): the registration that brings a category's 24 h count to the threshold opens ONE surge
 * alert (GET /alerts?kind=surge) with a draft improvement and a notice to the complaints desk; more
 * complaints that day open none, another category none; the weekly summary lists it.
 */
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../support/builders/complaints.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
const START = new Date('2026-11-10T02:00:00Z'); // Tuesday 10:00 in Shanghai
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, timeScale: 60, schedules: false });
  await api.runtime.workflows.prepare();
});
afterAll(() => api?.runtime.stop());

const register = async (customerId: string, category: string) => {
  const reply = await api.call('POST', '/complaints', {
    as: 'agent',
    body: aComplaintBody({ customerId, category, severity: 'low' }),
  });
  expect(reply.status).toBe(201);
  return reply.body.id as string;
};
const surges = async () => {
  const reply = await api.call('GET', '/alerts?kind=surge', { as: 'supervisor' });
  expect(reply.status).toBe(200);
  return reply.body.items as Array<Record<string, any>>;
};
const fieldErrors = (body: { errors?: Array<{ path: string; code: string }> }) =>
  (body.errors ?? []).map((e) => e.path);

describe('complaint surges', () => {
  it('refuses a surge threshold that is not a positive number, naming the field', async () => {
    for (const [surge, path] of [
      [{ minCount: 0 }, 'complaints.surge.minCount'],
      [{ minCount: 2.5 }, 'complaints.surge.minCount'],
      [{ multipleOfMean: -1 }, 'complaints.surge.multipleOfMean'],
      [{ multipleOfMean: 'three' }, 'complaints.surge.multipleOfMean'],
    ] as const) {
      const reply = await api.call('PATCH', '/settings', { as: 'admin', body: { complaints: { surge } } });
      expect(reply.status, JSON.stringify(surge)).toBe(400);
      expect(fieldErrors(reply.body)).toContain(path);
    }
    const settings = await api.call('GET', '/settings', { as: 'manager' });
    expect(settings.body.complaints).toEqual({ surge: { minCount: 5, multipleOfMean: 3 } });
  });

  it('opens exactly one surge with a draft improvement at the sixth complaint of a day, none at the seventh, none for another category', async () => {
    const patched = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { complaints: { surge: { minCount: 6 } }, complaintSummaryRecipients: ['desk@example.com'] },
    });
    expect(patched.status).toBe(200);

    const ids: string[] = [];
    for (let i = 1; i <= 5; i += 1) ids.push(await register(`C-surge-${i}`, 'logistics'));
    // Another category, as many: below the threshold, nothing.
    for (let i = 1; i <= 5; i += 1) await register(`C-other-${i}`, 'price_billing');
    expect(await surges()).toEqual([]);

    ids.push(await register('C-surge-6', 'logistics'));
    const opened = await surges();
    expect(opened).toHaveLength(1);
    const [alert] = opened;
    expect(alert).toMatchObject({
      kind: 'surge',
      status: 'open',
      nps: null,
      customer: null,
      surge: { category: 'logistics', last24h: 6, dailyMean: 0, triggeredBy: ids[5] },
    });
    // The special assessment is due 72 hours after the opening.
    expect(Date.parse(alert!.dueBy) - Date.parse(alert!.createdAt)).toBe(72 * 3600 * 1000);

    // The seventh of the day opens none.
    await register('C-surge-7', 'logistics');
    expect(await surges()).toHaveLength(1);

    // The draft improvement: the category's assessment, due with the alert, owned by the desk until planned.
    const drafts = await api.call('GET', '/improvements?status=draft', { as: 'manager' });
    expect(drafts.status).toBe(200);
    expect(drafts.body.items).toHaveLength(1);
    expect(drafts.body.items[0]).toMatchObject({
      id: alert!.surge.improvementId,
      status: 'draft',
      category: 'logistics',
      overdue: false,
    });
    // A manager plans it (draft → planned), naming the owner.
    const planned = await api.call('PATCH', `/improvements/${alert!.surge.improvementId}`, {
      as: 'manager',
      body: { status: 'planned', ownerId: 'head-logistics' },
    });
    expect(planned.status).toBe(200);
    expect(planned.body).toMatchObject({ status: 'planned', ownerId: 'head-logistics' });
  });

  it('tells the complaints desk once, and closes by its assessment', async () => {
    const [alert] = await surges();
    for (let run = 0; run < 2; run += 1) {
      const job = await api.call('POST', '/_local/jobs/follow-ups', { as: 'admin' });
      expect(job.status).toBe(200);
    }
    const notices = api.runtime.outbox.list().filter((m) => m.id.includes(':surge:logistics:'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ channel: 'email', to: ['desk@example.com'] });
    const notice = await simpleParser(readFileSync(notices[0]!.file));
    expect(notice.text).toContain(alert!.id);
    expect(notice.text).toContain(alert!.surge.improvementId);
    expect(notice.text).toContain('6 complaints about Logistics and delivery in 24 hours');

    const wrong = await api.call('POST', `/alerts/${alert!.id}/outcome`, {
      as: 'supervisor',
      body: { outcome: 'called_back' },
    });
    expect(wrong.status).toBe(400);
    expect(fieldErrors(wrong.body)).toEqual(['outcome']);
    expect((await api.call('POST', `/alerts/${alert!.id}/claim`, { as: 'supervisor' })).status).toBe(200);
    const done = await api.call('POST', `/alerts/${alert!.id}/outcome`, {
      as: 'supervisor',
      body: { outcome: 'assessed', note: 'A courier depot changed its schedule' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ kind: 'surge', status: 'done', outcome: 'assessed', handledInTime: true });
    expect(await surges()).toEqual([]);
    const history = await api.call('GET', '/alerts?kind=surge&status=done', { as: 'supervisor' });
    expect(history.body.items.map((a: { id: string }) => a.id)).toEqual([alert!.id]);
    // The call-back queue of negative answers is not mixed with surges.
    const feedback = await api.call('GET', '/alerts?kind=feedback&status=done', { as: 'supervisor' });
    expect(feedback.body.items).toEqual([]);
  });

  it('lists the surge in the weekly complaint summary', async () => {
    // The week of 2026-11-10 is 2026-W46.
    const reply = await api.call('POST', '/_local/jobs/complaint-summary', {
      as: 'admin',
      body: { week: '2026-W46' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.summary.surges).toEqual([
      expect.objectContaining({ day: '2026-11-10', category: 'logistics', last24h: 6, status: 'done' }),
    ]);
    const email = api.runtime.outbox.list().find((m) => m.id.startsWith('complaint-summary-2026-W46'));
    const mail = await simpleParser(readFileSync(email!.file));
    expect(mail.text).toContain('本周投诉激增（72小时内专项评估）: 1');
  });
});
