import { createHash } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { ZodType, z } from 'zod';
import type { Actor } from '../domain/access.js';
import { Conflict, Invalid, PreconditionFailed, PreconditionRequired } from '../domain/errors.js';
import { etagOf, type IfMatch, parseIfMatch } from '../domain/versions.js';
import { logger } from '../observability/logger.js';
import { ports } from '../ports.js';
import { fieldErrors } from '../schemas/field-errors.js';
import type { FieldError } from '../schemas/vocabulary.js';
import { bodyDigest, type ClientRequest, onceFor } from '../store/requests.js';
import { dynamoSettingsStore } from '../store/settings.js';
import { actorFromEvent, authorize } from './auth.js';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS } from './cors.js';
import { NO_STORE, REPLAY_HEADER, SECURITY_HEADERS } from './headers.js';
import { problemResponse } from './problem.js';
import { formBody, header, jsonBody, refuseReservedNames, validate } from './request.js';
import { acceptsIfMatch, MAX_IDEMPOTENCY_KEY_LENGTH, type RouteDeclaration } from './routes/route.js';

/** What a route's implementation answers: a status and a JSON body (or text with its content type). */
export interface Reply {
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

type Part<R, K extends string> = R extends { request: { [P in K]: infer S } }
  ? S extends ZodType
    ? z.output<S>
    : undefined
  : undefined;

/** A parsed, validated, authorized request. */
export interface ApiRequest<R extends RouteDeclaration> {
  /** The JSON body, or the form fields on a route that takes a form. */
  body: R extends { request: { form: ZodType } } ? Part<R, 'form'> : Part<R, 'body'>;
  query: Part<R, 'query'>;
  params: Part<R, 'params'>;
  /** null only on public routes called without a token. */
  actor: R['auth'] extends 'public' ? Actor | null : Actor;
  /** `If-Match` of a write to one record (PATCH, PUT, POST …/events): the version the caller last read. */
  ifMatch: IfMatch;
  now: Date;
  /** The Idempotency-Key the caller sent, if any (a use case may record what the request created). */
  idempotencyKey: string | undefined;
  /**
   * On a route with idempotency inside the write (`inWrite`), when the caller sent an Idempotency-Key:
   * the request whose claim (shared/store/requests.ts `claimItem`) the use case writes in the
   * transaction that stores its record.
   */
  clientRequest: ClientRequest | undefined;
  /** On a `formErrorsAsPage` route: the fields that broke the form schema (empty when none did). */
  formErrors: FieldError[];
  event: APIGatewayProxyEvent;
  context: Context;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });

/** Origins allowed by CORS: a comma-separated list in CORS_ORIGINS; any origin when unset (local). */
const corsOrigins = (process.env.CORS_ORIGINS ?? '*').split(',').map((o) => o.trim());

/**
 * Middleware: every failure becomes application/problem+json with the right status.
 * Unknown errors are logged (masked) and answered as a bare 500 with no stack trace.
 */
const problemDetails = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: (request) => {
    const { result, known } = problemResponse(request.error, request.event?.path);
    if (!known || result.statusCode >= 500)
      logger.error('request failed', { error: request.error as Error, path: request.event?.resource });
    request.response = result;
  },
});

/**
 * Middleware: one line per request with the route, never the path or the query (survey and
 * confirmation links carry their token in the path), the caller's id and the status.
 */
const requestLog = (route: RouteDeclaration): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => {
  const line = (request: middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult>) =>
    logger.info('request', {
      route: route.id,
      method: route.method,
      resource: route.path,
      caller: actorFromEvent(request.event)?.id ?? null,
      status: request.response?.statusCode ?? null,
    });
  return { after: line, onError: line };
};

/** A single record (an object with a numeric `version`, not a page of items) answers its version as `ETag`. */
function etagHeader(body: unknown): Record<string, string> {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || 'items' in body) return {};
  const version = (body as { version?: unknown }).version;
  return typeof version === 'number' && Number.isInteger(version) ? { etag: etagOf(version) } : {};
}

/** Whether an answer body is a page of a list (an object with `items`). */
const isPage = (body: unknown): body is { items: unknown[] } =>
  body !== null && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items);

/**
 * A list's ETag: a weak validator of what the page shows. Left out of it: `secondsLeft` (it moves
 * with the clock, not with the records; `dueBy` is in it) and the cursor's bytes (sealed afresh on
 * every answer; whether there is one is in it). The same request answers the same ETag until a
 * record in it, its order or its end changes.
 */
