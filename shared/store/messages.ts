/**
 * The ledger that makes sending idempotent by message id: a sender claims an id before it
 * sends (a conditional put), marks it sent after, and releases it when sending failed, so a
 * retry sends a message that failed and never one that went out.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MessageChannel } from '../domain/message-ids.js';
import { dynamo } from './client.js';
import { EntityType, messageKeys } from './keys.js';
import { type MessageMeter, messagingCounterUpdate } from './messaging-counters.js';
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
