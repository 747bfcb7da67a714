/**
 * Delivery status over HTTP (api-contract.md "Channels (v1.2)"): SES events and SNS SMS delivery
 * status posted to the local runtime's `POST /_local/delivery-events`, which hands them as an SQS
 * batch to the same handler AWS runs (functions/followups/handler.ts `deliveryEvents`). A hard
 * bounce sets the message's status, shows on GET /customers/{id} and stops email to that address
 * (the next message goes by SMS) until the profile names another address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpNeeds } from '../../functions/composition.js';
import { runFollowUps as runJob } from '../../functions/followups/service.js';
import { SES_MESSAGE_TAG, sesMessageTag } from '../../shared/domain/delivery-events.js';
import { dynamoDeliveryLedger } from '../../shared/store/messages.js';
import { aCustomer } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { aResolvedChat } from '../support/surveys.js';

// 10:00 in Shanghai: outside the 21:00–08:00 quiet hours.
const START = new Date('2026-11-10T02:00:00Z');
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);
const DAY_MINUTES = 24 * 60;
const runFollowUps = (at: Date) => runJob(at, followUpNeeds);

let api: TestApi;
let customers = 0;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
});
afterAll(() => api?.runtime.stop());

/** A customer reached by `preferredChannel` (email and SMS consented), with a chat resolved at START. */
async function customerWithChat(preferredChannel: 'email' | 'sms') {
  customers += 1;
  const customerId = `C-dlv-${customers}`;
  const email = `dlv-${customers}@example.com`;
  const phone = `+86137100${String(customers).padStart(5, '0')}`;
  const { invitationMessageId } = await aResolvedChat(api, {
    customerId,
    profile: { phone, email, preferredChannel, consent: { sms: true, email: true } },
    resolvedAt: START,
  });
  return { customerId, email, phone, messageId: invitationMessageId };
}

const outboxTo = (address: string) => api.runtime.outbox.list().filter((m) => m.to.includes(address));

/** An SES event as the configuration set publishes it (raw delivery from SNS to SQS). */
const sesEvent = (eventType: 'Bounce' | 'Complaint' | 'Delivery', messageId: string, address: string, extra = {}) => ({
  eventType,
  mail: {
    timestamp: minutes(31).toISOString(),
    messageId: 'ses-0100018c',
    destination: [address],
    tags: { [SES_MESSAGE_TAG]: [sesMessageTag(messageId)], 'ses:configuration-set': ['careloop-test'] },
  },
  ...extra,
});
const hardBounce = (messageId: string, address: string) =>
  sesEvent('Bounce', messageId, address, {
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      timestamp: minutes(32).toISOString(),
      bouncedRecipients: [
        { emailAddress: address, status: '5.1.1', diagnosticCode: `smtp; 550 5.1.1 <${address}>: user unknown` },
      ],
    },
  });
const smsStatus = (
  providerMessageId: string,
  phone: string,
  status: 'SUCCESS' | 'FAILURE',
  providerResponse: string,
) => ({
  notification: { messageId: providerMessageId, timestamp: minutes(32).toISOString() },
  delivery: {
    destination: phone,
    smsType: 'Transactional',
    numberOfMessageParts: 1,
    priceInUSD: 0.04,
    providerResponse,
  },
  status,
});

const postReceipts = async (body: unknown) => {
  const reply = await api.call('POST', '/_local/delivery-events', { as: 'admin', body });
  expect(reply.status, reply.text).toBe(200);
  return reply.body as { batchItemFailures: Array<{ itemIdentifier: string }> };
};

