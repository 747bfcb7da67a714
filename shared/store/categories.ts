/**
 * The managed category list (shared/domain/categories.ts) as stored: one small partition holding
 * the categories an admin added or edited; a built-in nobody edited is answered from the code at
 * version 1 (so its first edit, with `If-Match: "1"`, stores version 2).
 */

import { BUILT_IN_CATEGORIES, BUILT_IN_CODES, type CategoryName } from '../domain/categories.js';
import { Invalid, PreconditionFailed } from '../domain/errors.js';
import { dynamo } from './client.js';
import { categoryKeys, EntityType } from './keys.js';
import { ConditionalCheckFailedException, GetCommand, TransactionCanceledException } from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';
import { type TransactItem, transactWrite } from './transact.js';
import { queryAll, versionCondition } from './versioned.js';

export interface CategoryRecord {
  code: string;
  name: CategoryName;
  parent: string | null;
  active: boolean;
  builtIn: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
  version: number;
  /** False for a built-in answered from the code (never written). */
  stored: boolean;
}

export interface CategoryStore {
  /** One category (one strongly consistent GetItem), or undefined when the code is not in the list. */
  get(code: string): Promise<CategoryRecord | undefined>;
  /** The whole list (one Query of the list's partition), by code, and the list's version (every write moves it on). */
  list(): Promise<CategoryRecord[]>;
  listVersioned(): Promise<{ items: CategoryRecord[]; listVersion: number }>;
  /**
   * Writes one category at the version read (`current`; undefined for a new code) and moves the
   * list's version on from `listVersion`, in one transaction: edits of the list are serialised, so
   * two concurrent edits (A under B, B under A) cannot make a cycle and a child cannot be added
   * under a parent being deactivated. 412 when the category or the list moved on.
   */
  put(
    next: Omit<CategoryRecord, 'version' | 'stored' | 'builtIn'>,
    current: CategoryRecord | undefined,
    listVersion: number,
  ): Promise<CategoryRecord>;
}

const TABLE = () => tableName(MAIN_TABLE);

/** A built-in category as the code declares it, at version 1 (never written). */
const fromBuiltIn = (found: (typeof BUILT_IN_CATEGORIES)[number]): CategoryRecord => ({
  code: found.code,
  name: found.name,
  parent: found.parent ?? null,
  active: found.active,
  builtIn: true,
  updatedAt: null,
  updatedBy: null,
  version: 1,
  stored: false,
});

const builtIn = (code: string): CategoryRecord | undefined => {
  const found = BUILT_IN_CATEGORIES.find((c) => c.code === code);
  return found ? fromBuiltIn(found) : undefined;
};

const fromItem = (item: Record<string, unknown>): CategoryRecord => ({
  code: String(item.code),
  name: item.name as CategoryName,
  parent: typeof item.parent === 'string' ? item.parent : null,
  active: item.active === true,
  builtIn: BUILT_IN_CODES.has(String(item.code)),
  updatedAt: String(item.updatedAt),
  updatedBy: String(item.updatedBy),
  version: Number(item.version),
  stored: true,
});

async function listVersioned(): Promise<{ items: CategoryRecord[]; listVersion: number }> {
  const stored: CategoryRecord[] = [];
  let listVersion = 0;
  const items = await queryAll({
    TableName: TABLE(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': categoryKeys.partition },
    ConsistentRead: true,
  });
  for (const item of items) {
    if (item.sk === categoryKeys.head().sk) listVersion = Number(item.listVersion ?? 0);
    else stored.push(fromItem(item));
  }
  const byCode = new Map(stored.map((c) => [c.code, c]));
  for (const c of BUILT_IN_CATEGORIES) if (!byCode.has(c.code)) byCode.set(c.code, fromBuiltIn(c));
  return { items: [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : 1)), listVersion };
}

export const dynamoCategoryStore: CategoryStore = {
  async get(code) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: TABLE(), Key: categoryKeys.item(code), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : builtIn(code);
  },

  list: async () => (await listVersioned()).items,
  listVersioned,

  async put(next, current, listVersion) {
    const version = (current?.version ?? 0) + 1;
    const record: CategoryRecord = { ...next, builtIn: BUILT_IN_CODES.has(next.code), version, stored: true };
    const items: TransactItem[] = [
      {
        Put: {
          TableName: TABLE(),
          Item: {
            ...categoryKeys.item(next.code),
            type: EntityType.category,
            code: next.code,
            name: next.name,
            ...(next.parent ? { parent: next.parent } : {}),
            active: next.active,
            updatedAt: next.updatedAt,
            updatedBy: next.updatedBy,
            version,
          },
          ...versionCondition(current?.stored ? current.version : undefined),
        },
      },
      {
        Update: {
          TableName: TABLE(),
          Key: categoryKeys.head(),
          UpdateExpression: 'SET #listVersion = :next, #type = :type',
          ConditionExpression: listVersion === 0 ? 'attribute_not_exists(pk)' : '#listVersion = :read',
          ExpressionAttributeNames: { '#listVersion': 'listVersion', '#type': 'type' },
          ExpressionAttributeValues: {
            ':next': listVersion + 1,
            ':type': EntityType.category,
            ...(listVersion === 0 ? {} : { ':read': listVersion }),
          },
        },
      },
    ];
    try {
      await transactWrite(() => items, `category ${next.code}`);
    } catch (error) {
      if (error instanceof TransactionCanceledException || error instanceof ConditionalCheckFailedException)
        throw new PreconditionFailed(
          `Category ${next.code} or the list was changed by someone else meanwhile; read it again and retry.`,
        );
      throw error;
    }
    return record;
  },
};

/**
 * A complaint or improvement names an active code of the list: one strongly consistent read.
 * `path` names the field in the 400.
 */
export async function assertActiveCategory(
  code: string,
  path: string,
  store: Pick<CategoryStore, 'get'> = dynamoCategoryStore,
): Promise<CategoryRecord> {
  const found = await store.get(code);
  if (!found) throw Invalid.field(path, `${code} is not a code of the category list (GET /categories)`, 'not_in_list');
  if (!found.active)
    throw Invalid.field(path, `${code} is an inactive category; name an active one (GET /categories)`, 'not_in_list');
  return found;
}
