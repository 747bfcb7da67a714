import { createHash } from 'node:crypto';
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { Invalid } from '../domain/errors.js';
import { dynamo } from './client.js';
import { type IndexName, MAIN_TABLE, tableName } from './table.js';

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

type Cursor = { q: number; k?: Record<string, unknown>; h: string };

/** Ties a cursor to the query that issued it, so a cursor from another list is refused (400), not obeyed. */
function fingerprint(queries: PartitionQuery[]): string {
  const identity = queries.map(
    (q) => `${q.index ?? ''}|${q.partitionKey}|${JSON.stringify(q.sortKey ?? '')}|${q.filter?.expression ?? ''}`,
  );
  return createHash('sha256').update(identity.join('\n')).digest('base64url').slice(0, 12);
}

function decodeCursor(cursor: string, expected: string, partitions: number): Cursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (value.h === expected && Number.isInteger(value.q) && value.q >= 0 && value.q < partitions) return value;
  } catch {
    // fall through to the 400 below
  }
  throw Invalid.field('cursor', 'is not a cursor issued for this list', 'invalid_format');
}

/**
 * Reads `limit` items across an ordered list of partitions (e.g. one per day), newest
 * first when `descending`, and returns an opaque cursor to continue exactly where it stopped.
 * Every item is returned exactly once across pages.
 */
export async function queryPartitions<T>(
  queries: PartitionQuery[],
  options: { limit: number; cursor?: string | undefined; descending?: boolean },
): Promise<Page<T>> {
  const hash = fingerprint(queries);
  const start = options.cursor ? decodeCursor(options.cursor, hash, queries.length) : { q: 0, k: undefined };
  let index = start.q;
  let startKey = start.k;
  const items: T[] = [];
  while (index < queries.length && items.length < options.limit) {
    const query = queries[index]!;
    const result = await dynamo()
      .send(new QueryCommand(toInput(query, options.limit - items.length, startKey, options.descending ?? false)))
      .catch((error: Error) => {
        // A start key edited by hand is DynamoDB's ValidationException: the caller's mistake, not ours.
        if (startKey && error.name === 'ValidationException')
          throw Invalid.field('cursor', 'is not a cursor issued for this list', 'invalid_format');
        throw error;
      });
    items.push(...((result.Items ?? []) as T[]));
    if (result.LastEvaluatedKey) {
      startKey = result.LastEvaluatedKey;
    } else {
      index += 1;
      startKey = undefined;
    }
  }
  const nextCursor =
    index < queries.length
      ? Buffer.from(JSON.stringify({ q: index, k: startKey, h: hash } satisfies Cursor)).toString('base64url')
      : null;
  return { items, nextCursor };
}

function toInput(
  query: PartitionQuery,
  limit: number,
  startKey: Record<string, unknown> | undefined,
  descending: boolean,
): QueryCommandInput {
  const index = query.index ? MAIN_TABLE.indexes.find((i) => i.name === query.index)! : MAIN_TABLE;
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
