/**
 * The client's tests run against the real local runtime (test/support/runtime.ts). Each client made here
 * records its calls (a screen's call count) and holds every answer to the served OpenAPI document, as the
 * repository's own HTTP tests do.
 */

import type { LocalRuntimeOptions } from '../../infra/local/runtime.js';
import type { Role } from '../../shared/schemas/common.js';
import { type ConformanceChecker, conformanceChecker } from '../../test/support/openapi-conformance.js';
import { startTestRuntime, type TestApi } from '../../test/support/runtime.js';
import { type CareLoopClient, createClient, type StrictPaths } from '../src/index.js';

export interface ClientHarness {
  api: TestApi;
  checker: ConformanceChecker;
  /** A client signed in as `sub` with `roles` (and `team`); its calls are recorded in `calls`. */
  client(sub: string, roles: Role[], team?: string): Promise<RecordedClient>;
  /** A client without a token, for the public routes (a customer's survey form); its answers are checked too. */
  publicClient(): CareLoopClient;
  stop(): Promise<void>;
}

export interface RecordedClient {
  api: CareLoopClient;
  /** `METHOD /path?query` of every request, in the order sent. */
  calls: string[];
  token: string;
  /** A client with the same token whose writes must carry If-Match (requireIfMatch: true). */
  strict(): CareLoopClient<StrictPaths>;
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.clone().text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A fetch that records each request and checks each answer against the document. */
export function recordingFetch(checker: ConformanceChecker, calls: string[], inner: typeof fetch = fetch) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    calls.push(`${request.method} ${url.pathname}${url.search}`);
    const response = await inner(request);
    checker.check({
      method: request.method,
      path: url.pathname,
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: await bodyOf(response),
    });
    return response;
  };
}

export async function startClientHarness(options: LocalRuntimeOptions = {}): Promise<ClientHarness> {
  const api = await startTestRuntime({ schedules: false, ...options });
  const document = (await (await fetch(`${api.runtime.url}/openapi.json`)).json()) as Record<string, unknown>;
  const checker = conformanceChecker(document);
  return {
    api,
    checker,
    async client(sub, roles, team) {
      const token = await api.runtime.token(sub, roles, team);
      const calls: string[] = [];
      const fetchFn = recordingFetch(checker, calls);
      return {
        api: createClient({ baseUrl: api.runtime.url, token, fetch: fetchFn }),
        calls,
        token,
        strict: () => createClient({ baseUrl: api.runtime.url, token, fetch: fetchFn, requireIfMatch: true }),
      };
    },
    publicClient: () => createClient({ baseUrl: api.runtime.url, fetch: recordingFetch(checker, []) }),
    stop: () => api.runtime.stop(),
  };
}
