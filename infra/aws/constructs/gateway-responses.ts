/**
 * Errors that API Gateway answers by itself (no token, throttled, body too large, unknown route,
 * Lambda timed out…) in the same application/problem+json shape the handlers use. Each body is
 * produced by shared/http/problem.ts from the domain error the handlers would throw, so `type`,
 * `title`, `status` and `detail` cannot drift from the Lambda answers.
 *
 * Gateway response templates are not run through VTL (no directives), so every body is a fixed
 * document and every response type gets a fixed status; API Gateway substitutes `$context`
 * variables in them, which gives each problem its `instance` (the request path, as the handlers
 * answer). Each also carries the contract's header rules (nosniff, no-store: shared/http/headers.ts).
 */
import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Forbidden,
  Invalid,
  NotFound,
  PayloadTooLarge,
  TokenExpired,
  TooManyRequests,
  Unauthenticated,
  Unavailable,
  UnsupportedMediaType,
} from '../../../shared/domain/errors.js';
import { CORS_EXPOSED_HEADERS } from '../../../shared/http/cors.js';
import { problemResponse } from '../../../shared/http/problem.js';

interface GatewayProblem {
  type: ResponseType;
  /** What the caller is told, as the domain error a handler would throw for the same situation. */
  error: unknown;
}

const timedOut = new Unavailable(
  'The service did not answer in time. Retry shortly; a POST retried with the same Idempotency-Key is not applied twice.',
  5,
);
const throttled = new TooManyRequests('Too many requests. Slow down and retry shortly.');

export const GATEWAY_PROBLEMS: readonly GatewayProblem[] = [
  { type: ResponseType.UNAUTHORIZED, error: new Unauthenticated('A valid bearer token is required.') },
  // An expired token is told apart from a forged one, so a console signs in again instead of reporting an error.
  { type: ResponseType.EXPIRED_TOKEN, error: new TokenExpired('The token has expired; sign in again.') },
  { type: ResponseType.ACCESS_DENIED, error: new Forbidden('This token may not call this API.') },
  { type: ResponseType.THROTTLED, error: throttled },
  { type: ResponseType.QUOTA_EXCEEDED, error: throttled },
  {
    type: ResponseType.REQUEST_TOO_LARGE,
    error: new PayloadTooLarge('The request body is too large (the limit is 64 KiB).'),
  },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, error: new UnsupportedMediaType('Send the body as application/json.') },
  { type: ResponseType.BAD_REQUEST_BODY, error: new Invalid('The request body must be a JSON object.') },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, error: new Invalid('A required request parameter is missing.') },
  // REST APIs answer an unknown path or method with MISSING_AUTHENTICATION_TOKEN (403); for a client it is a 404.
  {
    type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
    error: new NotFound('There is no such route. The routes are listed in /openapi.json.'),
  },
  {
    type: ResponseType.RESOURCE_NOT_FOUND,
    error: new NotFound('There is no such route. The routes are listed in /openapi.json.'),
  },
  { type: ResponseType.WAF_FILTERED, error: new Forbidden('The request was blocked by the web application firewall.') },
  { type: ResponseType.INTEGRATION_TIMEOUT, error: timedOut },
  { type: ResponseType.INTEGRATION_FAILURE, error: timedOut },
  // Whatever else the gateway refuses (API keys, SigV4: unused here) or fails at.
  { type: ResponseType.DEFAULT_4XX, error: new Invalid('The request was refused.') },
  { type: ResponseType.DEFAULT_5XX, error: new Error('gateway error') },
];

/** Substituted by API Gateway in a gateway response template: the path the caller asked for. */
export const GATEWAY_INSTANCE = '$context.path';

export interface ProblemResponsesProps {
  /** The CORS origins of the API: one origin is sent as is; several are answered by echoing the caller's Origin. */
  allowedOrigins: readonly string[];
}

/** Adds a problem+json gateway response, with CORS headers, for every type in GATEWAY_PROBLEMS. */
export function addProblemResponses(api: RestApi, props: ProblemResponsesProps): void {
  const singleOrigin = props.allowedOrigins.length === 1 ? props.allowedOrigins[0] : undefined;
  // Several origins: gateway error bodies hold no data and credentials are never allowed, so echoing the Origin exposes nothing.
  const cors: Record<string, string> = singleOrigin
    ? { 'Access-Control-Allow-Origin': `'${singleOrigin}'` }
    : { 'Access-Control-Allow-Origin': 'method.request.header.Origin', Vary: "'Origin'" };
  cors['Access-Control-Expose-Headers'] = `'${CORS_EXPOSED_HEADERS.join(',')}'`;

  for (const { type, error } of GATEWAY_PROBLEMS) {
    const { statusCode, headers = {}, body } = problemResponse(error, GATEWAY_INSTANCE).result;
    const responseHeaders: Record<string, string> = { ...cors };
    for (const [name, value] of Object.entries(headers))
      responseHeaders[name.replace(/(^|-)([a-z])/g, (_, dash, letter) => dash + letter.toUpperCase())] = `'${value}'`;
    api.addGatewayResponse(`Problem${type.responseType}`, {
      type,
      statusCode: String(statusCode),
      responseHeaders,
      templates: { 'application/json': body },
    });
  }
}
