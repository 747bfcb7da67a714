/**
 * The changes feed (`GET /changes`): one small item per write of a complaint, interaction, alert or
 * improvement, put in the record's own transaction, so a change is in the feed exactly when the
 * record is (no stream consumer to lag or fail, nothing to replay). Items are keyed by the hour and
 * one of CHANGE_SHARDS shards (the record id's hash): an hour's writes never meet in one partition,
 * and a poll reads hours × shards Queries from its cursor, however many records exist.
 *
 * Cost: one extra item of ~150 bytes per record write (1 WCU, inside the transaction: 2 WCU as
 * transactional writes are), expiring after the retention.
 */

import { createHash } from 'node:crypto';
import { defined } from '../domain/errors.js';
import { ports } from '../ports.js';
import { dynamo } from './client.js';
import { CHANGE_SHARDS, changeKeys, EntityType } from './keys.js';
import { QueryCommand } from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';
import type { TransactItem } from './transact.js';

/** The changes feed as read by `GET /changes`. */
export interface ChangeFeed {
  /**
   * Changes after `after` up to the instant `until`, oldest first, of the given types, at most
   * `limit`, with the position to continue from.
   */
  readChanges(query: {
    after: string;
    until: string;
    types: readonly ChangeType[];
    limit: number;
  }): Promise<{ items: Change[]; position: string }>;
}

export const CHANGE_TYPES = ['complaint', 'interaction', 'alert', 'improvement'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** How long the feed keeps a change: a cursor older than this is refused (410) and the screen reloads its lists. */
export const CHANGE_RETENTION_HOURS = 24;

/** The stored entity types the feed reports, by their feed name. */
const WATCHED: Record<string, ChangeType> = {
  [EntityType.complaint]: 'complaint',
  [EntityType.interaction]: 'interaction',
  [EntityType.alert]: 'alert',
  [EntityType.improvement]: 'improvement',
};

/** An alert's steps as versions in the feed (an alert record has no version of its own). */
export const ALERT_VERSIONS = { raised: 1, claimed: 2, done: 3 } as const;

export interface Change {
  type: ChangeType;
  id: string;
  version: number;
  changedAt: string;
  deleted?: boolean;
}

const shardOf = (id: string) => createHash('sha1').update(id).digest().readUInt8(0) % CHANGE_SHARDS;

/** The feed item of one change, as a transaction's Put. */
export function changePut(change: Change): TransactItem {
  const changedAt = new Date(change.changedAt);
  return {
    Put: {
      TableName: tableName(MAIN_TABLE),
      Item: {
        ...changeKeys.item(change.changedAt, change.type, change.id, change.version, shardOf(change.id)),
        type: EntityType.change,
        changeType: change.type,
        id: change.id,
        version: change.version,
        changedAt: change.changedAt,
        ...(change.deleted ? { deleted: true } : {}),
        expiresAt: Math.floor(changedAt.getTime() / 1000) + (CHANGE_RETENTION_HOURS + 1) * 3600,
      },
    },
  };
}

/**
 * The feed items of a transaction's writes: one per Put of a watched record (complaint,
 * interaction, alert, improvement), at the server's clock now. Updates name their change
 * themselves (`changePut`), as they do not carry the record.
 */
export function changesOf(writes: readonly TransactItem[]): TransactItem[] {
  const changedAt = ports().clock.now().toISOString();
  return writes.flatMap((write) => {
    const item = write.Put?.Item as Record<string, unknown> | undefined;
    const type = item ? WATCHED[String(item.type)] : undefined;
    // Alerts carry no version: raising one is its version 1 (claim 2, outcome 3: see the alert store).
    const version =
      typeof item?.version === 'number' ? item.version : type === 'alert' ? ALERT_VERSIONS.raised : undefined;
    if (!item || !type || typeof item.id !== 'string' || version === undefined) return [];
    return [changePut({ type, id: item.id, version, changedAt })];
  });
}

/** A position in the feed: the sort key of the last change read, or `<instant>#~` (everything up to the instant). */
export const positionAt = (instant: string) => `${instant}#~`;
export const instantOf = (position: string) => position.slice(0, 24);

const hoursBetween = (from: string, to: string): string[] => {
  const hours: string[] = [];
  for (let t = Date.parse(`${from.slice(0, 13)}:00:00.000Z`); t <= Date.parse(to); t += 3600_000)
    hours.push(new Date(t).toISOString().slice(0, 13));
  return hours;
};

/**
 * Changes after `after` up to the instant `until`, oldest first, of the given types, at most
 * `limit`: reads each hour's shards (a Query each, paged), merges them by sort key, stops once
 * `limit` are found. Returns them with the position to continue from.
 */
async function readChanges(query: {
  after: string;
  until: string;
  types: readonly ChangeType[];
  limit: number;
}): Promise<{ items: Change[]; position: string }> {
  const items: Array<Change & { sk: string }> = [];
  const end = positionAt(query.until);
  const lower = `${query.after}\u0000`;
  if (lower > end) return { items: [], position: query.after };
  const filter = query.types.length < CHANGE_TYPES.length;
  for (const hour of hoursBetween(instantOf(query.after), query.until)) {
    const want = query.limit - items.length;
    const found = await Promise.all(
      Array.from({ length: CHANGE_SHARDS }, async (_, shard) => {
        const rows: Array<Change & { sk: string }> = [];
        let startKey: Record<string, unknown> | undefined;
        do {
          const result = await dynamo().send(
            new QueryCommand({
              TableName: tableName(MAIN_TABLE),
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lower AND :upper',
              ...(filter
                ? {
                    FilterExpression: 'changeType IN (' + query.types.map((_t, i) => `:t${i}`).join(', ') + ')',
                  }
                : {}),
              ExpressionAttributeValues: {
                ':pk': changeKeys.partition(hour, shard),
                ':lower': lower,
                ':upper': end,
                ...(filter ? Object.fromEntries(query.types.map((t, i) => [`:t${i}`, t])) : {}),
              },
              ExclusiveStartKey: startKey,
              Limit: want,
            }),
          );
          for (const item of result.Items ?? [])
            rows.push({
              type: item.changeType as ChangeType,
              id: String(item.id),
              version: Number(item.version),
              changedAt: String(item.changedAt),
              ...(item.deleted ? { deleted: true } : {}),
              sk: String(item.sk),
            });
          startKey = result.LastEvaluatedKey;
        } while (startKey && rows.length < want);
        return rows;
      }),
    );
    const merged = found
      .flat()
      .sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0))
      .slice(0, want);
    items.push(...merged);
    if (items.length >= query.limit) {
      const last = defined(items.at(-1), 'the last change read');
      return { items: items.map(({ sk: _sk, ...change }) => change), position: last.sk };
    }
  }
  return { items: items.map(({ sk: _sk, ...change }) => change), position: end };
}

export const dynamoChangeFeed: ChangeFeed = { readChanges };
