/**
 * A bulk load into an empty table, for the demo data set: records are built in memory by the
 * same pure functions the use cases call (item shapes from shared/store, KPI contributions
 * from shared/domain), then written with BatchWriteItem, 25 items a request. Counters are
 * summed once per cell and shard (`contributionDelta`, the function the request path uses)
 * and written as whole cells; customer activity likewise. That is what the use cases'
 * transactions would have built up one ADD at a time, in a fraction of the requests.
 *
 * Only for an empty table: a whole cell or activity item replaces what was there. The demo
 * seed claims its marker item first, so it loads once.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Contribution, type Counters, contributionDelta, sumCounters } from '../../../shared/domain/aggregates.js';
import { counterCellItem, shardOf, type TransactItem } from '../../../shared/store/aggregates.js';
import { dynamo } from '../../../shared/store/client.js';
import { customerActivityItem } from '../../../shared/store/customers.js';
import { MAIN_TABLE, tableName } from '../../../shared/store/table.js';

type Item = Record<string, unknown>;

/** DynamoDB's limit of items per BatchWriteItem request. */
const BATCH = 25;

/** The item of a transaction's Put (what a use case writes whole, e.g. a survey task). */
export function itemOfPut(write: TransactItem): Item {
  if (!write.Put?.Item) throw new Error('a bulk load takes whole items (Put), not updates');
  return write.Put.Item;
}

export class BulkLoad {
  /** By key: a later put of the same item (e.g. a throttle window moving on) replaces the earlier one. */
  private readonly items = new Map<string, Item>();
  private readonly contributions = new Map<number, Contribution[]>();
  private readonly activity = new Map<string, { deltas: Counters[]; latestNps?: { score: number; at: string } }>();

  put(...items: Item[]): void {
    for (const item of items) this.items.set(`${String(item.pk)}\u0000${String(item.sk)}`, item);
  }

  /** The KPI contributions of one source record, to the shard its id hashes to (as `writeWithCounters` does). */
  count(contributions: Contribution[], sourceId: string): void {
    const shard = shardOf(sourceId);
    const list = this.contributions.get(shard) ?? [];
    list.push(...contributions);
    this.contributions.set(shard, list);
  }

  /** Adds to a customer's activity counts (`activityDelta`); the latest valid NPS given last wins, as in time order. */
  customerActivity(customerId: string, delta: Record<string, number>, latestNps?: { score: number; at: string }): void {
    const entry = this.activity.get(customerId) ?? { deltas: [] };
    entry.deltas.push(delta);
    if (latestNps) entry.latestNps = latestNps;
    this.activity.set(customerId, entry);
  }

  /** Every item this load will write: the records, the summed counter cells, the activity items. */
  contents(): Item[] {
    const cells = [...this.contributions].flatMap(([shard, list]) =>
      contributionDelta([], list).map((cell) => counterCellItem(cell, shard)),
    );
    const activity = [...this.activity].map(([customerId, { deltas, latestNps }]) =>
      customerActivityItem(customerId, sumCounters(deltas), latestNps),
    );
    return [...this.items.values(), ...cells, ...activity];
  }

  /** Writes everything with BatchWriteItem (retrying unprocessed items); returns the number of items written. */
  async write(
    options: { concurrency?: number; progress?: (done: number, total: number) => void } = {},
  ): Promise<number> {
    const items = this.contents();
    const batches = Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) =>
      items.slice(i * BATCH, i * BATCH + BATCH),
    );
    const table = tableName(MAIN_TABLE);
    let next = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: options.concurrency ?? 4 }, async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          let requests = batch.map((Item) => ({ PutRequest: { Item } }));
          for (let attempt = 0; requests.length; attempt += 1) {
            if (attempt) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
            const result = await dynamo().send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
            requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
          }
          done += batch.length;
          options.progress?.(done, items.length);
        }
      }),
    );
    return items.length;
  }
}
