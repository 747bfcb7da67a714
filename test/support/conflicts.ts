/**
 * Fault injection for what DynamoDB Local never does: cancel a transaction with reason
 * `TransactionConflict`. Installed as a middleware on this process's DynamoDB client (the one
 * the in-process local runtime and every store use), it cancels
 *  - every TransactWriteItems that touches an item another transaction is still writing
 *    (what real DynamoDB does to concurrent transactions on one item), and
 *  - a further `share` of all other transactions, chosen by a seeded generator,
 * each write at most `maxCancellationsPerWrite` times in a row when given.
 * Both are answered before the request reaches DynamoDB Local, so nothing is written.
 * `stats.met` says which kinds of item the cancelled transactions met (`itemKind`: counter cells,
 * a customer's items, the changes feed…): where a write path is hot. With `heldFor`, an accepted
 * transaction's items stay "in flight" for that many further transactions as well, so how many
 * transactions overlap is a count, not a matter of how fast DynamoDB Local answers.
 * Used by the contention test and by `npm run bench`.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { rawDynamo } from '../../shared/store/client.js';

export interface ConflictInjection {
  /**
   * Transactions seen, and how many were cancelled (overlap with a running one, or chosen at random);
   * `met`: per item kind (`itemKind`), the overlapping cancellations that met an item of that kind.
   */
  readonly stats: { transactions: number; overlapping: number; random: number; met: Record<string, number> };
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

/**
 * The kind of a transaction item's key (`table|pk|sk`): the partition key's head, and the sort key's
 * head where it names an item of the partition (`CUSTOMER AUDIENCE`, `CUSTOMER ACTIVITY`); counter
 * cells are `AGG` (team cells) and `AGGAGENT` (agent cells), the changes feed `CHANGES`.
 */
export function itemKind(key: string): string {
  const [, pk = '', sk = ''] = key.split('|');
  const head = pk.split('#')[0] ?? '';
  const skHead = sk.split('#')[0] ?? '';
  return /^[A-Z_]+$/.test(skHead) && skHead !== head ? `${head} ${skHead}` : head;
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
  /**
   * An accepted transaction's items also count as in flight until this many further transactions
   * have been seen (cancelled ones included): a logical duration, so a test's overlap does not
   * depend on the machine's load. Default 0 (in flight while DynamoDB Local runs it, as before).
   */
  heldFor?: number;
}): ConflictInjection {
  const random = seeded(options.seed ?? 20261130);
  const inFlight = new Map<string, number>();
  const cancelledInARow = new Map<string, number>();
  const stats = { transactions: 0, overlapping: 0, random: 0, met: {} as Record<string, number> };
  /** Items held after their transaction was accepted, and the transaction count at which each is let go. */
  const held: Array<{ keys: string[]; until: number }> = [];
  const release = () => {
    for (let i = held.length - 1; i >= 0; i -= 1) {
      const entry = held[i];
      if (!entry || entry.until > stats.transactions) continue;
      for (const key of entry.keys) inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
      held.splice(i, 1);
    }
  };
  const client = rawDynamo();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
      stats.transactions += 1;
      release();
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
        else {
          stats.overlapping += 1;
          for (const kind of new Set(keys.filter((_, i) => busy[i]).map(itemKind)))
            stats.met[kind] = (stats.met[kind] ?? 0) + 1;
        }
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
        // Let go at once, or once `heldFor` more transactions have been seen.
        if (options.heldFor) held.push({ keys, until: stats.transactions + options.heldFor });
        else for (const key of keys) inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
      }
    },
    // After serialization (the document client marshals just before it), before the SDK's own retries.
    { step: 'build', name: NAME, override: true },
  );
  return {
    stats,
    remove: () => {
      client.middlewareStack.remove(NAME);
      held.length = 0;
    },
  };
}
