/**
 * Customer profiles and activity counts. A customer's items share the partition
 * CUSTOMER#<id> (profile, activity, survey throttle), so one Query reads them all and
 * erasure deletes them all.
 */

import { createHmac, hkdfSync } from 'node:crypto';
import type { Change } from '../domain/audit.js';
import type { CustomerActivity } from '../domain/customers.js';
import { defined } from '../domain/errors.js';
import type { IfMatch } from '../domain/versions.js';
import { ports } from '../ports.js';
import type { DeliveryProblem, Language, PreferredChannel } from '../schemas/customers.js';
import type { TransactItem } from './aggregates.js';
import { batchGetItems } from './batch.js';
import { dynamo } from './client.js';
import { customerKeys, EntityType, erasureKeys, followUpKeys, jobKeys } from './keys.js';
import { replaceRecord } from './replace.js';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';

export interface CustomerProfile {
  id: string;
  name?: string;
  phone?: string;
  email?: string;
  /** The follower's openId on the organisation's WeChat Official Account. */
  wechatOpenId?: string;
  preferredChannel: PreferredChannel;
  language: Language;
  tier?: 'silver' | 'gold' | 'diamond';
  /** s002/s004 基本信息: individual or business (the groups of `/metrics?groupBy=customerType`). */
  customerType?: 'individual' | 'business';
  /** YYYY-MM-DD: new within 365 days of it, returning after (`groupBy=newOrReturning`). */
  customerSince?: string;
  consent: { sms: boolean; email: boolean; wechat?: boolean };
  createdAt: string;
  updatedAt: string;
  /** Who made the last change, and every change (see shared/domain/audit.ts). */
  updatedBy?: string;
  history?: Change[];
  version: number;
}

export type CustomerFields = Omit<
  CustomerProfile,
  'id' | 'createdAt' | 'updatedAt' | 'updatedBy' | 'history' | 'version'
>;

/** Optional profile fields: a PUT that leaves one out removes it. */
const OPTIONAL_FIELDS = ['name', 'phone', 'email', 'wechatOpenId', 'tier', 'customerType', 'customerSince'] as const;
const LATEST_NPS = 'latestNps';
const LATEST_NPS_AT = 'latestNpsAt';
const ACTIVITY_NON_COUNTERS = new Set(['pk', 'sk', 'type', 'customerId', LATEST_NPS, LATEST_NPS_AT]);

/** Storage port for customer profiles and the activity counted on them. */
export interface CustomerStore {
  /**
   * Creates or replaces a profile in one UpdateItem: the created time and the version
   * survive, fields left out are removed. Returns the stored profile and whether it is new.
   */
  /** With `ifMatch`, writes only at that version (412 otherwise). */
  putCustomerProfile(
    id: string,
    fields: CustomerFields,
    now: Date,
    ifMatch?: IfMatch,
    actor?: string,
  ): Promise<{ profile: CustomerProfile; created: boolean }>;
  /** Everything stored under a customer's partition, in one strongly consistent Query. */
  readCustomer(id: string): Promise<CustomerItems>;
  /** Profile and activity of each of `ids` (every id is in the map; profile absent when unknown or erased). */
  readCustomersBrief(ids: readonly string[]): Promise<Map<string, CustomerItems>>;
  /**
   * Adds to a customer's activity counts on its own, e.g. when a complaint is registered:
   * `recordCustomerActivity('C-10042', activityDelta('complaints', '2026-11'))`.
   * Prefer `customerActivityUpdate` inside the transaction that writes the record.
   */
  recordCustomerActivity(customerId: string, delta: Record<string, number>): Promise<void>;
  /** Deletes every item of a customer's partition (profile, activity, throttle). Idempotent. */
  deleteCustomerItems(id: string): Promise<void>;
  /** Who erased a customer, and when (the last erasure). */
  recordErasure(id: string, record: ErasureRecord): Promise<void>;
  readErasure(id: string): Promise<ErasureRecord | undefined>;
  recordErasureRun(id: string, run: ErasureRun): Promise<void>;
  readErasureRun(id: string): Promise<ErasureRun | undefined>;
  countCustomerItems(id: string, upTo: number): Promise<number>;
}

