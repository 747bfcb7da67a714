/**
 * Follow-up tasks: one item per message that may be sent, with a deterministic id
 * (`invite:interaction:<id>`, `remind:<surveyId>:1`, `fixed:<improvementId>:<customerId>`…),
 * so scheduling the same work twice is a no-op. Pending tasks sit in a sparse due index; a
 * run claims a task with a conditional write (a lease), so two concurrent runs never both
 * handle it, and a crashed run's lease simply expires.
 */

import { createHash } from 'node:crypto';
import type {
  CustomerNoticeStage,
  FollowUpKind,
  ImprovementNoticePurpose,
  OwnerNoticePurpose,
} from '../domain/followups.js';
import type { GoalFigures } from '../domain/goals.js';
import { maskFreeText } from '../domain/masking.js';
import { type MessageChannel, messageIds } from '../domain/message-ids.js';
import { addDays } from '../domain/time.js';
import type { DeliveryProblem, DeliveryProblemKind } from '../schemas/customers.js';
import type { TransactItem } from './aggregates.js';
import { dynamo } from './client.js';
import { EntityType, FOLLOWUP_SHARDS, followUpKeys, messageKeys } from './keys.js';
import { type Page, queryPartitions } from './paging.js';
import {
  ConditionalCheckFailedException,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';

export interface FollowUpTask {
  id: string;
  kind: FollowUpKind;
  dueAt: string;
  status: 'pending' | 'sent' | 'skipped' | 'failed';
  attempts: number;
  customerId?: string;
  subject?: { type: 'interaction' | 'complaint'; id: string };
  surveyId?: string;
  reminder?: number;
  /** The complaint round a confirmation link answers. */
  round?: number;
  improvementId?: string;
  /** suggestion_decision: the suggestion decided. */
  suggestionId?: string;
  category?: string;
  alertId?: string;
  /** escalation_notice: the missed milestone and the ladder level whose owner is told. */
  milestone?: 'respond' | 'solution' | 'close';
  level?: number;
  /** customer_notice: which stage of the complaint the customer hears about. */
  stage?: CustomerNoticeStage;
  /** owner_notice: registered to the owner, a deadline close (the milestone), or escalated to them now. */
  purpose?: OwnerNoticePurpose;
  /** improvement_notice: the owner told it was created or is overdue, the department that it was verified. */
  improvementNotice?: ImprovementNoticePurpose;
  /** goal_notice: the goal, and its figures on the day the check found it at_risk (what its owner reads). */
  goalId?: string;
  goalFigures?: GoalFigures;
  /** A high-severity complaint's customer notice goes out in quiet hours too. */
  urgent?: boolean;
  /** Why a task was skipped or failed, for the operator. */
  outcome?: string;
  channel?: MessageChannel;
  /** Channels given up for this task's message, each with why (refused, not set up): the routing rule's record. */
  fallbacks?: Array<{ channel: MessageChannel; reason: string }>;
  createdAt: string;
  updatedAt: string;
  /** Until when a run holds the task. */
  leaseUntil?: string;
}

/** The message id a task's message is sent under (the ledger makes sending it once). */
export const followUpMessageId = messageIds.followUp;

/** Storage port for follow-up tasks and the addresses that refused them. */
export interface FollowUpStore {
  /** Schedules a task unless one with its id exists already (then nothing happens). Returns whether it was new. */
  scheduleTask(task: NewTask, now: Date): Promise<boolean>;
  getTask(id: string): Promise<FollowUpTask | undefined>;
  /** Moves a pending task's due time; false when it is not pending (sent, skipped, failed or absent). */
  rescheduleTask(id: string, dueAt: Date, now: Date): Promise<boolean>;
  /** Pending tasks due at `now`, from the due index of the last `lookbackDays` days (Query, never Scan). */
  dueTasks(now: Date, lookbackDays?: number, limit?: number): Promise<FollowUpTask[]>;
  /**
   * Claims a pending task for `leaseMs`: succeeds for one run only. The due-index keys move to
   * the lease's end, so if this run dies the task is due again when the lease runs out.
   */
  claimTask(task: FollowUpTask, now: Date, leaseMs?: number): Promise<boolean>;
  /** Finishes a task (sent, skipped or failed) and takes it out of the due index; failures go to the operator's list. */
  finishTask(
    task: FollowUpTask,
    outcome: { status: 'sent' | 'skipped' | 'failed'; reason?: string; channel?: MessageChannel },
    now: Date,
    extra?: Partial<FollowUpTask>,
  ): Promise<void>;
  /** Puts a task back in the queue for later (quiet hours, a retry after a failed send), keeping what it learned. */
  deferTask(task: FollowUpTask, dueAt: Date, now: Date, changes?: Partial<FollowUpTask>): Promise<void>;
  /** Follow-ups that failed after their last attempt, newest first (what an operator should look at). */
  failedTasks(months: string[], options: { limit: number; cursor?: string | undefined }): Promise<Page<FollowUpTask>>;
  /** Addresses of a customer that bounced or opted out (fingerprints per channel). */
  undeliverableAddresses(customerId: string): Promise<Partial<Record<MessageChannel, string>>>;
  /** Erasure: deletes the customer's tasks and their message-ledger entries (customer index). Idempotent. */
  eraseCustomerTasks(customerId: string): Promise<number>;
  /** The provider refused the address (recorded as the channel's last delivery problem too): not used until it changes. */
  markUndeliverable(
    customerId: string,
    channel: MessageChannel,
    address: string,
    now: Date,
    problem?: { kind: DeliveryProblemKind; reason: string },
  ): Promise<void>;
  /** A delivery problem that does not condemn the address (a soft bounce, an SMS the network could not deliver). */
  recordDeliveryProblem(
    customerId: string,
    channel: MessageChannel,
    problem: { address: string; kind: DeliveryProblemKind; reason: string; suppress: boolean },
    now: Date,
  ): Promise<void>;
  /** Notes the survey an invitation task created, before its message is sent, so a retry reuses it. */
  rememberTaskSurvey(taskId: string, surveyId: string): Promise<void>;
}

const shardOf = (taskId: string) => createHash('sha1').update(taskId).digest().readUInt8(0) % FOLLOWUP_SHARDS;
const table = () => tableName(MAIN_TABLE);

export type NewTask = Omit<FollowUpTask, 'status' | 'attempts' | 'createdAt' | 'updatedAt'>;

function newItem(task: NewTask, now: Date) {
  const full: FollowUpTask = {
    ...task,
    status: 'pending',
    attempts: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  return {
    ...followUpKeys.task(task.id),
    ...followUpKeys.due(task.id, task.dueAt, shardOf(task.id)),
    ...(task.customerId ? followUpKeys.byCustomer(task.customerId, full.createdAt, task.id) : {}),
    type: EntityType.followUp,
    ...full,
  };
}

/**
 * The Put that schedules a task, for a transaction with the write that makes it due (e.g. an
 * interaction becoming resolved). Only for tasks that cannot exist yet: its condition would cancel the transaction.
 */
export function scheduleTaskItem(task: NewTask, now: Date): TransactItem {
  return { Put: { TableName: table(), Item: newItem(task, now), ConditionExpression: 'attribute_not_exists(pk)' } };
}

async function scheduleTask(task: NewTask, now: Date): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({ TableName: table(), Item: newItem(task, now), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Moves a pending task's due time (e.g. an improvement's due date changed); false when it is not pending. */
async function rescheduleTask(id: string, dueAt: Date, now: Date): Promise<boolean> {
  const due = followUpKeys.due(id, dueAt.toISOString(), shardOf(id));
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: followUpKeys.task(id),
        UpdateExpression: 'SET dueAt = :due, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk, updatedAt = :now',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':due': dueAt.toISOString(),
          ':gsi2pk': due.gsi2pk,
          ':gsi2sk': due.gsi2sk,
          ':now': now.toISOString(),
          ':pending': 'pending',
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

async function getTask(id: string): Promise<FollowUpTask | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: followUpKeys.task(id), ConsistentRead: true }),
  );
  return result.Item as FollowUpTask | undefined;
}

