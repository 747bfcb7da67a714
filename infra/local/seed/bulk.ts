/**
 * A bulk load into an empty table, for the demo data set: records are built in memory by the
 * same pure functions the use cases call (item shapes from shared/store, KPI contributions
 * from shared/domain), then written with BatchWriteItem, 25 items a request. Counters are
 * summed once per cell (`contributionDelta`, the function the request path uses) and written
 * as one item per cell; customer activity likewise. That is what the use cases'
 * transactions would have built up one ADD at a time, in a fraction of the requests.
 *
 * Only for an empty table: a whole cell or activity item replaces what was there. The demo
 * seed claims its marker item first, so it loads once.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Contribution, type Counters, contributionDelta, sumCounters } from '../../../shared/domain/aggregates.js';
import { counterCellItem, shardOf, type TransactItem } from '../../../shared/store/aggregates.js';
import { type AudienceMark, audienceMarkerItems } from '../../../shared/store/audience.js';
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
  private readonly contributions: Contribution[] = [];
  private readonly marks: AudienceMark[] = [];
  private readonly activity = new Map<string, { deltas: Counters[]; latestNps?: { score: number; at: string } }>();

  put(...items: Item[]): void {
    for (const item of items) this.items.set(`${String(item.pk)}\u0000${String(item.sk)}`, item);
  }

  /**
   * The KPI contributions of one source record. They are summed per cell, and each cell is written
   * as one item on a shard its key hashes to: reads sum every shard and slot of a cell (the request
   * path spreads its writes at random), so one item per cell is the same figure in the fewest items.
   */
  count(contributions: Contribution[]): void {
    this.contributions.push(...contributions);
  }

  /** A campaign's audience marker (the customer was active / complained on a local day), merged per customer and month. */
  audience(mark: AudienceMark): void {
    this.marks.push(mark);
  }

  /** Adds to a customer's activity counts (`activityDelta`); the latest valid NPS given last wins, as in time order. */
  customerActivity(customerId: string, delta: Record<string, number>, latestNps?: { score: number; at: string }): void {
    const entry = this.activity.get(customerId) ?? { deltas: [] };
    entry.deltas.push(delta);
    if (latestNps) entry.latestNps = latestNps;
    this.activity.set(customerId, entry);
  }

  /**
   * Every item this load will write: first the figures (the summed counter cells, the activity
   * items), which is all `GET /metrics` and a customer's counts read, then the records.
   */
  contents(): Item[] {
    const { figures, records } = this.parts();
    return [...figures, ...records];
  }

  private parts(): { figures: Item[]; records: Item[] } {
    const cells = contributionDelta([], this.contributions).map((cell) =>
      counterCellItem(cell, shardOf(JSON.stringify(cell.cell))),
    );
    const activity = [...this.activity].map(([customerId, { deltas, latestNps }]) =>
      customerActivityItem(customerId, sumCounters(deltas), latestNps),
    );
    return {
      figures: [...cells, ...activity],
      records: [...this.items.values(), ...audienceMarkerItems(this.marks)],
    };
  }

  /**
   * Writes everything with BatchWriteItem (retrying unprocessed items); returns the number of items
   * written. The figures go first: `figuresWritten` is called once they are all stored, while the
   * records are still being written.
   */
  async write(
    options: {
      concurrency?: number;
      progress?: (done: number, total: number) => void;
      figuresWritten?: (() => void) | undefined;
    } = {},
  ): Promise<number> {
    const { figures, records } = this.parts();
    const total = figures.length + records.length;
    await this.writeItems(figures, options.concurrency, (done) => options.progress?.(done, total));
    options.figuresWritten?.();
    await this.writeItems(records, options.concurrency, (done) => options.progress?.(figures.length + done, total));
    return total;
  }

  /** BatchWriteItem, 25 items a request, `concurrency` requests at once (more does not help DynamoDB Local). */
  private async writeItems(items: Item[], concurrency = 4, progress: (done: number) => void): Promise<void> {
    const batches = Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) =>
      items.slice(i * BATCH, i * BATCH + BATCH),
    );
    const table = tableName(MAIN_TABLE);
    // One iterator shared by the workers: each takes the next batch.
    const queue = batches.values();
    let done = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (const batch of queue) {
          let requests = batch.map((Item) => ({ PutRequest: { Item } }));
          for (let attempt = 0; requests.length; attempt += 1) {
            if (attempt) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
            const result = await dynamo().send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
            requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
          }
          done += batch.length;
          progress(done);
        }
      }),
    );
  }
}
