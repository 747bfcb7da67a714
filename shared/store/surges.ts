/**
 * Complaint surges: each category's complaints per UTC hour (day items, ADDed in the registration's
 * own transaction, so a retried registration never counts twice), read back for a check in ONE
 * Query of the category's partition; and the opening of a surge, once per category and local day:
 * the day's marker (conditional put), the `surge` alert in the call-back queue, the draft
 * improvement for the 72 h assessment and the complaints desk's notice, in one transaction.
 */

import { createHash } from 'node:crypto';
import type { AlertStatus } from '../domain/alerts.js';
import type { HourCounts } from '../domain/surges.js';
import { surgeHourOf } from '../domain/surges.js';
import type { AlertOutcome } from '../schemas/vocabulary.js';
import { type NewTask, scheduleTaskItem } from './followups.js';
import { type ImprovementRecord, improvementItem } from './improvements.js';
import { alertKeys, EntityType, SURGE_COUNT_SHARDS, surgeKeys } from './keys.js';
import { type Page, queryPartitions } from './paging.js';
import { MAIN_TABLE, tableName, withoutKeys } from './table.js';
import { firstItemConditionFailed, type TransactItem, transactWrite } from './transact.js';
import { queryAll } from './versioned.js';

/** Storage port of surges. */
export interface SurgeStore {
  /** The category's hour counts of the UTC days `from`..`to`: one (strongly consistent) Query. */
  hourCounts(category: string, from: string, to: string): Promise<HourCounts[]>;
  /**
   * Opens the category's surge of a local day with its draft improvement and notice task, all or
   * nothing; false when that day's surge of the category is open already.
   */
  open(alert: SurgeAlertRecord, improvement: ImprovementRecord, notice: NewTask, now: Date): Promise<boolean>;
  /** Surge alerts opened in the local months given (newest first within each), at most `limit`. */
  ofMonths(months: string[], limit: number): Promise<Page<SurgeAlertRecord>>;
}

const table = () => tableName(MAIN_TABLE);

/** A surge in the call-back queue (GET /alerts?kind=surge): claimed and closed like any alert. */
export interface SurgeAlertRecord {
  id: string;
  kind: 'surge';
  status: AlertStatus;
  /** Local day it opened (the day partition it is listed under; once per category and day). */
  day: string;
  raisedAt: string;
  category: string;
  /** The complaints of the category in the 24 hours up to the opening, and its daily mean before. */
  last24h: number;
  dailyMean: number;
  /** The registration that reached the threshold. */
  triggeredBy: string;
  /** The draft improvement (the special assessment) opened with it. */
  improvementId: string;
  /** The assessment is due 72 hours after the opening. */
  dueBy: string;
  claimedBy?: string;
  claimedAt?: string;
  outcome?: AlertOutcome;
  outcomeAt?: string;
  outcomeBy?: string;
  handledInTime?: boolean;
  note?: string;
  complaintId?: string;
}

/** The counter item of a registration: its category, UTC day and a shard chosen by its id. */
export function surgeCountUpdate(category: string, registeredAt: Date, complaintId: string): TransactItem {
  const { day, hour } = surgeHourOf(registeredAt);
  const shard = createHash('sha1').update(complaintId).digest().readUInt8(0) % SURGE_COUNT_SHARDS;
  return {
    Update: {
      TableName: table(),
      Key: surgeKeys.count(category, day, shard),
      UpdateExpression: 'SET #type = :type, #day = :day ADD #hour :one',
      ExpressionAttributeNames: { '#type': 'type', '#day': 'day', '#hour': hour },
      ExpressionAttributeValues: { ':type': EntityType.surgeCount, ':day': day, ':one': 1 },
    },
  };
}

async function hourCounts(category: string, from: string, to: string): Promise<HourCounts[]> {
  const [lower, upper] = surgeKeys.countRange(from, to);
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lower AND :upper',
    ExpressionAttributeValues: { ':pk': surgeKeys.partition(category), ':lower': lower, ':upper': upper },
    ConsistentRead: true,
  });
  return items.map((item) => {
    const hours: Record<string, number> = {};
    for (const [name, value] of Object.entries(item))
      if (/^h\d\d$/.test(name) && typeof value === 'number') hours[name] = value;
    return { day: String(item.day), hours };
  });
}

/** The stored item of a surge alert: listed by day, in the queue by status, and by month. */
export function surgeAlertItem(alert: SurgeAlertRecord): Record<string, unknown> {
  return {
    ...alertKeys.item(alert.id),
    ...alertKeys.byDay(alert.day, alert.raisedAt, alert.id),
    ...alertKeys.byStatus('open', alert.dueBy, alert.id),
    ...surgeKeys.byMonth(alert.day, alert.raisedAt, alert.id),
    type: EntityType.alert,
    ...alert,
  };
}

async function open(
  alert: SurgeAlertRecord,
  improvement: ImprovementRecord,
  notice: NewTask,
  now: Date,
): Promise<boolean> {
  try {
    await transactWrite(
      () => [
        {
          Put: {
            TableName: table(),
            Item: {
              ...surgeKeys.raised(alert.category, alert.day),
              type: EntityType.surgeRaised,
              alertId: alert.id,
              raisedAt: alert.raisedAt,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: table(), Item: surgeAlertItem(alert), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName: table(),
            Item: improvementItem(improvement),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        scheduleTaskItem(notice, now),
      ],
      `surge ${alert.category}`,
    );
    return true;
  } catch (error) {
    // The day's marker was there: that surge is open already (a conflict alone is retried, then a 503).
    if (firstItemConditionFailed(error)) return false;
    throw error;
  }
}

async function ofMonths(months: string[], limit: number): Promise<Page<SurgeAlertRecord>> {
  const page = await queryPartitions<Record<string, unknown>>(
    months.map((month) => ({ index: 'gsi4' as const, partitionKey: surgeKeys.monthPartition(month) })),
    { limit, descending: true },
  );
  return { items: page.items.map((item) => withoutKeys<SurgeAlertRecord>(item)), nextCursor: page.nextCursor };
}

export const dynamoSurgeStore: SurgeStore = { hourCounts, open, ofMonths };
