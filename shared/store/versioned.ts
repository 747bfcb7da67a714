/**
 * The versioned read / conditional put shape the small stores share (goals, categories, complaints,
 * surges, surveys, questionnaires): every item of a small partition read page after page, the
 * condition of a versioned put (a new record, or the version that was read), and a put that answers
 * false instead of throwing when its condition failed.
 */

import { dynamo } from './client.js';
import { PutCommand, type PutCommandInput, QueryCommand, type QueryCommandInput } from './sdk.js';
import { firstItemConditionFailed, type TransactItem, transactWrite } from './transact.js';

type Item = Record<string, unknown>;

/**
 * The items of one Query, page after page, until the query ends or `budget` items are read (then
 * `complete` is false). Meant for partitions that stay small (tens to a few thousand items).
 */
export async function queryUpTo(
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  budget: number,
): Promise<{ items: Item[]; complete: boolean }> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const left = budget - items.length;
    const page = await dynamo().send(
      new QueryCommand({
        ...input,
        ...(Number.isFinite(left) ? { Limit: Math.min(1000, left) } : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && items.length < budget);
  return { items, complete: !startKey };
}

/** Every item of one Query (a small partition), page after page. */
export async function queryAll(input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>): Promise<Item[]> {
  return (await queryUpTo(input, Number.POSITIVE_INFINITY)).items;
}

/**
 * The condition of a versioned put: no item at the key yet (`previousVersion` undefined), or the
 * stored `version` still the one that was read.
 */
export function versionCondition(previousVersion: number | undefined) {
  return previousVersion === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : {
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': previousVersion },
      };
}

/**
 * A conditional put: true when written, false when its condition failed (anything else throws).
 * With `also` (a keyed request's claim, shared/store/requests.ts), one transaction with those
 * writes: all or nothing; a claim that exists already is a RequestAlreadyApplied, not a false.
 */
export async function putIf(input: PutCommandInput, also: TransactItem[] = []): Promise<boolean> {
  if (also.length) {
    const { TableName, Item, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues } = input;
    const put = {
      TableName,
      Item,
      ...(ConditionExpression ? { ConditionExpression } : {}),
      ...(ExpressionAttributeNames ? { ExpressionAttributeNames } : {}),
      ...(ExpressionAttributeValues ? { ExpressionAttributeValues } : {}),
    };
    try {
      await transactWrite(() => [{ Put: put }, ...also], `put ${String(Item?.pk)}`);
      return true;
    } catch (error) {
      if (firstItemConditionFailed(error)) return false;
      throw error;
    }
  }
  try {
    await dynamo().send(new PutCommand(input));
    return true;
  } catch (error) {
    if (firstItemConditionFailed(error)) return false;
    throw error;
  }
}
