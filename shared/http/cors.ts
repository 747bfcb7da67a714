/** CORS, declared once: the handlers' middleware, the local runtime's preflights and API Gateway's preflights use these. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match'] as const;
export const CORS_EXPOSED_HEADERS = ['Idempotent-Replayed', 'Retry-After', 'ETag', 'WWW-Authenticate'] as const;
export const CORS_MAX_AGE_SECONDS = 600;
