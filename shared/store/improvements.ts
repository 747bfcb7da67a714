/** Repositories of improvement actions and customer suggestions (optimistic locking on `version`). */

import { type Change, recordChange } from '../domain/audit.js';
import { Conflict } from '../domain/errors.js';
import type { ImprovementStatus, SuggestionStatus } from '../domain/improvements.js';
import { contactFingerprint } from '../domain/personal-data.js';
import { previousMonth } from '../domain/time.js';
import { changesOf } from './changes.js';
import { dynamo } from './client.js';
import { ERASED_TEXT } from './complaints.js';
import { EntityType, improvementKeys, suggestionKeys } from './keys.js';
import { type Page, type PartitionQuery, queryPartitions } from './paging.js';
import { GetCommand, TransactWriteCommand } from './sdk.js';
import { MAIN_TABLE, tableName, withoutKeys } from './table.js';
import { firstItemConditionFailed, type TransactItem } from './transact.js';

export interface ImprovementRecord {
  id: string;
  problem: string;
  measure: string;
  department: string;
  ownerId: string;
  dueDate: string;
  category?: string;
  dimension?: string;
  cause?: { kind: 'people' | 'process' | 'tools' | 'product' | 'policy' | 'external'; detail?: string | undefined };
  channel?: string;
  expectedEffect?: { metric: string; target: number };
  status: ImprovementStatus;
  startedOn?: string;
  doneOn?: string;
  verifiedOn?: string;
  verification?: {
    metric: string;
    before: number | null;
    after: number | null;
    beforeWindow: { from: string; to: string };
    afterWindow: { from: string; to: string };
    improved: boolean | null;
    targetMet: boolean | null;
  };
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  /** Who made the last change, and every change (see shared/domain/audit.ts). */
  updatedBy?: string;
  history?: Change[];
  version: number;
}

export interface SuggestionRecord {
  id: string;
  text: string;
  customerId?: string;
  /** How to answer someone who suggested from the public board (never published). */
  contact?: string;
  channel?: string;
  status: SuggestionStatus;
  submittedOn: string;
  decidedOn?: string;
  reason?: string;
  plannedFor?: string;
  deliverBy?: string;
  deliveredOn?: string;
  /** When the customer behind it was erased (its text, customer, contact and publication went). */
  erasedAt?: string;
  /** The masked text a manager approved for the public board; absent until then (nothing is published unapproved). */
  publication?: SuggestionPublication;
  createdAt: string;
  createdBy: string;
  updatedAt?: string;
  /** Who made the last change, and every change (see shared/domain/audit.ts). */
  updatedBy?: string;
  history?: Change[];
  version: number;
}

export interface SuggestionPublication {
  text: string;
  approvedBy: string;
  approvedAt: string;
}

/** Storage port for improvement actions. */
export interface ImprovementStore {
  /**
   * Creates (version 1) or replaces the record at `version - 1`; a lost race is a Conflict. With
   * `also`, in one transaction with those writes (the follow-up tasks the change schedules).
   */
  save(record: ImprovementRecord, also?: TransactItem[]): Promise<void>;
  /**
   * Adds a change to the record's history once (by `change.notice.messageId`, else by action and
   * template): a versioned write retried on a lost race, so it never overwrites another change.
   */
  noteOnce(id: string, change: Change): Promise<void>;
  get(id: string): Promise<ImprovementRecord | undefined>;
  /** By status, soonest due first; `dueBefore` keeps only those due before a date (the overdue ones). */
  list(
    statuses: ImprovementStatus[],
    options: { limit: number; cursor?: string | undefined; dueBefore?: string },
  ): Promise<Page<ImprovementRecord>>;
}

/** Storage port for customer suggestions. */
export interface SuggestionStore {
  /**
   * Creates (version 1) or replaces the record at `version - 1`; a lost race is a Conflict. With
   * `also`, in one transaction with those writes (a keyed request's claim).
   */
  save(record: SuggestionRecord, also?: TransactItem[]): Promise<void>;
  get(id: string): Promise<SuggestionRecord | undefined>;
  /**
   * Erasure: the suggestions of a customer, and those left on the board with one of their
   * contacts (`contacts`: the profile's phone and email), lose their text, customer, contact and
   * publication; status and dates stay (anonymous). Found through the sparse gsi4, never a Scan.
   */
  eraseCustomer(customerId: string, contacts: string[], by: { at: string; actor: string }): Promise<number>;
  /** Newest first over the last `months` months, optionally one status. */
  list(options: {
    status?: SuggestionStatus | undefined;
    currentMonth: string;
    months: number;
    limit: number;
    cursor?: string | undefined;
    /** Only those a manager approved for publication (sparse indexes). */
    published?: boolean;
  }): Promise<Page<SuggestionRecord>>;
}

const strip = <T>(item: Record<string, unknown>): T => withoutKeys<T>(item);

/**
 * Put with `attribute_not_exists` for version 1, or `version = previous` after that; with `also`,
 * in one transaction with those writes (e.g. the follow-up tasks the change schedules).
 */
async function putVersioned(
  item: Record<string, unknown> & { version: number },
  what: string,
  also: TransactItem[] = [],
) {
  const put = {
    TableName: tableName(MAIN_TABLE),
    Item: item,
    ...(item.version === 1
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: '#version = :previous',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':previous': item.version - 1 },
        }),
  };
  try {
    // Always a transaction: the changes feed's item (GET /changes) is written with the record.
    await dynamo().send(
      new TransactWriteCommand({ TransactItems: [{ Put: put }, ...changesOf([{ Put: put }]), ...also] }),
    );
  } catch (error) {
    if (firstItemConditionFailed(error))
      throw new Conflict(`${what} was changed by someone else; read it again and retry.`);
    throw error;
  }
}

