import type { APIGatewayProxyResult } from 'aws-lambda';
import { CareLoopError, MethodNotAllowed, TokenExpired, Unavailable } from '../domain/errors.js';
import { etagOf } from '../domain/versions.js';
import type { Problem } from '../schemas/common.js';
import { pointerOfPath } from '../schemas/vocabulary.js';
import { transience } from '../transient.js';
import { NO_STORE, SECURITY_HEADERS } from './headers.js';

const PROBLEM_BASE = 'https://careloop.dev/problems/';

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  428: 'Precondition required',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Idempotency key reused',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** Errors from libraries that have a clear meaning for the caller. */
function translate(error: unknown): CareLoopError | null {
  if (error instanceof CareLoopError) return error;
  // Storage (or another service) is busy or briefly down: the caller may retry (shared/transient.ts).
  const transient = transience(error);
  if (transient === 'throttled') return new Unavailable('Storage is busy; retry shortly.', 2);
  if (transient === 'unavailable') return new Unavailable('Storage is unavailable; retry shortly.', 5);
  return null;
}

/** The problem+json answer for any error; unknown errors become a 500 with no internals. */
export function problemResponse(error: unknown, instance?: string): { result: APIGatewayProxyResult; known: boolean } {
  const known = translate(error);
  const status = known?.status ?? 500;
  const problem: Problem = {
    type: PROBLEM_BASE + (known?.slug ?? 'internal'),
    title: TITLES[status] ?? 'Error',
    status,
    detail: known ? known.message : 'Something went wrong on our side. It has been logged; please retry later.',
    ...(known?.errors?.length
      ? {
          // Every field error names its field as a JSON pointer too (an error built elsewhere gets one from its path).
          errors: known.errors.map((e) => ({ ...e, pointer: e.pointer ?? pointerOfPath(e.path) })) as Problem['errors'],
        }
      : {}),
    ...(instance ? { instance } : {}),
    ...known?.extensions,
  };
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    ...NO_STORE,
    ...SECURITY_HEADERS,
  };
  if (known instanceof TokenExpired)
    headers['www-authenticate'] = 'Bearer error="invalid_token", error_description="The token has expired"';
  else if (status === 401) headers['www-authenticate'] = 'Bearer';
  if (known instanceof Unavailable) headers['retry-after'] = String(known.retryAfterSeconds);
  if (known instanceof MethodNotAllowed) headers.allow = known.allow.join(', ');
  // A 412 or 409 that carries the record as stored answers its version as the ETag to retry with.
  const version = (known?.extensions?.current as { version?: unknown } | undefined)?.version;
  if (typeof version === 'number' && Number.isInteger(version)) headers.etag = etagOf(version);
  return { result: { statusCode: status, headers, body: JSON.stringify(problem) }, known: known !== null };
}
