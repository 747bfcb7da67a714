/** Goals as stored: one small partition (a manager's handful), each goal at a version (optimistic locking). */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { GoalRecord } from '../domain/goals.js';
import { dynamo } from './client.js';
import { EntityType, goalKeys } from './keys.js';
import { MAIN_TABLE, tableName, withoutKeys } from './table.js';

export interface GoalStore {
  get(id: string): Promise<GoalRecord | undefined>;
  /** Every goal (one Query of the goals' partition), oldest first. */
  list(): Promise<GoalRecord[]>;
  /** Stores a new goal (false when the id exists) or the next version of one read at `previousVersion` (false when it moved on). */
  put(goal: GoalRecord, previousVersion?: number): Promise<boolean>;
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
    const goals: GoalRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo().send(
        new QueryCommand({
          TableName: TABLE(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': goalKeys.partition },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) goals.push(fromItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return goals.sort((a, b) => a.id.localeCompare(b.id));
  },

  async put(goal, previousVersion) {
    try {
      await dynamo().send(
        new PutCommand({
          TableName: TABLE(),
          Item: { ...goalKeys.item(goal.id), type: EntityType.goal, ...goal },
          ...(previousVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': previousVersion },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },
};