/** The history entry of a PUT of a profile: when, who, and the names of the fields it set (never their values). */
function putChange(fields: CustomerFields, now: Date, actor: string): Change {
  return {
    at: now.toISOString(),
    actor,
    action: 'put',
    fields: Object.keys(fields)
      .filter((f) => fields[f as keyof CustomerFields] !== undefined)
      .sort(),
  };
}

async function putCustomerProfile(
  id: string,
  fields: CustomerFields,
  now: Date,
  ifMatch: IfMatch = undefined,
  actor = 'system',
): Promise<{ profile: CustomerProfile; created: boolean }> {
  // Who changed what: the change is appended in the same UpdateItem (field names only, never values).
  const attributes = await replaceRecord({
    table: tableName(MAIN_TABLE),
    key: customerKeys.profile(id),
    own: {
      sets: [
        '#type = :type',
        '#id = :id',
        '#updatedBy = :actor',
        '#history = list_append(if_not_exists(#history, :noChanges), :change)',
      ],
      names: { '#type': 'type', '#id': 'id', '#updatedBy': 'updatedBy', '#history': 'history' },
      values: {
        ':type': EntityType.customer,
        ':id': id,
        ':actor': actor,
        ':change': [putChange(fields, now, actor)],
        ':noChanges': [],
      },
    },
    fields,
    optional: OPTIONAL_FIELDS,
    ifMatch,
    what: `Customer ${id}`,
    now,
  });
  const profile = toProfile(attributes);
  return { profile, created: profile.version === 1 };
}

/** A new profile as one item, for a bulk load into an empty table: what `putCustomerProfile` stores the first time. */
export function customerProfileItem(
  id: string,
  fields: CustomerFields,
  now: Date,
  actor: string,
): Record<string, unknown> {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return {
    ...customerKeys.profile(id),
    type: EntityType.customer,
    ...defined,
    id,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    updatedBy: actor,
    history: [putChange(fields, now, actor)],
    version: 1,
  };
}

function toProfile(item: Record<string, unknown>): CustomerProfile {
  const { pk: _pk, sk: _sk, type: _type, ...profile } = item;
  return profile as unknown as CustomerProfile;
}

function toActivity(item: Record<string, unknown> | undefined): CustomerActivity {
  const counters: Record<string, number> = {};
  for (const [name, value] of Object.entries(item ?? {}))
    if (!ACTIVITY_NON_COUNTERS.has(name) && typeof value === 'number') counters[name] = value;
  const score = item?.[LATEST_NPS];
  const at = item?.[LATEST_NPS_AT];
  return { counters, ...(typeof score === 'number' && typeof at === 'string' ? { latestNps: { score, at } } : {}) };
}

export interface CustomerItems {
  profile?: CustomerProfile;
  activity: CustomerActivity;
  /** Until when a new survey invitation is throttled, if a window is open. */
  surveyThrottleUntil?: string;
  /** The last delivery problem per channel (the contact status item the follow-up job and the receipts write). */
  deliveryProblems?: Partial<Record<PreferredChannel, DeliveryProblem>>;
}

async function readCustomer(id: string): Promise<CustomerItems> {
  const items = await customerPartitionItems(id);
  const bySk = new Map(items.map((item) => [String(item.sk), item]));
  const profile = bySk.get(customerKeys.profile(id).sk);
  const throttle = bySk.get(customerKeys.surveyThrottle(id).sk);
  const problems = bySk.get(followUpKeys.contactStatus(id).sk)?.deliveryProblems as
    | Partial<Record<PreferredChannel, DeliveryProblem>>
    | undefined;
  return {
    ...(profile ? { profile: toProfile(profile) } : {}),
    activity: toActivity(bySk.get(customerKeys.activity(id).sk)),
    ...(typeof throttle?.until === 'string' ? { surveyThrottleUntil: throttle.until } : {}),
    ...(problems && Object.keys(problems).length ? { deliveryProblems: problems } : {}),
  };
}

