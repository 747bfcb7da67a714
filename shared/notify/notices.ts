/**
 * Sends the messages of a complaint notice (owner or escalation) and records each on the
 * timeline once. Used by the escalation workflow (at once) and the follow-up job (its retries):
 * the same message ids from both, so each message goes out once and is recorded once.
 */
import type { OwnerMessage } from '../domain/complaints/notices.js';
import { ports } from '../ports.js';
import type { TimelineEntry } from '../schemas/complaints.js';

/**
 * Tries every message (one failing channel does not stop the other); a message that went out
 * now or before is recorded under its id. Returns the failures, for the caller to retry.
 */
export async function deliverNotices(
  messages: readonly OwnerMessage[],
  record: (entry: TimelineEntry, name: string) => Promise<unknown>,
): Promise<Error[]> {
  const results = await Promise.allSettled(
    messages.map(({ message }) =>
      message.channel === 'email' ? ports().email.send(message) : ports().sms.send(message),
    ),
  );
  // Recorded in the order of the messages (email before SMS), whichever went out first.
  for (const [i, result] of results.entries()) {
    const { message, entry } = messages[i]!;
    if (result.status === 'fulfilled') await record(entry, `owner_notified#${message.id}`);
  }
  return results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
}
