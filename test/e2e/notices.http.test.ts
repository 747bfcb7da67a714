/**
 * A complaint's notices through the local API, the follow-up job run as of chosen instants
 * (`runFollowUps(at)`): the customer's notices by consent and language, the owner's by team, an
 * agent's `escalate`, and every message in the outbox once however often the job runs. The
 * registration notices go out at once, from the escalation workflow's first step; quiet hours:
 * notices-quiet-hours.http.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpNeeds } from '../../functions/composition.js';
import { runFollowUps as runJob } from '../../functions/followups/service.js';
import { smsSegments } from '../../shared/domain/followups.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { aCustomer } from '../support/builders/surveys.js';
import { configureDemoContacts } from '../support/contacts.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { until } from '../support/wait.js';

// 10:00 in Shanghai: outside the 21:00–08:00 quiet hours.
const START = new Date('2026-11-10T02:00:00Z');
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);
const runFollowUps = (at: Date) => runJob(at, followUpNeeds);

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  // The notices go to the demo's contacts, configured as an admin would (a fresh stack has none).
  await configureDemoContacts(api);
});
afterAll(() => api?.runtime.stop());

type Entry = { type: string; actor: string; detail: Record<string, unknown> };
const timelineOf = async (id: string): Promise<Entry[]> =>
  (await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' })).body.items;
const notified = async (id: string, type: 'customer_notified' | 'owner_notified') =>
  (await timelineOf(id)).filter((e) => e.type === type).map((e) => e.detail);
const outboxOf = (id: string) => api.runtime.outbox.list().filter((m) => m.id.includes(id));

/** Resolves once the complaint's escalation workflow is past its first step (the registration notices). */
const announced = (id: string) =>
  until(async () => ((api.runtime.workflows.executions.get(`${id}-r1`)?.path.length ?? 0) > 1 ? true : undefined), {
    timeoutMs: 60_000,
  });

let customers = 0;
/** A customer (SMS preferred, both consents unless given) and a complaint of theirs. */
async function complaintOf(
  customer: Partial<Parameters<typeof aCustomer>[0]> = {},
  body: Partial<Parameters<typeof aComplaintBody>[0]> = {},
  as: 'agent' | 'admin' = 'agent',
) {
  customers += 1;
  const customerId = `C-notice-${customers}`;
  const put = await api.call('PUT', `/customers/${customerId}`, {
    body: aCustomer({
      phone: `+86139100${String(customers).padStart(5, '0')}`,
      email: `notice-${customers}@example.com`,
      ...customer,
    }),
  });
  expect(put.status).toBeLessThan(300);
  const registered = await api.call('POST', '/complaints', { as, body: aComplaintBody({ customerId, ...body }) });
  expect(registered.status).toBe(201);
  // The workflow's first step sends the registration notices at once: the job runs below after it.
  await announced(registered.body.id);
  return registered.body as { id: string; severity: string; tier: number };
}

const event = (id: string, body: Record<string, unknown>) =>
  api.call('POST', `/complaints/${id}/events`, { as: 'admin', body });