/** Profiles and activity of many customers in BatchGetItem calls (100 keys each), for a page of list rows. */
async function readCustomersBrief(ids: readonly string[]): Promise<Map<string, CustomerItems>> {
  const unique = [...new Set(ids)];
  const items = await batchGetItems(unique.flatMap((id) => [customerKeys.profile(id), customerKeys.activity(id)]));
  const byKey = new Map(items.map((item) => [`${item.pk}|${item.sk}`, item]));
  const found = new Map<string, CustomerItems>();
  for (const id of unique) {
    const profile = byKey.get(`${customerKeys.profile(id).pk}|${customerKeys.profile(id).sk}`);
    const activity = byKey.get(`${customerKeys.activity(id).pk}|${customerKeys.activity(id).sk}`);
    found.set(id, { ...(profile ? { profile: toProfile(profile) } : {}), activity: toActivity(activity) });
  }
  return found;
}

async function customerPartitionItems(id: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: tableName(MAIN_TABLE),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': customerKeys.partition(id) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * The Update that fills profile fields a survey answer gave (contract: a `profileField` question
 * "fills it otherwise"), for the transaction that stores the answer: each field only if the profile
 * still lacks it (`if_not_exists`: a value an agent set meanwhile stays), the version moved on (an
 * editor's If-Match sees the change) and the change in the history (field names, never values).
 * Conditional on the profile existing, so an erased customer gets no stub profile.
 */
export function profileFieldsUpdate(
  customerId: string,
  fields: Partial<Pick<CustomerProfile, 'customerType' | 'customerSince'>>,
  now: Date,
  actor: string,
): TransactItem {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  const names: Record<string, string> = {
    '#updatedAt': 'updatedAt',
    '#updatedBy': 'updatedBy',
    '#version': 'version',
    '#history': 'history',
  };
  const values: Record<string, unknown> = {
    ':now': now.toISOString(),
    ':actor': actor,
    ':one': 1,
    ':none': [],
    ':change': [
      {
        at: now.toISOString(),
        actor,
        action: 'answered',
        fields: entries.map(([name]) => name).sort(),
      } satisfies Change,
    ],
  };
  const sets = entries.map(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:f${i}`] = value;
    return `#f${i} = if_not_exists(#f${i}, :f${i})`;
  });
  return {
    Update: {
      TableName: tableName(MAIN_TABLE),
      Key: customerKeys.profile(customerId),
      UpdateExpression: `SET ${[
        ...sets,
        '#updatedAt = :now',
        '#updatedBy = :actor',
        '#version = #version + :one',
        '#history = list_append(if_not_exists(#history, :none), :change)',
      ].join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * The Update that adds `delta` (from `activityDelta`) to a customer's activity counts,
 * creating the item on first use; optionally records the latest valid NPS. For use inside
 * a transaction with the record that caused it.
 */
export function customerActivityUpdate(
  customerId: string,
  delta: Record<string, number>,
  latestNps?: { score: number; at: string },
): TransactItem {
  const names: Record<string, string> = { '#type': 'type', '#customerId': 'customerId' };
  const values: Record<string, unknown> = { ':type': EntityType.customerActivity, ':customerId': customerId };
  const sets = ['#type = :type', '#customerId = :customerId'];
  if (latestNps) {
    names['#latestNps'] = LATEST_NPS;
    names['#latestNpsAt'] = LATEST_NPS_AT;
    values[':latestNps'] = latestNps.score;
    values[':latestNpsAt'] = latestNps.at;
    sets.push('#latestNps = :latestNps', '#latestNpsAt = :latestNpsAt');
  }
  const adds = Object.entries(delta).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    return `#a${i} :a${i}`;
  });
  return {
    Update: {
      TableName: tableName(MAIN_TABLE),
      Key: customerKeys.activity(customerId),
      UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * A customer's whole activity item, for a bulk load into an empty table: the counters the
 * `customerActivityUpdate`s of its records would have added up, and the latest valid NPS.
 */
export function customerActivityItem(
  customerId: string,
  counters: Record<string, number>,
  latestNps?: { score: number; at: string },
): Record<string, unknown> {
  return {
    ...customerKeys.activity(customerId),
    type: EntityType.customerActivity,
    customerId,
    ...counters,
    ...(latestNps ? { [LATEST_NPS]: latestNps.score, [LATEST_NPS_AT]: latestNps.at } : {}),
  };
}

async function recordCustomerActivity(customerId: string, delta: Record<string, number>): Promise<void> {
  const update = defined(customerActivityUpdate(customerId, delta).Update, 'the activity update');
  await dynamo().send(new UpdateCommand(update as ConstructorParameters<typeof UpdateCommand>[0]));
}

async function deleteCustomerItems(id: string): Promise<void> {
  for (const item of await customerPartitionItems(id)) {
    await dynamo().send(new DeleteCommand({ TableName: tableName(MAIN_TABLE), Key: { pk: item.pk, sk: item.sk } }));
  }
}

/**
 * The record that a customer was erased, and by whom: keyed by a keyed hash (HMAC, a key derived
 * from the deployment's secret) of the customer id, so it names nobody, yet a manager who knows
 * the id can look it up. Every secret key is tried on reading, so a key rotation keeps it readable.
 */
export interface ErasureRecord {
  erasedAt: string;
  erasedBy: string;
}

async function erasureDigests(customerId: string): Promise<string[]> {
  return (await ports().signingKeys()).map((secret) => {
    const key = Buffer.from(hkdfSync('sha256', secret, 'careloop', 'careloop customer erasure v1', 32));
    return createHmac('sha256', key).update(customerId).digest('base64url');
  });
}

async function recordErasure(customerId: string, record: ErasureRecord): Promise<void> {
  const [digest] = await erasureDigests(customerId);
  await dynamo().send(
    new PutCommand({
      TableName: tableName(MAIN_TABLE),
      Item: { ...erasureKeys.item(defined(digest, 'an erasure digest')), type: EntityType.customerErasure, ...record },
    }),
  );
}

async function readErasure(customerId: string): Promise<ErasureRecord | undefined> {
  for (const digest of await erasureDigests(customerId)) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(MAIN_TABLE), Key: erasureKeys.item(digest), ConsistentRead: true }),
    );
    if (Item) return { erasedAt: String(Item.erasedAt), erasedBy: String(Item.erasedBy) };
  }
  return undefined;
}