async function dueTasks(now: Date, lookbackDays = 7, limit = 500): Promise<FollowUpTask[]> {
  const today = now.toISOString().slice(0, 10);
  const upper = `${now.toISOString()}#~`;
  const tasks: FollowUpTask[] = [];
  for (let back = lookbackDays; back >= 0 && tasks.length < limit; back -= 1) {
    const day = addDays(today, -back);
    for (let shard = 0; shard < FOLLOWUP_SHARDS && tasks.length < limit; shard += 1) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await dynamo().send(
          new QueryCommand({
            TableName: table(),
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :upper',
            ExpressionAttributeValues: { ':pk': followUpKeys.duePartition(day, shard), ':upper': upper },
            ExclusiveStartKey: startKey,
            Limit: limit - tasks.length,
          }),
        );
        tasks.push(...((page.Items ?? []) as FollowUpTask[]));
        startKey = tasks.length < limit ? page.LastEvaluatedKey : undefined;
      } while (startKey);
    }
  }
  return tasks;
}

async function claimTask(task: FollowUpTask, now: Date, leaseMs = 5 * 60 * 1000): Promise<boolean> {
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  const due = followUpKeys.due(task.id, leaseUntil, shardOf(task.id));
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: followUpKeys.task(task.id),
        UpdateExpression: 'SET leaseUntil = :lease, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk, updatedAt = :now',
        ConditionExpression: '#status = :pending AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':lease': leaseUntil,
          ':gsi2pk': due.gsi2pk,
          ':gsi2sk': due.gsi2sk,
          ':now': now.toISOString(),
          ':pending': 'pending',
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

async function finishTask(
  task: FollowUpTask,
  outcome: { status: 'sent' | 'skipped' | 'failed'; reason?: string; channel?: MessageChannel },
  now: Date,
  extra: Partial<FollowUpTask> = {},
): Promise<void> {
  const failed = outcome.status === 'failed' ? followUpKeys.failed(task.id, now.toISOString()) : undefined;
  const values: Record<string, unknown> = {
    ':status': outcome.status,
    ':now': now.toISOString(),
    // A provider's error may quote the address it refused: stored masked, never as written.
    ':outcome': maskFreeText(outcome.reason ?? outcome.status),
    ...(failed ? { ':g3pk': failed.gsi3pk, ':g3sk': failed.gsi3sk } : {}),
  };
  const sets = [
    '#status = :status',
    'updatedAt = :now',
    'outcome = :outcome',
    ...(failed ? ['gsi3pk = :g3pk', 'gsi3sk = :g3sk'] : []),
  ];
  if (outcome.channel) {
    sets.push('channel = :channel');
    values[':channel'] = outcome.channel;
  }
  for (const [i, [, value]] of Object.entries(extra).entries()) {
    sets.push(`#x${i} = :x${i}`);
    values[`:x${i}`] = value;
  }
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: followUpKeys.task(task.id),
      UpdateExpression: `SET ${sets.join(', ')} REMOVE gsi2pk, gsi2sk, leaseUntil`,
      ExpressionAttributeNames: {
        '#status': 'status',
        ...Object.fromEntries(Object.keys(extra).map((key, i) => [`#x${i}`, key])),
      },
      ExpressionAttributeValues: values,
    }),
  );
}

