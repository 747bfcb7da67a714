/** Sending once per message id, with the ledger on DynamoDB Local. */
import { beforeAll, describe, expect, it } from 'vitest';
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
