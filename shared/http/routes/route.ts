/**
 * The shape of a route declaration. Every route of the API is declared once, in this
 * folder (one file per capability): method, path, the Lambda export that serves it, who may
 * call it, and its request/response schemas. The CDK api construct, the local runtime and
 * the OpenAPI document are all built from these lists.
 */
import type { ZodType } from 'zod';
import type { JobKind } from '../../jobs/ports.js';
import type { Role } from '../../schemas/common.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteResponse {
  description: string;
  schema?: ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  /** Headers this answer carries besides ETag (declared in the document): `Location`, `Content-Disposition`. */
  headers?: Record<string, { description: string; example: string }>;
  /** An example of a text answer (HTML, CSV), shown in the document. */
  example?: string;
}

/** The `Location` of a job accepted with 202: where its status is polled. */
export const LOCATION_OF_JOB = {
  Location: {
    description: 'Where the job’s status is polled (its `statusUrl`)',
    example: '/reports/2026-11/exports/01JC0ZQ8M3Y7D5T2N4K6P8R0SV',
  },
};

export interface RouteDeclaration {
  /** Unique, also the Lambda function's logical name and the idempotency key prefix. */
  id: string;
  method: HttpMethod;
  /** API Gateway resource path, `{name}` for path parameters. */
  path: string;
  /** Folder under functions/ whose handler.ts serves the route. */
  capability: string;
  /** Named export of that handler.ts. */
  handler: string;
  /** Lowest role allowed (each role includes the ones before it), or public. */
  auth: Role | 'public';
  summary: string;
  /**
   * `body` is JSON; `form` is an HTML form's `application/x-www-form-urlencoded` body (its fields
   * arrive as strings, checked by the same zod machinery). A route has one or the other.
   */
  request?: { params?: ZodType; query?: ZodType; body?: ZodType; form?: ZodType };
  responses: Record<number, RouteResponse>;
  /** Set on a GET that still writes (e.g. the survey form records when it was first opened): it gets write access. */
  writesData?: boolean;
  /**
   * Set on a route whose use case deletes items (a customer's erasure, a complaint's paused marker
   * when a pause ends, a failed message's claim): only its function gets dynamodb:DeleteItem.
   */
  deletesData?: boolean;
  /**
   * The use case validates the body with `request.body` itself, together with checks that need
   * stored state (a settings merge patch is judged with the settings it patches), so one 400 names
   * every bad field. The handler then gets the parsed JSON unvalidated.
   */
  bodyValidatedByService?: boolean;
  /**
   * A page's form: a field that breaks the form schema (too long, …) does not end in a bare 400;
   * the handler gets the fields as sent and `formErrors` naming them, and answers the form
   * again (422) with the answers kept.
   */
  formErrorsAsPage?: boolean;
  /** A full example of the request body, shown in the document (a test checks it against the body schema). */
  example?: unknown;
  /**
   * The route hands work to a job (shared/jobs): its function also runs that job, invoking itself
   * asynchronously in AWS (so it may invoke itself, and has the job's time: see infra/aws/constructs/api.ts).
   */
  startsJob?: JobKind;
  /**
   * A 409 of this route carries `current` (the record as stored, as its 200 answer shows it) and its
   * ETag; every route that takes If-Match does so for its 409 and 412 without this flag.
   */
  conflictCarriesCurrent?: boolean;
  /** API Gateway throttle for this route (requests per second), tighter than the stage default. */
  rateLimit?: { rate: number; burst: number };
}

export const json = (schema: ZodType, description: string): RouteResponse => ({ schema, description });

/** Writes to one record take `If-Match` (412 when stale): PATCH, PUT and the events of a complaint. */
export const acceptsIfMatch = (route: Pick<RouteDeclaration, 'method' | 'path'>) =>
  route.method === 'PATCH' || route.method === 'PUT' || (route.method === 'POST' && route.path.endsWith('/events'));

/** Whether the route's 409 and 412 answers carry the record as stored (`current`) and its ETag. */
export const answersCurrent = (route: Pick<RouteDeclaration, 'method' | 'path' | 'conflictCarriesCurrent'>) =>
  acceptsIfMatch(route) || route.conflictCarriesCurrent === true;

/** Looks a route up by id in a capability's list (handlers use it to find their own declaration). */
export function pick<const R extends readonly RouteDeclaration[], Id extends R[number]['id']>(
  routes: R,
  id: Id,
): Extract<R[number], { id: Id }> {
  const found = routes.find((r) => r.id === id);
  if (!found) throw new Error(`unknown route ${id}`);
  return found as Extract<R[number], { id: Id }>;
}

/** The longest Idempotency-Key accepted (contract: longer is a 400). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
