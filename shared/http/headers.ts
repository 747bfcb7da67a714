/**
 * The header rules of the contract ("Conventions"), declared once for the handlers, the
 * gateway's own answers and the local runtime: every answer `X-Content-Type-Options: nosniff`;
 * answers that may hold personal data `Cache-Control: no-store` (every API answer is treated as
 * such unless its handler says otherwise); every HTML page a CSP without script and
 * `frame-ancestors 'none'`.
 */

/** On an answer to a keyed POST that was given before (a retry with the same Idempotency-Key and body). */
export const REPLAY_HEADER = 'idempotent-replayed';

/** On every answer, whoever writes it. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff' };

/** On every answer that may hold personal data (customers' words, contact data, staff's work). */
export const NO_STORE: Readonly<Record<string, string>> = { 'cache-control': 'no-store' };

/**
 * The staff report page (`/reports/{p}/html`) holds customers' words: no script, no frames, no
 * forms, nothing fetched; its tables are styled with inline attributes (also used in the e-mail).
 */
export const REPORT_PAGE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
