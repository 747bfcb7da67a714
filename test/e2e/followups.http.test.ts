/**
 * The follow-up job against DynamoDB Local, with the clock moved by hand: the API records
 * what happened (at the runtime's clock), then `runFollowUps(at)` runs the job as of `at`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { followUpNeeds } from '../../functions/composition.js';
import { runFollowUps as runJob } from '../../functions/followups/service.js';
import { smsSender } from '../../shared/notify/once.js';
import { DeliveryFailed, type SmsMessage, type Transport } from '../../shared/notify/ports.js';
import { ports, usePorts } from '../../shared/ports.js';
import { dynamoFollowUpStore } from '../../shared/store/followups.js';
import { dynamoMessageLedger } from '../../shared/store/messages.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { anInteraction } from '../support/builders/interactions.js';
import { type aCustomer, aSurveyResponse } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { aResolvedChat } from '../support/surveys.js';

// 10:00 in Shanghai: outside the 21:00–08:00 quiet hours.
const START = new Date('2026-11-10T02:00:00Z');
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);
const days = (n: number) => minutes(n * 24 * 60);
/** The job as its handler runs it, as of `at`. */
const runFollowUps = (at: Date) => runJob(at, followUpNeeds);

let api: TestApi;
let customers = 0;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
});
afterAll(() => api?.runtime.stop());

/** A customer with a phone, SMS preferred, and a resolved chat of theirs. */
async function resolvedContact(customer: Partial<Parameters<typeof aCustomer>[0]> = {}) {
  customers += 1;
  const customerId = `C-fu-${customers}`;
  const { interactionId } = await aResolvedChat(api, {
    customerId,
    profile: { phone: `+86138000${String(customers).padStart(5, '0')}`, ...customer },
    resolvedAt: START,
    as: 'admin',
  });
  return { customerId, interactionId };
}

const sentTo = (customerId: string) => {
  const phone = `+86138000${customerId.split('-').pop()!.padStart(5, '0')}`;
  // Complaint stage notices (acknowledgement, solution…) are test/e2e/notices.http.test.ts's subject.
  return api.runtime.outbox.list().filter((m) => m.to.includes(phone) && !m.id.startsWith('followup:notify:'));
};
const tokenIn = (text: string | undefined) => /\/s\/([A-Za-z0-9_-]+)/.exec(text ?? '')?.[1];

describe('the survey invitation after a resolved contact', () => {
  it('is not due before half an hour has passed, then goes out exactly once by SMS with a working link', async () => {
    const { customerId, interactionId } = await resolvedContact();
    await runFollowUps(minutes(10));
    expect(sentTo(customerId)).toHaveLength(0);

    await runFollowUps(minutes(31));
    await runFollowUps(minutes(32));
    const messages = sentTo(customerId);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ kind: 'sms' });
    expect(messages[0]!.text).toContain('请花1分钟评价本次服务');
    const form = await api.call('GET', `/surveys/${tokenIn(messages[0]!.text)}`, { as: null });
    expect(form.status).toBe(200);
    expect((await dynamoFollowUpStore.getTask(`invite:interaction:${interactionId}`))?.status).toBe('sent');
  });

  it('waits out the quiet hours instead of dropping the message', async () => {
    const { customerId } = await resolvedContact();
    // 22:00 in Shanghai.
    const night = new Date('2026-11-10T14:00:00Z');
    expect((await runFollowUps(night)).deferred).toBeGreaterThanOrEqual(1);
    expect(sentTo(customerId)).toHaveLength(0);
    await runFollowUps(new Date('2026-11-11T00:01:00Z')); // 08:01
    expect(sentTo(customerId)).toHaveLength(1);
  });

  it('sends nothing to a customer who gave no consent', async () => {
    const { customerId, interactionId } = await resolvedContact({ consent: { sms: false, email: false } });
    await runFollowUps(minutes(40));
    expect(sentTo(customerId)).toHaveLength(0);
    expect((await dynamoFollowUpStore.getTask(`invite:interaction:${interactionId}`))?.status).toBe('skipped');
  });

  it('surveys a customer once per throttle window, however many contacts they have', async () => {
    const { customerId } = await resolvedContact();
    await runFollowUps(minutes(40));
    const second = await api.call('POST', '/interactions', {
      body: anInteraction({ customerId, startedAt: minutes(-5).toISOString(), resolvedAt: minutes(-1).toISOString() }),
    });
    await runFollowUps(minutes(45));
    expect(sentTo(customerId)).toHaveLength(1);
    expect((await dynamoFollowUpStore.getTask(`invite:interaction:${second.body.id}`))?.outcome).toMatch(/throttled/);
  });

  it('sends each message once when two runs overlap', async () => {
    const { customerId } = await resolvedContact();
    const [a, b] = await Promise.all([runFollowUps(minutes(50)), runFollowUps(minutes(50))]);
    expect(sentTo(customerId)).toHaveLength(1);
    expect(a.sent + b.sent).toBeGreaterThanOrEqual(1);
  });
});

