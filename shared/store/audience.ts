/**
 * A campaign's audience, found through indexes (keys.ts `audienceKeys`): one small marker item per
 * customer and local month they were active or complained, written with the record that made them
 * so, and listed by month from a sparse gsi2 partition per shard. Reading an audience costs one
 * marker per customer and month, whatever the number of contacts behind it (more only for a
 * customer whose concurrent contacts met: `audienceMarkerUpdate`); nothing Scans.
 */
import { createHash } from 'node:crypto';
import type { PerAttempt } from './aggregates.js';
import { dynamo } from './client.js';
import { AUDIENCE_SHARDS, type AudienceKind, audienceKeys, EntityType } from './keys.js';
import { QueryCommand } from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';
import type { TransactItem } from './transact.js';

/** A campaign's audience: the customers with a marker of a kind in a period, without a Scan. */
export interface AudienceStore {
  /**
   * The customers with a `kind` marker on a local day in `from`..`to` (inclusive): months ×
   * AUDIENCE_SHARDS Queries of the sparse index. `reads` counts the marker items read. With
   * `maxReads`, the reading stops once that many markers were read: `complete` says whether every
   * marker was (a request bounds its reads this way; a job reads them all).
   */
  audienceBetween(
    kind: AudienceKind,
    from: string,
    to: string,
    options?: { maxReads?: number | undefined },
  ): Promise<AudienceRead>;
}

/** An audience as read: its members, the marker items read, and whether every marker was read. */
export interface AudienceRead {
  members: Map<string, AudienceMember>;
  reads: number;
  complete: boolean;
}

/** The shard of a customer's markers: stable, so a month's markers of one customer are one item in one partition. */
export const audienceShard = (customerId: string) =>
  createHash('sha1').update(customerId).digest().readUInt8(0) % AUDIENCE_SHARDS;

/** What a record adds to its customer's marker: the local day and the team it was counted under. */
export interface AudienceMark {
  customerId: string;
  kind: AudienceKind;
  /** Local service day, YYYY-MM-DD. */
  day: string;
  team?: string | undefined;
  /** The contact channel (phone, chat…), for a sample stratified by channel. */
  channel?: string | undefined;
}

/** The Update that records `mark` on its customer's marker of that month (creating it); `spread` names a spread item (keys.ts). */
function markerUpdate(mark: AudienceMark, spread: string | undefined): TransactItem {
  const month = mark.day.slice(0, 7);
  const index = audienceKeys.byMonth(mark.customerId, mark.kind, month, audienceShard(mark.customerId));
  return {
    Update: {
      TableName: tableName(MAIN_TABLE),
      Key: audienceKeys.marker(mark.customerId, mark.kind, month, spread),
      UpdateExpression: `SET #type = :type, #customerId = :customerId, gsi2pk = :gpk, gsi2sk = :gsk ADD #days :day${
        mark.team ? ', #teams :team' : ''
      }${mark.channel ? ', #channels :channel' : ''}`,
      ExpressionAttributeNames: {
        '#type': 'type',
        '#customerId': 'customerId',
        '#days': 'days',
        ...(mark.team ? { '#teams': 'teams' } : {}),
        ...(mark.channel ? { '#channels': 'channels' } : {}),
      },
      ExpressionAttributeValues: {
        ':type': EntityType.audienceMarker,
        ':customerId': mark.customerId,
        ':gpk': index.gsi2pk,
        ':gsk': index.gsi2sk,
        ':day': new Set([mark.day]),
        ...(mark.team ? { ':team': new Set([mark.team]) } : {}),
        ...(mark.channel ? { ':channel': new Set([mark.channel]) } : {}),
      },
    },
  };
}

/**
 * The Update that records `mark` on its customer's marker of that month (creating it), for the
 * transaction of the record that made it so (`writeWithCounters`), built for each attempt: the first attempt
 * adds to the customer's one marker item of the month; a retry after a conflict adds to the spread
 * item named by the counter item that attempt picked (`<shard>.<slot>`, 8× wider each retry). Every
 * contact of one customer otherwise meets on that one item: 16 concurrent contacts of one customer
 * (a call-centre robot, an import) cancelled each other until writes ran out of attempts. Two
 * retries meet on a spread item only where they meet on the counter item too, so the marker adds
 * no conflict of its own to a retry; readers merge a customer's items (`audienceBetween`).
 */
