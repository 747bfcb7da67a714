/**
 * The local stand-ins for SES and SNS: transports that write each message into the local
 * outbox folder (infra/local/outbox.ts, listed by GET /_local/outbox) instead of sending it.
 * Wrapped by once.ts like the AWS transports, so a message id is written once.
 */
import type { Clock } from '../domain/clock.js';
import { MESSAGE_CHANNELS, type MessageChannel } from '../domain/message-ids.js';
import type { MessageLedger } from '../store/messages.js';
import { toMime } from './mime.js';
import { onceSender } from './once.js';
import type { ChannelMessages, EmailMessage, Senders, SmsMessage, Transport } from './ports.js';

/** What the outbox folder offers (infra/local/outbox.ts implements it). */
export interface OutboxFiles {
  writeEmail(email: { id: string; to: string[]; subject: string; raw: Buffer | string }, at: Date): unknown;
  writeSms(sms: { id: string; to: string; text: string }, at: Date): unknown;
  /** A WeChat template message as the customer sees it (written by the stand-in WeChat server). */
  writeWechat(message: { id: string; to: string; text: string; templateId: string; url?: string }, at: Date): unknown;
}

/** The sender of the outbox's email: the local runtime has nothing to verify with a provider. */
export const LOCAL_SENDER_EMAIL = 'careloop@localhost';

export function outboxEmailTransport(
  outbox: OutboxFiles,
  clock: () => Clock,
  from = LOCAL_SENDER_EMAIL,
): Transport<EmailMessage> {
  return {
    async deliver(message) {
      const at = clock().now();
      outbox.writeEmail(
        { id: message.id, to: message.to, subject: message.subject, raw: await toMime(message, from, at) },
        at,
      );
      return { providerMessageId: `outbox-${message.id}` };
    },
  };
}

export function outboxSmsTransport(outbox: OutboxFiles, clock: () => Clock): Transport<SmsMessage> {
  return {
    async deliver(message) {
      outbox.writeSms({ id: message.id, to: message.to, text: message.text }, clock().now());
      return { providerMessageId: `outbox-${message.id}` };
    },
  };
}

/**
 * The local transport of each channel. WeChat is not written by CareLoop itself: the real adapter
 * talks to the stand-in WeChat server (infra/local/wechat-server.ts), which writes the outbox.
 */
type LocalTransports = {
  [C in MessageChannel]: (outbox: OutboxFiles, clock: () => Clock) => Transport<ChannelMessages[C]>;
};
const OUTBOX_TRANSPORTS: Omit<LocalTransports, 'wechat'> = {
  email: (outbox, clock) => outboxEmailTransport(outbox, clock),
  sms: outboxSmsTransport,
};

/** Every channel's sender over the outbox (WeChat over `wechat`), exactly-once through `ledger`: what the local runtime installs. */
export function outboxSenders(
  outbox: OutboxFiles,
  ledger: MessageLedger,
  clock: () => Clock,
  wechat: Transport<ChannelMessages['wechat']>,
): Senders {
  const transports: LocalTransports = { ...OUTBOX_TRANSPORTS, wechat: () => wechat };
  return Object.fromEntries(
    MESSAGE_CHANNELS.map((channel) => [
      channel,
      onceSender(channel, transports[channel](outbox, clock), ledger, clock),
    ]),
  ) as Senders;
}
