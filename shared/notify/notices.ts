/**
 * Sends the messages of a complaint notice (owner or escalation) and records each on the
 * timeline once. Used by the escalation workflow (at once) and the follow-up job (its retries):
 * the same message ids from both, so each message goes out once and is recorded once.
 */
import type { OwnerMessage } from '../domain/complaints/notices.js';
import { noticeRecords } from '../domain/message-ids.js';
import type { TimelineEntry } from '../schemas/complaints.js';
import type { Senders } from './ports.js';
import { failuresOf, sendEach } from './send.js';

/**
 * Tries every message (one failing channel does not stop the other); a message that went out
 * now or before is recorded under its id. Returns the failures, for the caller to retry.
 * `senders`: the ports' unless the caller has its own (the demo's history records its past as sent).
 */
export async function deliverNotices(
  messages: readonly OwnerMessage[],
  record: (entry: TimelineEntry, name: string) => Promise<unknown>,
  senders?: Senders,
): Promise<Error[]> {
  const sent = await sendEach(
    messages.map(({ message }) => message),
    senders,
  );
  // Recorded in the order of the messages (email before SMS), whichever went out first.
  for (const [i, { message, entry }] of messages.entries())
    if (sent[i]?.ok) await record(entry, noticeRecords.ownerNotified(message.id));
  return failuresOf(sent);
}
