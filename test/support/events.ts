/** API Gateway proxy events for handler unit tests, shaped like the ones API Gateway sends. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { lambdaContext } from '../../infra/local/http-adapter.js';
import type { RouteDeclaration } from '../../shared/http/routes/index.js';
import type { Role } from '../../shared/schemas/common.js';

export function apiEvent(
  route: RouteDeclaration,
  options: {
    as?: Role | null;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    pathParameters?: Record<string, string>;
    query?: Record<string, string>;
    /** Claims as API Gateway's authorizer passes them, instead of those of `as`. */
    claims?: Record<string, string>;
  } = {},
): APIGatewayProxyEvent {
  const { as = 'agent', body, rawBody, headers = {}, pathParameters, query, claims } = options;
  const hasBody = body !== undefined || rawBody !== undefined;
  return {
    resource: route.path,
    path: route.path,
    httpMethod: route.method,
    headers: { ...(hasBody ? { 'Content-Type': 'application/json' } : {}), ...headers },
    multiValueHeaders: {},
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: pathParameters ?? null,
    stageVariables: null,
    body: rawBody ?? (body === undefined ? null : JSON.stringify(body)),
    isBase64Encoded: false,
    requestContext: {
      authorizer: claims ? { claims } : as ? { claims: { sub: `user-${as}`, 'cognito:groups': as } } : null,
      resourcePath: route.path,
      httpMethod: route.method,
      requestId: 'test',
      stage: 'test',
    } as never,
  };
}

export const aContext = (route: RouteDeclaration): Context => lambdaContext(route);

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Invokes a handler as Lambda would and parses its JSON answer. */
export async function invoke(handler: Handler, route: RouteDeclaration, options: Parameters<typeof apiEvent>[1] = {}) {
  const result = await handler(apiEvent(route, options), aContext(route));
  return { ...result, json: result.body ? (JSON.parse(result.body) as any) : undefined };
}
