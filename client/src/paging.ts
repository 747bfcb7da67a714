/** Every list answers `{ items, nextCursor }`: these follow `nextCursor` until it is null. */
import { type DataOf, ok, type Result } from './problems.js';

export interface Page {
  items: readonly unknown[];
  nextCursor?: string | null;
}

/** The item type of a list call's result. */
export type ItemOf<R> = DataOf<R> extends { items: readonly (infer T)[] } ? T : never;

type PageCall<R> = (cursor: string | undefined) => Promise<R>;

/**
 * Each page of a list, first to last: `fetchPage(cursor)` makes the call with the same filters and the
 * cursor (undefined for the first page). An error answer is thrown as a ProblemError.
 *
 *     for await (const page of pages((cursor) => api.GET('/complaints', { params: { query: { open: 'true', cursor } } })))
 */
export function pages<R extends Result<Page, unknown>>(fetchPage: PageCall<R>): AsyncGenerator<DataOf<R>, void>;
export async function* pages(fetchPage: PageCall<Result<Page, unknown>>): AsyncGenerator<Page, void> {
  let cursor: string | undefined;
  do {
    const page = await ok(fetchPage(cursor));
    yield page;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** Each item of a list across its pages (see `pages`). */
export function items<R extends Result<Page, unknown>>(fetchPage: PageCall<R>): AsyncGenerator<ItemOf<R>, void>;
export async function* items(fetchPage: PageCall<Result<Page, unknown>>): AsyncGenerator<unknown, void> {
  for await (const page of pages(fetchPage)) yield* page.items;
}

/** Every item of a list in one array (for short lists: a screen's select box). */
export function all<R extends Result<Page, unknown>>(fetchPage: PageCall<R>): Promise<ItemOf<R>[]>;
export async function all(fetchPage: PageCall<Result<Page, unknown>>): Promise<unknown[]> {
  const found: unknown[] = [];
  for await (const item of items(fetchPage)) found.push(item);
  return found;
}
