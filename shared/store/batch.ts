/** Reads many items by key at once: what a list screen needs beside each row (names, tiers). */

import { dynamo } from './client.js';
import type { Key } from './keys.js';
import { BatchGetCommand } from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';

/** BatchGetItem's limit of keys per call. */
export const BATCH_GET_LIMIT = 100;
const MAX_ATTEMPTS = 6;

/**
 * The items at `keys` in the main table (missing ones are simply absent), in BatchGetItem
 * calls of up to 100 keys; unprocessed keys (throttling) are asked for again with a short backoff.
 */
export async function batchGetItems(keys: readonly Key[]): Promise<Record<string, unknown>[]> {
  const table = tableName(MAIN_TABLE);
  const seen = new Set<string>();
  const unique = keys.filter((key) => {
    const id = `${key.pk}\u0000${key.sk}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
    let pending: Record<string, unknown>[] = unique.slice(start, start + BATCH_GET_LIMIT);
    for (let attempt = 0; pending.length; attempt += 1) {
      if (attempt === MAX_ATTEMPTS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      const result = await dynamo().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
      items.push(...((result.Responses?.[table] ?? []) as Record<string, unknown>[]));
      pending = (result.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return items;
}
