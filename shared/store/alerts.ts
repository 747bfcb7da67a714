/**
 * The call-back queue: the alerts a negative answer raised (written with the response,
 * shared/store/surveys.ts), listed by status through a sparse index (gsi3) — open and claimed
 * ones in one partition each, soonest due first; done ones by the month of their outcome — claimed
 * by one person with a conditional write, and closed with an outcome that counts toward
 * `alertsHandledInTime` in the same transaction (pre-aggregated, never scanned).
 */

import type { AggregateCell } from '../domain/aggregates.js';
import type { AlertStatus } from '../domain/alerts.js';
import { Conflict } from '../domain/errors.js';
import type { AlertOutcome } from '../schemas/vocabulary.js';
import { type TransactItem, writeWithCounters } from './aggregates.js';
import { ALERT_VERSIONS, changePut } from './changes.js';
import { dynamo } from './client.js';
import { alertKeys } from './keys.js';
import { type Page, type PartitionQuery, queryPartitions } from './paging.js';
import { GetCommand } from './sdk.js';
import type { SurgeAlertRecord } from './surges.js';
import type { AlertRecord } from './surveys.js';
import { MAIN_TABLE, tableName, withoutKeys } from './table.js';

/** Whatever the queue holds: a negative answer to call back, or a complaint surge to assess. */
export type QueuedAlert = AlertRecord | SurgeAlertRecord;
/** The stored kinds of alerts, as `GET /alerts?kind=` names them. */
export const STORED_ALERT_KIND = { feedback: 'negative_feedback', surge: 'surge' } as const;

/** Storage port of the call-back queue. */
export interface AlertStore {
  get(id: string): Promise<QueuedAlert | undefined>;
  /** Open and claimed alerts (soonest due first), or one status; `team` narrows it. Queries, never a Scan. */
  list(query: AlertListQuery): Promise<Page<QueuedAlert>>;
  /**
   * Claims an open alert for `by` (again for the same person: no change). False when someone else
   * holds it or it is done. `alsoWrite`: items of the same transaction (a keyed request's claim).
   */
  claim(id: string, by: string, now: Date, alsoWrite?: TransactItem[]): Promise<boolean>;
  /**
   * Closes an open alert, or one `by` claimed, with its outcome; counts it as handled in time
   * when `inTime` (in the cell of its due day). False when it is done or someone else holds it.
   */
  close(
    alert: QueuedAlert,
    outcome: { outcome: AlertOutcome; note?: string | undefined; complaintId?: string | undefined },
    by: string,
    now: Date,
    inTime: boolean,
    alsoWrite?: TransactItem[],
  ): Promise<boolean>;
}

const table = () => tableName(MAIN_TABLE);

export interface AlertListQuery {
  status?: AlertStatus | undefined;
  team?: string | undefined;
  kind?: keyof typeof STORED_ALERT_KIND | undefined;
  /** status=done: the months (YYYY-MM, UTC) of the outcomes to list, newest first. */
  months: string[];
  limit: number;
  cursor?: string | undefined;
}

async function get(id: string): Promise<QueuedAlert | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: alertKeys.item(id), ConsistentRead: true }),
  );
  return result.Item ? withoutKeys<QueuedAlert>(result.Item) : undefined;
}

function partitionsOf(query: AlertListQuery): PartitionQuery[] {
  const statuses: AlertStatus[] = query.status ? [query.status] : ['open', 'claimed'];
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (query.team) {
    conditions.push('#team = :team');
    names['#team'] = 'team';
    values[':team'] = query.team;
  }
  if (query.kind) {
    conditions.push('#kind = :kind');
    names['#kind'] = 'kind';
    values[':kind'] = STORED_ALERT_KIND[query.kind];
  }
  const filter = conditions.length ? { expression: conditions.join(' AND '), names, values } : undefined;
  return statuses.flatMap((status) =>
    (status === 'done'
      ? query.months.map((month) => alertKeys.statusPartition('done', month))
      : [alertKeys.statusPartition(status)]
    ).map((partitionKey) => ({ index: 'gsi3' as const, partitionKey, ...(filter ? { filter } : {}) })),
  );
}

