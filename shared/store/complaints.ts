/**
 * The complaint repository: a complaint item, its timeline items in the same partition, the
 * KPI counters it contributes (written in the same transaction), and the small side items a
 * pause needs (the customer's paused marker, the agent's monthly pause totals).
 */

import { monotonicFactory } from 'ulidx';
import { contributionDelta } from '../domain/aggregates.js';
import { slugsOfCode } from '../domain/categories.js';
import { complaintContributions, type PauseCredit } from '../domain/complaints/complaint.js';
import { nextOpenMilestone } from '../domain/complaints/milestones.js';
import { activityDelta } from '../domain/customers.js';
import { Conflict } from '../domain/errors.js';
import type { Complaint, ComplaintStatus, Severity, TimelineEntry } from '../schemas/complaints.js';
import { type TransactItem, writeWithCounters } from './aggregates.js';
import { audienceMarkerUpdate } from './audience.js';
import { dynamo } from './client.js';
import { customerActivityUpdate } from './customers.js';
import { complaintKeys, EntityType } from './keys.js';
import { monthsBetween, type Page, type PartitionQuery, queryPartitions } from './paging.js';
import { GetCommand, PutCommand, QueryCommand, TransactionCanceledException, UpdateCommand } from './sdk.js';
import { MAIN_TABLE, tableName, withoutKeys } from './table.js';
import { transactWrite } from './transact.js';
import { putIf, queryAll, queryUpTo } from './versioned.js';

export interface ComplaintListQuery {
  status?: ComplaintStatus | undefined;
  severity?: Severity | undefined;
  breached?: boolean | undefined;
  customerId?: string | undefined;
  assigneeId?: string | undefined;
  team?: string | undefined;
  /** true: not closed; false: closed only. */
  open?: boolean | undefined;
  /** `nextDeadline`: open complaints, nearest deadline first (from the open index); default newest first. */
  sort?: 'nextDeadline' | 'newest' | undefined;
  /** Registration instants, inclusive, UTC ISO. */
  fromInstant: string;
  toInstant: string;
  limit: number;
  cursor?: string | undefined;
}

export interface PauseTotal {
  agentId: string;
  pauses: number;
  pausedSeconds: number;
}

