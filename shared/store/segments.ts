/**
 * Segment lists for the win-back and interview lists (s002/s004), stored without a Scan: a
 * customer's member items, one per segment they are in, keyed by tier, and their `SEGMENTS` record
 * holding what the member items say, with a version, so two writers that race never leave a stale
 * membership (the loser's write is refused and it re-reads). What a customer's segments are is
 * decided by the customers capability (functions/customers/segments.ts).
 */

import { dynamo } from './client.js';
import { EntityType, segmentKeys } from './keys.js';
import { type Page, queryPartitions } from './paging.js';
import { GetCommand, TransactionCanceledException } from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';
import { type TransactItem, transactWrite } from './transact.js';

export const LISTED_SEGMENTS = ['at_risk', 'detractor', 'frequent_complainer'] as const;
export type ListedSegment = (typeof LISTED_SEGMENTS)[number];

/** The segments a customer's member items say they are in, of which tier, at which version. */
export interface SegmentMembership {
  segments: ListedSegment[];
  tier: string;
  version: number;
}

export interface SegmentStore {
  /** The customer's membership as stored (consistent read), or undefined before their first. */
  readMembership(customerId: string): Promise<SegmentMembership | undefined>;
  /**
   * Replaces the membership `before` (as read; undefined: none yet) with `after` in one transaction.
   * False when another writer changed it since it was read: read again and retry.
   */
  replaceMembership(
    customerId: string,
    before: SegmentMembership | undefined,
    after: Pick<SegmentMembership, 'segments' | 'tier'>,
    now: Date,
  ): Promise<boolean>;
  /** Members of a segment (optionally of one tier), by tier then id, a page at a time. */
  members(
    segment: ListedSegment,
    options: { tier?: string | undefined; limit: number; cursor?: string | undefined },
  ): Promise<Page<{ customerId: string; tier: string }>>;
  /** Removes a customer from every segment list (erasure); their SEGMENTS record goes with their partition. */
  removeCustomer(customerId: string): Promise<void>;
}

async function readMembership(customerId: string): Promise<SegmentMembership | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: tableName(MAIN_TABLE), Key: segmentKeys.record(customerId), ConsistentRead: true }),
  );
  return Item ? { segments: Item.segments ?? [], tier: Item.tier, version: Item.version } : undefined;
}

const NO_MEMBERSHIP: SegmentMembership = { segments: [], tier: 'none', version: 0 };

async function replaceMembership(
  customerId: string,
  record: SegmentMembership | undefined,
  after: Pick<SegmentMembership, 'segments' | 'tier'>,
  now: Date,
): Promise<boolean> {
  const before = record ?? NO_MEMBERSHIP;
  const { segments, tier } = after;
  const writes: TransactItem[] = [
    {
      Put: {
        TableName: tableName(MAIN_TABLE),
        Item: {
          ...segmentKeys.record(customerId),
          type: EntityType.customerSegments,
          customerId,
          segments,
          tier,
          version: before.version + 1,
          updatedAt: now.toISOString(),
        },
        ConditionExpression: record ? '#version = :version' : 'attribute_not_exists(pk)',
        ...(record
          ? {
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':version': record.version },
            }
          : {}),
      },
    },
    ...before.segments
      .filter((segment) => before.tier !== tier || !segments.includes(segment))
      .map((segment) => ({
        Delete: { TableName: tableName(MAIN_TABLE), Key: segmentKeys.member(segment, before.tier, customerId) },
      })),
    ...segments
      .filter((segment) => before.tier !== tier || !before.segments.includes(segment))
      .map((segment) => ({
        Put: {
          TableName: tableName(MAIN_TABLE),
          Item: {
            ...segmentKeys.member(segment, tier, customerId),
            type: EntityType.segmentMember,
            customerId,
            tier,
          },
        },
      })),
  ];
  try {
    await transactWrite(() => writes, `segments of ${customerId}`);
    return true;
  } catch (error) {
    const lostRace =
      error instanceof TransactionCanceledException &&
      (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');
    if (lostRace) return false;
    throw error;
  }
}

async function members(
  segment: ListedSegment,
  options: { tier?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<{ customerId: string; tier: string }>> {
  const page = await queryPartitions<Record<string, unknown>>(
    [
      {
        partitionKey: segmentKeys.partition(segment),
        ...(options.tier ? { sortKey: { beginsWith: `${options.tier}#` } } : {}),
      },
    ],
    { limit: options.limit, cursor: options.cursor },
  );
  return {
    items: page.items.map((item) => ({ customerId: String(item.customerId), tier: String(item.tier) })),
    nextCursor: page.nextCursor,
  };
}

async function removeCustomer(customerId: string): Promise<void> {
  const record = await readMembership(customerId);
  if (!record?.segments.length) return;
  await transactWrite(
    () =>
      record.segments.map((segment) => ({
        Delete: { TableName: tableName(MAIN_TABLE), Key: segmentKeys.member(segment, record.tier, customerId) },
      })),
    `segments of ${customerId}`,
  );
}

export const dynamoSegmentStore: SegmentStore = { readMembership, replaceMembership, members, removeCustomer };
