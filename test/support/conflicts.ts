/**
 * Fault injection for what DynamoDB Local never does: cancel a transaction with reason
 * `TransactionConflict`. Installed as a middleware on this process's DynamoDB client (the one
 * the in-process local runtime and every store use), it cancels
 *  - every TransactWriteItems that touches an item another transaction is still writing
 *    (what real DynamoDB does to concurrent transactions on one item), and
 *  - a further `share` of all other transactions, chosen by a seeded generator,
 * each write at most `maxCancellationsPerWrite` times in a row when given.
 * Both are answered before the request reaches DynamoDB Local, so nothing is written.
 * Used by the contention test and by `npm run bench`.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { rawDynamo } from '../../shared/store/client.js';

export interface ConflictInjection {
  /** Transactions seen, and how many were cancelled (overlap with a running one, or chosen at random). */
  readonly stats: { transactions: number; overlapping: number; random: number };
  remove(): void;
}

type KeyValue = AttributeValue | string;
type RawTransactItem = Record<
  string,
  { TableName?: string; Key?: Record<string, KeyValue>; Item?: Record<string, KeyValue> }
>;

const NAME = 'careloop-test-transaction-conflicts';

/** A small seeded generator (mulberry32), so a run's random cancellations repeat. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function itemKeys(items: RawTransactItem[]): string[] {
  return items.map((entry) => {
    const operation = Object.values(entry)[0] ?? {};
    const key = operation.Key ?? operation.Item ?? {};
    const text = (value: AttributeValue | string | undefined) => (typeof value === 'string' ? value : (value?.S ?? ''));
    return `${operation.TableName}|${text(key.pk)}|${text(key.sk)}`;
  });
}

export function injectTransactionConflicts(options: {
  share: number;
  seed?: number;
  /**
   * At most this many cancellations in a row for one write (a transaction's first item: the record
   * it writes), then it goes through. How many transactions overlap depends on how fast DynamoDB
   * Local answers, i.e. on the machine's load; with a cap below the store's attempts, a test's
   * "every write succeeds" holds however busy the machine is. Default: no cap (the benchmark).
   */
  maxCancellationsPerWrite?: number;
}): ConflictInjection {
  const random = seeded(options.seed ?? 20261130);
  const inFlight = new Map<string, number>();
  const cancelledInARow = new Map<string, number>();
  const stats = { transactions: 0, overlapping: 0, random: 0 };
  const client = rawDynamo();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
      stats.transactions += 1;
      const items = ((args.input as { TransactItems?: RawTransactItem[] }).TransactItems ?? []) as RawTransactItem[];
      const keys = itemKeys(items);
      const busy = keys.map((key) => (inFlight.get(key) ?? 0) > 0);
      const byChance = !busy.includes(true) && random() < options.share;
      const write = keys[0] ?? '';
      const capped =
        (cancelledInARow.get(write) ?? 0) >= (options.maxCancellationsPerWrite ?? Number.POSITIVE_INFINITY);
      if ((busy.includes(true) || byChance) && !capped) {
        cancelledInARow.set(write, (cancelledInARow.get(write) ?? 0) + 1);
        if (byChance) stats.random += 1;
        else stats.overlapping += 1;
        // Real DynamoDB names the conflicting item; a chance cancellation blames the last item (a counter cell).
        const blamed = byChance ? keys.map((_, i) => i === keys.length - 1) : busy;
        throw new TransactionCanceledException({
          message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${blamed.map((b) => (b ? 'TransactionConflict' : 'None')).join(', ')}]`,
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: blamed.map((b) =>
            b ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' },
          ),
        });
      }
      cancelledInARow.delete(write);
      for (const key of keys) inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      try {
        return await next(args);
      } finally {
        for (const key of keys) inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
      }
    },
    // After serialization (the document client marshals just before it), before the SDK's own retries.
    { step: 'build', name: NAME, override: true },
  );
  return { stats, remove: () => client.middlewareStack.remove(NAME) };
}
