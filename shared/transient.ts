/**
 * Which failures a later attempt may not meet: one classification for every caller that
 * retries or asks its caller to. The HTTP layer answers them 503 with Retry-After
 * (shared/http/problem.ts), the escalation workflow's tasks retry them with backoff
 * (functions/escalation/handler.ts), and a message that failed this way is sent again
 * (shared/notify/ports.ts, deliveryFailure).
 */
import { CareLoopError, Conflict, Unavailable } from './domain/errors.js';

/**
 * `throttled`: a service refused for load (wait a little); `unavailable`: a service or the
 * network failed (wait longer); `contended`: another writer raced us (read again and retry).
 */
export type Transience = 'throttled' | 'unavailable' | 'contended';

const BY_NAME: Readonly<Record<string, Transience>> = {
  ProvisionedThroughputExceededException: 'throttled',
  ThrottlingException: 'throttled',
  Throttling: 'throttled',
  ThrottledException: 'throttled',
  TooManyRequestsException: 'throttled',
  RequestLimitExceeded: 'throttled',
  LimitExceededException: 'throttled',
  KMSThrottlingException: 'throttled',
  InternalServerError: 'unavailable',
  InternalFailure: 'unavailable',
  InternalError: 'unavailable',
  InternalErrorException: 'unavailable',
  ServiceUnavailable: 'unavailable',
  ServiceUnavailableException: 'unavailable',
  TimeoutError: 'unavailable',
  RequestTimeout: 'unavailable',
  TransactionConflictException: 'contended',
};

/** Network failures of the Node.js socket layer. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/**
 * A cancelled DynamoDB transaction is transient when an item raced another transaction or was
 * throttled, not when one of its conditions failed (that answer would be the same next time).
 */
const TRANSIENT_CANCELLATIONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);

interface ErrorShape {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  CancellationReasons?: Array<{ Code?: string } | undefined>;
}

/** How a failure is transient, or undefined when retrying would meet it again (a bug, a refusal, bad input). */
export function transience(error: unknown): Transience | undefined {
  if (error instanceof Unavailable) return 'unavailable';
  if (error instanceof Conflict) return 'contended';
  if (error instanceof CareLoopError) return undefined;
  const { name = '', code = '', $metadata, CancellationReasons } = (error ?? {}) as ErrorShape;
  if (name === 'TransactionCanceledException')
    return CancellationReasons?.some((reason) => TRANSIENT_CANCELLATIONS.has(reason?.Code ?? ''))
      ? 'contended'
      : undefined;
  if (BY_NAME[name]) return BY_NAME[name];
  if (NETWORK_CODES.has(code)) return 'unavailable';
  if (($metadata?.httpStatusCode ?? 0) >= 500) return 'unavailable';
  return undefined;
}

export const isTransient = (error: unknown): boolean => transience(error) !== undefined;
