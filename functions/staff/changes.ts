/**
 * The changes feed (`GET /changes`): what changed since a cursor, so a screen refreshes only what
 * moved instead of re-reading its lists. Reads the feed items written in each record's own
 * transaction (shared/store/changes.ts): hours × shards Queries from the cursor, whatever the volume.
 */
import { type Actor, hasRole } from '../../shared/domain/access.js';
import { realSpan } from '../../shared/domain/clock.js';
import { Forbidden, Gone, Invalid } from '../../shared/domain/errors.js';
import { ports } from '../../shared/ports.js';
import type { ChangesPage, ChangesQuery } from '../../shared/schemas/changes.js';
import {
  CHANGE_RETENTION_HOURS,
  CHANGE_TYPES,
  type ChangeFeed,
  type ChangeType,
  dynamoChangeFeed,
  instantOf,
  positionAt,
} from '../../shared/store/changes.js';
import { openPositionCursor, sealPositionCursor } from '../../shared/store/paging.js';

/**
 * The feed answers changes up to this much real time ago, never newer: a transaction that read the
 * clock just before another committed may commit a little after it, and would otherwise fall
 * behind a cursor that already moved past its time.
 */
export const SETTLE_REAL_MS = 2000;
const FEED = 'GET /changes';

/** The types a caller may follow: what their role may read (alerts and improvements from supervisor up). */
function readableTypes(actor: Actor): ChangeType[] {
  return hasRole(actor, 'supervisor') ? [...CHANGE_TYPES] : ['complaint', 'interaction'];
}

/** What the feed reads: the change items written with each record. */
export interface ChangesDeps {
  changes: ChangeFeed;
}

const defaults: ChangesDeps = { changes: dynamoChangeFeed };

export async function listChanges(
  query: ChangesQuery,
  actor: Actor,
  now: Date,
  deps: Partial<ChangesDeps> = {},
): Promise<ChangesPage> {
  const all = { ...defaults, ...deps };
  const readable = readableTypes(actor);
  let types = readable;
  if (query.types !== undefined) {
    const asked = query.types.split(',').map((t) => t.trim());
    const unknown = asked.filter((t) => !(CHANGE_TYPES as readonly string[]).includes(t));
    if (unknown.length || !asked.length)
      throw Invalid.field('types', `${unknown.join(', ') || '(empty)'} is not a change type`, 'not_in_list', {
        allowed: [...CHANGE_TYPES],
      });
    const refused = asked.filter((t) => !readable.includes(t as ChangeType));
    if (refused.length) throw new Forbidden(`Following ${refused.join(', ')} needs the supervisor role or higher.`);
    types = [...new Set(asked)] as ChangeType[];
  }
  const until = new Date(now.getTime() - realSpan(ports().clock, SETTLE_REAL_MS)).toISOString();
  if (query.since === undefined) return { items: [], nextCursor: await sealPositionCursor(FEED, positionAt(until)) };
  const after = await openPositionCursor(FEED, query.since);
  if (after === undefined)
    throw Invalid.field(
      'since',
      'is not a cursor this feed issued: call GET /changes without since for a cursor at now',
      'invalid_format',
      { format: 'cursor' },
    );
  const oldest = now.getTime() - CHANGE_RETENTION_HOURS * 3600_000;
  if (Date.parse(instantOf(after)) < oldest)
    throw new Gone(
      `The cursor is older than the feed keeps changes (${CHANGE_RETENTION_HOURS} h): read your lists again, then follow GET /changes from a new cursor (without since).`,
    );
  const page = await all.changes.readChanges({ after, until, types, limit: query.limit });
  return { items: page.items, nextCursor: await sealPositionCursor(FEED, page.position) };
}
