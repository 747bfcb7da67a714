/**
 * Errors are values with a shape. Domain and store code throw these; the HTTP layer
 * turns each into an application/problem+json answer in one place (shared/http/problem.ts).
 */
export interface FieldError {
  path: string;
  message: string;
}

export abstract class CareLoopError extends Error {
  abstract readonly status: number;
  abstract readonly slug: string;
  readonly errors?: FieldError[];
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
    super(message, errors);
  }
  static field(path: string, message: string): Invalid {
    return new Invalid(`${path} ${message}`, [{ path, message }]);
  }
}

export class Unauthenticated extends CareLoopError {
  readonly status = 401;
  readonly slug = 'unauthenticated';
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
export class Conflict extends CareLoopError {
  readonly status = 409;
  readonly slug = 'conflict';
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