async function deferTask(
  task: FollowUpTask,
  dueAt: Date,
  now: Date,
  changes: Partial<FollowUpTask> = {},
): Promise<void> {
  const due = followUpKeys.due(task.id, dueAt.toISOString(), shardOf(task.id));
  const extra = Object.entries(
    typeof changes.outcome === 'string' ? { ...changes, outcome: maskFreeText(changes.outcome) } : changes,
  );
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: followUpKeys.task(task.id),
      UpdateExpression: `SET dueAt = :due, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk, updatedAt = :now${extra.map((_, i) => `, #c${i} = :c${i}`).join('')} REMOVE leaseUntil`,
      ...(extra.length
        ? { ExpressionAttributeNames: Object.fromEntries(extra.map(([key], i) => [`#c${i}`, key])) }
        : {}),
      ExpressionAttributeValues: {
        ':due': dueAt.toISOString(),
        ':gsi2pk': due.gsi2pk,
        ':gsi2sk': due.gsi2sk,
        ':now': now.toISOString(),
        ...Object.fromEntries(extra.map(([, value], i) => [`:c${i}`, value])),
      },
    }),
  );
}

async function failedTasks(
  months: string[],
  options: { limit: number; cursor?: string | undefined },
): Promise<Page<FollowUpTask>> {
  return queryPartitions<FollowUpTask>(
    months.map((month) => ({ index: 'gsi3' as const, partitionKey: followUpKeys.failedPartition(month) })),
    { ...options, descending: true },
  );
}

