/**
 * Lists polled with If-None-Match: `api.revalidate(call)` sends the ETag last answered for the same
 * URL and, on 304 Not Modified, answers the page then read (`unchanged: true`) without a body on the wire.
 */
import type { Middleware } from 'openapi-fetch';
import type { Page } from './paging.js';
import type { Result } from './problems.js';

/** What `revalidate` hands the call, for `params.header`: only list routes declare If-None-Match. */
export type RevalidateHeader = { 'If-None-Match': string };

/** A list call's result, `unchanged` when the API answered 304 and the data is the page read before. */
export type Revalidated<R> = R & { unchanged: boolean };

export interface ListRevalidation {
  /**
   * Makes a list call conditional: `call(header)` must pass `header` as `params.header`
   * (`api.revalidate((header) => api.GET('/complaints', { params: { query, header } }))`). The client
   * sends If-None-Match with the ETag it last got for the same URL (path and query, in any order);
   * a 304 answers the data of that page again with `unchanged: true`, a 200 the new page with
   * `unchanged: false` (and it is remembered for the next call). `secondsLeft` is not part of a list's
   * ETag: an unchanged page keeps the values it was read with (count down from `dueBy`).
   */
  revalidate<R extends Result<Page, unknown>>(call: (header: RevalidateHeader) => Promise<R>): Promise<Revalidated<R>>;
  /** Forget every page kept (after sign-out; `forgetVersions()` does it too). */
  forgetLists(): void;
}

/** Marks a request as one `revalidate` made: replaced by the real ETag (or removed) before it is sent. */
const MARK = 'careloop-revalidate';
/** Pages kept, least recently used dropped first (a cursor makes each later page's URL new). */
const MAX_PAGES = 200;

interface Kept {
  etag: string;
  body: string;
  contentType: string;
}

/** The cache key of a request: its URL with the query parameters in a fixed order. */
function keyOf(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.sort();
  return url.href;
}

export function listRevalidation(): { middleware: Middleware; revalidation: ListRevalidation } {
  const kept = new Map<string, Kept>();
  /** Requests in flight that `revalidate` made: by openapi-fetch's request id, with the page they may be answered from. */
  const pending = new Map<string, { key: string; page: Kept | undefined }>();
  /** Answers made from a kept page (a 304). */
  const replayed = new WeakSet<Response>();

  const middleware: Middleware = {
    onRequest({ request, id }) {
      if (request.headers.get('if-none-match') !== MARK) return undefined;
      const key = keyOf(request);
      const page = kept.get(key);
      pending.set(id, { key, page });
      if (page) request.headers.set('if-none-match', page.etag);
      else request.headers.delete('if-none-match');
      return request;
    },
    async onResponse({ response, id }) {
      const mine = pending.get(id);
      if (!mine) return undefined;
      pending.delete(id);
      const { key, page } = mine;
      if (response.status === 304 && page) {
        // Used again: it moves to the young end.
        kept.delete(key);
        kept.set(key, page);
        const answer = new Response(page.body, {
          status: 200,
          headers: { 'content-type': page.contentType, etag: response.headers.get('etag') ?? page.etag },
        });
        replayed.add(answer);
        return answer;
      }
      const etag = response.headers.get('etag');
      if (response.status === 200 && etag) {
        kept.delete(key);
        kept.set(key, {
          etag,
          body: await response.clone().text(),
          contentType: response.headers.get('content-type') ?? 'application/json',
        });
        for (const oldest of kept.keys()) {
          if (kept.size <= MAX_PAGES) break;
          kept.delete(oldest);
        }
      } else if (response.status !== 304) kept.delete(key);
      return undefined;
    },
    onError({ id }) {
      pending.delete(id);
      return undefined;
    },
  };

  const revalidation: ListRevalidation = {
    async revalidate(call) {
      const result = await call({ 'If-None-Match': MARK });
      return Object.assign(result, { unchanged: replayed.has(result.response) });
    },
    forgetLists: () => kept.clear(),
  };
  return { middleware, revalidation };
}
