/**
 * TransactWriteItems with the one retry real DynamoDB needs: a transaction that meets another
 * one on the same item is cancelled with reason `TransactionConflict` (DynamoDB Local never
 * does this). A cancelled transaction wrote nothing, so running it again is safe; it is retried
 * with full jitter, a bounded number of times. `build` is called for every attempt, so a write
 * can choose its counter shards afresh instead of meeting the same hot item again.
 * A cancellation for any other reason (a failed condition) is not retried: the caller decides; one
 * on a client request's claim is a RequestAlreadyApplied (answered from the claim by the HTTP layer).
 */

import { Unavailable } from '../domain/errors.js';
import { dynamo } from './client.js';
import { claimConflict } from './requests.js';
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from './sdk.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Attempts in all (the first one included). At a 25 % conflict rate all 12 fail for 1 write in 17
 * million; on a hot counter cell the first three attempts mostly meet another writer, and the nine
 * after them (on a cell spread 1,024 items wide) still fail together for fewer than 1 in 10,000
 * writes at a 30 % rate, so 64 writers on one agent's cell get no 503 even under load.
 */
export const TRANSACTION_ATTEMPTS = 12;
const BASE_DELAY_MS = 10;
const MAX_DELAY_MS = 1000;

/** Process-wide tallies (read by the benchmark: retries per request). */
export const transactionStats = { transactions: 0, retries: 0, exhausted: 0 };

/** True when DynamoDB cancelled the transaction only because of a concurrent one (nothing else failed). */
export function isTransactionConflict(error: unknown): error is TransactionCanceledException {
  if (!(error instanceof TransactionCanceledException)) return false;
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  return codes.includes('TransactionConflict') && codes.every((c) => c === 'None' || c === 'TransactionConflict');
}

/**
 * True when a write failed on its first item's condition: a single write's ConditionalCheckFailed,
 * or a transaction cancelled with that reason on item 0 (the record a store writes first, whatever
 * items travel with it). Stores answer it as a lost race or "already there", never a 500.
 */
export function firstItemConditionFailed(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed')
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the transaction `build(attempt)` describes, retrying conflicts. When every attempt met a
 * conflict, the caller gets a 503 (retry later), never a 500 and never a half-written record.
 */
export async function transactWrite(build: (attempt: number) => TransactItem[], what = 'write'): Promise<void> {
  transactionStats.transactions += 1;
  for (let attempt = 1; ; attempt += 1) {
    const items = build(attempt);
    try {
      await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      // A request's claim that exists already: this request was applied before (shared/store/requests.ts).
      const applied = claimConflict(error, items);
      if (applied) throw applied;
      if (!isTransactionConflict(error)) throw error;
      if (attempt >= TRANSACTION_ATTEMPTS) {
        transactionStats.exhausted += 1;
        throw new Unavailable(`Too many concurrent changes to the same data (${what}); retry shortly.`, 1);
      }
      transactionStats.retries += 1;
      // Full jitter: a random wait up to an exponentially growing cap, so colliding writers spread out.
      await sleep(Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
    }
  }
}
