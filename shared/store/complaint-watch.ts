/**
 * Who complained about which category, per month, so a verified improvement on that
 * category can tell them it is fixed (s002 向客户反馈改进结果) with a Query, not a Scan.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { previousMonth } from '../domain/time.js';
import type { TransactItem } from './aggregates.js';
import { dynamo } from './client.js';
import { complaintWatchKeys, EntityType } from './keys.js';
import { MAIN_TABLE, tableName } from './table.js';

/** The Put, for the complaint's registration transaction (idempotent: the same customer twice is one item). */
export function complaintWatchItem(category: string, customerId: string, registeredAt: string): TransactItem {
  return {
    Put: {
      TableName: tableName(MAIN_TABLE),
      Item: {
        ...complaintWatchKeys.watcher(category, registeredAt.slice(0, 7), customerId),
        type: EntityType.complaintWatch,
        category,
        lastComplaintAt: registeredAt,
      },
    },
  };
}

/** Customers who complained about `category` in the `months` months up to `until` (distinct). */
export async function complaintWatchers(category: string, until: string, months: number): Promise<string[]> {
  const customers = new Set<string>();
  let month = until.slice(0, 7);
  for (let i = 0; i < months; i += 1, month = previousMonth(month)) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo().send(
        new QueryCommand({
          TableName: tableName(MAIN_TABLE),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': complaintWatchKeys.partition(category, month) },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) customers.add(complaintWatchKeys.customerOf(String(item.sk)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return [...customers];
}
