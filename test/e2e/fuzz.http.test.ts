/**
 * Property-based fuzzing of every route, generated from the OpenAPI document the runtime serves
 * (so routes added later are covered without touching this file). For each operation: random
 * valid and invalid path parameters, queries and bodies, over real HTTP against the local runtime.
 * Asserts no 5xx, and that every 4xx is application/problem+json. Fixed seed, bounded runs.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

type Schema = Record<string, any>;
type Operation = { method: string; path: string; operation: Schema };

/** Runs per route in `npm test`; CARELOOP_FUZZ_RUNS=200 (and CARELOOP_FUZZ_SEED) for a deeper search by hand. */
const RUNS_PER_ROUTE = Number(process.env.CARELOOP_FUZZ_RUNS ?? 10);
const SEED = Number(process.env.CARELOOP_FUZZ_SEED ?? 20261130);

let api: TestApi;
let doc: Schema;
const operations: Operation[] = [];
const tokens = new Map<string, string>();

beforeAll(async () => {
  api = await startTestRuntime({ schedules: false });
  const reply = await api.call('GET', '/openapi.json', { as: null });
  doc = reply.body;
  for (const [path, methods] of Object.entries<Schema>(doc.paths))
    for (const [method, operation] of Object.entries<Schema>(methods))
      operations.push({ method: method.toUpperCase(), path, operation });
  for (const role of ['agent', 'admin'] as const) tokens.set(role, await api.runtime.token(`fuzz-${role}`, [role]));
});
afterAll(() => api?.runtime.stop());

const resolve = (schema: Schema): Schema =>
  schema?.$ref ? resolve(doc.components.schemas[String(schema.$ref).split('/').pop()!]) : schema;

const isoDate = fc
  .date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** Values that satisfy a JSON Schema (the subset zod-to-openapi emits), bounded in size. */
function valid(input: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input ?? {});
  if (depth > 6) return fc.constant(null);
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.allOf) return valid(schema.allOf[0], depth);
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices) return fc.oneof(...choices.map((s: Schema) => valid(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'date') return isoDate.map((d) => d.slice(0, 10));
      if (schema.format === 'date-time') return isoDate;
      if (schema.format === 'email') return fc.emailAddress();
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 40, min + 40);
      if (schema.pattern)
        return fc
          .stringMatching(new RegExp(schema.pattern))
          .filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY));
      return fc.string({ minLength: min, maxLength: max });
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valid(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'object': {
      const properties = Object.entries<Schema>(schema.properties ?? {});
      const required: string[] = schema.required ?? [];
      if (!properties.length && schema.additionalProperties && typeof schema.additionalProperties === 'object')
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), valid(schema.additionalProperties, depth + 1), {
          maxKeys: 3,
        });
      return fc.record(Object.fromEntries(properties.map(([name, s]) => [name, valid(s, depth + 1)])), {
        requiredKeys: required.filter((name) => properties.some(([p]) => p === name)),
      });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Valid values, near misses (one field wrong, one missing, one unknown) and arbitrary JSON. */
function anyValue(schema: Schema): fc.Arbitrary<unknown> {
  const good = valid(schema);
  const nearMiss = fc
    .tuple(good, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), fc.nat())
    .map(([value, key, junk, n]) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return junk;
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(copy);
      if (keys.length && n % 3 === 0) copy[keys[n % keys.length]!] = junk;
      else if (keys.length && n % 3 === 1) delete copy[keys[n % keys.length]!];
      else copy[key || 'x'] = junk;
      return copy;
    });
  return fc.oneof({ arbitrary: good, weight: 3 }, { arbitrary: nearMiss, weight: 2 }, fc.jsonValue({ maxDepth: 3 }));
}

/** A path parameter: valid, random text, or something nasty for a path segment. */
function pathValue(schema: Schema): fc.Arbitrary<string> {
  return fc.oneof(
    valid(schema).map(String),
    fc.string({ minLength: 1, maxLength: 30 }),
    fc.constantFrom(
      '%',
      '%FF',
      '__proto__',
      'constructor',
      ' ',
      'a'.repeat(300),
      '01JC0ZQ8M3Y7D5T2N4K6P8R0SV',
      '2026-13',
    ),
  );
}

function requestFor({ path, operation }: Operation) {
  const parameters: Schema[] = operation.parameters ?? [];
  const params = parameters.filter((p) => p.in === 'path');
  const query = parameters.filter((p) => p.in === 'query');
  const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
  return fc.record({
    path: fc
      .tuple(...params.map((p) => pathValue(p.schema)))
      .map((values) =>
        params.reduce(
          (built, p, i) =>
            built.replace(
              `{${p.name}}`,
              ['%', '%FF'].includes(values[i]!) ? values[i]! : encodeURIComponent(values[i]!),
            ),
          path,
        ),
      ),
    query: fc
      .tuple(
        ...query.map((p) =>
          fc.option(fc.oneof({ arbitrary: valid(p.schema).map(String), weight: 3 }, fc.string({ maxLength: 20 })), {
            nil: undefined,
          }),
        ),
        fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 10 })), {
          nil: undefined,
        }),
      )
      .map((values) => {
        const search = new URLSearchParams();
        query.forEach((p, i) => {
          if (values[i] !== undefined) search.set(p.name, values[i] as string);
        });
        const extra = values[query.length] as [string, string] | undefined;
        if (extra) search.append(extra[0], extra[1]);
        return search.toString();
      }),
    body: bodySchema ? fc.option(anyValue(bodySchema), { nil: undefined, freq: 8 }) : fc.constant(undefined),
    as: fc.constantFrom('admin', 'admin', 'admin', 'agent', null),
    idempotencyKey: fc.option(fc.stringMatching(/^[A-Za-z0-9-]{1,40}$/), { nil: undefined }),
  });
}

/**
 * A 4xx is problem+json, except on the customer pages, which document an HTML page for it
 * (a person reads it in a browser): then the documented HTML.
 */
function errorContentType(op: Operation, status: number): RegExp {
  const documented = op.operation.responses?.[String(status)]?.content ?? {};
  return 'text/html' in documented ? /^text\/html\b/ : /^application\/problem\+json$/;
}

describe('fuzzing every route of the OpenAPI document', () => {
  it('found the routes to fuzz', () => {
    expect(operations.length).toBeGreaterThan(20);
  });

  it('never answers 5xx, and every 4xx is problem+json (or the documented HTML page)', {
    timeout: 120_000,
  }, async () => {
    const failures: string[] = [];
    for (const op of operations) {
      const result = await fc.check(
        fc.asyncProperty(requestFor(op), async (request) => {
          const url = `${api.runtime.url}${request.path}${request.query ? `?${request.query}` : ''}`;
          const headers: Record<string, string> = { connection: 'close' };
          if (request.as) headers.authorization = `Bearer ${tokens.get(request.as)}`;
          if (request.body !== undefined) headers['content-type'] = 'application/json';
          if (request.idempotencyKey) headers['idempotency-key'] = request.idempotencyKey;
          const response = await fetch(url, {
            method: op.method,
            headers,
            body: request.body === undefined ? undefined : JSON.stringify(request.body),
          });
          const text = await response.text();
          const what = `${op.method} ${request.path}?${request.query} ${JSON.stringify(request.body)?.slice(0, 300)} → ${response.status} ${text.slice(0, 300)}`;
          expect(response.status, what).toBeLessThan(500);
          if (response.status >= 400)
            expect(response.headers.get('content-type'), what).toMatch(errorContentType(op, response.status));
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      if (result.failed) failures.push(`${op.method} ${op.path}: ${String(result.errorInstance)}`);
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
  });
});
