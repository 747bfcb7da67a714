/**
 * Writes records together with their KPI counters, and reads the counters back.
 * A record write and its counter deltas go in one TransactWriteItems: if the record's
 * condition fails (a retry, a lost race), no counter moves. Counter items are chosen per
 * write (see keys.ts), so a record's later correction may land in another item of its
 * cell: only the sum over a cell's items means anything, and every reader sums.
 */

import { createHash, randomInt } from 'node:crypto';
import { type AggregateCell, type Contribution, type Counters, contributionDelta } from '../domain/aggregates.js';
import { datesBetween } from '../domain/time.js';
import { changesOf } from './changes.js';
import { dynamo } from './client.js';
import { AGGREGATE_SHARDS, AGGREGATE_SLOTS, aggregateKeys, EntityType } from './keys.js';
import { QueryCommand, TransactionCanceledException } from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';
import { type TransactItem, transactWrite } from './transact.js';

export type { TransactItem } from './transact.js';

/** One counter cell (day × channel × team, or × agent) and its counters summed over all its items. */
export interface CounterRow {
  cell: AggregateCell;
  counters: Counters;
}

/** The counter cells as the metrics, goals and reports read them (cost flat in the number of records). */
export interface CounterReader {
  /**
   * Every counter cell of the days `from`..`to` (inclusive, YYYY-MM-DD), optionally one channel or
   * team, each cell once: the sum of all its items over every shard and slot.
   */
  readCounters(
    from: string,
    to: string,
    filter?: { channel?: string | undefined; team?: string | undefined },
  ): Promise<CounterRow[]>;
  /** Every per-agent counter cell of the days `from`..`to`, optionally one team or one agent. */
  readAgentCounters(
    from: string,
    to: string,
    filter?: { team?: string | undefined; agent?: string | undefined },
  ): Promise<CounterRow[]>;
}

/** A stable shard for a source id (bulk loaders that want a deterministic layout). */
export function shardOf(sourceId: string): number {
  return createHash('sha1').update(sourceId).digest().readUInt8(0) % AGGREGATE_SHARDS;
}

/** Where one counter write lands: a shard partition and a slot item inside it. */
export interface CounterItem {
  shard: number;
  slot: number;
}

/**
 * A fresh random counter item for one write attempt. A first attempt uses slot 0 of a random
 * shard (4 items per cell, as cheap to read as ever); each retry after a conflict spreads 8×
 * wider (32, 256, then 1,024 items), up to AGGREGATE_SLOTS per shard. So only a cell that is
 * actually contended grows more items, and the readers' cost stays flat for every other cell.
 */
export function pickCounterItem(attempt = 1): CounterItem {
  const slots = Math.min(AGGREGATE_SLOTS, 8 ** (attempt - 1));
  return { shard: randomInt(AGGREGATE_SHARDS), slot: randomInt(slots) };
}

/**
 * The counter item a write's attempt uses. A first attempt of a write that counts for an agent
 * goes to slot 0 of that agent's own shard (`shardOf(agent)`), so each day × team × agent cell is
 * one item however many contacts fill it, and `/metrics/agents` reads about days × teams × agents
 * items from the first records on (with a random shard, each cell filled up to 4 items as records
 * grew: 1.7× more items read at 10× the records). Agents still spread their writes over the shard
 * partitions; a write for no agent, and every retry, picks as `pickCounterItem` does.
 */
export function counterItemFor(agent: string | undefined, attempt = 1): CounterItem {
  return agent && attempt === 1 ? { shard: shardOf(agent), slot: 0 } : pickCounterItem(attempt);
}

/** One attempt of a write: its number (1 for the first) and the counter item it picked for every cell. */
export interface WriteAttempt {
  attempt: number;
  at: CounterItem;
}

/**
 * A transaction item built afresh for each attempt: an item many concurrent writes share (a
 * customer's audience marker) spread after a conflict as the counter cells are (audience.ts).
 */
export type PerAttempt = (attempt: WriteAttempt) => TransactItem;

/**
 * One Update that ADDs a contribution's counters to an item of its cell (creating it on first use).
 * `at` is a counter item, or a source id for a stable one; by default a random item.
 */