async function list(query: AlertListQuery): Promise<Page<QueuedAlert>> {
  const page = await queryPartitions<Record<string, unknown>>(partitionsOf(query), {
    limit: query.limit,
    cursor: query.cursor,
    descending: query.status === 'done',
  });
  return { items: page.items.map((item) => withoutKeys<QueuedAlert>(item)), nextCursor: page.nextCursor };
}

async function claim(id: string, by: string, now: Date, alsoWrite: TransactItem[] = []): Promise<boolean> {
  const current = await get(id);
  if (!current?.dueBy) return false;
  const index = alertKeys.byStatus('claimed', current.dueBy, id);
  try {
    await writeWithCounters(
      [
        {
          Update: {
            TableName: table(),
            Key: alertKeys.item(id),
            UpdateExpression:
              'SET #status = :claimed, claimedBy = :by, claimedAt = if_not_exists(claimedAt, :now), gsi3pk = :pk, gsi3sk = :sk',
            ConditionExpression: '#status = :open OR (#status = :claimed AND claimedBy = :by)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':claimed': 'claimed',
              ':open': 'open',
              ':by': by,
              ':now': now.toISOString(),
              ':pk': index.gsi3pk,
              ':sk': index.gsi3sk,
            },
          },
        },
        changePut({ type: 'alert', id, version: ALERT_VERSIONS.claimed, changedAt: now.toISOString() }),
        ...alsoWrite,
      ],
      [],
      id,
      () => new Conflict(`Alert ${id} is held by someone else or done.`),
    );
    return true;
  } catch (error) {
    if (error instanceof Conflict) return false;
    throw error;
  }
}

async function close(
  alert: QueuedAlert,
  outcome: { outcome: AlertOutcome; note?: string | undefined; complaintId?: string | undefined },
  by: string,
  now: Date,
  inTime: boolean,
  alsoWrite: TransactItem[] = [],
): Promise<boolean> {
  const at = now.toISOString();
  const index = alertKeys.byStatus('done', at, alert.id, at.slice(0, 7));
  const values: Record<string, unknown> = {
    ':done': 'done',
    ':open': 'open',
    ':claimed': 'claimed',
    ':by': by,
    ':now': at,
    ':outcome': outcome.outcome,
    ':inTime': inTime,
    ':pk': index.gsi3pk,
    ':sk': index.gsi3sk,
  };
  const sets = [
    '#status = :done',
    'outcome = :outcome',
    'outcomeAt = :now',
    'outcomeBy = :by',
    'handledInTime = :inTime',
    'gsi3pk = :pk',
    'gsi3sk = :sk',
  ];
  if (outcome.note) {
    sets.push('note = :note');
    values[':note'] = outcome.note;
  }
  if (outcome.complaintId) {
    sets.push('complaintId = :complaintId');
    values[':complaintId'] = outcome.complaintId;
  }
  // Only answers to call back count toward alertsHandledInTime; a surge's assessment does not.
  const counted = alert.kind === 'negative_feedback' ? alert : undefined;
  const cell: AggregateCell | undefined = counted?.dueCell;
  try {
    await writeWithCounters(
      [
        {
          Update: {
            TableName: table(),
            Key: alertKeys.item(alert.id),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: '#status = :open OR (#status = :claimed AND claimedBy = :by)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: values,
          },
        },
        changePut({ type: 'alert', id: alert.id, version: ALERT_VERSIONS.done, changedAt: at }),
        ...alsoWrite,
      ],
      inTime && cell && counted?.responseValid ? [{ cell, counters: { alerts_in_time: 1 } }] : [],
      alert.id,
      () => new Conflict(`Alert ${alert.id} is done, or someone else holds it.`),
    );
    return true;
  } catch (error) {
    if (error instanceof Conflict) return false;
    throw error;
  }
}

export const dynamoAlertStore: AlertStore = { get, list, claim, close };
