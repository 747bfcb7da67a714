/**
 * problem+json answers as a typed error. `ok()` turns an openapi-fetch result into its data or throws a
 * `ProblemError` typed by the route's error bodies, so `current` on a 412/409 is the route's record type.
 */
import type { components } from './schema.js';

export type Problem = components['schemas']['Problem'];
export type FieldError = components['schemas']['FieldError'];
export type FieldErrorCode = components['schemas']['FieldErrorCode'];

/** An openapi-fetch result: the data of a success, or the (typed) body of an error answer. */
export type Result<D, E> =
  | { data: D; error?: never; response: Response }
  | { data?: never; error: E; response: Response };

/** The `current` record a route's 409/412 body carries (never when the route's problems carry none). */
export type CurrentOf<E> = E extends { current?: infer C } ? C : never;

function isProblemBody(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'status' in body && 'title' in body && 'type' in body;
}

function currentOf<E>(body: E): CurrentOf<E> | undefined;
function currentOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null && 'current' in body ? body.current : undefined;
}

/**
 * An error answer. `status`, `type`, `title`, `detail` and `errors` (one per bad field: `path`, `pointer`,
 * `code`, `message`, `params`) are read from the problem+json body; `etag` and `current` are the record's
 * version and the record as stored on a 412 or 409 of a write (retry with `etag` as If-Match).
 * An answer that is not problem+json (a proxy's 502 page) still makes one: its status and status text.
 */
export class ProblemError<E = Problem> extends Error {
  override readonly name = 'ProblemError';
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  /** The ETag header of the answer: on a 412/409, the version of `current`. */
  readonly etag: string | null;
  /** The record as stored now, on a 412 or 409 of a route that answers it. */
  readonly current: CurrentOf<E> | undefined;
  /** The whole body as the route types it (undefined when the answer was not problem+json). */
  readonly problem: E | undefined;
  readonly response: Response;

  constructor(body: E, response: Response) {
    const parsed: unknown = body;
    const problem = isProblemBody(parsed) ? parsed : undefined;
    const title = problem?.title ?? (response.statusText || 'Request failed');
    super(`${response.status} ${title}${problem?.detail ? `: ${problem.detail}` : ''}`);
    this.status = response.status;
    this.type = problem?.type ?? 'about:blank';
    this.title = title;
    this.detail = problem?.detail;
    this.errors = problem?.errors ?? [];
    this.etag = response.headers.get('etag');
    this.current = problem ? currentOf(body) : undefined;
    this.problem = problem ? body : undefined;
    this.response = response;
  }

  /** The field error at a JSON pointer (`/escalation/teamContacts/north.team/supervisor/email`), if any. */
  at(pointer: string): FieldError | undefined {
    return this.errors.find((error) => error.pointer === pointer);
  }
}

export function isProblem(error: unknown): error is ProblemError<unknown> {
  return error instanceof ProblemError;
}

/** The data type of a result (its success member). */
export type DataOf<R> = R extends { data: infer D; error?: never } ? D : never;
/** The error body type of a result (its error member): the route's problem+json bodies. */
export type ErrorOf<R> = R extends { error: infer E; data?: never } ? E : never;

/** `settle()`'s answer: the data and the record's ETag, or the ProblemError. */
export type Settled<D, E> =
  | { ok: true; data: D; etag: string | null; response: Response }
  | { ok: false; problem: ProblemError<E> };

function failed(result: Result<unknown, unknown>): boolean {
  return result.error !== undefined || !result.response.ok;
}

/** The data of a successful call, or a thrown ProblemError typed by the route's error answers. */
export async function ok<R extends Result<unknown, unknown>>(call: R | Promise<R>): Promise<DataOf<R>>;
export async function ok(call: Result<unknown, unknown> | Promise<Result<unknown, unknown>>): Promise<unknown> {
  const result = await call;
  if (failed(result)) throw new ProblemError(result.error, result.response);
  return result.data;
}

/** The data, or the ProblemError, as a value (for a screen that shows a conflict rather than throws). */
export async function settle<R extends Result<unknown, unknown>>(
  call: R | Promise<R>,
): Promise<Settled<DataOf<R>, ErrorOf<R>>>;
export async function settle(
  call: Result<unknown, unknown> | Promise<Result<unknown, unknown>>,
): Promise<Settled<unknown, unknown>> {
  const result = await call;
  if (failed(result)) return { ok: false, problem: new ProblemError(result.error, result.response) };
  return { ok: true, data: result.data, etag: result.response.headers.get('etag'), response: result.response };
}