describe("the customer's notices", () => {
  it('acknowledge a complaint by SMS in the customer’s language, with its number and when to expect a response', async () => {
    const { id } = await complaintOf({ language: 'en' });
    await runFollowUps(minutes(1));
    const [sms] = outboxOf(id);
    expect(sms).toMatchObject({ kind: 'sms', id: `followup:notify:customer:${id}:acknowledged:r1` });
    // Registered at 10:00 Shanghai: the 1 h response is due at 11:00 local.
    expect(sms!.text).toBe(`We received your complaint, no. ${id}. We will respond by 11-10 11:00.`);
    expect(smsSegments(sms!.text!)).toBeLessThanOrEqual(2);
    expect(await notified(id, 'customer_notified')).toEqual([
      {
        channel: 'sms',
        template: 'acknowledged',
        messageId: `followup:notify:customer:${id}:acknowledged:r1`,
        round: 1,
      },
    ]);
  });

  it('go by email to a customer without SMS consent', async () => {
    const { id } = await complaintOf({ consent: { sms: false, email: true } });
    await runFollowUps(minutes(2));
    const sent = outboxOf(id).filter((m) => m.id.startsWith('followup:'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'email', to: [`notice-${customers}@example.com`] });
    expect(sent[0]!.subject).toContain(id);
    expect((await notified(id, 'customer_notified'))[0]).toMatchObject({ channel: 'email', template: 'acknowledged' });
  });

  it('reach nobody without consent, and the timeline says why', async () => {
    const { id } = await complaintOf({ consent: { sms: false, email: false } });
    await runFollowUps(minutes(3));
    await runFollowUps(minutes(4));
    expect(outboxOf(id).filter((m) => m.id.startsWith('followup:'))).toHaveLength(0);
    expect(await notified(id, 'customer_notified')).toEqual([
      { channel: 'none', template: 'acknowledged', notSent: 'no_consent', round: 1 },
    ]);
  });

  it('tell what is needed from them, the solution, and the confirmation link: each stage once', async () => {
    const { id } = await complaintOf({ language: 'en' });
    expect((await event(id, { type: 'assign', assigneeId: 'agent-7' })).status).toBe(200);
    expect((await event(id, { type: 'respond' })).status).toBe(200);
    expect((await event(id, { type: 'await_customer', reason: 'information_requested' })).status).toBe(200);
    await runFollowUps(minutes(5));
    // A second pause in the same round does not tell them again.
    expect((await event(id, { type: 'resume' })).status).toBe(200);
    expect((await event(id, { type: 'await_customer', reason: 'information_requested' })).status).toBe(200);
    expect((await event(id, { type: 'resume' })).status).toBe(200);
    const solution = `We will send a replacement parcel by express courier tomorrow morning and refund the delivery fee. ${'Details follow. '.repeat(30)}`;
    expect((await event(id, { type: 'propose_solution', solution })).status).toBe(200);
    expect((await event(id, { type: 'resolve' })).status).toBe(200);
    await runFollowUps(minutes(6));
    await runFollowUps(minutes(7));

    const sent = outboxOf(id).filter((m) => m.id.startsWith('followup:'));
    expect(sent.map((m) => m.id)).toEqual([
      `followup:notify:customer:${id}:acknowledged:r1`,
      `followup:notify:customer:${id}:awaiting_customer:r1`,
      `followup:notify:customer:${id}:solution_proposed:r1`,
      `followup:confirm:${id}:1`,
    ]);
    const text = (suffix: string) => sent.find((m) => m.id.includes(suffix))!.text!;
    expect(text('awaiting_customer')).toContain('We need some more information from you');
    expect(text('solution_proposed')).toContain('We will send a replacement parcel');
    expect(text('solution_proposed').endsWith('…')).toBe(true);
    expect(text(`confirm:${id}`)).toMatch(/\/c\/[A-Za-z0-9_-]+$/);
    for (const message of sent) expect(smsSegments(message.text!), message.text).toBeLessThanOrEqual(2);
    expect((await notified(id, 'customer_notified')).map((d) => d.template)).toEqual([
      'acknowledged',
      'awaiting_customer',
      'solution_proposed',
      'confirmation_link',
    ]);
  });

  // Quiet hours: test/e2e/notices-quiet-hours.http.test.ts (registered at night, on a runtime of its own).
});