/** Storage port for complaints. */
export interface ComplaintStore {
  /** Stores a new complaint with its first timeline entries (a second create of the same id is a Conflict); `extra` items join the same transaction. */
  create(complaint: Complaint, timeline: TimelineEntry[], extra?: TransactItem[]): Promise<void>;
  get(id: string): Promise<Complaint | undefined>;
  /**
   * Replaces `previous` with `next` if it is still at `previous.version` (else Conflict), with
   * the timeline entries of the change, the KPI counter difference, and the pause side items.
   */
  replace(
    next: Complaint,
    previous: Complaint,
    timeline: TimelineEntry[],
    pauseCredit?: PauseCredit,
    extra?: TransactItem[],
  ): Promise<void>;
  /** Writes an entry under a key derived from `name`, once: false when it was already there. */
  appendOnce(complaintId: string, entry: TimelineEntry, name: string): Promise<boolean>;
  /**
   * Writes an entry once per `name`, whatever its time: a notice sent on a retry at another
   * instant is not recorded twice. False when an entry of that name was written before.
   */
  recordOnce(complaintId: string, entry: TimelineEntry, name: string): Promise<boolean>;
  /** Adds entries that record something outside the complaint (a failure), each under a fresh key. */
  append(complaintId: string, entries: TimelineEntry[]): Promise<void>;
  list(query: ComplaintListQuery): Promise<Page<Complaint>>;
  timeline(id: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<TimelineEntry>>;
  /** The customer's closed complaints of a category closed at or after `closedSince` (for recurrence). */
  closedOfCustomer(
    customerId: string,
    category: string,
    closedSince: string,
  ): Promise<Array<Pick<Complaint, 'id' | 'category' | 'status' | 'closedAt'>>>;
  /** Ids of the customer's complaints awaiting the customer. */
  pausedOfCustomer(customerId: string): Promise<string[]>;
  /** SLA pause totals per agent for one month (YYYY-MM). */
  pauseTotals(month: string): Promise<PauseTotal[]>;
  /**
   * The open (not closed) complaints from the sparse open index, the fields a summary needs, at
   * most `budget` of them; `complete` is false when there were more (the backlog is a few days'
   * work, so the budget is a guard, not the usual case).
   */
  openBacklog(budget: number): Promise<{ items: OpenComplaint[]; complete: boolean }>;
  /**
   * Erasure: the free text of the customer's complaints (description, proposed solution, notes on
   * the timeline) replaced or removed; ids, categories, deadlines, outcomes and counters stay.
   * Safe to repeat. Returns how many complaints were rewritten.
   */
  eraseCustomerTexts(customerId: string): Promise<number>;
}

export type OpenComplaint = Pick<
  Complaint,
  'id' | 'category' | 'severity' | 'team' | 'status' | 'registeredAt' | 'breached' | 'description' | 'escalationLevel'
> & { resolvedAt?: string | undefined };

const OPEN_FIELDS = [
  'id',
  'category',
  'severity',
  'team',
  'status',
  'registeredAt',
  'breached',
  'description',
  'escalationLevel',
  'resolvedAt',
] as const;

const TABLE = () => tableName(MAIN_TABLE);

function toItem(complaint: Complaint) {
  return {
    ...complaintKeys.item(complaint.id),
    ...complaintKeys.byCustomer(complaint.customerId, complaint.registeredAt, complaint.id),
    ...complaintKeys.byStatus(complaint.status, complaint.registeredAt, complaint.id),
    ...complaintKeys.byMonth(complaint.registeredAt, complaint.id),
    ...(complaint.breached ? complaintKeys.breached(complaint.registeredAt, complaint.id) : {}),
    ...(complaint.status !== 'closed'
      ? complaintKeys.open(complaint, nextOpenMilestone(complaint)?.dueBy ?? null)
      : {}),
    type: EntityType.complaint,
    ...complaint,
  };
}

export function fromItem(item: Record<string, unknown>): Complaint {
  return withoutKeys<Complaint>(item);
}

/** Suffixes increase with every entry this process writes, so entries of the same instant keep the order they were written in. */
const nextSuffix = monotonicFactory();
const suffix = () => nextSuffix();

function timelineItem(complaintId: string, entry: TimelineEntry, keySuffix: string) {
  return {
    ...complaintKeys.timeline(complaintId, entry.at, keySuffix),
    type: EntityType.complaintTimeline,
    at: entry.at,
    event: entry.type,
    actor: entry.actor,
    detail: entry.detail,
  };
}

const timelinePuts = (complaintId: string, entries: TimelineEntry[]): TransactItem[] =>
  entries.map((entry) => ({ Put: { TableName: TABLE(), Item: timelineItem(complaintId, entry, suffix()) } }));

/** The pause side items of a change: the customer's paused marker follows the pause; a finished pause credits its agent. */
function pauseItems(next: Complaint, previous: Complaint, credit: PauseCredit | undefined): TransactItem[] {
  const items: TransactItem[] = [];
  const marker = complaintKeys.pausedMarker(next.customerId, next.id);
  if (next.pause && !previous.pause) {
    items.push({
      Put: {
        TableName: TABLE(),
        Item: { ...marker, type: EntityType.complaintPaused, complaintId: next.id, since: next.pause.since },
      },
    });
  }
  if (!next.pause && previous.pause) items.push({ Delete: { TableName: TABLE(), Key: marker } });
  if (credit) {
    items.push({
      Update: {
        TableName: TABLE(),
        Key: complaintKeys.pausesOfAgent(credit.month, credit.agentId),
        UpdateExpression: 'SET #type = :type, #agentId = :agentId ADD #pauses :one, #seconds :seconds',
        ExpressionAttributeNames: {
          '#type': 'type',
          '#agentId': 'agentId',
          '#pauses': 'pauses',
          '#seconds': 'pausedSeconds',
        },
        ExpressionAttributeValues: {
          ':type': EntityType.pauseTotals,
          ':agentId': credit.agentId,
          ':one': 1,
          ':seconds': credit.seconds,
        },
      },
    });
  }
  return items;
}

/** How many items one list call reads at most, whatever its filters discard (a short page then has a cursor). */
export const LIST_READ_BUDGET = 1000;
/**
 * Queries a list call makes at most (one per day or month partition, one more per page inside a
 * partition): a long, sparse range, or full days a filter mostly discards, cost bounded Queries a call.
 */
export const LIST_QUERY_BUDGET = 100;

/**
 * The partitions that hold a list query's complaints with the remaining filters: newest first, or,
 * for `sort=nextDeadline`, the open index of the assignee, the team or everyone, nearest deadline first.
 */
export function partitionsFor(query: ComplaintListQuery): PartitionQuery[] {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const where = (attribute: string, value: unknown, operator = '=') => {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    conditions.push(`#${attribute} ${operator} :${attribute}`);
  };
  let partitions: Array<Omit<PartitionQuery, 'filter'>>;
  const between = (prefix = ''): { between: [string, string] } => ({
    between: [`${prefix}${query.fromInstant}`, `${prefix}${query.toInstant}~`],
  });
  const months = () => monthsBetween(query.fromInstant, query.toInstant);
  if (query.sort === 'nextDeadline') {
    // Sorted by deadline, so the registration window is a filter here, not a key range.
    names['#registeredAt'] = 'registeredAt';
    values[':registeredFrom'] = query.fromInstant;
    values[':registeredTo'] = `${query.toInstant}~`;
    conditions.push('#registeredAt BETWEEN :registeredFrom AND :registeredTo');
    if (query.assigneeId) {
      partitions = [{ index: 'gsi5', partitionKey: complaintKeys.openOfAssigneePartition(query.assigneeId) }];
      if (query.team) where('team', query.team);
    } else if (query.team) {
      partitions = [{ index: 'gsi6', partitionKey: complaintKeys.openOfTeamPartition(query.team) }];
    } else {
      partitions = [{ index: 'gsi7', partitionKey: complaintKeys.openPartition }];
    }
    if (query.status) where('status', query.status);
    if (query.breached !== undefined) where('breached', query.breached);
  } else {
    if (query.customerId) {
      partitions = [
        {
          index: 'gsi1',
          partitionKey: complaintKeys.customerPartition(query.customerId),
          sortKey: between(complaintKeys.customerSortPrefix),
        },
      ];
      if (query.status) where('status', query.status);
      if (query.breached !== undefined) where('breached', query.breached);
    } else if (query.status) {
      const status = query.status;
      partitions = months().map((month) => ({
        index: 'gsi2' as const,
        partitionKey: complaintKeys.statusPartition(status, month),
        sortKey: between(),
      }));
      if (query.breached !== undefined) where('breached', query.breached);
    } else if (query.breached) {
      partitions = months().map((month) => ({
        index: 'gsi4' as const,
        partitionKey: complaintKeys.breachedPartition(month),
        sortKey: between(),
      }));
    } else {
      partitions = months().map((month) => ({
        index: 'gsi3' as const,
        partitionKey: complaintKeys.monthPartition(month),
        sortKey: between(),
      }));
      if (query.breached === false) where('breached', false);
    }
    if (query.assigneeId) where('assigneeId', query.assigneeId);
    if (query.team) where('team', query.team);
    if (query.open !== undefined && !query.status) where('status', 'closed', query.open ? '<>' : '=');
  }
  if (query.severity) where('severity', query.severity);
  const filter = conditions.length ? { expression: conditions.join(' AND '), names, values } : undefined;
  return partitions.map((partition) => (filter ? { ...partition, filter } : partition));
}

export const dynamoComplaintStore: ComplaintStore = {
  async openBacklog(budget) {
    const { items, complete } = await queryUpTo(
      {
        TableName: TABLE(),
        IndexName: 'gsi7',
        KeyConditionExpression: 'gsi7pk = :pk',
        ExpressionAttributeValues: { ':pk': complaintKeys.openPartition },
        ProjectionExpression: OPEN_FIELDS.map((_, i) => `#f${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(OPEN_FIELDS.map((field, i) => [`#f${i}`, field])),
      },
      budget,
    );
    return { items: items as OpenComplaint[], complete };
  },

  async create(complaint, timeline, extra = []) {
    await writeWithCounters(
      [
        { Put: { TableName: TABLE(), Item: toItem(complaint), ConditionExpression: 'attribute_not_exists(pk)' } },
        ...timelinePuts(complaint.id, timeline),
        // The customer's complaint count (frequent complainer, at risk) moves with the complaint, in its local month.
        customerActivityUpdate(complaint.customerId, activityDelta('complaints', complaint.serviceDay.slice(0, 7))),
        ...extra,
        // A campaign's audience (shared/store/audience.ts): the customer complained, and was active, that local day.
        ...(['complained', 'active'] as const).map((kind) =>
          audienceMarkerUpdate({
            customerId: complaint.customerId,
            kind,
            day: complaint.serviceDay,
            team: complaint.team,
            channel: complaint.channel,
          }),
        ),
      ],
      contributionDelta([], complaintContributions(complaint)),
      complaint.id,
      () => new Conflict(`Complaint ${complaint.id} already exists.`),
    );
  },

  async get(id) {
    const result = await dynamo().send(
      new GetCommand({ TableName: TABLE(), Key: complaintKeys.item(id), ConsistentRead: true }),
    );
    return result.Item ? fromItem(result.Item) : undefined;
  },

  async replace(next, previous, timeline, pauseCredit, extra = []) {
    await writeWithCounters(
      [
        {
          Put: {
            TableName: TABLE(),
            Item: toItem(next),
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': previous.version },
          },
        },
        ...timelinePuts(next.id, timeline),
        ...pauseItems(next, previous, pauseCredit),
        ...extra,
      ],
      contributionDelta(complaintContributions(previous), complaintContributions(next)),
      next.id,
      () => new Conflict(`Complaint ${next.id} was changed by someone else.`),
    );
  },

  appendOnce(complaintId, entry, name) {
    return putIf({
      TableName: TABLE(),
      Item: timelineItem(complaintId, entry, name),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  },

  async recordOnce(complaintId, entry, name) {
    try {
      await transactWrite(
        () => [
          {
            Put: {
              TableName: TABLE(),
              Item: { ...complaintKeys.once(complaintId, name), type: EntityType.complaintTimelineMark, at: entry.at },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: TABLE(), Item: timelineItem(complaintId, entry, suffix()) } },
        ],
        'timeline entry',
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  },

  async append(complaintId, entries) {
    for (const entry of entries) {
      await dynamo().send(new PutCommand({ TableName: TABLE(), Item: timelineItem(complaintId, entry, suffix()) }));
    }
  },

  async list(query) {
    const page = await queryPartitions<Record<string, unknown>>(partitionsFor(query), {
      limit: query.limit,
      cursor: query.cursor,
      descending: query.sort !== 'nextDeadline',
      maxRead: LIST_READ_BUDGET,
      maxQueries: LIST_QUERY_BUDGET,
    });
    return { items: page.items.map(fromItem), nextCursor: page.nextCursor };
  },

  async timeline(id, { limit, cursor }) {
    const page = await queryPartitions<Record<string, unknown>>(
      [{ partitionKey: complaintKeys.partition(id), sortKey: { beginsWith: complaintKeys.timelinePrefix } }],
      { limit, cursor },
    );
    return {
      items: page.items.map((item) => ({
        at: String(item.at),
        type: item.event as TimelineEntry['type'],
        actor: String(item.actor),
        detail: (item.detail ?? {}) as Record<string, unknown>,
      })),
      nextCursor: page.nextCursor,
    };
  },

  async closedOfCustomer(customerId, category, closedSince) {
    const slugs = slugsOfCode(category);
    const found = await queryAll({
      TableName: TABLE(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      // The code, and the free slugs that meant it before the list existed (not yet migrated).
      FilterExpression: `#status = :closed AND #category IN (${slugs.map((_, i) => `:c${i}`).join(', ')}) AND #closedAt >= :since`,
      ProjectionExpression: '#id, #category, #status, #closedAt',
      ExpressionAttributeNames: {
        '#id': 'id',
        '#status': 'status',
        '#category': 'category',
        '#closedAt': 'closedAt',
      },
      ExpressionAttributeValues: {
        ':pk': complaintKeys.customerPartition(customerId),
        ':prefix': complaintKeys.customerSortPrefix,
        ':closed': 'closed',
        ...Object.fromEntries(slugs.map((slug, i) => [`:c${i}`, slug])),
        ':since': closedSince,
      },
    });
    return found as Array<Pick<Complaint, 'id' | 'category' | 'status' | 'closedAt'>>;
  },

  async pausedOfCustomer(customerId) {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: TABLE(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': complaintKeys.pausedMarkerPartition(customerId),
          ':prefix': complaintKeys.pausedMarkerPrefix,
        },
      }),
    );
    return (page.Items ?? []).map((item) => String(item.complaintId));
  },

  async pauseTotals(month) {
    const items = await queryAll({
      TableName: TABLE(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': complaintKeys.pausesPartition(month) },
    });
    return items.map(
      (item): PauseTotal => ({
        agentId: String(item.agentId),
        pauses: Number(item.pauses ?? 0),
        pausedSeconds: Number(item.pausedSeconds ?? 0),
      }),
    );
  },
  eraseCustomerTexts: eraseComplaintTexts,
};

/** What replaces free text written about a customer who asked to be erased. */
export const ERASED_TEXT = '[erased at the customer’s request]';

/**
 * Erases the free text of a customer's complaints (description, proposed solution, notes on the
 * timeline), which may hold personal data. Ids, categories, deadlines, outcomes and KPI counters
 * stay: they are anonymous. Safe to repeat.
 */
async function eraseComplaintTexts(customerId: string): Promise<number> {
  let erased = 0;
  let cursor: string | undefined;
  do {
    const page = await queryPartitions<Record<string, unknown>>(
      [
        {
          index: 'gsi1',
          partitionKey: complaintKeys.customerPartition(customerId),
          sortKey: { beginsWith: complaintKeys.customerSortPrefix },
        },
      ],
      { limit: 100, cursor },
    );
    for (const item of page.items) {
      const id = String(item.id);
      await dynamo().send(
        new UpdateCommand({
          TableName: TABLE(),
          Key: complaintKeys.item(id),
          UpdateExpression: 'SET #description = :erased, #version = #version + :one REMOVE #solution',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#description': 'description', '#solution': 'solution', '#version': 'version' },
          ExpressionAttributeValues: { ':erased': ERASED_TEXT, ':one': 1 },
        }),
      );
      let timelineCursor: string | undefined;
      do {
        const entries = await queryPartitions<Record<string, unknown>>(
          [{ partitionKey: complaintKeys.partition(id), sortKey: { beginsWith: complaintKeys.timelinePrefix } }],
          {
            limit: 100,
            cursor: timelineCursor,
          },
        );
        for (const entry of entries.items) {
          const detail = (entry.detail ?? {}) as Record<string, unknown>;
          if (detail.note === undefined && detail.solution === undefined) continue;
          await dynamo().send(
            new UpdateCommand({
              TableName: TABLE(),
              Key: { pk: String(entry.pk), sk: String(entry.sk) },
              UpdateExpression: 'REMOVE #detail.#note, #detail.#solution',
              ExpressionAttributeNames: { '#detail': 'detail', '#note': 'note', '#solution': 'solution' },
            }),
          );
        }
        timelineCursor = entries.nextCursor ?? undefined;
      } while (timelineCursor);
      erased += 1;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return erased;
}
