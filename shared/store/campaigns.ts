/**
 * Campaigns: one item each, listed by status on gsi1. Every change is a conditional write on the
 * status and `version` the caller read, so a launch racing a cancel (or two launches) never both win;
 * the launch job records how far it walked the draw in the same item (resumable, see
 * functions/surveys/campaign-launch.ts).
 */

import type { AggregateCell } from '../domain/aggregates.js';
import { Conflict } from '../domain/errors.js';
import type { CampaignAudience, CampaignEstimate, CampaignStatus, CreateCampaignBody } from '../schemas/campaigns.js';
import type { QuestionnaireRef } from '../schemas/questionnaires.js';
import { dynamo } from './client.js';
import { campaignKeys, EntityType } from './keys.js';
import { type Page, queryPartitions } from './paging.js';
import { GetCommand, QueryCommand } from './sdk.js';
import { MAIN_TABLE, tableName, withoutKeys } from './table.js';
import type { TransactItem } from './transact.js';
import { putIf } from './versioned.js';

/** How far the launch job walked the draw: every customer whose draw key is ≤ `through` was decided. */
export interface CampaignWalk {
  through: string;
  invited: number;
  /** Per stratum (`all` when not stratified): invited so far. */
  perStratum: Record<string, number>;
  excluded: { throttled: number; noConsent: number; noContact: number };
  /** Items read by the job (audience markers, profiles): the benchmark's figure. */
  reads: number;
  done: boolean;
}

export interface CampaignRecord {
  id: string;
  name: string;
  questionnaire: QuestionnaireRef;
  audience: CampaignAudience;
  sample?: CreateCampaignBody['sample'];
  window: { from: string; to: string };
  recurrence?: 'monthly' | 'quarterly';
  status: CampaignStatus;
  estimate: CampaignEstimate;
  /** Where the campaign's invitations and answers are counted: the wave's first day × `campaign` × its id. */
  cell: AggregateCell;
  /** Items the estimate read. */
  estimateReads: number;
  /**
   * When the estimate job of a pending draft was last started by the wave job (createdAt before
   * that, when the create started it): a draft pending since long before is restarted.
   */
  estimateStartedAt?: string;
  createdAt: string;
  createdBy: string;
  launchedAt?: string;
  launchedBy?: string;
  cancelledAt?: string;
  walk?: CampaignWalk;
  previousWave?: string;
  nextWave?: string;
  /** A recurring campaign's wave number: 1 the campaign as created, then one more per period. */
  wave?: number;
  version: number;
}

export interface CampaignStore {
  get(id: string): Promise<CampaignRecord | undefined>;
  /** `also`, here and in `replace`: writes of the same transaction (a keyed request's claim). */
  create(record: CampaignRecord, also?: TransactItem[]): Promise<boolean>;
  replace(previous: CampaignRecord, next: CampaignRecord, also?: TransactItem[]): Promise<void>;
  /** Campaigns newest first, of one status or of all (one status partition each on gsi1). */
  list(options: {
    status?: CampaignStatus | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<CampaignRecord>>;
  /** The recurring waves the wave job continues (a sparse index: only waves still to be continued). */
  recurring(): Promise<CampaignRecord[]>;
  /**
   * Drafts whose estimate is pending and whose estimate job was last started before `before` (an
   * ISO instant): a range of a sparse index that holds only pending drafts, so only stale ones are read.
   */
  estimatesStartedBefore(before: string): Promise<CampaignRecord[]>;
}

/**
 * Whether the wave job continues this campaign: a recurring wave that was launched, has no next wave
 * yet and was not cancelled (a cancel stops every future wave). Such a wave is listed in a sparse
 * gsi2 partition, one item per live chain, and drops out of it when its next wave is linked.
 */
export const continuesRecurring = (record: CampaignRecord) =>
  !!record.recurrence &&
  !record.nextWave &&
  !record.cancelledAt &&
  (record.status === 'launching' || record.status === 'running' || record.status === 'finished');

/** Whether the wave job may have to restart this campaign's estimate: a draft whose estimate is pending. */
export const estimating = (record: CampaignRecord) => record.status === 'draft' && record.estimate.status === 'pending';

const table = () => tableName(MAIN_TABLE);

const itemOf = (record: CampaignRecord) => ({
  ...campaignKeys.item(record.id),
  ...campaignKeys.byStatus(record.status, record.createdAt, record.id),
  ...(continuesRecurring(record) ? campaignKeys.recurring(record.createdAt, record.id) : {}),
  // A draft is never a launched wave: the two sparse gsi2 partitions never claim the same item.
  ...(estimating(record) ? campaignKeys.estimating(record.estimateStartedAt ?? record.createdAt, record.id) : {}),
  type: EntityType.campaign,
  ...record,
});

/** A stored campaign; one stored before estimates could be pending had its estimate computed (`ready`). */
function recordOf(item: Record<string, unknown>): CampaignRecord {
  const record = withoutKeys<CampaignRecord>(item);
  return record.estimate.status ? record : { ...record, estimate: { ...record.estimate, status: 'ready' } };
}

async function get(id: string): Promise<CampaignRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: campaignKeys.item(id), ConsistentRead: true }),
  );
  return Item ? recordOf(Item) : undefined;
}

