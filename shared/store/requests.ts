/**
 * Idempotency inside the write: which record a client request (route, caller, Idempotency-Key)
 * created. The claim is an item written in the record's own transaction (condition: not claimed
 * yet), so the record exists exactly when its claim does, and there is no "in progress" state:
 * of two copies of one request, the transaction of one commits, the other's is cancelled on the
 * claim and answers what the claim points to. The claim keeps a hash of the body (the same key
 * with another body is a 422) and the record's id — never the body or the answer, so it holds no
 * personal data and a replay shows the record as it is now (erased, if it was erased meanwhile).
 */
import { createHash } from 'node:crypto';
import { CareLoopError, IdempotencyKeyReused } from '../domain/errors.js';
import { dynamo } from './client.js';
import { EntityType, requestKeys } from './keys.js';
import {
  ConditionalCheckFailedException,
  GetCommand,
  PutCommand,
  TransactionCanceledException,
  type TransactWriteCommandInput,
} from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** How long a claim answers retries: a day, as Powertools idempotency did, with a day's margin for clock and TTL lag. */
const CLAIM_TTL_SECONDS = 48 * 3600;

/** One client request: the route it called, who called it, the Idempotency-Key they sent. */
export interface ClientRequest {
  route: string;
  caller: string;
  key: string;
  /** The body as sent, hashed (`bodyDigest`); a claim with another hash refuses the request (422). */
  bodyHash?: string | undefined;
  /** Set when the answer comes from an earlier copy of this request (a claim was found): the answer is a replay. */
  replayed?: boolean;
}

/** What a claim holds. */
export interface RequestClaim {
  recordId: string;
  bodyHash: string | undefined;
}

export interface RequestClaims {
  /** The claim of this request, if any (a strongly consistent read). */
  read(request: ClientRequest): Promise<RequestClaim | undefined>;
  /**
   * The id of the record an earlier copy of this request created, if any (marking the request
   * `replayed`); 422 when that copy had another body.
   */
  find(request: ClientRequest): Promise<string | undefined>;
  /** The conditional Put that claims the request for `recordId`, for the record's transaction. */
  claimItem(request: ClientRequest, recordId: string, now: Date): TransactItem;
}

/** The hash a claim keeps of a request body (SHA-256, base64url): the same bytes, the same hash. */
export const bodyDigest = (body: string) => createHash('sha256').update(body).digest('base64url');

const digest = (request: ClientRequest) =>
  createHash('sha256').update(`${request.caller}\u0000${request.key}`).digest('base64url');

const isClaimItem = (item: TransactItem | undefined) =>
  typeof item?.Put?.Item?.pk === 'string' && item.Put.Item.pk.startsWith(requestKeys.prefix);

/**
 * A transaction was cancelled because its request's claim exists: this request (or a copy of it)
 * was applied before. Not a Conflict, so a use case's lost-race loop does not retry it; the HTTP
 * layer answers it from the claim (a 409 only if the claim is gone again, which a 48 h TTL makes moot).
 */
export class RequestAlreadyApplied extends CareLoopError {
  readonly status = 409;
  readonly slug = 'conflict';
}

/** The RequestAlreadyApplied a cancelled transaction means, if its claim's condition is what failed. */
export function claimConflict(error: unknown, items: readonly TransactItem[]): RequestAlreadyApplied | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  const claimFailed = reasons.some((reason, i) => reason.Code === 'ConditionalCheckFailed' && isClaimItem(items[i]));
  return claimFailed ? new RequestAlreadyApplied('This Idempotency-Key was already used for this request.') : undefined;
}

/** 422 when a claim was made with another body than this request's (both hashed; an unhashed side is not compared). */
export function assertSameBody(claim: RequestClaim, request: ClientRequest): void {
  if (claim.bodyHash !== undefined && request.bodyHash !== undefined && claim.bodyHash !== request.bodyHash)
    throw new IdempotencyKeyReused('This Idempotency-Key was already used with a different body.');
}

export const dynamoRequestClaims: RequestClaims = {
  async read(request) {
    const { Item } = await dynamo().send(
      new GetCommand({
        TableName: tableName(MAIN_TABLE),
        Key: requestKeys.item(request.route, digest(request)),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return {
      recordId: String(Item.recordId),
      bodyHash: typeof Item.bodyHash === 'string' ? Item.bodyHash : undefined,
    };
  },

  async find(request) {
    const claim = await this.read(request);
    if (!claim) return undefined;
    assertSameBody(claim, request);
    request.replayed = true;
    return claim.recordId;
  },

  claimItem(request, recordId, now) {
    return {
      Put: {
        TableName: tableName(MAIN_TABLE),
        Item: {
          ...requestKeys.item(request.route, digest(request)),
          type: EntityType.request,
          recordId,
          ...(request.bodyHash ? { bodyHash: request.bodyHash } : {}),
          createdAt: now.toISOString(),
          expiresAt: Math.floor(now.getTime() / 1000) + CLAIM_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  },
};

/** The claim of a keyed request, as the items to add to the record's transaction (none without a key). */
export const claimItems = (request: ClientRequest | undefined, recordId: string, now: Date): TransactItem[] =>
  request ? [dynamoRequestClaims.claimItem(request, recordId, now)] : [];

/**
 * Claims a keyed request that writes nothing else: a use case that finds its work done already
 * (a state reached before, a job found by its deterministic id) claims the request alone, so a
 * retry with the key is answered as a replay (`Idempotent-Replayed`) and another body under it is a
 * 422, as for a request that wrote its record. A claim that exists is a RequestAlreadyApplied
 * (answered from the claim by `onceFor`). No key, no write.
 */
export async function claimOnly(request: ClientRequest | undefined, recordId: string, now: Date): Promise<void> {
  if (!request) return;
  const { Put } = dynamoRequestClaims.claimItem(request, recordId, now);
  if (!Put) return;
  try {
    await dynamo().send(new PutCommand(Put));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException)
      throw new RequestAlreadyApplied('This Idempotency-Key was already used for this request.');
    throw error;
  }
}

/**
 * Runs a keyed request's use case, whose transaction holds `claimItem(request, …)`. When it fails
 * (its transaction cancelled on the claim, or a check that no longer passes because the first copy
 * was applied: a 409 of a state already reached, a 412 of a version already moved) and the request
 * turns out to be claimed, the answer is `replay(recordId)` instead, with `request.replayed` set;
 * a claim made with another body is a 422. Without a claim the failure stands. The happy path
 * costs nothing extra: the claim is one more item of the use case's own transaction.
 */
export async function onceFor<T>(
  request: ClientRequest,
  run: () => Promise<T>,
  replay: (recordId: string) => Promise<T>,
  claims: Pick<RequestClaims, 'read'> = dynamoRequestClaims,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    let claim: RequestClaim | undefined;
    try {
      claim = await claims.read(request);
    } catch {
      // Storage is failing: the original failure says more than this read's.
      throw error;
    }
    if (!claim) throw error;
    assertSameBody(claim, request);
    request.replayed = true;
    return replay(claim.recordId);
  }
}
