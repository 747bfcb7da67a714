/**
 * Writes records together with their KPI counters, and reads the counters back.
 * A record write and its counter deltas go in one TransactWriteItems: if the record's
 * condition fails (a retry, a lost race), no counter moves.
 */

import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AggregateCell, Contribution, Counters } from '../domain/aggregates.js';
import { datesBetween } from '../domain/time.js';
import { dynamo } from './client.js';
import { AGGREGATE_SHARDS, aggregateKeys, EntityType } from './keys.js';
import { MAIN_TABLE, tableName } from './table.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The shard a source record's counters go to: stable, so its later corrections land beside it. */
export function shardOf(sourceId: string): number {
  return createHash('sha1').update(sourceId).digest()[0]! % AGGREGATE_SHARDS;
}

const cellAttributes = (cell: AggregateCell) => ({
  type: EntityType.aggregate,
  day: cell.day,
  channel: cell.channel,
  team: cell.team,
});

/**
 * A whole counter cell as one item, for a bulk load into an empty table (the demo data set):
 * the same item the ADDs of `counterUpdate` build up, written at once.
 */
export function counterCellItem(contribution: Contribution, shard: number): Record<string, unknown> {
  return {
    ...aggregateKeys.cell(contribution.cell, shard),
    ...cellAttributes(contribution.cell),
    ...contribution.counters,
  };
}

/** One Update that ADDs a contribution's counters to its cell (creating the cell on first use). */
export function counterUpdate(contribution: Contribution, sourceId: string): TransactItem {
  const names: Record<string, string> = { '#type': 'type', '#day': 'day', '#channel': 'channel', '#team': 'team' };
  const attributes = cellAttributes(contribution.cell);
  const values: Record<string, unknown> = {
    ':type': attributes.type,
    ':day': attributes.day,
    ':channel': attributes.channel,
    ':team': attributes.team,
  };
  const adds = Object.entries(contribution.counters).map(([name, value], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = value;
    return `#c${i} :c${i}`;
  });
  return {
    Update: {
      TableName: tableName(MAIN_TABLE),
      Key: aggregateKeys.cell(contribution.cell, shardOf(sourceId)),
      UpdateExpression: `SET #type = :type, #day = :day, #channel = :channel, #team = :team ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Writes `records` (puts/updates with their own conditions) and the counter `deltas` atomically.
 * When a record's condition fails, `onConditionFailed` says what to throw (Conflict, Gone…).
 */
export async function writeWithCounters(
  records: TransactItem[],
  deltas: Contribution[],
  sourceId: string,
  onConditionFailed: (index: number) => Error,
): Promise<void> {
  const items = [...records, ...deltas.map((delta) => counterUpdate(delta, sourceId))];
  try {
    await dynamo().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const failed = (error.CancellationReasons ?? []).findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      if (failed >= 0) throw onConditionFailed(failed);
    }
    throw error;
  }
}

export interface CounterRow {
  cell: AggregateCell;
  counters: Counters;
}

const CELL_ATTRIBUTES = new Set(['pk', 'sk', 'type', 'day', 'channel', 'team']);

/**
 * Every counter cell of the days `from`..`to` (inclusive, YYYY-MM-DD), optionally only one
 * channel or team. Reads months × AGGREGATE_SHARDS partitions, however many records there are.
 */
export async function readCounters(
  from: string,
  to: string,
  filter: { channel?: string | undefined; team?: string | undefined } = {},
): Promise<CounterRow[]> {
  const months = [...new Set(datesBetween(from, to).map((d) => d.slice(0, 7)))];
  const rows: CounterRow[] = [];
  await Promise.all(
    months.flatMap((month) =>
      Array.from({ length: AGGREGATE_SHARDS }, async (_, shard) => {
        const [lower, upper] = aggregateKeys.dayRange(from < `${month}-01` ? `${month}-01` : from, to);
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await dynamo().send(
            new QueryCommand({
              TableName: tableName(MAIN_TABLE),
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lower AND :upper',
              ExpressionAttributeValues: {
                ':pk': aggregateKeys.monthPartition(month, shard),
                ':lower': lower,
                ':upper': upper,
              },
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) {
            const cell = aggregateKeys.parseCell(String(item.sk));
            if (filter.channel && cell.channel !== filter.channel) continue;
            if (filter.team && cell.team !== filter.team) continue;
            const counters: Counters = {};
            for (const [name, value] of Object.entries(item))
              if (!CELL_ATTRIBUTES.has(name) && typeof value === 'number') counters[name] = value;
            rows.push({ cell, counters });
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }),
    ),
  );
  // Shards answer in any order; callers get the cells in one stable order.
  const key = (row: CounterRow) => `${row.cell.day}#${row.cell.channel}#${row.cell.team}`;
  return rows.sort((a, b) => key(a).localeCompare(key(b)));
}
