/** Starts the real local runtime (HTTP server + handlers) against the test DynamoDB Local. */
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../infra/local/runtime.js';
import type { Role } from '../../shared/schemas/common.js';
import { dynamoEndpoint, uniquePrefix } from './dynamo.js';
import { type ConformanceChecker, conformanceChecker } from './openapi-conformance.js';

export interface TestApi {
  runtime: LocalRuntime;
  /** fetch against the runtime, with a bearer token for `as` when given. */
  call(
    method: string,
    path: string,
    options?: { as?: Role | null; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    headers: Headers;
    body: any;
    text: string;
  }>;
}

/**
 * Compiled checkers by document: the HTTP test files share a worker (vitest.config.ts), and compiling
 * the whole document takes a moment; a runtime serving another document gets its own.
 */
const checkers = new Map<string, ConformanceChecker>();
function checkerFor(document: string): ConformanceChecker {
  let checker = checkers.get(document);
  if (!checker) {
    checker = conformanceChecker(JSON.parse(document) as Record<string, unknown>);
    checkers.set(document, checker);
  }
  return checker;
}

export async function startTestRuntime(options: LocalRuntimeOptions = {}): Promise<TestApi> {
  const runtime = await startLocalRuntime({
    dynamoEndpoint: dynamoEndpoint(),
    tablePrefix: uniquePrefix(),
    ...options,
  });
  const tokens = new Map<Role, string>();
  const tokenFor = async (role: Role) => {
    if (!tokens.has(role)) tokens.set(role, await runtime.token(`test-${role}`, [role]));
    return tokens.get(role)!;
  };
  // Every answer is held to the served OpenAPI document (see openapi-conformance.ts).
  let checker: Promise<ConformanceChecker> | undefined;
  const conformance = () => {
    checker ??= fetch(`${runtime.url}/openapi.json`)
      .then((r) => r.text())
      .then(checkerFor);
    return checker;
  };
  return {
    runtime,
    async call(method, path, { as = 'admin', body, rawBody, headers = {} } = {}) {
      const response = await fetch(`${runtime.url}${path}`, {
        method,
        headers: {
          ...(as ? { authorization: `Bearer ${await tokenFor(as)}` } : {}),
          ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      (await conformance()).check({
        method,
        path,
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: parsed,
      });
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
  };
}