/** An erasure handed to a job (too many items for one request): its state, keyed like the erasure record. */
export interface ErasureRun {
  status: 'running' | 'done' | 'failed';
  requestedAt: string;
  requestedBy: string;
}

async function recordErasureRun(customerId: string, run: ErasureRun): Promise<void> {
  const [digest] = await erasureDigests(customerId);
  await dynamo().send(
    new PutCommand({
      TableName: tableName(MAIN_TABLE),
      Item: { ...jobKeys.erasureRun(defined(digest, 'an erasure digest')), type: EntityType.customerErasure, ...run },
    }),
  );
}

async function readErasureRun(customerId: string): Promise<ErasureRun | undefined> {
  for (const digest of await erasureDigests(customerId)) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(MAIN_TABLE), Key: jobKeys.erasureRun(digest), ConsistentRead: true }),
    );
    if (Item)
      return {
        status: Item.status as ErasureRun['status'],
        requestedAt: String(Item.requestedAt),
        requestedBy: String(Item.requestedBy),
      };
  }
  return undefined;
}

/**
 * How many items the customer index (gsi1) holds for a customer — interactions, complaints,
 * surveys, alerts, follow-ups, watches: what an erasure rewrites — counting no further than
 * `upTo + 1` (Select COUNT, bounded reads): enough to tell whether an erasure fits one request.
 * Without `upTo` it counts them all (the benchmarks' stored = accepted check).
 */
export async function countCustomerItems(id: string, upTo = Number.POSITIVE_INFINITY): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: tableName(MAIN_TABLE),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': customerKeys.partition(id) },
        Select: 'COUNT',
        ...(Number.isFinite(upTo) ? { Limit: upTo + 1 - count } : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey && count <= upTo);
  return count;
}

export const dynamoCustomerStore: CustomerStore = {
  putCustomerProfile,
  readCustomer,
  readCustomersBrief,
  recordCustomerActivity,
  deleteCustomerItems,
  recordErasure,
  readErasure,
  recordErasureRun,
  readErasureRun,
  countCustomerItems,
};
