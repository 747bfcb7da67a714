/**
 * Segment lists for the win-back and interview lists (s002/s004): who is at risk, a detractor or
 * a frequent complainer, without a Scan. A customer's segments are derived from their activity
 * item (shared/domain/customers.ts); after every change of that activity (a complaint, a survey
 * answer, a tier change) `refreshCustomerSegments` writes the customer's member items: one per
 * segment they are in, keyed by tier. A customer's `SEGMENTS` record holds what the member items
 * say, with a version, so two refreshes that race never leave a stale membership: the loser
 * re-reads and writes again.
 *
 * Segments only shrink as time passes (the three-month window moves on), so a reader re-derives
 * each listed member for the current month and leaves out (and refreshes) those who dropped out.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { deriveSegment } from '../domain/customers.js';
import { localDate } from '../domain/time.js';
import { logger } from '../observability/logger.js';
import { dynamo } from './client.js';
import { dynamoCustomerStore } from './customers.js';
import { EntityType, segmentKeys } from './keys.js';
import { type Page, queryPartitions } from './paging.js';
import { currentSettings } from './settings.js';
import { MAIN_TABLE, tableName } from './table.js';
import { type TransactItem, transactWrite } from './transact.js';

export const LISTED_SEGMENTS = ['at_risk', 'detractor', 'frequent_complainer'] as const;
export type ListedSegment = (typeof LISTED_SEGMENTS)[number];

const NO_TIER = 'none';

/** The listed segments a customer is in this month, from their activity. */
export function listedSegmentsOf(labels: readonly string[]): ListedSegment[] {
  return LISTED_SEGMENTS.filter((segment) => labels.includes(segment));
}

interface SegmentsRecord {
  segments: ListedSegment[];
  tier: string;
  version: number;
}

async function readRecord(customerId: string): Promise<SegmentsRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: tableName(MAIN_TABLE), Key: segmentKeys.record(customerId), ConsistentRead: true }),
  );
  return Item ? { segments: Item.segments ?? [], tier: Item.tier, version: Item.version } : undefined;
}

const REFRESH_ATTEMPTS = 5;

/**
 * Brings a customer's member items in line with their activity and tier now. Idempotent; safe
 * to run concurrently (versioned). A customer without a profile or activity is in no segment.
 */
export async function refreshCustomerSegments(customerId: string, now: Date): Promise<ListedSegment[]> {
  const { settings } = await currentSettings();
  const month = localDate(now, settings.timezone).slice(0, 7);
  for (let attempt = 1; ; attempt += 1) {
    const [record, items] = await Promise.all([readRecord(customerId), dynamoCustomerStore.readCustomer(customerId)]);
    const segments = items.profile ? listedSegmentsOf(deriveSegment(items.activity, month).labels) : [];
    const tier = items.profile?.tier ?? NO_TIER;
    const before = record ?? { segments: [], tier: NO_TIER, version: 0 };
    if (before.tier === tier && before.segments.join() === segments.join()) return segments;
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
      return segments;
    } catch (error) {
      const lostRace =
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');
      if (!lostRace || attempt >= REFRESH_ATTEMPTS) throw error;
    }
  }
}

/** Members of a segment (optionally of one tier), by tier then id, a page at a time. */
export async function segmentMembers(
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

/** Removes a customer from every segment list (erasure); their SEGMENTS record goes with their partition. */
export async function removeFromSegments(customerId: string): Promise<void> {
  const record = await readRecord(customerId);
  if (!record?.segments.length) return;
  await transactWrite(
    () =>
      record.segments.map((segment) => ({
        Delete: { TableName: tableName(MAIN_TABLE), Key: segmentKeys.member(segment, record.tier, customerId) },
      })),
    `segments of ${customerId}`,
  );
}

/**
 * What a use case calls after a customer's activity or tier changed. The change itself is stored;
 * a failed refresh is logged and leaves the lists as they were until the customer's next change.
 */
export async function refreshSegmentsAfterChange(customerId: string | undefined, now: Date): Promise<void> {
  if (!customerId) return;
  try {
    await refreshCustomerSegments(customerId, now);
  } catch (error) {
    logger.warn('segment lists not refreshed', { customerId, error: (error as Error).message });
  }
}