export function counterUpdate(contribution: Contribution, at: CounterItem | string = pickCounterItem()): TransactItem {
  const item =
    typeof at === 'string'
      ? { shard: shardOf(at), slot: createHash('sha1').update(at).digest().readUInt8(1) % AGGREGATE_SLOTS }
      : at;
  const names: Record<string, string> = { '#type': 'type', '#day': 'day', '#channel': 'channel', '#team': 'team' };
  const values: Record<string, unknown> = {
    ':type': EntityType.aggregate,
    ':day': contribution.cell.day,
    ':channel': contribution.cell.channel,
    ':team': contribution.cell.team,
  };
  if (contribution.cell.agent) {
    names['#agent'] = 'agent';
    values[':agent'] = contribution.cell.agent;
  }
  const adds = Object.entries(contribution.counters).map(([name, value], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = value;
    return `#c${i} :c${i}`;
  });
  return {
    Update: {
      TableName: tableName(MAIN_TABLE),
      Key: contribution.cell.agent
        ? aggregateKeys.agentCell({ ...contribution.cell, agent: contribution.cell.agent }, item.shard, item.slot)
        : aggregateKeys.cell(contribution.cell, item.shard, item.slot),
      UpdateExpression: `SET #type = :type, #day = :day, #channel = :channel, #team = :team${
        contribution.cell.agent ? ', #agent = :agent' : ''
      } ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Writes `records` (puts/updates with their own conditions) and the counter `deltas` atomically.
 * When a record's condition fails, `onConditionFailed` says what to throw (Conflict, Gone…).
 * A cancellation by a concurrent transaction is retried (transact.ts), each attempt with
 * freshly chosen counter items; a record given as a `PerAttempt` is built for each attempt with
 * them. `sourceId` names the record in the error when retries run out.
 */
export async function writeWithCounters(
  records: ReadonlyArray<TransactItem | PerAttempt>,
  deltas: Contribution[],
  sourceId: string,
  onConditionFailed: (index: number) => Error,
): Promise<void> {
  try {
    // One delta per cell, so the items of one transaction never name the same item twice.
    const perCell = contributionDelta([], deltas);
    const agent = perCell.find((delta) => delta.cell.agent)?.cell.agent;
    await transactWrite((attempt) => {
      // ONE shard × slot for every cell the write touches (its team cell and its agent's cell):
      // two writes then meet on the agent item only when they meet on the team item as well, so
      // a single very busy agent adds no conflicts of its own. With an independent pick per cell
      // each attempt had to find two free items, and 64 writers on one agent ran out of attempts.
      const at = counterItemFor(agent, attempt);
      const items = records.map((record) => (typeof record === 'function' ? record({ attempt, at }) : record));
      // The changes feed's items for the records put here, timed at this attempt (GET /changes).
      return [...items, ...changesOf(items), ...perCell.map((delta) => counterUpdate(delta, at))];
    }, sourceId);
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const failed = (error.CancellationReasons ?? []).findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      if (failed >= 0) throw onConditionFailed(failed);
    }
    throw error;
  }
}

/**
 * The counter cells from DynamoDB: each read covers months × AGGREGATE_SHARDS partitions (every
 * slot item of a cell is in its shard's partition) and sums a cell's items, however many records
 * there are. Cells come in one stable order (day, channel, team, agent).
 */
export const dynamoCounterReader: CounterReader = {
  readCounters: (from, to, filter = {}) =>
    readCells(from, to, filter, aggregateKeys.monthPartition, aggregateKeys.parseCell),
  readAgentCounters: (from, to, filter = {}) =>
    readCells(from, to, filter, aggregateKeys.agentMonthPartition, aggregateKeys.parseAgentCell),
};

const CELL_ATTRIBUTES = new Set(['pk', 'sk', 'type', 'day', 'channel', 'team', 'agent']);

/**
 * Every item of the day-keyed counter partitions (`partition(month, shard)`, sort keys `<day>#…`) for
 * the days `from`..`to`: months × AGGREGATE_SHARDS paginated Queries, in parallel. The one read loop
 * of the pre-aggregated counters (KPI cells and messaging cells alike).
 */
export async function forEachCounterItem(
  from: string,
  to: string,
  partition: (month: string, shard: number) => string,
  dayRange: (from: string, to: string) => [string, string],
  onItem: (item: Record<string, unknown>) => void,
): Promise<void> {
  const months = [...new Set(datesBetween(from, to).map((d) => d.slice(0, 7)))];
  await Promise.all(
    months.flatMap((month) =>
      Array.from({ length: AGGREGATE_SHARDS }, async (_, shard) => {
        const [lower, upper] = dayRange(from < `${month}-01` ? `${month}-01` : from, to);
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await dynamo().send(
            new QueryCommand({
              TableName: tableName(MAIN_TABLE),
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lower AND :upper',
              ExpressionAttributeValues: { ':pk': partition(month, shard), ':lower': lower, ':upper': upper },
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) onItem(item);
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }),
    ),
  );
}

async function readCells(
  from: string,
  to: string,
  filter: { channel?: string | undefined; team?: string | undefined; agent?: string | undefined },
  partition: (month: string, shard: number) => string,
  parse: (sk: string) => AggregateCell,
): Promise<CounterRow[]> {
  const cells = new Map<string, CounterRow>();
  await forEachCounterItem(from, to, partition, aggregateKeys.dayRange, (item) => {
    const cell = parse(String(item.sk));
    if (filter.channel && cell.channel !== filter.channel) return;
    if (filter.team && cell.team !== filter.team) return;
    if (filter.agent && cell.agent !== filter.agent) return;
    const cellKey = `${cell.day}#${cell.channel}#${cell.team}#${cell.agent ?? ''}`;
    const row = cells.get(cellKey) ?? { cell, counters: {} };
    for (const [name, value] of Object.entries(item))
      if (!CELL_ATTRIBUTES.has(name) && typeof value === 'number')
        row.counters[name] = (row.counters[name] ?? 0) + value;
    cells.set(cellKey, row);
  });
  // Shards answer in any order; callers get the cells in one stable order.
  return [...cells.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, row]) => row);
}

/**
 * A whole counter cell as one item, for a bulk load into an empty table (the demo data set):
 * the same item the ADDs of `counterUpdate` build up in slot 0 of a shard, written at once.
 */
export function counterCellItem(contribution: Contribution, shard: number): Record<string, unknown> {
  const cell = contribution.cell;
  return {
    ...(cell.agent
      ? aggregateKeys.agentCell({ ...cell, agent: cell.agent }, shard, 0)
      : aggregateKeys.cell(cell, shard, 0)),
    type: EntityType.aggregate,
    day: cell.day,
    channel: cell.channel,
    team: cell.team,
    ...(cell.agent ? { agent: cell.agent } : {}),
    ...contribution.counters,
  };
}
