/** Goals as stored: one small partition (a manager's handful), each goal at a version (optimistic locking). */

import type { GoalRecord } from '../domain/goals.js';
import { dynamo } from './client.js';
import { EntityType, goalKeys } from './keys.js';
import { GetCommand } from './sdk.js';
import { MAIN_TABLE, tableName, withoutKeys } from './table.js';
import type { TransactItem } from './transact.js';
import { putIf, queryAll, versionCondition } from './versioned.js';

export interface GoalStore {
  get(id: string): Promise<GoalRecord | undefined>;
  /** Every goal (one Query of the goals' partition), oldest first. */
  list(): Promise<GoalRecord[]>;
  /**
   * Stores a new goal (false when the id exists) or the next version of one read at `previousVersion`
   * (false when it moved on). With `also` (a keyed request's claim), in one transaction with those writes.
   */
  put(goal: GoalRecord, previousVersion?: number, also?: TransactItem[]): Promise<boolean>;
}

const TABLE = () => tableName(MAIN_TABLE);
const fromItem = (item: Record<string, unknown>) => {
  const { type: _, ...goal } = withoutKeys<Record<string, unknown>>(item);
  return goal as unknown as GoalRecord;
};

export const dynamoGoalStore: GoalStore = {
  async get(id) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: TABLE(), Key: goalKeys.item(id), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  },

  async list() {
    const items = await queryAll({
      TableName: TABLE(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': goalKeys.partition },
    });
    return items.map(fromItem).sort((a, b) => a.id.localeCompare(b.id));
  },

  put(goal, previousVersion, also = []) {
    return putIf(
      {
        TableName: TABLE(),
        Item: { ...goalKeys.item(goal.id), type: EntityType.goal, ...goal },
        ...versionCondition(previousVersion),
      },
      also,
    );
  },
};
