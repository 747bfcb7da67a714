import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { Problem } from '../../schemas/common.js';
import { z } from '../../schemas/zod.js';
import { ROUTES, type RouteResponse } from './index.js';
import { describeEnums } from './openapi-enums.js';
import { acceptsIfMatch, answersCurrent, MAX_IDEMPOTENCY_KEY_LENGTH, type RouteDeclaration } from './route.js';

const PROBLEM_STATUSES: Record<number, string> = {
  400: 'Invalid input (errors name each field)',
  401: 'No or invalid token; an expired one is `type …/token-expired` with `WWW-Authenticate: Bearer error="invalid_token"`',
  403: 'Role not allowed',
  404: 'Unknown id',
  409: 'State conflict or duplicate',
  412: 'If-Match names a version the record no longer has: `current` is the record as stored, the ETag header its version',
  428: 'If-Match is required (settings api.requireIfMatch): read the record and send its ETag',
  413: 'Body over 64 KiB',
  415: 'Body is not JSON',
  422: 'Idempotency-Key reused with another body',
  429: 'Throttled',
  503: 'Dependency unavailable (see Retry-After)',
};

const etagHeader = {
  description: 'The record’s version; send it back as If-Match to change the record only if nobody else did',
  schema: { type: 'string' as const, example: '"3"' },
};

/** A single record (a schema with a `version`) answers an ETag. */
function hasVersion(schema: RouteDeclaration['responses'][number]['schema']): boolean {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape !== undefined && 'version' in shape && !('items' in shape);
}

/** A page of a list (a schema with `items`): answers a list ETag and 304 to If-None-Match. */
function isPageSchema(schema: RouteDeclaration['responses'][number]['schema']): boolean {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape !== undefined && 'items' in shape;
}

const listEtagHeader = {
  description:
    'A weak validator of the page: send it as If-None-Match to get 304 while nothing in the page changed (`secondsLeft` moves with the clock and is not part of it)',
  schema: { type: 'string' as const, example: 'W/"q3b7UJ0k5c1mJxXzZ2l7mA0r8sT4vWw9yYb1cDe"' },
};

/** The headers an answer declares: its ETag (a record's version, a page's validator) and what the route names. */
function responseHeaders(response: RouteResponse, isPage: boolean) {
  const headers: Record<string, { description: string; schema: { type: 'string'; example: string } }> = {};
  if (hasVersion(response.schema)) headers.ETag = etagHeader;
  if (isPage) headers.ETag = listEtagHeader;
  for (const [name, header] of Object.entries(response.headers ?? {}))
    headers[name] = { description: header.description, schema: { type: 'string', example: header.example } };
  return Object.keys(headers).length ? { headers } : {};
}

const problem = { description: '', content: { 'application/problem+json': { schema: Problem } } };

/**
 * A public page for customers answers its errors as pages (declared on the route), never problem+json;
 * a staff page (the report as HTML) answers auth and validation errors as problem+json like any route.
 */
const isCustomerPage = (route: RouteDeclaration) =>
  route.auth === 'public' && Object.values(route.responses).some((r: RouteResponse) => r.contentType === 'text/html');

/** A GET of a page of a list: answers a list ETag and 304 to If-None-Match. */
const listsPages = (route: RouteDeclaration) => route.method === 'GET' && isPageSchema(route.responses[200]?.schema);

/** The problem statuses a route can answer that it does not declare itself, with their descriptions. */
function errorStatuses(route: RouteDeclaration): Array<[string, string]> {
  if (isCustomerPage(route)) return [];
  return Object.entries(PROBLEM_STATUSES).filter(([status]) => {
    const code = Number(status);
    if (status in route.responses) return false;
    if (route.auth === 'public' && (code === 401 || code === 403)) return false;
    if (!route.request?.body && [413, 415, 422].includes(code)) return false;
    if (route.method !== 'POST' && code === 422) return false;
    if ((code === 412 || code === 428) && !acceptsIfMatch(route)) return false;
    return true;
  });
}

/** A refused write answers the record as stored: the problem with `current`, typed as the route's 200 answer. */
function currentProblemOf(route: RouteDeclaration) {
  const okSchema = route.responses[200]?.schema;
  if (!answersCurrent(route) || !okSchema) return undefined;
  return Problem.extend({
    current: (okSchema as z.ZodType)
      .optional()
      .openapi({ description: 'The record as stored now (absent when it could not be read)' }),
  });
}

