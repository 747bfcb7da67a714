/**
 * Turns a transport into a sender that is idempotent by message id: it claims the id in the
 * ledger, delivers, and marks it sent; when delivery fails it releases the claim so a retry
 * may send again. A message that went out is never sent a second time.
 */
import type { Clock } from '../domain/clock.js';
import type { MessageChannel } from '../domain/message-ids.js';
import type { MessageLedger } from '../store/messages.js';
import { deliveryFailure } from './channels.js';
import { listPriceMeter, type Meter } from './cost.js';
import type { ChannelMessages, EmailSender, Sender, SendReceipt, SmsSender, Transport } from './ports.js';

/** The exactly-once sender of one channel over its transport. */
export function onceSender<C extends MessageChannel>(
  channel: C,
  transport: Transport<ChannelMessages[C]>,
  ledger: MessageLedger,
  clock: () => Clock,
  meter: Meter = listPriceMeter,
): Sender<ChannelMessages[C]> {
  return {
    async send(message): Promise<SendReceipt> {
      if (!(await ledger.claim(message.id, channel))) return { messageId: message.id, status: 'duplicate' };
      let delivered: { providerMessageId?: string };
      try {
        delivered = await transport.deliver(message);
      } catch (error) {
        await ledger.release(message.id);
        throw deliveryFailure(error, channel);
      }
      const sentAt = clock().now();
      await ledger.markSent(message.id, delivered.providerMessageId, sentAt, await meter(channel, message, sentAt));
      return {
        messageId: message.id,
        status: 'sent',
        ...(delivered.providerMessageId ? { providerMessageId: delivered.providerMessageId } : {}),
      };
    },
  };
}

export const emailSender = (
  transport: Transport<ChannelMessages['email']>,
  ledger: MessageLedger,
  clock: () => Clock,
): EmailSender => onceSender('email', transport, ledger, clock);

export const smsSender = (
  transport: Transport<ChannelMessages['sms']>,
  ledger: MessageLedger,
  clock: () => Clock,
): SmsSender => onceSender('sms', transport, ledger, clock);
