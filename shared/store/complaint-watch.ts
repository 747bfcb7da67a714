/**
 * Who complained about which category, per month, so a verified improvement on that
 * category can tell them it is fixed (s002 向客户反馈改进结果) with a Query, not a Scan.
 */

import { previousMonth } from '../domain/time.js';
import type { TransactItem } from './aggregates.js';
import { dynamo } from './client.js';
import { complaintWatchKeys, EntityType } from './keys.js';
import { queryPartitions } from './paging.js';
import { DeleteCommand, QueryCommand } from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';

/** Who complained about which category, read for the "it is fixed" notice and erased with the customer. */
export interface ComplaintWatchStore {
  /** Customers who complained about `category` in the `months` months up to `until` (distinct). */
  complaintWatchers(category: string, until: string, months: number): Promise<string[]>;
  /** Erasure: the customer's watch items go (found through the customer index, never a Scan); idempotent. */
  eraseCustomerWatches(customerId: string): Promise<number>;
}

/** The Put, for the complaint's registration transaction (idempotent: the same customer twice is one item). */
export function complaintWatchItem(category: string, customerId: string, registeredAt: string): TransactItem {
  return {
    Put: {
      TableName: tableName(MAIN_TABLE),
      Item: {
        ...complaintWatchKeys.watcher(category, registeredAt.slice(0, 7), customerId),
        ...complaintWatchKeys.byCustomer(customerId, category, registeredAt.slice(0, 7)),
        type: EntityType.complaintWatch,
        category,
        lastComplaintAt: registeredAt,
      },
    },
  };
}

/** Customers who complained about `category` in the `months` months up to `until` (distinct). */
async function complaintWatchers(category: string, until: string, months: number): Promise<string[]> {
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

/**
 * Erasure: the customer's watch items (keyed by the customer) go, found through the customer
 * index, never a Scan. Idempotent.
 */
async function eraseCustomerWatches(customerId: string): Promise<number> {
  let erased = 0;
  let cursor: string | undefined;
  do {
    const page = await queryPartitions<Record<string, unknown>>(
      [
        {
          index: 'gsi1',
          partitionKey: complaintWatchKeys.byCustomer(customerId, '', '').gsi1pk,
          sortKey: { beginsWith: complaintWatchKeys.customerSortPrefix },
        },
      ],
      { limit: 100, cursor },
    );
    for (const item of page.items) {
      await dynamo().send(
        new DeleteCommand({ TableName: tableName(MAIN_TABLE), Key: { pk: String(item.pk), sk: String(item.sk) } }),
      );
      erased += 1;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return erased;
}

export const dynamoComplaintWatchStore: ComplaintWatchStore = { complaintWatchers, eraseCustomerWatches };
