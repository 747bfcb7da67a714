/**
 * CORS and compression, declared once: the handlers' middleware, the local runtime's preflights and
 * answers, API Gateway's preflights, gateway responses and compression use these.
 */

/**
 * What a browser may send: `If-None-Match` for a list's 304, `X-Request-Id` (echoed in logs) and
 * W3C `traceparent` (a screen's trace joins the API's).
 */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'If-Match',
  'If-None-Match',
  'X-Request-Id',
  'traceparent',
] as const;

/**
 * What a browser's script may read: the version to send back (`ETag`), where a created record or a
 * job's file is (`Location`), an export's file name (`Content-Disposition`), when to retry
 * (`Retry-After`), a replayed idempotent answer (`Idempotent-Replayed`), and why a token was refused.
 */
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'Content-Disposition',
  'Retry-After',
  'Idempotent-Replayed',
  'WWW-Authenticate',
] as const;
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * Answers of at least this many bytes are gzip-compressed when the client accepts it (API Gateway's
 * `minimumCompressionSize` in AWS; the local runtime does the same).
 */
export const MIN_COMPRESSION_BYTES = 1024;