export function audienceMarkerUpdate(mark: AudienceMark): PerAttempt {
  return ({ attempt, at }) => markerUpdate(mark, attempt === 1 ? undefined : `${at.shard}.${at.slot}`);
}

/** Markers as whole items, for a bulk load into an empty table (the demo data set): many marks of one customer and month merge. */
export function audienceMarkerItems(marks: readonly AudienceMark[]): Record<string, unknown>[] {
  const byKey = new Map<string, { mark: AudienceMark; days: Set<string>; teams: Set<string>; channels: Set<string> }>();
  for (const mark of marks) {
    const key = `${mark.customerId}|${mark.kind}|${mark.day.slice(0, 7)}`;
    const entry = byKey.get(key) ?? {
      mark,
      days: new Set<string>(),
      teams: new Set<string>(),
      channels: new Set<string>(),
    };
    entry.days.add(mark.day);
    if (mark.team) entry.teams.add(mark.team);
    if (mark.channel) entry.channels.add(mark.channel);
    byKey.set(key, entry);
  }
  return [...byKey.values()].map(({ mark, days, teams, channels }) => {
    const month = mark.day.slice(0, 7);
    return {
      ...audienceKeys.marker(mark.customerId, mark.kind, month),
      ...audienceKeys.byMonth(mark.customerId, mark.kind, month, audienceShard(mark.customerId)),
      type: EntityType.audienceMarker,
      customerId: mark.customerId,
      days,
      ...(teams.size ? { teams } : {}),
      ...(channels.size ? { channels } : {}),
    };
  });
}

/** A customer of an audience: the teams that served them and the channels they used in the period's months. */
export interface AudienceMember {
  customerId: string;
  teams: Set<string>;
  channels: Set<string>;
}

const monthsBetween = (from: string, to: string) => {
  const months: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const name = `${year}-${String(month).padStart(2, '0')}`;
    if (name > last) break;
    months.push(name);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
};

/** Markers a Query page holds at most when reads are bounded (the bound is then overshot by less than a page per Query). */
const BOUNDED_PAGE = 500;

/**
 * The customers with a `kind` marker on a local day in `from`..`to` (inclusive): months ×
 * AUDIENCE_SHARDS Queries of the sparse index, in parallel. `reads` counts the marker items read;
 * with `maxReads`, no further page is asked once that many were read (`complete: false`).
 */
async function audienceBetween(
  kind: AudienceKind,
  from: string,
  to: string,
  options: { maxReads?: number | undefined } = {},
): Promise<AudienceRead> {
  const members = new Map<string, AudienceMember>();
  let reads = 0;
  let complete = true;
  const { maxReads } = options;
  await Promise.all(
    monthsBetween(from, to).flatMap((month) =>
      Array.from({ length: AUDIENCE_SHARDS }, async (_, shard) => {
        let startKey: Record<string, unknown> | undefined;
        do {
          if (maxReads !== undefined && reads >= maxReads) {
            complete = false;
            return;
          }
          const page = await dynamo().send(
            new QueryCommand({
              TableName: tableName(MAIN_TABLE),
              IndexName: 'gsi2',
              KeyConditionExpression: 'gsi2pk = :pk',
              ExpressionAttributeValues: { ':pk': audienceKeys.monthPartition(kind, month, shard) },
              ExclusiveStartKey: startKey,
              ...(maxReads !== undefined ? { Limit: BOUNDED_PAGE } : {}),
            }),
          );
          for (const item of page.Items ?? []) {
            reads += 1;
            const days = [...((item.days as Set<string> | undefined) ?? [])];
            if (!days.some((day) => day >= from && day <= to)) continue;
            const customerId = String(item.customerId);
            const member = members.get(customerId) ?? {
              customerId,
              teams: new Set<string>(),
              channels: new Set<string>(),
            };
            for (const team of (item.teams as Set<string> | undefined) ?? []) member.teams.add(team);
            for (const channel of (item.channels as Set<string> | undefined) ?? []) member.channels.add(channel);
            members.set(customerId, member);
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }),
    ),
  );
  return { members, reads, complete };
}

export const dynamoAudienceStore: AudienceStore = { audienceBetween };