async function getItem<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
  const result = await dynamo().send(new GetCommand({ TableName: tableName(MAIN_TABLE), Key: key }));
  return result.Item ? strip<T>(result.Item) : undefined;
}

const sameNotice = (a: Change, b: Change) =>
  a.action === b.action &&
  a.notice?.template === b.notice?.template &&
  (a.notice?.messageId ?? '') === (b.notice?.messageId ?? '');

/** The stored item of an improvement action, listed under its status. */
export function improvementItem(record: ImprovementRecord) {
  return {
    ...improvementKeys.item(record.id),
    ...improvementKeys.byStatus(record.status, record.dueDate, record.id),
    type: EntityType.improvement,
    ...record,
  };
}

export const dynamoImprovementStore: ImprovementStore = {
  save: (record: ImprovementRecord, also?: TransactItem[]) =>
    putVersioned(improvementItem(record), `Improvement ${record.id}`, also),
  async noteOnce(id: string, change: Change): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await getItem<ImprovementRecord>(improvementKeys.item(id));
      if (!current || (current.history ?? []).some((entry) => sameNotice(entry, change))) return;
      try {
        await dynamoImprovementStore.save({
          ...current,
          ...recordChange(current, change),
          version: current.version + 1,
        });
        return;
      } catch (error) {
        if (!(error instanceof Conflict) || attempt >= 5) throw error;
      }
    }
  },
  get: (id: string) => getItem<ImprovementRecord>(improvementKeys.item(id)),
  /** By status, soonest due first; `dueBefore` keeps only those due before a date (the overdue ones). */
  async list(
    statuses: ImprovementStatus[],
    options: { limit: number; cursor?: string | undefined; dueBefore?: string },
  ): Promise<Page<ImprovementRecord>> {
    const queries: PartitionQuery[] = statuses.map((status) => ({
      index: 'gsi1',
      partitionKey: improvementKeys.statusPartition(status),
      ...(options.dueBefore ? { sortKey: { between: ['0000', `${options.dueBefore}#`] as [string, string] } } : {}),
    }));
    const page = await queryPartitions<Record<string, unknown>>(queries, options);
    return { items: page.items.map((item) => strip<ImprovementRecord>(item)), nextCursor: page.nextCursor };
  },
};

export const dynamoSuggestionStore: SuggestionStore = {
  save: (record: SuggestionRecord, also: TransactItem[] = []) =>
    putVersioned(
      {
        ...suggestionKeys.item(record.id),
        ...suggestionKeys.byStatus(record.status, record.createdAt, record.id),
        ...suggestionKeys.byMonth(record.createdAt, record.id),
        ...(record.publication ? suggestionKeys.published(record.status, record.createdAt, record.id) : {}),
        ...(record.customerId
          ? suggestionKeys.byCustomer(record.customerId, record.createdAt, record.id)
          : record.contact
            ? suggestionKeys.byContact(contactFingerprint(record.contact), record.createdAt, record.id)
            : {}),
        type: EntityType.suggestion,
        ...record,
      },
      `Suggestion ${record.id}`,
      also,
    ),
  get: (id: string) => getItem<SuggestionRecord>(suggestionKeys.item(id)),
  async eraseCustomer(customerId: string, contacts: string[], by: { at: string; actor: string }): Promise<number> {
    const partitions = [
      suggestionKeys.byCustomer(customerId, '', '').gsi4pk,
      ...contacts.map((contact) => suggestionKeys.contactPartition(contactFingerprint(contact))),
    ];
    const page = await queryPartitions<Record<string, unknown>>(
      partitions.map((partitionKey) => ({
        index: 'gsi4' as const,
        partitionKey,
        sortKey: { beginsWith: suggestionKeys.customerSortPrefix },
      })),
      { limit: 100_000 },
    );
    let erased = 0;
    for (const item of page.items) {
      const current = strip<SuggestionRecord>(item);
      const { customerId: _c, contact: _contact, publication: _p, ...rest } = current;
      await dynamoSuggestionStore.save({
        ...rest,
        text: ERASED_TEXT,
        erasedAt: by.at,
        ...recordChange(current, { ...by, action: 'erased', fields: ['text', 'customerId', 'contact', 'publication'] }),
        version: current.version + 1,
      });
      erased += 1;
    }
    return erased;
  },
  /** Newest first over the last `months` months, optionally one status. */
  async list(options: {
    status?: SuggestionStatus | undefined;
    currentMonth: string;
    months: number;
    limit: number;
    cursor?: string | undefined;
    published?: boolean;
  }): Promise<Page<SuggestionRecord>> {
    const months = [options.currentMonth];
    for (let month = options.currentMonth; months.length < options.months; months.push(month))
      month = previousMonth(month);
    const queries: PartitionQuery[] = months.map((month): PartitionQuery => {
      if (options.published)
        return options.status
          ? { index: 'gsi5', partitionKey: suggestionKeys.publishedStatusPartition(options.status, month) }
          : { index: 'gsi2', partitionKey: suggestionKeys.publishedPartition(month) };
      return options.status
        ? { index: 'gsi1', partitionKey: suggestionKeys.statusMonthPartition(options.status, month) }
        : { index: 'gsi3', partitionKey: suggestionKeys.monthPartition(month) };
    });
    const page = await queryPartitions<Record<string, unknown>>(queries, {
      limit: options.limit,
      cursor: options.cursor,
      descending: true,
    });
    return { items: page.items.map((item) => strip<SuggestionRecord>(item)), nextCursor: page.nextCursor };
  },
};