export function listEtag(body: { items: unknown[] }): string {
  const stable = JSON.stringify(body, (key, value) =>
    key === 'secondsLeft' ? undefined : key === 'nextCursor' ? value !== null : value,
  );
  return `W/"${createHash('sha256').update(stable).digest('base64url').slice(0, 27)}"`;
}

/** Whether an If-None-Match header names `etag` (weak comparison, RFC 9110 §13.1.2). */
function noneMatch(header: string, etag: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/**
 * A list answered with its ETag, or 304 Not Modified (no body) when If-None-Match names it:
 * a screen that polls re-downloads a page only once something in it changed.
 */
function conditionalList(event: APIGatewayProxyEvent, result: APIGatewayProxyResult, body: unknown) {
  if (result.statusCode !== 200 || !isPage(body)) return result;
  const condition = header(event, 'if-none-match');
  if (condition?.trim() === '*')
    throw Invalid.field(
      'If-None-Match',
      'a list is not created by a request: send the ETag of the page last read, not *',
      'invalid_format',
      { format: 'entity-tag' },
    );
  const etag = listEtag(body);
  if (condition !== undefined && noneMatch(condition, etag)) {
    const { 'content-type': _none, ...headers } = result.headers ?? {};
    return { statusCode: 304, headers: { ...headers, etag }, body: '' };
  }
  return { ...result, headers: { ...result.headers, etag } };
}

/** A 412 or 409 with the record as stored now (`current`), read after the refusal; a failed read leaves it as it was. */
async function withCurrent(error: unknown, read: () => Promise<unknown>): Promise<unknown> {
  if (!(error instanceof PreconditionFailed || error instanceof Conflict)) return error;
  try {
    const current = await read();
    if (current !== undefined) error.extensions = { ...error.extensions, current };
  } catch {
    // The record may be gone (or unreadable to this caller): the problem stands without it.
  }
  return error;
}

function toResult(reply: Reply): APIGatewayProxyResult {
  const isText = typeof reply.body === 'string' && reply.contentType !== undefined;
  return {
    statusCode: reply.status,
    headers: {
      'content-type': reply.contentType ?? 'application/json; charset=utf-8',
      ...NO_STORE,
      ...(isText ? {} : etagHeader(reply.body)),
      ...reply.headers,
      ...SECURITY_HEADERS,
    },
    body: reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body),
  };
}

/** How a route's handler answers failures, keeps a staff POST idempotent and answers a refused write (see apiHandler). */
export interface ApiHandlerOptions<R extends RouteDeclaration> {
  /**
   * The answer for a failure, instead of problem+json (a page for people: an HTML route answers
   * its errors as HTML). Return undefined to fall back to problem+json.
   */
  errorReply?: (error: unknown, event: APIGatewayProxyEvent) => Reply | undefined;
  /**
   * A keyed POST's answer to a retry: the record its claim names (shared/store/requests.ts), read
   * again — as it is now, erased if the customer was erased meanwhile — with the first answer's
   * status. The claim keeps the record's id and a hash of the body, nothing personal.
   */
  replay?: (id: string, request: ApiRequest<R>) => Promise<Reply>;
  /**
   * Idempotency inside the write: the use case gets `clientRequest` and puts its claim in the
   * transaction that stores its record (or alone, when it finds its work done already); a retry
   * (or a copy still in flight: its transaction is cancelled on the claim) is answered by `replay`
   * with the record the claim names. Every staff POST takes an Idempotency-Key, so every staff
   * POST needs this and `replay`: one without is refused when its handler is built.
   */
  inWrite?: boolean;
  /**
   * The record as stored now, as the route's success answer shows it: a 412 or 409 of this
   * route then carries it as `current` and its version as the `ETag` header, so a screen can
   * show what changed and retry with the new ETag without another read.
   */
  current?: (request: ApiRequest<R>) => Promise<unknown>;
}

type Implementation<R extends RouteDeclaration> = (request: ApiRequest<R>) => Promise<Reply>;
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Stage 0, when the handler is built: every staff POST takes an Idempotency-Key, so it is idempotent inside its write. */
function refuseUnkeyedPost<R extends RouteDeclaration>(route: R, options: ApiHandlerOptions<R>): void {
  if (options.inWrite && !options.replay) throw new Error(`route ${route.id}: inWrite needs replay`);
  if (route.method === 'POST' && route.auth !== 'public' && !options.inWrite)
    throw new Error(`route ${route.id}: a staff POST takes Idempotency-Key: give it inWrite and replay`);
}

