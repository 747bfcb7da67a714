/**
 * Errors are values with a shape. Domain and store code throw these; the HTTP layer
 * turns each into an application/problem+json answer in one place (shared/http/problem.ts).
 */
import { type FieldError, type FieldErrorCode, pointerOfPath } from '../schemas/vocabulary.js';

export abstract class CareLoopError extends Error {
  abstract readonly status: number;
  abstract readonly slug: string;
  readonly errors?: FieldError[];
  /** Extra members of the problem body (e.g. a refused transition's `currentStatus` and `allowedEvents`). */
  extensions?: Record<string, unknown>;
  constructor(message: string, errors?: FieldError[]) {
    super(message);
    this.name = new.target.name;
    if (errors) this.errors = errors;
  }
}

/** 400: the request is not what the contract accepts. */
export class Invalid extends CareLoopError {
  readonly status = 400;
  readonly slug = 'validation';
  constructor(message: string, errors: FieldError[] = []) {
    super(
      message,
      errors.map((error) => (error.pointer === undefined ? { ...error, pointer: pointerOfPath(error.path) } : error)),
    );
  }
  static field(
    path: string,
    message: string,
    code: FieldErrorCode = 'invalid',
    params?: Record<string, unknown>,
  ): Invalid {
    return new Invalid(`${path} ${message}`, [{ path, code, message, ...(params ? { params } : {}) }]);
  }
}

export class Unauthenticated extends CareLoopError {
  readonly status = 401;
  readonly slug = 'unauthenticated';
}

/** 401 for a token that was valid but has expired: the client should sign in again, not report a forgery. */
export class TokenExpired extends CareLoopError {
  readonly status = 401;
  readonly slug = 'token-expired';
}

export class Forbidden extends CareLoopError {
  readonly status = 403;
  readonly slug = 'forbidden';
}

export class NotFound extends CareLoopError {
  readonly status = 404;
  readonly slug = 'not-found';
}

/** 409: a state the transition does not allow, a duplicate, or a lost race on a version. */
/** 405: the path exists, the method does not (`allow` lists the methods it takes). */
export class MethodNotAllowed extends CareLoopError {
  readonly status = 405;
  readonly slug = 'method-not-allowed';
  constructor(
    message: string,
    readonly allow: readonly string[],
  ) {
    super(message);
  }
}

export class Conflict extends CareLoopError {
  readonly status = 409;
  readonly slug = 'conflict';
  constructor(message: string, extensions?: Record<string, unknown>, errors?: FieldError[]) {
    super(message, errors);
    if (extensions) this.extensions = extensions;
  }
}

/** 412: `If-Match` named a version the record no longer has (someone changed it since it was read). */
export class PreconditionFailed extends CareLoopError {
  readonly status = 412;
  readonly slug = 'precondition-failed';
}

/** 428: settings `api.requireIfMatch` is on and a write to one record came without `If-Match`. */
export class PreconditionRequired extends CareLoopError {
  readonly status = 428;
  readonly slug = 'precondition-required';
}

/** 410: something that existed is no longer usable (a used or expired survey link). */
export class Gone extends CareLoopError {
  readonly status = 410;
  readonly slug = 'gone';
}

/** 410 because a link's time ran out (rather than because it was used): pages for people say which. */
export class LinkExpired extends Gone {}

export class PayloadTooLarge extends CareLoopError {
  readonly status = 413;
  readonly slug = 'payload-too-large';
}

/** 431: the request line or headers are over their limit (a URL over 16 KB). */
export class HeadersTooLarge extends CareLoopError {
  readonly status = 431;
  readonly slug = 'headers-too-large';
}

export class UnsupportedMediaType extends CareLoopError {
  readonly status = 415;
  readonly slug = 'unsupported-media-type';
}

/** 422: an Idempotency-Key reused with a different body. */
export class IdempotencyKeyReused extends CareLoopError {
  readonly status = 422;
  readonly slug = 'idempotency-key-reused';
}

export class TooManyRequests extends CareLoopError {
  readonly status = 429;
  readonly slug = 'throttled';
}

/** 503: a dependency is unavailable; the client may retry after `retryAfterSeconds`. */
export class Unavailable extends CareLoopError {
  readonly status = 503;
  readonly slug = 'unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(message);
  }
}

/**
 * A value the code's own logic guarantees (the row of a record just read, a declared schedule):
 * its absence is a bug, reported by name instead of hidden behind a non-null assertion.
 */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`${what} is missing`);
  return value;
}