/** The request headers a route reads: If-None-Match on a list, Idempotency-Key on a staff POST, If-Match on a write. */
function requestHeaders(route: RouteDeclaration) {
  return {
    ...(listsPages(route)
      ? {
          'If-None-Match': z.string().optional().openapi({
            description: 'The ETag of the page last read: 304 without a body while nothing in it changed; `*` is a 400',
            example: 'W/"q3b7UJ0k5c1mJxXzZ2l7mA0r8sT4vWw9yYb1cDe"',
          }),
        }
      : {}),
    ...(route.method === 'POST' && route.auth !== 'public'
      ? {
          'Idempotency-Key': z
            .string()
            .max(MAX_IDEMPOTENCY_KEY_LENGTH)
            .optional()
            .openapi({ description: 'A retry with the same key and body returns the first answer' }),
        }
      : {}),
    ...(acceptsIfMatch(route)
      ? {
          'If-Match': z.string().optional().openapi({
            description:
              'The ETag last read; a stale one is refused with 412; required (428 without it) when settings api.requireIfMatch is on',
            example: '"3"',
          }),
        }
      : {}),
  };
}

/** The request part of an operation: params, query, a JSON or form body, the headers. */
function requestOf(route: RouteDeclaration) {
  const headers = requestHeaders(route);
  return {
    ...(route.request?.params ? { params: route.request.params as z.ZodObject } : {}),
    ...(route.request?.query ? { query: route.request.query as z.ZodObject } : {}),
    ...(route.request?.body
      ? {
          body: {
            required: true,
            content: {
              'application/json': {
                schema: route.request.body,
                ...(route.example === undefined ? {} : { example: route.example }),
              },
            },
          },
        }
      : {}),
    ...(route.request?.form
      ? {
          body: {
            required: true,
            content: { 'application/x-www-form-urlencoded': { schema: route.request.form } },
          },
        }
      : {}),
    ...(Object.keys(headers).length ? { headers: z.object(headers) } : {}),
  };
}

/** A declared answer's content: its schema in its media type (JSON by default), or text for a page or a file. */
function contentOf(response: RouteResponse) {
  const example = response.example === undefined ? {} : { example: response.example };
  if (response.schema)
    return { content: { [response.contentType ?? 'application/json']: { schema: response.schema, ...example } } };
  // A page or a file: text in that media type.
  if (response.contentType)
    return { content: { [response.contentType]: { schema: { type: 'string' as const }, ...example } } };
  return {};
}

/** The answers the route declares, each with its headers and content. */
function declaredResponses(route: RouteDeclaration) {
  return Object.fromEntries(
    Object.entries(route.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...responseHeaders(response, listsPages(route) && status === '200'),
        ...contentOf(response),
      },
    ]),
  );
}

/** 304 on a list: what If-None-Match gets while the page is unchanged. */
function notModifiedResponse(route: RouteDeclaration): RouteConfig['responses'] {
  if (!listsPages(route)) return {};
  return {
    304: {
      description: 'Not Modified: the page is as it was when its ETag (sent as If-None-Match) was answered',
      headers: { ETag: listEtagHeader },
    },
  };
}

/** The problem answers; a 409 or 412 of a route that answers `current` carries the record and its ETag. */
function errorResponses(route: RouteDeclaration) {
  const currentProblem = currentProblemOf(route);
  return Object.fromEntries(
    errorStatuses(route).map(([status, description]) => [
      status,
      (status === '409' || status === '412') && currentProblem
        ? {
            description: `${description}; \`current\` is the record as stored, the ETag header its version`,
            headers: {
              ETag: { ...etagHeader, description: 'The version of `current`: retry with it as If-Match' },
            },
            content: { 'application/problem+json': { schema: currentProblem } },
          }
        : { ...problem, description },
    ]),
  );
}

/** One route as an OpenAPI operation. */
function operationOf(route: RouteDeclaration, bearer: string): RouteConfig {
  return {
    method: route.method.toLowerCase() as 'get',
    path: route.path,
    operationId: route.id,
    summary: route.summary,
    tags: [route.capability],
    ...(route.auth === 'public'
      ? { security: [] }
      : { security: [{ [bearer]: [] }], description: `Requires the \`${route.auth}\` role or higher.` }),
    request: requestOf(route),
    responses: { ...declaredResponses(route), ...notModifiedResponse(route), ...errorResponses(route) },
  };
}

