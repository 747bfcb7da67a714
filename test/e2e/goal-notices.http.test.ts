/**
 * A goal's owner is told once when it turns at_risk (issue 23): the morning job's goal check run as
 * of chosen instants, each twice, through the local API and the follow-up tasks' one send path.
 *
 * Today is 2026-11-16 (Shanghai). First-response KPI (answered within 20 s ÷ answered):
 *   baseline October: 4 chats, 2 within → 0.5; 1–16 November: 4 chats, 3 within → 0.75.
 * Goal A "1 by 2026-11-20" (owner mgr-lin): expectedNow 0.5 + 0.5 × 16/20 = 0.9 > 0.75 → at_risk.
 * Goal B "0.9 by 2026-11-30" (owner mgr-lin): expectedNow 0.7133 ≤ 0.75 → on_track, never told.
 * Goal C "CSI 8" (owner mgr-ghost, not in the staff directory): no data → at_risk, told through
 *   the report recipients.
 * Then 8 more chats within 20 s on the 16th: current 11/12 = 0.9167 ≥ 0.9 → A recovers; on the
 * 17th expectedNow is 0.5 + 0.5 × 17/20 = 0.925 > 0.9167 → A turns at_risk again: told a second time.
 */
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tellGoalOwnersAtRisk } from '../../functions/composition.js';
import { scheduledAlertDigest } from '../../functions/followups/handler.js';
import type { CreateInteractionBody } from '../../shared/schemas/interactions.js';
import { aTimedChat, firstResponseHistory } from '../support/builders/interactions.js';
import { configureDemoContacts, DEMO_REPORT_RECIPIENTS } from '../support/contacts.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

const START = new Date('2026-11-16T04:00:00Z'); // 12:00 in Shanghai
let api: TestApi;

const chat = (day: string, i: number, frt: number) =>
  aTimedChat(day, i, frt, { customerId: `C-goalnote-${i}`, team: 'online' });
const record = async (contacts: CreateInteractionBody[]) => {
  for (const body of contacts) {
    const reply = await api.call('POST', '/interactions', { as: 'agent', body });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  }
};
const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };
const setGoal = async (body: Record<string, unknown>) => {
  const reply = await api.call('POST', '/goals', {
    as: 'manager',
    body: { kpi: 'firstResponse', baseline: OCTOBER, ...body },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body as { id: string; status: string };
};
/** The goal check as the morning job runs it, twice as of `at`: the second run must send nothing new. */
const checkTwice = async (at: string) => {
  await tellGoalOwnersAtRisk(new Date(at));
  await tellGoalOwnersAtRisk(new Date(at));
};
const noticesOf = (goalId: string) => api.runtime.outbox.list().filter((m) => m.id.includes(`:goal:${goalId}:`));
/** The whole email as its reader gets it: subject, text and html. */
const read = async (file: string) => {
  const mail = await simpleParser(readFileSync(file, 'utf8'));
  return {
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    all: `${mail.subject}\n${mail.text}\n${mail.html || ''}`,
  };
};

let a: string;
let b: string;
let c: string;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  await configureDemoContacts(api);
  const staff = await api.call('PUT', '/staff/mgr-lin', {
    body: { name: 'Lin Tao', roles: ['manager'], email: 'lin.tao@example.com', active: true },
  });
  expect(staff.status).toBeLessThan(300);
  // A customer with personal data behind one of the contacts: none of it may reach a goal notice.
  const customer = await api.call('PUT', '/customers/C-goalnote-5', {
    as: 'agent',
    body: {
      name: '王小明',
      phone: '+8613812345678',
      email: 'xiaoming@example.com',
      preferredChannel: 'sms',
      language: 'zh',
      consent: { sms: true, email: true },
    },
  });
  expect(customer.status, customer.text).toBeLessThan(300);
  await record(firstResponseHistory('C-goalnote-', 'online'));
  a = (await setGoal({ target: { value: 1 }, by: '2026-11-20', owner: 'mgr-lin', name: 'FRT to 100 %' })).id;
  b = (await setGoal({ target: { value: 0.9 }, by: '2026-11-30', owner: 'mgr-lin' })).id;
  c = (await setGoal({ kpi: 'csi', target: { value: 8 }, by: '2026-12-31', owner: 'mgr-ghost' })).id;
}, 60_000);
afterAll(() => api?.runtime.stop());