/**
 * The body as the route takes it: JSON validated by its schema (or left to the service), form
 * fields validated by theirs — on a `formErrorsAsPage` route kept as sent, with the fields that
 * broke the schema, so the form comes back with the answers kept.
 */
function bodyOf(route: RouteDeclaration, event: APIGatewayProxyEvent): { body: unknown; formErrors: FieldError[] } {
  const { request: schemas = {} } = route;
  if (schemas.body)
    return {
      body: route.bodyValidatedByService ? jsonBody(event) : validate(schemas.body, jsonBody(event), 'body'),
      formErrors: [],
    };
  if (!schemas.form) return { body: undefined, formErrors: [] };
  if (!route.formErrorsAsPage) return { body: validate(schemas.form, formBody(event), 'form'), formErrors: [] };
  const fields = formBody(event);
  const parsed = schemas.form.safeParse(fields);
  return parsed.success
    ? { body: parsed.data, formErrors: [] }
    : { body: fields, formErrors: fieldErrors(parsed.error, fields) };
}

/** The If-Match of a write to one record; 428 without one when settings api.requireIfMatch is on. */
async function ifMatchOf(route: RouteDeclaration, event: APIGatewayProxyEvent): Promise<IfMatch> {
  if (!acceptsIfMatch(route)) return undefined;
  const ifMatch = parseIfMatch(header(event, 'if-match'));
  if (ifMatch === undefined && (await dynamoSettingsStore.current()).settings.api.requireIfMatch)
    throw new PreconditionRequired(
      'This API requires If-Match on every change of a record (settings api.requireIfMatch): read the record, then send its ETag as If-Match.',
    );
  return ifMatch;
}

/** The Idempotency-Key sent, if any, at most MAX_IDEMPOTENCY_KEY_LENGTH characters long. */
function idempotencyKeyOf(event: APIGatewayProxyEvent): string | undefined {
  const key = header(event, 'idempotency-key');
  if (key !== undefined && key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    throw Invalid.field('Idempotency-Key', `must have at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`, 'too_long', {
      maximum: MAX_IDEMPOTENCY_KEY_LENGTH,
    });
  return key;
}

/**
 * Stage 1, per request: reserved names refused, the caller authorized for the route's role, then
 * params, query and body validated, If-Match and Idempotency-Key read — in this order, so the
 * first thing wrong is what the answer names.
 */
async function parsedRequest<R extends RouteDeclaration>(
  route: R,
  event: APIGatewayProxyEvent,
  context: Context,
): Promise<ApiRequest<R>> {
  refuseReservedNames(event);
  const actor = authorize(actorFromEvent(event), route.auth);
  const { request: schemas = {} } = route;
  const params = schemas.params ? validate(schemas.params, event.pathParameters ?? {}, 'path') : undefined;
  const query = schemas.query ? validate(schemas.query, event.queryStringParameters ?? {}, 'query') : undefined;
  const { body, formErrors } = bodyOf(route, event);
  const ifMatch = await ifMatchOf(route, event);
  const idempotencyKey = idempotencyKeyOf(event);
  const now = ports().clock.now();
  return {
    body,
    query,
    params,
    actor,
    ifMatch,
    now,
    idempotencyKey,
    clientRequest: undefined,
    formErrors,
    event,
    context,
  } as ApiRequest<R>;
}

/** The implementation whose 412 or 409 carries the record as stored now (`current`), when the route reads it. */
function withCurrentOnRefusal<R extends RouteDeclaration>(
  implementation: Implementation<R>,
  current: ApiHandlerOptions<R>['current'],
): Implementation<R> {
  if (!current) return implementation;
  return async (request) => {
    try {
      return await implementation(request);
    } catch (error) {
      throw await withCurrent(error, () => current(request));
    }
  };
}

/**
 * Stage 2a, a keyed POST with idempotency inside the write: the use case writes the request's claim
 * with its record; a retry is answered from the claim (`replay`), marked as a replay. A failure of a
 * request that turns out to be claimed is answered from the claim too (onceFor).
 */
async function answerOnceInWrite<R extends RouteDeclaration>(
  route: R,
  request: ApiRequest<R>,
  caller: Actor,
  key: string,
  implement: Implementation<R>,
  replay: NonNullable<ApiHandlerOptions<R>['replay']>,
): Promise<APIGatewayProxyResult> {
  const clientRequest: ClientRequest = {
    route: route.id,
    caller: caller.id,
    key,
    bodyHash: bodyDigest(request.event.body ?? ''),
  };
  const keyed = { ...request, clientRequest };
  const result = toResult(
    await onceFor(
      clientRequest,
      () => implement(keyed),
      (id) => replay(id, keyed),
    ),
  );
  return clientRequest.replayed ? { ...result, headers: { ...result.headers, [REPLAY_HEADER]: 'true' } } : result;
}

/** Stage 2b, any other request: the use case's answer; a page of a list with its ETag, or 304. */
async function answerPlain<R extends RouteDeclaration>(
  route: R,
  request: ApiRequest<R>,
  implement: Implementation<R>,
): Promise<APIGatewayProxyResult> {
  const reply = await implement(request);
  return route.method === 'GET' ? conditionalList(request.event, toResult(reply), reply.body) : toResult(reply);
}

/** Stage 3: a failure answered by the route's own `errorReply` (a page), logged like problemDetails logs. */
function withErrorReply(handle: Handler, errorReply: ApiHandlerOptions<RouteDeclaration>['errorReply']): Handler {
  if (!errorReply) return handle;
  return async (event, context) => {
    try {
      return await handle(event, context);
    } catch (error) {
      const reply = errorReply(error, event);
      if (!reply) throw error;
      const { known } = problemResponse(error);
      if (!known || reply.status >= 500)
        logger.error('request failed', { error: error as Error, path: event.resource });
      return toResult(reply);
    }
  };
}

/** Stage 4, around it all: Lambda context in the logs, the request line, CORS, problem+json for the rest. */
function withMiddleware(route: RouteDeclaration, core: Handler) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestLog(route))
    .use(
      httpCors({
        origins: corsOrigins,
        headers: CORS_ALLOWED_HEADERS.join(','),
        exposeHeaders: CORS_EXPOSED_HEADERS.join(','),
        maxAge: CORS_MAX_AGE_SECONDS,
      }),
    )
    .use(problemDetails())
    .handler(core);
}

