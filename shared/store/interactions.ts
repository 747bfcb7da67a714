import { createHash } from 'node:crypto';
import { type Contribution, contributionDelta, forAgent, NO_TEAM } from '../domain/aggregates.js';
import type { Change } from '../domain/audit.js';
import { Conflict } from '../domain/errors.js';
import {
  interactionContribution,
  interactionDeadline,
  isAtRisk,
  isOpenOverdue,
  nextCheckAt,
} from '../domain/interactions.js';
import { addDays, datesBetween } from '../domain/time.js';
import type { CauseKind } from '../schemas/causes.js';
import type { Complexity, ContactChannel } from '../schemas/common.js';
import { type TransactItem, writeWithCounters } from './aggregates.js';
import { audienceMarkerUpdate } from './audience.js';
import { dynamo } from './client.js';
import { EntityType, INTERACTION_DUE_SHARDS, interactionKeys } from './keys.js';
import { monthsBetween, type Page, type PartitionQuery, queryPartitions } from './paging.js';
import { ConditionalCheckFailedException, GetCommand, UpdateCommand } from './sdk.js';
import { MAIN_TABLE, tableName, withoutKeys } from './table.js';

/** An interaction as stored: the recorded facts plus the targets in force when it was recorded. */
export interface InteractionRecord {
  id: string;
  customerId: string;
  channel: ContactChannel;
  complexity: Complexity;
  /** UTC ISO timestamps, so sort keys order by time. */
  startedAt: string;
  /** Local date (settings time zone at creation) under which the interaction is counted. */
  serviceDay: string;
  firstResponseAt?: string;
  resolvedAt?: string;
  /** The customer left before any answer. */
  abandonedAt?: string;
  /** Set once the response / resolution target passed without the milestone (see domain/interactions.ts). */
  responseOverdue?: boolean;
  resolutionOverdue?: boolean;
  /** s000 预警: the warning share of the targets in force when recorded (absent on contacts from before it). */
  warnAtShare?: number;
  /** Set once by the overdue sweep as it tells the supervisor that the contact is at risk (domain/interactions.ts). */
  responseWarned?: boolean;
  resolutionWarned?: boolean;
  agentId?: string;
  team?: string;
  category?: string;
  resolvedOnFirstContact?: boolean;
  overdueReason?: 'staffing' | 'process' | 'tooling' | 'customer' | 'other';
  cause?: { kind: CauseKind; detail?: string | undefined };
  summary?: string;
  responseTargetSeconds: number;
  /** A complex contact's channel target (its first-response rate); the response target is then the 1 h feedback one. */
  channelResponseTargetSeconds?: number;
  resolutionTargetSeconds: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  /** Who made the last change, and every change (see shared/domain/audit.ts). */
  updatedBy?: string;
  history?: Change[];
  version: number;
}

export interface InteractionListQuery {
  customerId?: string | undefined;
  channel?: ContactChannel | undefined;
  agentId?: string | undefined;
  team?: string | undefined;
  status?: 'open' | 'resolved' | undefined;
  /**
   * Open work of `team` (`NO_TEAM` for none) by next deadline, nearest first, from its sparse index;
   * `dueBefore` (UTC ISO) bounds the deadline. The instant range then filters by `startedAt`.
   */
  byDeadline?: { team: string; dueBefore?: string | undefined } | undefined;
  /** Instant range, inclusive, UTC ISO. */
  fromInstant: string;
  toInstant: string;
  limit: number;
  cursor?: string | undefined;
}