describe("the owner's notices", () => {
  it("go to the team's own contact when it has one, else to the organisation's", async () => {
    const patched = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: {
        escalation: {
          teamContacts: { north: { supervisor: { name: 'North duty supervisor', email: 'north-duty@example.com' } } },
        },
      },
    });
    expect(patched.status).toBe(200);
    const north = await complaintOf({}, { team: 'north' }, 'admin');
    const south = await complaintOf({}, { team: 'south' }, 'admin');
    await runFollowUps(minutes(8));
    const registrationOf = (id: string) => outboxOf(id).filter((m) => m.id.startsWith(`owner-${id}-registered`));
    // A medium complaint is tier 2, owned by a supervisor: email only.
    expect(registrationOf(north.id)).toEqual([
      expect.objectContaining({ kind: 'email', to: ['north-duty@example.com'] }),
    ]);
    expect(registrationOf(south.id)).toEqual([
      expect.objectContaining({ kind: 'email', to: ['supervisor@example.com'] }),
    ]);
    expect(registrationOf(north.id)[0]!.subject).toContain(`New complaint ${north.id} for you (supervisor)`);
    expect(await notified(north.id, 'owner_notified')).toEqual([
      {
        role: 'supervisor',
        channel: 'email',
        template: 'registered',
        messageId: `owner-${north.id}-registered-r1-email`,
        round: 1,
      },
    ]);
  });

  it('an agent escalates a complaint with a note: the next level owns it now and hears of it', async () => {
    const { id } = await complaintOf();
    const noNote = await event(id, { type: 'escalate' });
    expect(noNote.status).toBe(400);
    expect(noNote.body.errors.map((e: { path: string }) => e.path)).toContain('note');

    const escalated = await event(id, { type: 'escalate', note: 'Customer threatens to go to the regulator.' });
    expect(escalated.status).toBe(200);
    expect(escalated.body).toMatchObject({ status: 'registered', escalationLevel: 1, ownerRole: 'department_head' });
    await runFollowUps(minutes(9));
    await runFollowUps(minutes(10));
    expect(outboxOf(id).filter((m) => m.id.startsWith(`owner-${id}-escalated`))).toEqual([
      expect.objectContaining({ id: `owner-${id}-escalated-l1-r1-email`, to: ['cs-head@example.com'] }),
    ]);
    const timeline = await timelineOf(id);
    expect(timeline.find((e) => e.type === 'escalate')?.detail).toMatchObject({
      note: 'Customer threatens to go to the regulator.',
      fromRole: 'supervisor',
      toRole: 'department_head',
    });
    expect(timeline.filter((e) => e.type === 'owner_notified').map((e) => e.detail.template)).toEqual([
      'registered',
      'escalated',
    ]);

    expect((await event(id, { type: 'escalate', note: 'Still nothing.' })).body.escalationLevel).toBe(2);
    const atTop = await event(id, { type: 'escalate', note: 'And again.' });
    expect(atTop.status).toBe(409);
  });
});

describe('a suggestion’s decision', () => {
  it('reaches the customer behind it once: adopted with the planned date, rejected with the reason', async () => {
    customers += 1;
    const customerId = `C-notice-${customers}`;
    const phone = `+86139100${String(customers).padStart(5, '0')}`;
    expect((await api.call('PUT', `/customers/${customerId}`, { body: aCustomer({ phone }) })).status).toBeLessThan(
      300,
    );
    const suggest = async (text: string) =>
      (await api.call('POST', '/suggestions', { as: 'agent', body: { text, customerId } })).body.id as string;
    const adopted = await suggest('Open the Pudong store on Sundays');
    const rejected = await suggest('Deliver by drone');
    const decide = (id: string, body: Record<string, unknown>) =>
      api.call('POST', `/suggestions/${id}/decision`, { as: 'manager', body });
    expect((await decide(adopted, { decision: 'adopted', plannedFor: '2026-11-30' })).status).toBe(200);
    expect((await decide(rejected, { decision: 'rejected', reason: '航空管制不允许无人机配送' })).status).toBe(200);
    await runFollowUps(minutes(20));
    await runFollowUps(minutes(21));
    const sent = api.runtime.outbox.list().filter((m) => m.to.includes(phone));
    expect(sent.map((m) => m.id).sort()).toEqual(
      [`followup:notify:suggestion:${adopted}:decision`, `followup:notify:suggestion:${rejected}:decision`].sort(),
    );
    expect(sent.find((m) => m.id.includes(adopted))!.text).toBe('感谢您的建议！我们已采纳，计划于2026-11-30前落实。');
    expect(sent.find((m) => m.id.includes(rejected))!.text).toContain('航空管制不允许无人机配送');
    for (const message of sent) expect(smsSegments(message.text!)).toBeLessThanOrEqual(2);
  });
});

describe('the outbox', () => {
  it('holds every message once after the jobs ran twice more', async () => {
    await runFollowUps(minutes(30));
    await runFollowUps(minutes(30));
    const ids = api.runtime.outbox.list().map((m) => m.id);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
