/**
 * Every POST takes an `Idempotency-Key`: a retry with the same key and body answers the first answer
 * (`Idempotent-Replayed: true`) and creates nothing. `idempotent()` makes the key once and sends it on
 * every attempt, retrying what a retry can cure: a lost connection, 429, 502, 503, 504.
 */

export type IdempotencyHeader = { 'Idempotency-Key': string };

/** The header with `key`, or a fresh random key. */
export function idempotencyKey(key?: string): IdempotencyHeader {
  return { 'Idempotency-Key': key ?? crypto.randomUUID() };
}

const RETRYABLE = new Set([429, 502, 503, 504]);

export interface RetryOptions {
  /** The key to send (default: a fresh one for this call). */
  key?: string;
  /** Attempts in all, the first included (default 3). */
  attempts?: number;
  /** Wait before attempt n+1 when the answer has no Retry-After (default 250 ms × 2^(n-1)). */
  backoffMs?: (attempt: number) => number;
  /** The longest wait, Retry-After included (default 10 s). */
  maxWaitMs?: number;
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `send(header)` until it answers something a retry cannot change, with the same Idempotency-Key
 * every time: `idempotent((key) => api.POST('/complaints', { params: { header: key }, body }))`.
 * A failed fetch (TypeError: the request may or may not have reached the API) is retried too; after the
 * last attempt its error is thrown.
 */
export async function idempotent<R extends { response: Response }>(
  send: (header: IdempotencyHeader) => Promise<R>,
  options: RetryOptions = {},
): Promise<R> {
  const header = idempotencyKey(options.key);
  const attempts = options.attempts ?? 3;
  const backoff = options.backoffMs ?? ((attempt: number) => 250 * 2 ** (attempt - 1));
  const maxWait = options.maxWaitMs ?? 10_000;
  for (let attempt = 1; ; attempt++) {
    let wait: number;
    try {
      const result = await send(header);
      if (attempt >= attempts || !RETRYABLE.has(result.response.status)) return result;
      wait = retryAfterMs(result.response) ?? backoff(attempt);
    } catch (error) {
      if (attempt >= attempts || !(error instanceof TypeError)) throw error;
      wait = backoff(attempt);
    }
    await sleep(Math.min(wait, maxWait));
  }
}
