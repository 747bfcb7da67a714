/**
 * A fixed-window rate limit kept in DynamoDB, so it holds across Lambda instances and the local
 * runtime alike (WAF's rate-based rule is the edge guard in AWS; this one is exact per route).
 * The client is a hash of its address, never the address; windows expire by TTL.
 */

import { createHash } from 'node:crypto';
import { dynamo } from './client.js';
import { rateKeys } from './keys.js';
import { ConditionalCheckFailedException, UpdateCommand } from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';

/** A fixed-window rate limit per client, exact across instances. */
export interface RateLimiter {
  /** Counts one submission of `client`; false when the window already holds `limit` (nothing is counted then). */
  takeRateToken(scope: string, client: string, rule: RateLimit, now: Date): Promise<boolean>;
}

export interface RateLimit {
  /** At most this many in one window. */
  limit: number;
  windowSeconds: number;
}

/** Counts one submission of `client`; false when the window already holds `limit` (nothing is counted then). */
async function takeRateToken(scope: string, client: string, rule: RateLimit, now: Date): Promise<boolean> {
  const seconds = Math.floor(now.getTime() / 1000);
  const windowStart = seconds - (seconds % rule.windowSeconds);
  const hashed = createHash('sha256').update(`careloop:rate:${scope}:${client}`).digest('base64url').slice(0, 22);
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(MAIN_TABLE),
        Key: rateKeys.window(scope, hashed, windowStart),
        UpdateExpression: 'ADD #count :one SET #expiresAt = :expiresAt',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'count', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':limit': rule.limit,
          ':expiresAt': windowStart + 2 * rule.windowSeconds,
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export const dynamoRateLimiter: RateLimiter = { takeRateToken };
