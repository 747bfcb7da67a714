/**
 * The ledger that makes sending idempotent by message id: a sender claims an id before it
 * sends (a conditional put), marks it sent after, and releases it when sending failed, so a
 * retry sends a message that failed and never one that went out.
 */

import type { DeliveryStatus } from '../domain/delivery-events.js';
import type { MessageChannel } from '../domain/message-ids.js';
import { dynamo } from './client.js';
import { EntityType, messageKeys } from './keys.js';
import { type MessageMeter, messagingCounterUpdate } from './messaging-counters.js';
import {
  ConditionalCheckFailedException,
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactionCanceledException,
  UpdateCommand,
} from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';
import { transactWrite } from './transact.js';

/** A claim older than this belongs to a sender that died mid-send; another may take it over. */
const STALE_CLAIM_MS = 5 * 60 * 1000;
/** Ledger entries outlive any retry of the same message by far. */
const KEEP_SECONDS = 180 * 24 * 3600;

export interface MessageLedger {
  /** True when this caller may send `messageId` now; false when it was sent (or is being sent) already. */
  claim(messageId: string, channel: MessageChannel): Promise<boolean>;
  /**
   * Marks the id sent; with a meter, records the message's channel, segments and list cost on it and
   * adds it to the messaging counters in the same transaction (counted once, however often retried).
   */
  markSent(messageId: string, providerMessageId: string | undefined, sentAt: Date, meter?: MessageMeter): Promise<void>;
  /** Gives the id back after a failed send, so a retry may send it. */
  release(messageId: string): Promise<void>;
}

/** The ledger's view of what happened after a message left (functions/followups/delivery.ts). */
export interface DeliveryLedger {
  /** Sets a sent message's `status` from a provider's receipt (idempotent: a receipt read twice changes nothing). */
  recordDelivery(messageId: string, status: DeliveryStatus, at: string): Promise<DeliveryUpdate>;
  /** Our id of a message the provider names by its own (undefined when none was kept: not ours, or expired). */
  messageIdOfProvider(channel: MessageChannel, providerMessageId: string): Promise<string | undefined>;
  /** A message's ledger entry as receipts left it (tests, operators). */
  status(messageId: string): Promise<string | undefined>;
}

/** Channels whose receipts name only the provider's id: markSent keeps a pointer from it to ours. */
const POINTED_CHANNELS = new Set<MessageChannel>(['sms']);

/**
 * What a delivery receipt did to a message: `updated`; `unchanged` (already that status, or a later
 * one: a bounce is not undone by a late "delivered"); `unknown` (no such message: erased, expired,
 * not ours); `not_sent_yet` (still being sent: the receipt came first, try it again later).
 */
export type DeliveryUpdate = 'updated' | 'unchanged' | 'unknown' | 'not_sent_yet';

/** The statuses a receipt may move a message from, to each status. */
const FROM: Record<DeliveryStatus, string[]> = {
  delivered: ['sent'],
  bounced: ['sent', 'delivered'],
  failed: ['sent', 'delivered'],
};

export const dynamoDeliveryLedger: DeliveryLedger = {
  /** Sets a sent message's `status` from a provider's receipt (idempotent: a receipt read twice changes nothing). */
  async recordDelivery(messageId, status, at) {
    const from = FROM[status];
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(MAIN_TABLE),
          Key: messageKeys.item(messageId),
          UpdateExpression: 'SET #status = :status, deliveryAt = :at',
          ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':at': at,
            ...Object.fromEntries(from.map((value, i) => [`:from${i}`, value])),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'updated';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item as { status?: { S?: string } } | undefined;
      if (!old) return 'unknown';
      return old.status?.S === 'sending' ? 'not_sent_yet' : 'unchanged';
    }
  },

  /** Our id of a message the provider names by its own (undefined when none was kept: not ours, or expired). */
  async messageIdOfProvider(channel, providerMessageId) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(MAIN_TABLE), Key: messageKeys.provider(channel, providerMessageId) }),
    );
    return typeof Item?.messageId === 'string' ? Item.messageId : undefined;
  },

  /** A message's ledger entry as receipts left it (tests, operators). */
  async status(messageId) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(MAIN_TABLE), Key: messageKeys.item(messageId), ConsistentRead: true }),
    );
    return typeof Item?.status === 'string' ? Item.status : undefined;
  },
};

/** The pointer from the provider's id to ours, for a channel whose receipts name only the provider's. */
const pointerPut = (channel: MessageChannel, providerMessageId: string | undefined, messageId: string) =>
  providerMessageId && POINTED_CHANNELS.has(channel)
    ? {
        TableName: tableName(MAIN_TABLE),
        Item: {
          ...messageKeys.provider(channel, providerMessageId),
          type: EntityType.messagePointer,
          messageId,
          expiresAt: Math.floor(Date.now() / 1000) + KEEP_SECONDS,
        },
      }
    : undefined;

export const dynamoMessageLedger: MessageLedger = {
  async claim(messageId, channel) {
    // Real time, not the (possibly scaled) business clock: staleness is about crashed processes.
    const now = Date.now();
    try {
      await dynamo().send(
        new PutCommand({
          TableName: tableName(MAIN_TABLE),
          Item: {
            ...messageKeys.item(messageId),
            type: EntityType.message,
            messageId,
            channel,
            status: 'sending',
            claimedAt: now,
            expiresAt: Math.floor(now / 1000) + KEEP_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :sending AND #claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status', '#claimedAt': 'claimedAt' },
          ExpressionAttributeValues: { ':sending': 'sending', ':stale': now - STALE_CLAIM_MS },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },

  async markSent(messageId, providerMessageId, sentAt, meter) {
    const values: Record<string, unknown> = {
      ':sent': 'sent',
      ':sentAt': sentAt.toISOString(),
      ':provider': providerMessageId ?? null,
    };
    if (!meter) {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(MAIN_TABLE),
          Key: messageKeys.item(messageId),
          UpdateExpression: 'SET #status = :sent, sentAt = :sentAt, providerMessageId = :provider',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        }),
      );
      return;
    }
    const pointer = pointerPut(meter.channel, providerMessageId, messageId);
    try {
      await transactWrite(
        (attempt) => [
          {
            Update: {
              TableName: tableName(MAIN_TABLE),
              Key: messageKeys.item(messageId),
              UpdateExpression:
                'SET #status = :sent, sentAt = :sentAt, providerMessageId = :provider, #channel = :channel, #segments = :segments, costMicroUsd = :cost',
              // Only the claim's holder marks it, once: a second mark would count the message twice.
              ConditionExpression: '#status = :sending',
              ExpressionAttributeNames: { '#status': 'status', '#channel': 'channel', '#segments': 'segments' },
              ExpressionAttributeValues: {
                ...values,
                ':sending': 'sending',
                ':channel': meter.channel,
                ':segments': meter.segments,
                ':cost': meter.costMicroUsd,
              },
            },
          },
          messagingCounterUpdate(meter, attempt),
          ...(pointer ? [{ Put: pointer }] : []),
        ],
        `message ${messageId}`,
      );
    } catch (error) {
      // Marked already (a run that took over a stale claim): it was counted then.
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
  },

  async release(messageId) {
    await dynamo()
      .send(
        new DeleteCommand({
          TableName: tableName(MAIN_TABLE),
          Key: messageKeys.item(messageId),
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      )
      .catch((error) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  },
};
