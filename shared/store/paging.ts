import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { defined, Invalid } from '../domain/errors.js';
import { ports } from '../ports.js';
import { dynamo } from './client.js';
import { QueryCommand, type QueryCommandInput } from './sdk.js';
import { type IndexName, MAIN_TABLE, tableName } from './table.js';

/** The UTC months (YYYY-MM) an instant range touches, newest first: the month partitions of a list. */
export function monthsBetween(fromInstant: string, toInstant: string): string[] {
  const months: string[] = [];
  let [year, month] = toInstant.slice(0, 7).split('-').map(Number) as [number, number];
  const first = fromInstant.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current < first) break;
    months.push(current);
    month -= 1;
    if (month === 0) [year, month] = [year - 1, 12];
  }
  return months;
}

/** One partition to read, optionally narrowed by sort key and filtered. */
export interface PartitionQuery {
  index?: IndexName;
  partitionKey: string;
  sortKey?: { between: [string, string] } | { beginsWith: string };
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Cursor = { q: number; k?: Record<string, unknown>; h: string; p?: string };

/** Ties a cursor to the query that issued it, so a cursor from another list is refused (400), not obeyed. */
function fingerprint(queries: PartitionQuery[]): string {
  const identity = queries.map(
    (q) => `${q.index ?? ''}|${q.partitionKey}|${JSON.stringify(q.sortKey ?? '')}|${q.filter?.expression ?? ''}`,
  );
  return createHash('sha256').update(identity.join('\n')).digest('base64url').slice(0, 12);
}

/*
 * Cursors are sealed with AES-256-GCM: opaque (no table key, attribute name or partition is readable)
 * and tamper-proof (a changed byte fails authentication; a hand-made cursor is a 400). The key is
 * derived (HKDF, its own label) from the deployment's secret keys, the first of which seals; every one
 * opens, so a key rotation does not break a client paging through a list.
 */
const CURSOR_LABEL = 'careloop list cursor v1';
const derived = new Map<string, Buffer>();
async function cursorKeys(): Promise<Buffer[]> {
  const secrets = await ports().signingKeys();
  return secrets.map((secret) => {
    let key = derived.get(secret);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', secret, 'careloop', CURSOR_LABEL, 32));
      derived.set(secret, key);
    }
    return key;
  });
}

