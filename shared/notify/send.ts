/**
 * The one way a notice leaves CareLoop: `send(message)` routes a message to its channel's
 * sender (ports: SES/SNS in AWS, the outbox locally), which sends each message id once.
 * Escalation notices, owner and customer notices, follow-ups, digests and reports all call it.
 */
import type { MessageChannel } from '../domain/message-ids.js';
import { ports } from '../ports.js';
import type { OutgoingMessage, Senders, SendReceipt } from './ports.js';

/** Sends `message` on its channel, once per message id (`duplicate` when that id went out before). */
export function send<C extends MessageChannel>(
  message: OutgoingMessage<C>,
  senders: Senders = ports(),
): Promise<SendReceipt> {
  const sender: Senders[C] = senders[message.channel];
  return sender.send(message);
}

/** What became of each of several messages, in their order. */
export type Sent = { ok: true; receipt: SendReceipt } | { ok: false; error: Error };

/** Sends every message, each on its own: one failing channel does not stop another. */
export async function sendEach(messages: readonly OutgoingMessage[], senders: Senders = ports()): Promise<Sent[]> {
  const results = await Promise.allSettled(messages.map((message) => send(message, senders)));
  return results.map((result) =>
    result.status === 'fulfilled' ? { ok: true, receipt: result.value } : { ok: false, error: result.reason as Error },
  );
}

/** The failures of `sendEach`, for a caller that retries them. */
export const failuresOf = (sent: readonly Sent[]): Error[] => sent.flatMap((s) => (s.ok ? [] : [s.error]));
