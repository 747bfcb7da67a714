/** Sending once per message id, with the ledger on DynamoDB Local. */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scaledClock } from '../../../shared/domain/clock.js';
import { emailSender } from '../../../shared/notify/once.js';
import { DeliveryFailed, type EmailMessage, type Transport } from '../../../shared/notify/ports.js';
import { dynamoMessageLedger } from '../../../shared/store/messages.js';
import { useTestTables } from '../../support/dynamo.js';

const clock = scaledClock(1);
const message = (id: string): EmailMessage => ({ id, to: ['head@example.com'], subject: 's', text: 't' });

function recording(failFirst = 0) {
  const delivered: string[] = [];
  let failures = failFirst;
  const transport: Transport<EmailMessage> = {
    async deliver(m) {
      if (failures-- > 0) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      delivered.push(m.id);
      return { providerMessageId: `p-${m.id}` };
    },
  };
  return { delivered, transport };
}

describe('sending once per message id', () => {
  beforeAll(useTestTables);

  it('delivers a message once however often it is sent', async () => {
    const { delivered, transport } = recording();
    const sender = emailSender(transport, dynamoMessageLedger, () => clock);
    expect(await sender.send(message('once-1'))).toMatchObject({ status: 'sent', providerMessageId: 'p-once-1' });
    expect(await sender.send(message('once-1'))).toEqual({ messageId: 'once-1', status: 'duplicate' });
    expect(delivered).toEqual(['once-1']);
  });

  it('delivers once when two senders race for the same id', async () => {
    const { delivered, transport } = recording();
    const sender = emailSender(transport, dynamoMessageLedger, () => clock);
    const results = await Promise.all([
      sender.send(message('race-1')),
      sender.send(message('race-1')),
      sender.send(message('race-1')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'duplicate', 'sent']);
    expect(delivered).toEqual(['race-1']);
  });

  it('gives the id back when delivery fails, so the retry sends it', async () => {
    const { delivered, transport } = recording(1);
    const sender = emailSender(transport, dynamoMessageLedger, () => clock);
    const failure = await sender.send(message('retry-1')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryFailed);
    expect((failure as DeliveryFailed).retryable).toBe(true);
    expect(await sender.send(message('retry-1'))).toMatchObject({ status: 'sent' });
    expect(delivered).toEqual(['retry-1']);
  });
});

/**
 * Exactly-once rests on two writes: markSent (a sent id is never claimed again, however late) and
 * the stale-claim takeover (a sender that died mid-send blocks its id for 5 minutes, not forever).
 * The claim reads real time (Date.now); the tests move it instead of waiting. Mutations tried, each
 * failing this file: markSent writing nothing (2 tests fail); the claim's condition without
 * `#status = :sending` (6); STALE_CLAIM_MS at 0 (1) or at 10 minutes (1).
 */
describe('the ledger over time (injected clock)', () => {
  beforeAll(useTestTables);
  afterEach(() => vi.restoreAllMocks());

  const at = (ms: number) => vi.spyOn(Date, 'now').mockReturnValue(ms);
  const start = Date.UTC(2026, 10, 3, 8, 0, 0);

  it('a sent message is never sent again, even long after its claim would have gone stale', async () => {
    const { delivered, transport } = recording();
    const sender = emailSender(transport, dynamoMessageLedger, () => clock);
    at(start);
    expect(await sender.send(message('late-1'))).toMatchObject({ status: 'sent' });
    at(start + 6 * 60_000);
    expect(await sender.send(message('late-1'))).toEqual({ messageId: 'late-1', status: 'duplicate' });
    at(start + 30 * 24 * 3600_000);
    expect(await dynamoMessageLedger.claim('late-1', 'email')).toBe(false);
    expect(delivered).toEqual(['late-1']);
  });

  it('a claim left by a sender that died is taken over after 5 minutes, not before', async () => {
    at(start);
    expect(await dynamoMessageLedger.claim('crashed-1', 'sms')).toBe(true); // the sender dies here
    at(start + 4 * 60_000 + 59_000);
    expect(await dynamoMessageLedger.claim('crashed-1', 'sms')).toBe(false);
    at(start + 5 * 60_000 + 1_000);
    expect(await dynamoMessageLedger.claim('crashed-1', 'sms')).toBe(true);
    // The new holder's claim is fresh: nobody else takes it over at once.
    at(start + 5 * 60_000 + 2_000);
    expect(await dynamoMessageLedger.claim('crashed-1', 'sms')).toBe(false);
  });

  it('a marked id stays taken after the stale window (markSent writes the ledger itself)', async () => {
    at(start);
    expect(await dynamoMessageLedger.claim('marked-1', 'email')).toBe(true);
    await dynamoMessageLedger.markSent('marked-1', 'p-marked-1', new Date(start));
    at(start + 10 * 60_000);
    expect(await dynamoMessageLedger.claim('marked-1', 'email')).toBe(false);
  });
});