/**
 * Builds the Lambda handler of a route: CORS, problem+json errors, auth and role check,
 * body limits and JSON parsing, zod validation of params/query/body, and idempotency for POSTs
 * that carry an Idempotency-Key, inside the use case's own transaction (`inWrite`).
 * The stages, in the order a request meets them: withMiddleware (outermost), withErrorReply,
 * parsedRequest, then answerOnceInWrite (a keyed staff POST) or answerPlain.
 *
 * @example
 * export const create = apiHandler(pick(interactionRoutes, 'createInteraction'), async ({ body, actor, now }) =>
 *   created(await recordInteraction(body, actor, now)));
 *
 * A bundle that imports one route's handler from a capability's handler.ts leaves the other routes'
 * handlers (and what only they use) out because every call site is marked: `export const x =
 * /* @__PURE__ *\/ apiHandler(/* @__PURE__ *\/ pick(…), …)`. The annotation here is not enough:
 * esbuild does not carry `@__NO_SIDE_EFFECTS__` across modules (evanw/esbuild#4369), and a call
 * with an unmarked call among its arguments stays. package.json's `"sideEffects": false` then lets
 * esbuild drop every project module none of whose exports the function uses.
 */
/* @__NO_SIDE_EFFECTS__ */
export function apiHandler<R extends RouteDeclaration>(
  route: R,
  implementation: Implementation<R>,
  options: ApiHandlerOptions<R> = {},
) {
  refuseUnkeyedPost(route, options);
  const implement = withCurrentOnRefusal(implementation, options.current);
  const { inWrite, replay } = options;
  const handle: Handler = async (event, context) => {
    const request = await parsedRequest(route, event, context);
    const { idempotencyKey: key } = request;
    const actor = request.actor as Actor | null;
    if (inWrite && replay && key && actor) return answerOnceInWrite(route, request, actor, key, implement, replay);
    return answerPlain(route, request, implement);
  };
  return withMiddleware(route, withErrorReply(handle, options.errorReply));
}
