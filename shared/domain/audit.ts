/**
 * Who changed what (contract "Auth": every write stores who made it and when). A record carries
 * `updatedBy`/`updatedAt` (the last write) and `history`, its changes oldest first: when, by whom,
 * what kind of change and which fields. Field names only, never values: the trail holds no
 * personal data, so it outlives an erasure unchanged. The change is written with the record, in
 * the same versioned write, so a record never exists without its trail entry.
 */

export interface Change {
  at: string;
  actor: string;
  /** `created`, `updated`, `replaced`, `decided:adopted`, `published`, `erased`, … */
  action: string;
  /** The fields the change set (names only). */
  fields?: string[];
  /** A `notified` entry: the notice sent about the record, to a role (never an address). */
  notice?: {
    template: string;
    role: string;
    channel: 'email' | 'sms' | 'none';
    messageId?: string;
    notSent?: string;
  };
}

/** The newest changes a record keeps (older ones are dropped; the version still counts every write). */
export const HISTORY_LIMIT = 50;

/** The audit fields of a record after `change`: its last writer and time, and the change appended. */
export function recordChange<R extends { history?: Change[] | undefined }>(
  record: R,
  change: Change,
): { updatedAt: string; updatedBy: string; history: Change[] } {
  const fields = change.fields?.length ? [...new Set(change.fields)].sort() : undefined;
  const entry: Change = {
    at: change.at,
    actor: change.actor,
    action: change.action,
    ...(fields ? { fields } : {}),
    ...(change.notice ? { notice: change.notice } : {}),
  };
  return {
    updatedAt: change.at,
    updatedBy: change.actor,
    history: [...(record.history ?? []), entry].slice(-HISTORY_LIMIT),
  };
}