describe('the goal check of the morning job', () => {
  it('tells the owner once when a goal turns at_risk, and nobody of a goal on track', async () => {
    // The scheduled entry point itself, as of the runtime's clock (12:00 on the 16th), then twice more.
    await scheduledAlertDigest();
    await checkTwice('2026-11-16T05:00:00Z');
    expect(noticesOf(a).map((m) => [m.id, m.kind, m.to.join()])).toEqual([
      [`followup:notify:goal:${a}:at_risk:1`, 'email', 'lin.tao@example.com'],
    ]);
    expect(noticesOf(b)).toEqual([]);
    // No contact for the owner: the report recipients hear of it instead of nobody.
    expect(noticesOf(c).map((m) => [m.id, m.to])).toEqual([
      [`followup:notify:goal:${c}:at_risk:1`, DEMO_REPORT_RECIPIENTS],
    ]);

    const notice = await read(noticesOf(a)[0]!.file);
    expect(notice.subject).toBe('[CareLoop] Goal at risk: FRT to 100 % / 目标有风险');
    const { text } = notice;
    expect(text).toContain('should be 0.9 today (2026-11-16)');
    expect(text).toContain('Current: 0.75');
    expect(text).toContain('Target: 1 by 2026-11-20');
    expect(text).toContain('Baseline: 0.5');
    for (const personal of ['王小明', '+8613812345678', '13812345678', 'xiaoming@example.com', 'C-goalnote'])
      expect(notice.all).not.toContain(personal);
    expect((await read(noticesOf(c)[0]!.file)).text).toContain('no figures to measure it by yet');

    const goal = await api.call('GET', `/goals/${a}`, { as: 'manager' });
    expect(goal.body).toMatchObject({ status: 'at_risk', atRiskNotices: 1, version: 2 });
    // Told by the first run: the scheduled one, at the runtime's clock (a moment after 12:00 on the 16th).
    expect(goal.body.atRiskNotifiedAt).toMatch(/^2026-11-16T04:0\d:/);
    expect(goal.body.history.at(-1)).toMatchObject({ action: 'at_risk', actor: 'system:goal-check' });
    const onTrack = await api.call('GET', `/goals/${b}`, { as: 'manager' });
    expect(onTrack.body).toMatchObject({ status: 'on_track', version: 1 });
    expect(onTrack.body.atRiskNotifiedAt).toBeUndefined();
  });

  it('tells the owner again only after the goal recovered and fell behind anew', async () => {
    await record(Array.from({ length: 8 }, (_, i) => chat('2026-11-16', 20 + i, 10)));
    // 18:00 on the 16th: 11/12 = 0.9167 ≥ 0.9, back on track; the mark is cleared, nothing is sent.
    await checkTwice('2026-11-16T10:00:00Z');
    const recovered = await api.call('GET', `/goals/${a}`, { as: 'manager' });
    expect(recovered.body).toMatchObject({ status: 'on_track', current: 0.9167, atRiskNotices: 1 });
    expect(recovered.body.atRiskNotifiedAt).toBeUndefined();
    expect(recovered.body.history.at(-1)).toMatchObject({ action: 'recovered' });
    expect(noticesOf(a)).toHaveLength(1);

    // 09:00 on the 17th: expectedNow 0.925 > 0.9167, at_risk again: the second turn, told once.
    await checkTwice('2026-11-17T01:00:00Z');
    expect(noticesOf(a).map((m) => m.id)).toEqual([
      `followup:notify:goal:${a}:at_risk:1`,
      `followup:notify:goal:${a}:at_risk:2`,
    ]);
    expect((await read(noticesOf(a)[1]!.file)).text).toContain('should be 0.925 today (2026-11-17)');
    // C stayed at_risk all along: still its one notice. B stayed on track: none.
    expect(noticesOf(c)).toHaveLength(1);
    expect(noticesOf(b)).toEqual([]);
    // (GET answers as of the runtime's clock, still the 16th: on track there; the mark is the 17th's.)
    const again = await api.call('GET', `/goals/${a}`, { as: 'manager' });
    expect(again.body).toMatchObject({ atRiskNotices: 2, atRiskNotifiedAt: '2026-11-17T01:00:00.000Z' });
  });
});