/**
 * Erasure: deletes every task that concerns the customer (pending ones are not sent any more;
 * finished ones may hold a provider's error about their address) and the message-ledger entry of
 * each, whose id is the task's. Found through the customer index, never a Scan. Safe to repeat.
 */
async function eraseCustomerTasks(customerId: string): Promise<number> {
  let erased = 0;
  let cursor: string | undefined;
  do {
    const page = await queryPartitions<Record<string, unknown>>(
      [
        {
          index: 'gsi1',
          partitionKey: followUpKeys.byCustomer(customerId, '', '').gsi1pk,
          sortKey: { beginsWith: followUpKeys.customerSortPrefix },
        },
      ],
      { limit: 100, cursor },
    );
    for (const item of page.items) {
      const taskId = String(item.id);
      await dynamo().send(new DeleteCommand({ TableName: table(), Key: followUpKeys.task(taskId) }));
      await dynamo().send(new DeleteCommand({ TableName: table(), Key: messageKeys.item(followUpMessageId(taskId)) }));
      erased += 1;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return erased;
}

/** A fingerprint of an address, so we can remember that it bounced without storing it. */
export const addressFingerprint = (address: string) =>
  createHash('sha256').update(address.trim().toLowerCase()).digest('base64url').slice(0, 22);

async function undeliverableAddresses(customerId: string): Promise<Partial<Record<MessageChannel, string>>> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: followUpKeys.contactStatus(customerId) }),
  );
  return (result.Item?.undeliverable as Partial<Record<MessageChannel, string>> | undefined) ?? {};
}

/**
 * Records a delivery problem of a customer's address on a channel (the last one per channel); with
 * `suppress`, the address is not used again until the profile changes (a fingerprint, not the address).
 */
async function recordDeliveryProblem(
  customerId: string,
  channel: MessageChannel,
  problem: { address: string; kind: DeliveryProblemKind; reason: string; suppress: boolean },
  now: Date,
): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: followUpKeys.contactStatus(customerId),
      UpdateExpression:
        'SET #type = :type, undeliverable = if_not_exists(undeliverable, :empty), deliveryProblems = if_not_exists(deliveryProblems, :empty), updatedAt = :now',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': EntityType.contactStatus, ':empty': {}, ':now': now.toISOString() },
    }),
  );
  const recorded: DeliveryProblem = {
    at: now.toISOString(),
    kind: problem.kind,
    reason: problem.reason.slice(0, 200),
    suppressed: problem.suppress,
  };
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: followUpKeys.contactStatus(customerId),
      UpdateExpression: problem.suppress
        ? 'SET undeliverable.#channel = :fingerprint, deliveryProblems.#channel = :problem'
        : 'SET deliveryProblems.#channel = :problem',
      ExpressionAttributeNames: { '#channel': channel },
      ExpressionAttributeValues: {
        ':problem': recorded,
        ...(problem.suppress ? { ':fingerprint': addressFingerprint(problem.address) } : {}),
      },
    }),
  );
}

/** The provider refused the address itself (a hard bounce, an opted-out number, a refused WeChat): not used again. */
async function markUndeliverable(
  customerId: string,
  channel: MessageChannel,
  address: string,
  now: Date,
  problem: { kind: DeliveryProblemKind; reason: string } = { kind: 'refused', reason: 'refused by the provider' },
): Promise<void> {
  await recordDeliveryProblem(customerId, channel, { address, ...problem, suppress: true }, now);
}

async function rememberTaskSurvey(taskId: string, surveyId: string): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: table(),
      Key: followUpKeys.task(taskId),
      UpdateExpression: 'SET surveyId = :surveyId',
      ExpressionAttributeValues: { ':surveyId': surveyId },
    }),
  );
}

export const dynamoFollowUpStore: FollowUpStore = {
  scheduleTask,
  getTask,
  rescheduleTask,
  dueTasks,
  claimTask,
  finishTask,
  deferTask,
  failedTasks,
  undeliverableAddresses,
  markUndeliverable,
  recordDeliveryProblem,
  rememberTaskSurvey,
  eraseCustomerTasks,
};
