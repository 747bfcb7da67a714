/**
 * Which record a client request created, so a retry with the same Idempotency-Key after a
 * failure half-way (record stored, answer lost) finds that record instead of creating a second
 * one. The claim is written in the record's own transaction: the record exists exactly when
 * its claim does. Powertools idempotency replays finished answers; this covers the unfinished.
 */
import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from './aggregates.js';
import { dynamo } from './client.js';
import { EntityType, requestKeys } from './keys.js';
import { MAIN_TABLE, tableName } from './table.js';

/** A claim outlives the Powertools idempotency record (24 h), so every retry it replays is covered. */
const CLAIM_TTL_SECONDS = 48 * 3600;

/** One client request: the route it called, who called it, the Idempotency-Key they sent. */
export interface ClientRequest {
  route: string;
  caller: string;
  key: string;
}

const digest = (request: ClientRequest) =>
  createHash('sha256').update(`${request.caller}\u0000${request.key}`).digest('base64url');

export interface RequestClaims {
  /** The id of the record this request already created, if any. */
  find(request: ClientRequest): Promise<string | undefined>;
  /** The conditional Put that claims the request for `recordId`, for the record's transaction. */
  claimItem(request: ClientRequest, recordId: string, now: Date): TransactItem;
}

export const dynamoRequestClaims: RequestClaims = {
  async find(request) {
    const { Item } = await dynamo().send(
      new GetCommand({
        TableName: tableName(MAIN_TABLE),
        Key: requestKeys.item(request.route, digest(request)),
        ConsistentRead: true,
      }),
    );
    return Item ? String(Item.recordId) : undefined;
  },

  claimItem(request, recordId, now) {
    return {
      Put: {
        TableName: tableName(MAIN_TABLE),
        Item: {
          ...requestKeys.item(request.route, digest(request)),
          type: EntityType.request,
          recordId,
          createdAt: now.toISOString(),
          expiresAt: Math.floor(now.getTime() / 1000) + CLAIM_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  },
};