/** Storage port for interactions. */
export interface InteractionStore {
  /** Stores a new interaction; a second put of the same id is a Conflict. */
  create(record: InteractionRecord, alsoWrite?: TransactItem[]): Promise<void>;
  get(id: string): Promise<InteractionRecord | undefined>;
  /** Replaces `previous` with `record` if it is still at `previous.version` (optimistic locking). */
  replace(record: InteractionRecord, previous: InteractionRecord, alsoWrite?: TransactItem[]): Promise<void>;
  list(query: InteractionListQuery): Promise<Page<InteractionRecord>>;
  /** Open contacts past a target, oldest first, of one team or of all (sparse index). */
  listOverdue(query: {
    /** The at-risk list instead (open, past a warning share, no target missed yet), from the same indexes. */
    atRisk?: boolean | undefined;
    team?: string | undefined;
    /** Only this agent's contacts. */
    agentId?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<InteractionRecord>>;
  /** Ids of contacts whose next target time is at or before `now` (due index, days `since`..now). */
  due(now: Date, sinceDays: number, limit: number): Promise<string[]>;
  /**
   * Erasure: the free-text summary removed from every interaction of the customer (its version
   * moves, so a concurrent PATCH re-reads); timing facts and counters stay. Returns how many changed.
   */
  eraseCustomerSummaries(customerId: string): Promise<number>;
}

/** The record's progress facts as dates, for the domain rules. */
export function progressOf(record: InteractionRecord) {
  const date = (value: string | undefined) => (value ? new Date(value) : undefined);
  return {
    ...record,
    startedAt: new Date(record.startedAt),
    firstResponseAt: date(record.firstResponseAt),
    resolvedAt: date(record.resolvedAt),
    abandonedAt: date(record.abandonedAt),
  };
}

/** The due-index shard of a contact: stable, so its later entries land beside it. */
const dueShard = (id: string) => createHash('sha1').update(id).digest().readUInt8(0) % INTERACTION_DUE_SHARDS;

/**
 * The audit fields a contact has as it is recorded, implied by who recorded it and when: its
 * only change is `created`, by `createdBy` at `createdAt`.
 */
function createdAudit(record: Pick<InteractionRecord, 'createdAt' | 'createdBy'>) {
  return {
    updatedAt: record.createdAt,
    updatedBy: record.createdBy,
    history: [{ at: record.createdAt, actor: record.createdBy, action: 'created' as const }],
  };
}

/**
 * The record as stored: a contact as recorded leaves out its audit fields (`updatedAt`,
 * `updatedBy`, the one `created` entry of `history`: ~130 bytes, implied by `createdAt` and
 * `createdBy`), which keeps the item — written to the table and four indexes, twice over in
 * its transaction — under 1 KB for the usual contact. `fromItem` puts them back.
 */
function stored(record: InteractionRecord): Partial<InteractionRecord> {
  const implied = createdAudit(record);
  const [only, ...more] = record.history ?? [];
  const asCreated =
    record.updatedAt === implied.updatedAt &&
    record.updatedBy === implied.updatedBy &&
    more.length === 0 &&
    only !== undefined &&
    Object.keys(only).length === 3 &&
    only.at === record.createdAt &&
    only.actor === record.createdBy &&
    only.action === 'created';
  if (!asCreated) return record;
  const { updatedAt: _at, updatedBy: _by, history: _history, ...rest } = record;
  return rest;
}

/** The stored item of an interaction: the record with its table and index keys. */
export function interactionItem(record: InteractionRecord) {
  const progress = progressOf(record);
  // The due index holds the next time the sweep must look: a warning share or a target.
  const due = nextCheckAt(progress);
  const deadline = interactionDeadline(progress);
  return {
    ...interactionKeys.item(record.id),
    ...interactionKeys.byCustomer(record.customerId, record.startedAt, record.id),
    ...interactionKeys.byChannelDay(record.channel, record.startedAt, record.id),
    ...interactionKeys.byDay(record.startedAt, record.id),
    ...(due ? interactionKeys.due(due.toISOString(), record.id, dueShard(record.id)) : {}),
    ...(isOpenOverdue(progress) ? interactionKeys.overdue(record.team ?? NO_TEAM, record.startedAt, record.id) : {}),
    ...(isAtRisk(progress) ? interactionKeys.atRisk(record.team ?? NO_TEAM, record.startedAt, record.id) : {}),
    ...(deadline ? interactionKeys.openWork(record.team ?? NO_TEAM, deadline.dueBy.toISOString(), record.id) : {}),
    ...(record.agentId ? interactionKeys.byAgent(record.agentId, record.startedAt, record.id) : {}),
    type: EntityType.interaction,
    ...stored(record),
  };
}

export function fromItem(item: Record<string, unknown>): InteractionRecord {
  const record = withoutKeys<InteractionRecord>(item);
  return record.updatedAt === undefined ? { ...record, ...createdAudit(record) } : record;
}

/** How many items one list call reads at most, whatever its filters discard (a short page then has a cursor). */
export const LIST_READ_BUDGET = 1000;
/**
 * Queries a list call makes at most (one per day or month partition, one more per page inside a
 * partition): a long, sparse range, or full days a filter mostly discards, cost bounded Queries a call.
 */
export const LIST_QUERY_BUDGET = 100;

/** The filters a list applies inside its partitions (agent, team, channel within a customer, status). */
function listFilter(
  query: InteractionListQuery,
  withChannel: boolean,
  withStartedAt = false,
): PartitionQuery['filter'] {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const where = (attribute: string, value: unknown) => {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    conditions.push(`#${attribute} = :${attribute}`);
  };
  if (withChannel && query.channel) where('channel', query.channel);
  if (query.agentId) where('agentId', query.agentId);
  if (query.team) where('team', query.team);
  if (query.status) {
    names['#resolvedAt'] = 'resolvedAt';
    conditions.push(query.status === 'open' ? 'attribute_not_exists(#resolvedAt)' : 'attribute_exists(#resolvedAt)');
  }
  if (withStartedAt) {
    // Sorted by deadline, so the date window is a filter here, not a key range.
    names['#startedAt'] = 'startedAt';
    values[':startedFrom'] = query.fromInstant;
    values[':startedTo'] = `${query.toInstant}~`;
    conditions.push('#startedAt BETWEEN :startedFrom AND :startedTo');
  }
  return conditions.length ? { expression: conditions.join(' AND '), names, values } : undefined;
}

/**
 * The partitions that hold a list query's items, newest first (or nearest deadline first). Every
 * selective filter is a key: a customer (gsi1), a channel and day (gsi2), an agent and month (gsi8),
 * a team's open work (gsi7); what stays a filter (team over a day, status, channel within an agent's
 * month) keeps a large share of what it reads, so a page fills within the read budget.
 */
export function partitionsFor(query: InteractionListQuery): PartitionQuery[] {
  const between: [string, string] = [query.fromInstant, `${query.toInstant}~`];
  if (query.byDeadline) {
    const filter = listFilter({ ...query, team: undefined, status: undefined }, true, true);
    return [
      {
        index: 'gsi7',
        partitionKey: interactionKeys.openWorkPartition(query.byDeadline.team),
        ...(query.byDeadline.dueBefore ? { sortKey: { between: ['0', `${query.byDeadline.dueBefore}~`] } } : {}),
        ...(filter ? { filter } : {}),
      },
    ];
  }
  const agentId = query.agentId;
  if (agentId && !query.customerId) {
    const filter = listFilter({ ...query, agentId: undefined }, true);
    return monthsBetween(query.fromInstant, query.toInstant).map((month) => ({
      index: 'gsi8' as const,
      partitionKey: interactionKeys.agentMonthPartition(agentId, month),
      sortKey: { between },
      ...(filter ? { filter } : {}),
    }));
  }
  if (query.customerId) {
    const filter = listFilter(query, true);
    return [
      {
        index: 'gsi1',
        partitionKey: interactionKeys.customerPartition(query.customerId),
        sortKey: {
          between: [
            `${interactionKeys.customerSortPrefix}${between[0]}`,
            `${interactionKeys.customerSortPrefix}${between[1]}`,
          ],
        },
        ...(filter ? { filter } : {}),
      },
    ];
  }
  const filter = listFilter(query, false);
  const days = datesBetween(query.fromInstant.slice(0, 10), query.toInstant.slice(0, 10)).reverse();
  return days.map((day) => ({
    ...(query.channel
      ? {
          index: 'gsi2' as const,
          partitionKey: interactionKeys.channelDayPartition(query.channel, day),
          sortKey: { between },
        }
      : { index: 'gsi3' as const, partitionKey: interactionKeys.dayPartition(day), sortKey: { between } }),
    ...(filter ? { filter } : {}),
  }));
}

/** The KPI counters an interaction contributes. */
export function contributionOf(record: InteractionRecord): Contribution {
  return interactionContribution(progressOf(record));
}

/** Its contribution to the team cell and, when it names an agent, the same again to the agent's cell. */
export function contributionsOf(record: InteractionRecord): Contribution[] {
  const contribution = contributionOf(record);
  return [contribution, ...forAgent(contribution, record.agentId)];
}

export const dynamoInteractionStore: InteractionStore = {
  /** `alsoWrite`: items that must exist exactly when the interaction does (e.g. its survey-invitation task). */
  async create(record, alsoWrite = []) {
    await writeWithCounters(
      [
        {
          Put: {
            TableName: tableName(MAIN_TABLE),
            Item: interactionItem(record),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...alsoWrite,
        // The customer was active that local day (a campaign's audience: shared/store/audience.ts),
        // on an item spread per retry: many concurrent contacts of one customer must not all meet on it.
        audienceMarkerUpdate({
          customerId: record.customerId,
          kind: 'active',
          day: record.serviceDay,
          team: record.team,
          channel: record.channel,
        }),
      ],
      contributionDelta([], contributionsOf(record)),
      record.id,
      () => new Conflict(`Interaction ${record.id} already exists.`),
    );
  },

  async get(id) {
    const result = await dynamo().send(
      new GetCommand({ TableName: tableName(MAIN_TABLE), Key: interactionKeys.item(id) }),
    );
    return result.Item ? fromItem(result.Item) : undefined;
  },

  async replace(record, previous, alsoWrite = []) {
    await writeWithCounters(
      [
        {
          Put: {
            TableName: tableName(MAIN_TABLE),
            Item: interactionItem(record),
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': previous.version },
          },
        },
        ...alsoWrite,
      ],
      // Move the contribution: take out what the previous version counted, add the new one.
      contributionDelta(contributionsOf(previous), contributionsOf(record)),
      record.id,
      () => new Conflict(`Interaction ${record.id} was changed by someone else.`),
    );
  },

  async listOverdue(query) {
    const partition = query.atRisk
      ? query.team
        ? { index: 'gsi5' as const, partitionKey: interactionKeys.atRiskTeamPartition(query.team) }
        : { index: 'gsi6' as const, partitionKey: interactionKeys.atRiskAllPartition }
      : query.team
        ? { index: 'gsi5' as const, partitionKey: interactionKeys.overdueTeamPartition(query.team) }
        : { index: 'gsi6' as const, partitionKey: interactionKeys.overdueAllPartition };
    const filter = query.agentId
      ? { expression: '#agentId = :agentId', names: { '#agentId': 'agentId' }, values: { ':agentId': query.agentId } }
      : undefined;
    const page = await queryPartitions<Record<string, unknown>>([{ ...partition, ...(filter ? { filter } : {}) }], {
      limit: query.limit,
      cursor: query.cursor,
      maxRead: LIST_READ_BUDGET,
      maxQueries: LIST_QUERY_BUDGET,
    });
    return { items: page.items.map(fromItem), nextCursor: page.nextCursor };
  },

  async due(now, sinceDays, limit) {
    const today = now.toISOString().slice(0, 10);
    const days = datesBetween(addDays(today, -sinceDays), today);
    const upper = `${now.toISOString()}#~`;
    const ids: string[] = [];
    for (const day of days) {
      for (let shard = 0; shard < INTERACTION_DUE_SHARDS && ids.length < limit; shard += 1) {
        let cursor: string | undefined;
        do {
          const page = await queryPartitions<{ id: string }>(
            [
              {
                index: 'gsi4',
                partitionKey: interactionKeys.duePartition(day, shard),
                sortKey: { between: ['0', upper] },
              },
            ],
            { limit: Math.min(100, limit - ids.length), cursor },
          );
          ids.push(...page.items.map((item) => item.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor && ids.length < limit);
      }
    }
    return ids;
  },

  async list(query) {
    const page = await queryPartitions<Record<string, unknown>>(partitionsFor(query), {
      limit: query.limit,
      cursor: query.cursor,
      descending: !query.byDeadline,
      maxRead: LIST_READ_BUDGET,
      maxQueries: LIST_QUERY_BUDGET,
    });
    return { items: page.items.map(fromItem), nextCursor: page.nextCursor };
  },
  eraseCustomerSummaries: eraseInteractionSummaries,
};

/**
 * Erasure: removes the free-text summary (which may name or quote the customer) from every
 * interaction of a customer. The version moves, so a concurrent PATCH re-reads instead of
 * writing the summary back. Timing facts and counters stay. Returns how many were changed.
 */
async function eraseInteractionSummaries(customerId: string): Promise<number> {
  let erased = 0;
  let cursor: string | undefined;
  do {
    const page = await queryPartitions<Record<string, unknown>>(
      [
        {
          index: 'gsi1',
          partitionKey: interactionKeys.customerPartition(customerId),
          sortKey: { beginsWith: interactionKeys.customerSortPrefix },
        },
      ],
      { limit: 100, cursor },
    );
    for (const item of page.items) {
      if (item.summary === undefined) continue;
      try {
        await dynamo().send(
          new UpdateCommand({
            TableName: tableName(MAIN_TABLE),
            Key: interactionKeys.item(String(item.id)),
            UpdateExpression: 'REMOVE #summary SET #version = #version + :one',
            ConditionExpression: 'attribute_exists(#summary)',
            ExpressionAttributeNames: { '#summary': 'summary', '#version': 'version' },
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
        erased += 1;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return erased;
}