/** Stores a new campaign; false when one with this id exists already (a retried create). */
function create(record: CampaignRecord, also: TransactItem[] = []): Promise<boolean> {
  return putIf({ TableName: table(), Item: itemOf(record), ConditionExpression: 'attribute_not_exists(pk)' }, also);
}

/**
 * Replaces the campaign with `next` if it is still at `previous.version` (next.version = previous + 1).
 * 409 when someone else changed it first: the caller reads it again.
 */
async function replace(previous: CampaignRecord, next: CampaignRecord, also: TransactItem[] = []): Promise<void> {
  const written = await putIf(
    {
      TableName: table(),
      Item: itemOf(next),
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': previous.version },
    },
    also,
  );
  if (!written) throw new Conflict(`Campaign ${previous.id} was changed meanwhile; read it again.`);
}

const STATUSES: CampaignStatus[] = ['draft', 'launching', 'running', 'finished', 'cancelled'];

async function list(options: {
  status?: CampaignStatus | undefined;
  limit: number;
  cursor?: string | undefined;
}): Promise<Page<CampaignRecord>> {
  const statuses = options.status ? [options.status] : STATUSES;
  const page = await queryPartitions<Record<string, unknown>>(
    statuses.map((status) => ({ index: 'gsi1', partitionKey: campaignKeys.statusPartition(status) })),
    { limit: options.limit, cursor: options.cursor, descending: true },
  );
  return { items: page.items.map((item) => recordOf(item)), nextCursor: page.nextCursor };
}

/** Every campaign of a sparse gsi2 partition, or of its sort keys before `before`. */
async function sparse(partition: string, before?: string): Promise<CampaignRecord[]> {
  const items: CampaignRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'gsi2',
        KeyConditionExpression: before === undefined ? 'gsi2pk = :pk' : 'gsi2pk = :pk AND gsi2sk < :before',
        ExpressionAttributeValues: { ':pk': partition, ...(before === undefined ? {} : { ':before': before }) },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []).map((item) => recordOf(item)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** The recurring waves the wave job continues (one per live chain: tens), from the sparse gsi2 partition. */
const recurring = () => sparse(campaignKeys.recurringPartition);

/** Pending drafts whose estimate job was started before `before` (normally none: a job fills it in minutes). */
const estimatesStartedBefore = (before: string) => sparse(campaignKeys.estimatingPartition, before);

export const dynamoCampaignStore: CampaignStore = { get, create, replace, list, recurring, estimatesStartedBefore };

/** A campaign as one item, for a bulk load (the demo data set). */
export const campaignItem = itemOf;