describe('the closing survey of a complaint', () => {
  it('invites the customer once the complaint is closed, even inside the throttle window, and counts second-round satisfaction', async () => {
    // Answered at once in this test: the too-fast check is not what it is about.
    expect(
      (await api.call('PATCH', '/settings', { as: 'admin', body: { surveys: { minAnswerSeconds: 0 } } })).status,
    ).toBe(200);
    const { customerId } = await resolvedContact();
    await runFollowUps(minutes(31)); // the contact's own survey opens the 30-day throttle window
    const complaint = await api.call('POST', '/complaints', { as: 'agent', body: aComplaintBody({ customerId }) });
    for (const event of [
      { type: 'assign', assigneeId: 'agent-9' },
      { type: 'respond' },
      { type: 'propose_solution', solution: 'Replacement by courier' },
      { type: 'resolve' },
      { type: 'confirm', satisfied: true },
      { type: 'close' },
    ]) {
      expect(
        (await api.call('POST', `/complaints/${complaint.body.id}/events`, { as: 'agent', body: event })).status,
      ).toBe(200);
    }
    await runFollowUps(minutes(70));
    const invitation = sentTo(customerId).at(-1)!;
    expect(sentTo(customerId)).toHaveLength(2);
    const token = tokenIn(invitation.text);
    await api.call('GET', `/surveys/${token}`, { as: null });
    const receipt = await api.call('POST', `/surveys/${token}/responses`, {
      as: null,
      body: aSurveyResponse({ overall: 5 }),
    });
    expect(receipt.body).toMatchObject({ valid: true });
    const day = complaint.body.serviceDay;
    const metrics = await api.call('GET', `/metrics?from=${day}&to=${day}`, { as: 'supervisor' });
    expect(metrics.body.complaints.secondRoundSatisfiedShare).toBe(1);
  });
});

describe('reminders', () => {
  it('reminds a non-responder twice, at 3 and 7 days, and never a third time', async () => {
    const { customerId } = await resolvedContact();
    await runFollowUps(minutes(31));
    for (const day of [1, 3.1, 5, 7.1, 10, 20]) await runFollowUps(days(day));
    const messages = sentTo(customerId);
    expect(
      messages.map((m) => (m.text?.includes('提醒') || m.text?.includes('您的意见') ? 'reminder' : 'invitation')),
    ).toEqual(['invitation', 'reminder', 'reminder']);
  });

  it('stops once the customer has answered', async () => {
    const { customerId } = await resolvedContact();
    await runFollowUps(minutes(31));
    const token = tokenIn(sentTo(customerId)[0]!.text);
    await api.call('GET', `/surveys/${token}`, { as: null });
    await new Promise((r) => setTimeout(r, 50));
    expect((await api.call('POST', `/surveys/${token}/responses`, { as: null, body: aSurveyResponse() })).status).toBe(
      201,
    );
    await runFollowUps(days(3.1));
    await runFollowUps(days(7.1));
    expect(sentTo(customerId)).toHaveLength(1);
  });
});