describe('a hard bounce', () => {
  it('marks the message bounced, shows on the customer and moves the next message to SMS', async () => {
    const { customerId, email, phone, messageId } = await customerWithChat('email');
    await runFollowUps(minutes(31));
    expect(outboxTo(email).map((m) => m.id)).toEqual([messageId]);
    expect(await dynamoDeliveryLedger.status(messageId)).toBe('sent');

    expect(await postReceipts(hardBounce(messageId, email))).toEqual({ batchItemFailures: [] });
    expect(await dynamoDeliveryLedger.status(messageId)).toBe('bounced');
    const customer = await api.call('GET', `/customers/${customerId}`, { as: 'agent' });
    expect(customer.status, customer.text).toBe(200);
    expect(customer.body.deliveryProblems).toEqual({
      email: { at: expect.any(String), kind: 'hard_bounce', reason: expect.any(String), suppressed: true },
    });
    expect(customer.body.deliveryProblems.email.reason).toContain('Permanent/General');
    // The diagnostic code quoted the address: it is masked.
    expect(customer.body.deliveryProblems.email.reason).not.toContain(email);

    // Read again (SQS delivers at least once): nothing changes; a late "delivered" does not undo the bounce.
    await postReceipts([hardBounce(messageId, email), sesEvent('Delivery', messageId, email, { delivery: {} })]);
    expect(await dynamoDeliveryLedger.status(messageId)).toBe('bounced');

    // The first reminder (3 days on) goes by SMS: the bounced address is not used again.
    await runFollowUps(minutes(3 * DAY_MINUTES + 60));
    expect(outboxTo(email)).toHaveLength(1);
    const sms = outboxTo(phone);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.id).toMatch(/^followup:remind:/);

    // A new address in the profile is used again.
    const newEmail = `dlv-new-${customers}@example.com`;
    const put = await api.call('PUT', `/customers/${customerId}`, {
      as: 'agent',
      body: aCustomer({ phone, email: newEmail, preferredChannel: 'email', consent: { sms: true, email: true } }),
    });
    expect(put.status, put.text).toBe(200);
    await runFollowUps(minutes(7 * DAY_MINUTES + 60));
    expect(outboxTo(newEmail).map((m) => m.id)).toEqual([expect.stringMatching(/^followup:remind:.*:2$/)]);
  });

  it('only for the address it names: a soft bounce is shown but the address stays in use', async () => {
    const { customerId, email, messageId } = await customerWithChat('email');
    await runFollowUps(minutes(31));
    const soft = sesEvent('Bounce', messageId, email, {
      bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull', bouncedRecipients: [{ emailAddress: email }] },
    });
    expect(await postReceipts(soft)).toEqual({ batchItemFailures: [] });
    const customer = await api.call('GET', `/customers/${customerId}`, { as: 'agent' });
    expect(customer.body.deliveryProblems.email).toMatchObject({ kind: 'soft_bounce', suppressed: false });
    await runFollowUps(minutes(3 * DAY_MINUTES + 60));
    expect(outboxTo(email)).toHaveLength(2);
  });
});

describe('an email complaint', () => {
  it('stops email to the address, the message itself stays sent', async () => {
    const { customerId, email, messageId } = await customerWithChat('email');
    await runFollowUps(minutes(31));
    const complaint = sesEvent('Complaint', messageId, email, {
      complaint: { complainedRecipients: [{ emailAddress: email }], complaintFeedbackType: 'abuse' },
    });
    expect(await postReceipts(complaint)).toEqual({ batchItemFailures: [] });
    expect(await dynamoDeliveryLedger.status(messageId)).toBe('sent');
    const customer = await api.call('GET', `/customers/${customerId}`, { as: 'agent' });
    expect(customer.body.deliveryProblems.email).toMatchObject({ kind: 'complaint', suppressed: true });
  });
});

describe('SMS delivery status', () => {
  it('sets delivered, and an opted-out number stops SMS to it', async () => {
    const delivered = await customerWithChat('sms');
    const refused = await customerWithChat('sms');
    await runFollowUps(minutes(31));
    expect(outboxTo(delivered.phone)).toHaveLength(1);
    expect(outboxTo(refused.phone)).toHaveLength(1);
    // SNS names the message by its own id (locally `outbox-<id>`), which the ledger points back to ours.
    const reply = await postReceipts([
      smsStatus(`outbox-${delivered.messageId}`, delivered.phone, 'SUCCESS', 'Message has been accepted by phone'),
      smsStatus(`outbox-${refused.messageId}`, refused.phone, 'FAILURE', 'This phone number is opted out'),
    ]);
    expect(reply).toEqual({ batchItemFailures: [] });
    expect(await dynamoDeliveryLedger.status(delivered.messageId)).toBe('delivered');
    expect(await dynamoDeliveryLedger.status(refused.messageId)).toBe('failed');
    const customer = await api.call('GET', `/customers/${refused.customerId}`, { as: 'agent' });
    expect(customer.body.deliveryProblems).toEqual({
      sms: { at: expect.any(String), kind: 'refused', reason: 'This phone number is opted out', suppressed: true },
    });
    expect((await api.call('GET', `/customers/${delivered.customerId}`, { as: 'agent' })).body.deliveryProblems).toBe(
      undefined,
    );
    // The reminder goes by email to the refused number's customer.
    await runFollowUps(minutes(3 * DAY_MINUTES + 60));
    expect(outboxTo(refused.phone)).toHaveLength(1);
    expect(outboxTo(refused.email).map((m) => m.id)).toEqual([expect.stringMatching(/^followup:remind:/)]);
  });
});

describe('receipts that cannot be recorded', () => {
  it('hand back only the unreadable record (for the dead-letter queue); unknown messages are dropped', async () => {
    const reply = await postReceipts([
      { notAnEvent: true },
      sesEvent('Delivery', 'followup:invite:interaction:never-sent', 'x@example.com', { delivery: {} }),
      smsStatus('sns-unknown-id', '+8613700000000', 'SUCCESS', 'ok'),
    ]);
    expect(reply.batchItemFailures).toHaveLength(1);
    expect(reply.batchItemFailures[0]!.itemIdentifier).toMatch(/^local-receipt-/);
    const empty = await api.call('POST', '/_local/delivery-events', { as: 'admin', body: [] });
    expect(empty.status).toBe(400);
    const unauthorized = await api.call('POST', '/_local/delivery-events', { as: 'agent', body: {} });
    expect(unauthorized.status).toBe(403);
  });
});