/** The OpenAPI 3.1 document, generated from the same route declarations and zod schemas the handlers validate with. */
export function openApiDocument() {
  describeEnums([
    Problem,
    ...ROUTES.flatMap((route) => [
      ...Object.values(route.request ?? {}),
      ...Object.values(route.responses).map((response: RouteResponse) => response.schema),
    ]),
  ]);
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  for (const route of ROUTES) registry.registerPath(operationOf(route, bearer.name));
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'CareLoop API',
      // The contract this document describes: api-contract.md v1.2 (its "For screens (v1.2)" and the rest).
      version: '1.2.0',
      description: 'Customer-service interactions, complaints with SLA escalation, surveys, KPIs and monthly reports.',
      license: { name: 'Proprietary', url: 'https://careloop.dev/license' },
    },
    servers: [{ url: '/' }],
  });
  addResponseExamples(document as unknown as OpenApiDocument);
  return document;
}

type JsonSchema = Record<string, any>;
type OpenApiDocument = {
  paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, JsonSchema> }> }>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/**
 * Every success answer gets an example, composed from the examples its schemas declare (the zod
 * schemas' `.openapi({ example })`: ids, timestamps, names, whole objects where one is given), each
 * enum's first value, and plain values that meet each leaf's constraints; an answer whose route
 * gives a whole example keeps it. test/shared/http/openapi-quality.test.ts validates every example
 * against its schema, so a leaf whose pattern a plain value cannot meet must declare an example.
 * A change to any route or schema changes the client's generated types: `npm run generate -w client`
 * (client/test/schema.test.ts fails while they are stale).
 */
function addResponseExamples(document: OpenApiDocument): void {
  const schemas = document.components?.schemas ?? {};
  for (const operations of Object.values(document.paths ?? {}))
    for (const operation of Object.values(operations))
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!status.startsWith('2')) continue;
        for (const media of Object.values(response.content ?? {}))
          if (media.example === undefined && media.schema) media.example = exampleOf(media.schema, schemas, 0);
      }
}

const EXAMPLE_INSTANT = '2026-11-10T02:00:00.000Z';

function exampleOf(schema: JsonSchema, schemas: Record<string, JsonSchema>, depth: number): unknown {
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (depth > 60) return undefined; // a schema that contains itself
  if (typeof schema.$ref === 'string') {
    const target = schemas[schema.$ref.replace('#/components/schemas/', '')];
    return target ? exampleOf(target, schemas, depth + 1) : undefined;
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum.find((value: unknown) => value !== null) ?? schema.enum[0];
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((part: JsonSchema) => exampleOf(part, schemas, depth + 1));
    const objects = parts.filter((part: unknown) => part && typeof part === 'object' && !Array.isArray(part));
    if (objects.length > 1) return Object.assign({}, ...objects);
    return parts.find((part: unknown) => part !== undefined);
  }
  for (const key of ['anyOf', 'oneOf'])
    if (Array.isArray(schema[key])) {
      const options = schema[key] as JsonSchema[];
      const chosen = options.find((option) => option.type !== 'null') ?? options[0];
      return chosen ? exampleOf(chosen, schemas, depth + 1) : null;
    }
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const example: Record<string, unknown> = {};
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
        const value = exampleOf(property, schemas, depth + 1);
        if (value !== undefined) example[name] = value;
      }
      return example;
    }
    case 'array': {
      const item = schema.items ? exampleOf(schema.items, schemas, depth + 1) : undefined;
      return item === undefined ? [] : Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => item);
    }
    case 'string':
      return stringExample(schema);
    case 'integer':
    case 'number': {
      const low: number | undefined = schema.minimum ?? schema.exclusiveMinimum;
      const high: number | undefined = schema.maximum ?? schema.exclusiveMaximum;
      if (low !== undefined && high !== undefined) {
        const middle = (low + high) / 2;
        return type === 'integer' ? Math.floor(middle) : middle;
      }
      if (low !== undefined) return schema.minimum ?? low + 1;
      if (high !== undefined) return Math.min(1, schema.maximum ?? high - 1);
      return 1;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

function stringExample(schema: JsonSchema): string {
  switch (schema.format) {
    case 'date-time':
      return EXAMPLE_INSTANT;
    case 'date':
      return EXAMPLE_INSTANT.slice(0, 10);
    case 'email':
      return 'agent@example.com';
    case 'uri':
    case 'url':
      return 'https://careloop.example.com/';
  }
  const text = 'text';
  if (schema.minLength && schema.minLength > text.length) return text.padEnd(schema.minLength, 'x');
  if (schema.maxLength !== undefined && schema.maxLength < text.length) return text.slice(0, schema.maxLength);
  return text;
}