async function sealCursor(cursor: Cursor): Promise<string> {
  const key = defined((await cursorKeys())[0], 'a cursor signing key');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(cursor), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

function openWith(key: Buffer, bytes: Buffer): unknown {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
    return JSON.parse(plain.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The key attributes a start key of this query may hold: the index's and the table's, nothing else. */
function keyAttributes(query: PartitionQuery): string[] {
  const index = query.index
    ? defined(
        MAIN_TABLE.indexes.find((i) => i.name === query.index),
        `index ${query.index}`,
      )
    : undefined;
  return [MAIN_TABLE.partitionKey, MAIN_TABLE.sortKey, ...(index ? [index.partitionKey, index.sortKey] : [])];
}

const notThisList = () => Invalid.field('cursor', 'is not a cursor issued for this list', 'invalid_format');

async function decodeCursor(cursor: string, expected: string, queries: PartitionQuery[]): Promise<Cursor> {
  const bytes = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url') : Buffer.alloc(0);
  if (bytes.length < 12 + 16 + 2) throw notThisList();
  let value: Cursor | undefined;
  for (const key of await cursorKeys()) {
    value = openWith(key, bytes) as Cursor | undefined;
    if (value) break;
  }
  // Authenticated, so issued by us; still checked against this list's shape before DynamoDB sees it.
  if (!value || typeof value !== 'object' || value.h !== expected) throw notThisList();
  if (!Number.isInteger(value.q) || value.q < 0 || value.q >= queries.length) throw notThisList();
  if (value.k !== undefined) {
    const allowed = keyAttributes(defined(queries[value.q], `partition ${value.q}`));
    const entries = value.k && typeof value.k === 'object' ? Object.entries(value.k) : [];
    if (!entries.length || entries.some(([name, v]) => !allowed.includes(name) || typeof v !== 'string'))
      throw notThisList();
  }
  return value;
}

/**
 * A sealed cursor for a list paged by position over rows computed in memory (e.g. per-agent
 * figures summed from counter cells): the offset of the next row, tied to the list's identity
 * (its route and filters), so a cursor of another list or filter is a 400.
 */
export async function sealOffsetCursor(identity: string, offset: number): Promise<string> {
  return sealCursor({ q: offset, h: createHash('sha256').update(identity).digest('base64url').slice(0, 12) });
}

/** The offset a cursor of `sealOffsetCursor` holds for this list (0 without one); 400 for any other cursor. */
export async function openOffsetCursor(identity: string, cursor: string | undefined): Promise<number> {
  if (cursor === undefined) return 0;
  const expected = createHash('sha256').update(identity).digest('base64url').slice(0, 12);
  const bytes = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url') : Buffer.alloc(0);
  if (bytes.length < 12 + 16 + 2) throw notThisList();
  for (const key of await cursorKeys()) {
    const opened = openWith(key, bytes) as Cursor | undefined;
    if (opened && typeof opened === 'object' && opened.h === expected && opened.k === undefined)
      if (Number.isInteger(opened.q) && opened.q >= 0) return opened.q;
  }
  throw notThisList();
}

/** A sealed cursor holding a position in a feed (e.g. the changes feed's last sort key), tied to the feed's identity. */
export async function sealPositionCursor(identity: string, position: string): Promise<string> {
  return sealCursor({ q: 0, p: position, h: createHash('sha256').update(identity).digest('base64url').slice(0, 12) });
}

/** The position a cursor of `sealPositionCursor` holds for this feed; undefined for any other string. */
export async function openPositionCursor(identity: string, cursor: string): Promise<string | undefined> {
  const expected = createHash('sha256').update(identity).digest('base64url').slice(0, 12);
  const bytes = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url') : Buffer.alloc(0);
  if (bytes.length < 12 + 16 + 2) return undefined;
  for (const key of await cursorKeys()) {
    const opened = openWith(key, bytes) as Cursor | undefined;
    if (opened && typeof opened === 'object' && opened.h === expected && typeof opened.p === 'string') return opened.p;
  }
  return undefined;
}

/**
 * Reads `limit` items across an ordered list of partitions (e.g. one per day), newest
 * first when `descending`, and returns an opaque cursor to continue exactly where it stopped.
 * Every item is returned exactly once across pages.
 */
export async function queryPartitions<T>(
  queries: PartitionQuery[],
  options: {
    limit: number;
    cursor?: string | undefined;
    descending?: boolean;
    /**
     * Read at most this many items a call (filters discard some): each Query's `Limit` is what is
     * left of it, so the bound is exact; a page may then hold fewer than `limit` items and still a
     * `nextCursor`, and the cursor carries on from the last item read.
     */
    maxRead?: number;
    /**
     * Make at most this many Queries a call: one per partition (e.g. a day) and one more per page
     * inside a partition, so a list over a long range of mostly empty days, or of full days that a
     * filter mostly discards, makes a bounded number of Queries per call; the cursor carries on.
     */
    maxQueries?: number;
  },
): Promise<Page<T>> {
  const hash = fingerprint(queries);
  const start = options.cursor ? await decodeCursor(options.cursor, hash, queries) : { q: 0, k: undefined };
  let index = start.q;
  let startKey = start.k;
  const items: T[] = [];
  const maxRead = options.maxRead ?? Number.POSITIVE_INFINITY;
  let read = 0;
  let made = 0;
  while (
    index < queries.length &&
    items.length < options.limit &&
    read < maxRead &&
    made < (options.maxQueries ?? Number.POSITIVE_INFINITY)
  ) {
    const query = defined(queries[index], `partition ${index}`);
    const limit = Math.min(options.limit - items.length, maxRead - read);
    made += 1;
    const result = await dynamo()
      .send(new QueryCommand(toInput(query, limit, startKey, options.descending ?? false)))
      .catch((error: Error) => {
        // A start key edited by hand is DynamoDB's ValidationException: the caller's mistake, not ours.
        if (startKey && error.name === 'ValidationException') throw notThisList();
        throw error;
      });
    read += result.ScannedCount ?? 0;
    items.push(...((result.Items ?? []) as T[]));
    if (result.LastEvaluatedKey) {
      startKey = result.LastEvaluatedKey;
    } else {
      index += 1;
      startKey = undefined;
    }
  }
  const nextCursor = index < queries.length ? await sealCursor({ q: index, k: startKey, h: hash }) : null;
  return { items, nextCursor };
}

function toInput(
  query: PartitionQuery,
  limit: number,
  startKey: Record<string, unknown> | undefined,
  descending: boolean,
): QueryCommandInput {
  const index = query.index
    ? defined(
        MAIN_TABLE.indexes.find((i) => i.name === query.index),
        `index ${query.index}`,
      )
    : MAIN_TABLE;
  const names: Record<string, string> = { '#pk': index.partitionKey, ...query.filter?.names };
  const values: Record<string, unknown> = { ':pk': query.partitionKey, ...query.filter?.values };
  let condition = '#pk = :pk';
  if (query.sortKey) {
    names['#sk'] = index.sortKey;
    if ('between' in query.sortKey) {
      condition += ' AND #sk BETWEEN :from AND :to';
      values[':from'] = query.sortKey.between[0];
      values[':to'] = query.sortKey.between[1];
    } else {
      condition += ' AND begins_with(#sk, :prefix)';
      values[':prefix'] = query.sortKey.beginsWith;
    }
  }
  return {
    TableName: tableName(MAIN_TABLE),
    IndexName: query.index,
    KeyConditionExpression: condition,
    FilterExpression: query.filter?.expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ExclusiveStartKey: startKey,
    Limit: limit,
    ScanIndexForward: !descending,
  };
}
