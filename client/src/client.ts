/**
 * `createClient({ baseUrl, token })`: openapi-fetch over the generated `paths`, with the bearer token on
 * every call and a memory of the last ETag of each record it has seen, for `ifMatch()`.
 */
import createFetchClient, { type Client as FetchClient, type Middleware } from 'openapi-fetch';
import { type ListRevalidation, listRevalidation } from './revalidate.js';
import type { paths } from './schema.js';

/** A token, or a function that answers the current one (called before every request: refresh it there). */
export type Token = string | (() => string | Promise<string>);

export interface ClientOptions {
  /** Where the API is, e.g. `https://api.example.com/prod` (the stack's ApiUrl) or `http://localhost:3000`. */
  baseUrl: string;
  /** The ID token (Cognito) or local token, sent as `Authorization: Bearer …`; omit for the public routes. */
  token?: Token;
  /** Headers sent on every call (e.g. `X-Request-Id`). */
  headers?: Record<string, string>;
  /** A fetch of your own (tests count calls with it; default globalThis.fetch). */
  fetch?: (input: Request) => Promise<Response>;
  /**
   * true: every write that takes If-Match (PUT, PATCH, POST …/events) must be given one — a type error
   * otherwise. Matches the API's settings `api.requireIfMatch`; the default leaves If-Match optional.
   */
  requireIfMatch?: boolean;
}

type WithRequiredIfMatch<Op> = Op extends { parameters: { header?: infer H } }
  ? [NonNullable<H>] extends [never]
    ? Op
    : 'If-Match' extends keyof NonNullable<H>
      ? Omit<Op, 'parameters'> & {
          parameters: Omit<Op['parameters'], 'header'> & {
            header: Omit<NonNullable<H>, 'If-Match'> & { 'If-Match': string };
          };
        }
      : Op
  : Op;

/** `paths` with If-Match required on every operation that takes it. */
export type StrictPaths = { [P in keyof paths]: { [M in keyof paths[P]]: WithRequiredIfMatch<paths[P][M]> } };

export interface RecordVersions {
  /**
   * The last ETag the client saw for a record (`/complaints/C-1`, `/settings`, `/customers/C-01001`):
   * from its read, its last write (including a refused one: a 412/409 answers the current version), or
   * the `Location` of its creation. Undefined before any.
   */
  etag(recordPath: string): string | undefined;
  /** `{ 'If-Match': <last ETag> }` for `params.header`; throws when the record was never read. */
  ifMatch(recordPath: string): { 'If-Match': string };
  /** Forget what was seen (after sign-out): record versions and the list pages `revalidate` kept. */
  forgetVersions(): void;
}

export type CareLoopClient<P extends {} = paths> = FetchClient<P> & RecordVersions & ListRevalidation;

/** The path a record is known by, relative to the base URL, percent-encoded as fetch sends it. */
function normalize(path: string, basePath: string): string {
  const pathname = new URL(path, 'http://record.invalid').pathname;
  const relative = basePath !== '/' && pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
  return relative.replace(/\/+$/, '') || '/';
}

async function createdId(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = await response.clone().json();
    return typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string'
      ? body.id
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The record an answer's ETag belongs to: a creation's Location, else the collection and the created `id`
 * (`POST /complaints` → `/complaints/<id>`); for another POST (`/complaints/C-1/events`, `/alerts/A-1/claim`)
 * the path without its last segment; for GET, PUT and PATCH the path itself.
 */
async function recordOf(request: Request, response: Response, basePath: string): Promise<string> {
  const location = response.headers.get('location');
  if (location) return normalize(new URL(location, request.url).pathname, basePath);
  const path = normalize(new URL(request.url).pathname, basePath);
  if (request.method !== 'POST') return path;
  const id = response.status === 201 ? await createdId(response) : undefined;
  return id === undefined ? path.replace(/\/[^/]+$/, '') || '/' : `${path}/${encodeURIComponent(id)}`;
}

function build<P extends {}>(options: ClientOptions): CareLoopClient<P> {
  const basePath = new URL(options.baseUrl).pathname.replace(/\/+$/, '') || '/';
  const client = createFetchClient<P>({
    baseUrl: options.baseUrl,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const { token } = options;
  const versions = new Map<string, string>();
  const middleware: Middleware = {
    async onRequest({ request }) {
      if (token === undefined) return undefined;
      request.headers.set('authorization', `Bearer ${typeof token === 'string' ? token : await token()}`);
      return request;
    },
    async onResponse({ request, response }) {
      const etag = response.headers.get('etag');
      // A list's ETag is weak (W/"…"): a validator of the page, not a record's version.
      if (etag && !etag.startsWith('W/')) versions.set(await recordOf(request, response, basePath), etag);
      return undefined;
    },
  };
  client.use(middleware);
  const lists = listRevalidation();
  client.use(lists.middleware);
  const recordVersions: RecordVersions = {
    etag: (recordPath) => versions.get(normalize(recordPath, basePath)),
    ifMatch(recordPath) {
      const etag = versions.get(normalize(recordPath, basePath));
      if (etag === undefined) throw new Error(`No ETag seen for ${recordPath}: read the record first`);
      return { 'If-Match': etag };
    },
    forgetVersions: () => {
      versions.clear();
      lists.revalidation.forgetLists();
    },
  };
  return Object.assign(client, recordVersions, lists.revalidation);
}

/** A client of the CareLoop API; with `requireIfMatch: true`, one whose writes must carry If-Match. */
export function createClient(options: ClientOptions & { requireIfMatch: true }): CareLoopClient<StrictPaths>;
export function createClient(options: ClientOptions): CareLoopClient<paths>;
export function createClient(options: ClientOptions): CareLoopClient<paths> | CareLoopClient<StrictPaths> {
  return options.requireIfMatch ? build<StrictPaths>(options) : build<paths>(options);
}
