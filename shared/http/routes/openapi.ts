import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { Problem } from '../../schemas/common.js';
import { z } from '../../schemas/zod.js';
import { ROUTES, type RouteResponse } from './index.js';
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

/** The OpenAPI 3.1 document, generated from the same route declarations and zod schemas the handlers validate with. */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  const problem = { description: '', content: { 'application/problem+json': { schema: Problem } } };
  for (const route of ROUTES) {
    // A public page for customers answers its errors as pages (declared on the route), never problem+json;
    // a staff page (the report as HTML) answers auth and validation errors as problem+json like any route.
    const isPage =
      route.auth === 'public' &&
      Object.values(route.responses).some((r: RouteResponse) => r.contentType === 'text/html');
    const errors = Object.entries(PROBLEM_STATUSES).filter(([status]) => {
      const code = Number(status);
      if (isPage || status in route.responses) return false;
      if (route.auth === 'public' && (code === 401 || code === 403)) return false;
      if (!route.request?.body && [413, 415, 422].includes(code)) return false;
      if (route.method !== 'POST' && code === 422) return false;
      if ((code === 412 || code === 428) && !acceptsIfMatch(route)) return false;
      return true;
    });
    // A refused write answers the record as stored: the problem with `current`, typed as the route's 200 answer.
    const okSchema = route.responses[200]?.schema;
    const currentProblem =
      answersCurrent(route) && okSchema
        ? Problem.extend({
            current: (okSchema as z.ZodType)
              .optional()
              .openapi({ description: 'The record as stored now (absent when it could not be read)' }),
          })
        : undefined;
    const listsPages = route.method === 'GET' && isPageSchema(route.responses[200]?.schema);
    const headers = {
      ...(listsPages
        ? {
            'If-None-Match': z.string().optional().openapi({
              description:
                'The ETag of the page last read: 304 without a body while nothing in it changed; `*` is a 400',
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
    registry.registerPath({
      method: route.method.toLowerCase() as 'get',
      path: route.path,
      operationId: route.id,
      summary: route.summary,
      tags: [route.capability],
      ...(route.auth === 'public'
        ? { security: [] }
        : { security: [{ [bearer.name]: [] }], description: `Requires the \`${route.auth}\` role or higher.` }),
      request: {
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
      },
      responses: {
        ...Object.fromEntries(
          Object.entries(route.responses).map(([status, response]) => [
            status,
            {
              description: response.description,
              ...(hasVersion(response.schema) ? { headers: { ETag: etagHeader } } : {}),
              ...(listsPages && status === '200' ? { headers: { ETag: listEtagHeader } } : {}),
              ...(response.schema
                ? { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } }
                : {}),
            },
          ]),
        ),
        ...(listsPages
          ? {
              304: {
                description: 'Not Modified: the page is as it was when its ETag (sent as If-None-Match) was answered',
                headers: { ETag: listEtagHeader },
              },
            }
          : {}),
        ...Object.fromEntries(
          errors.map(([status, description]) => [
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
        ),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'CareLoop API',
      version: '1.0.0',
      description: 'Customer-service interactions, complaints with SLA escalation, surveys, KPIs and monthly reports.',
      license: { name: 'Proprietary', url: 'https://careloop.dev/license' },
    },
    servers: [{ url: '/' }],
  });
}