describe('a failing provider', () => {
  let previous: ReturnType<typeof usePorts> | undefined;
  afterEach(() => {
    if (previous) usePorts({ sms: previous.sms });
    previous = undefined;
  });

  it('is retried with growing pauses, then recorded where an operator sees it', async () => {
    const { customerId, interactionId } = await resolvedContact();
    let attempts = 0;
    const failing: Transport<SmsMessage> = {
      deliver: async () => {
        attempts += 1;
        throw new DeliveryFailed('sms not delivered: ThrottlingException', true);
      },
    };
    previous = usePorts({ sms: smsSender(failing, dynamoMessageLedger, () => ports().clock) });
    // 31 min: attempt 1; then +2 min, +10 min, +50 min for attempts 2–4.
    for (const at of [31, 32, 34, 44, 100, 200]) await runFollowUps(minutes(at));
    expect(attempts).toBe(4);
    expect(sentTo(customerId)).toHaveLength(0);
    const task = await dynamoFollowUpStore.getTask(`invite:interaction:${interactionId}`);
    expect(task).toMatchObject({ status: 'failed', attempts: 4 });
    const failed = await api.call('GET', '/followups?status=failed', { as: 'supervisor' });
    expect(failed.status).toBe(200);
    expect(failed.body.items.map((t: { id: string }) => t.id)).toContain(`invite:interaction:${interactionId}`);
    expect((await api.call('GET', '/followups?status=failed', { as: 'agent' })).status).toBe(403);
    expect((await api.call('GET', '/followups', { as: 'supervisor' })).status).toBe(400);
  });

  it("never blames the customer's number for a refusal caused by our own setup; only an invalid number is marked", async () => {
    const setup = await resolvedContact();
    let refusal: Error = Object.assign(new Error('User is not authorized to perform: SNS:Publish'), {
      name: 'AuthorizationErrorException',
      $metadata: { httpStatusCode: 403 },
    });
    const failing: Transport<SmsMessage> = {
      deliver: async () => {
        throw refusal;
      },
    };
    previous = usePorts({ sms: smsSender(failing, dynamoMessageLedger, () => ports().clock) });
    await runFollowUps(minutes(31));
    expect(await dynamoFollowUpStore.undeliverableAddresses(setup.customerId)).toEqual({});
    // Tried again later (an operator may fix the setup), not given up on at once.
    expect(await dynamoFollowUpStore.getTask(`invite:interaction:${setup.interactionId}`)).toMatchObject({
      status: 'pending',
      attempts: 1,
    });

    const invalid = await resolvedContact();
    refusal = Object.assign(
      new Error('Invalid parameter: PhoneNumber Reason: +8613800000000 is not valid to publish'),
      {
        name: 'InvalidParameterException',
        $metadata: { httpStatusCode: 400 },
      },
    );
    await runFollowUps(minutes(31));
    expect((await dynamoFollowUpStore.undeliverableAddresses(invalid.customerId)).sms).toBeDefined();
    // The routing rule: a refused number is a permanent failure there, so the invitation falls back to
    // the customer's email (consented) under the same message id, the fallback recorded with its reason.
    const task = await dynamoFollowUpStore.getTask(`invite:interaction:${invalid.interactionId}`);
    expect(task).toMatchObject({ status: 'sent', channel: 'email' });
    expect(task?.fallbacks).toEqual([{ channel: 'sms', reason: expect.stringContaining('InvalidParameterException') }]);
  });
});

describe('"the problem you reported has been fixed"', () => {
  it('tells every customer who complained about the category once the improvement is verified, once', async () => {
    const first = await resolvedContact();
    const second = await resolvedContact({ preferredChannel: 'email' });
    const bystander = await resolvedContact();
    await runFollowUps(minutes(31)); // their survey invitations
    for (const { customerId } of [first, second]) {
      expect(
        (
          await api.call('POST', '/complaints', {
            as: 'agent',
            body: aComplaintBody({ customerId, category: 'logistics' }),
          })
        ).status,
      ).toBe(201);
    }
    await api.call('POST', '/complaints', {
      as: 'agent',
      body: aComplaintBody({ customerId: bystander.customerId, category: 'price_billing' }),
    });
    const sentCount = (id: string) => sentTo(id).length;
    const counts = [first, second, bystander].map((c) => sentCount(c.customerId));

    const action = await api.call('POST', '/improvements', {
      as: 'manager',
      body: {
        problem: 'Damaged parcels',
        measure: 'New packaging',
        department: 'Logistics',
        ownerId: 'M-1',
        dueDate: '2026-11-30',
        category: 'logistics',
      },
    });
    for (const status of ['in_progress', 'done', 'verified'])
      await api.call('PATCH', `/improvements/${action.body.id}`, { as: 'manager', body: { status } });
    await runFollowUps(minutes(60)); // fan out to the complainers
    await runFollowUps(minutes(61)); // send
    await runFollowUps(minutes(62)); // and nothing more

    expect(sentCount(first.customerId) - counts[0]!).toBe(1);
    expect(sentTo(first.customerId).at(-1)!.text).toContain('已完成改进');
    const emails = api.runtime.outbox
      .list()
      .filter(
        (m) => m.kind === 'email' && m.to.includes('wang.xiaoming@example.com') && m.subject === '您反馈的问题已改进',
      );
    expect(emails.length).toBeGreaterThanOrEqual(1);
    expect(sentCount(bystander.customerId) - counts[2]!).toBe(0);
  });
});
