/**
 * Turns a transport into a sender that is idempotent by message id: it claims the id in the
 * ledger, delivers, and marks it sent; when delivery fails it releases the claim so a retry
 * may send again. A message that went out is never sent a second time.
 */
import type { Clock } from '../domain/clock.js';
import type { MessageLedger } from '../store/messages.js';
import {
  deliveryFailure,
  type EmailMessage,
  type EmailSender,
  type SendReceipt,
  type SmsMessage,
  type SmsSender,
  type Transport,
} from './ports.js';

function once<M extends { id: string }>(
  transport: Transport<M>,
  ledger: MessageLedger,
  channel: 'email' | 'sms',
  clock: () => Clock,
) {
  return async (message: M): Promise<SendReceipt> => {
    if (!(await ledger.claim(message.id, channel))) return { messageId: message.id, status: 'duplicate' };
    let delivered: { providerMessageId?: string };
    try {
      delivered = await transport.deliver(message);
    } catch (error) {
      await ledger.release(message.id);
      throw deliveryFailure(error, channel);
    }
    await ledger.markSent(message.id, delivered.providerMessageId, clock().now());
    return {
      messageId: message.id,
      status: 'sent',
      ...(delivered.providerMessageId ? { providerMessageId: delivered.providerMessageId } : {}),
    };
  };
}

export function emailSender(
  transport: Transport<EmailMessage>,
  ledger: MessageLedger,
  clock: () => Clock,
): EmailSender {
  return { send: once(transport, ledger, 'email', clock) };
}

export function smsSender(transport: Transport<SmsMessage>, ledger: MessageLedger, clock: () => Clock): SmsSender {
  return { send: once(transport, ledger, 'sms', clock) };
}
