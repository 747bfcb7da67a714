/**
 * Turns each HTTP request into the API Gateway (REST, proxy integration) event the
 * Lambda would receive, calls the same handler the CDK app deploys, and writes its answer back.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { NotFound, PayloadTooLarge } from '../../shared/domain/errors.js';
import { problemResponse } from '../../shared/http/problem.js';
import type { RouteDeclaration } from '../../shared/http/routes/index.js';

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** API Gateway accepts up to 10 MB; the local server stops reading well before that. */
const MAX_READ_BYTES = 1024 * 1024;

export interface CompiledRoute {
  route: RouteDeclaration;
  pattern: RegExp;
  parameterNames: string[];
  handler: LambdaHandler;
}

export function compileRoute(route: RouteDeclaration, handler: LambdaHandler): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, (_, name: string) => {
    parameterNames.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), parameterNames, handler };
}

export function matchRoute(routes: CompiledRoute[], method: string, path: string) {
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const match = compiled.pattern.exec(path);
    if (!match) continue;
    const pathParameters = Object.fromEntries(
      compiled.parameterNames.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]),
    );
    return { compiled, pathParameters };
  }
  return null;
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_READ_BYTES) throw new PayloadTooLarge(`The body exceeds ${MAX_READ_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function toEvent(input: {
  request: IncomingMessage;
  url: URL;
  body: Buffer;
  route: RouteDeclaration;
  pathParameters: Record<string, string>;
  claims: Record<string, string> | null;
}): APIGatewayProxyEvent {
  const { request, url, body, route, pathParameters, claims } = input;
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!;
    const value = request.rawHeaders[i + 1]!;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const requestId = randomUUID();
  const hasQuery = Object.keys(query).length > 0;
  return {
    resource: route.path,
    path: url.pathname,
    httpMethod: route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
    stageVariables: null,
    body: body.length ? body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: claims ? { claims } : null,
      protocol: 'HTTP/1.1',
      httpMethod: route.method,
      identity: {
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? null,
      } as never,
      path: url.pathname,
      stage: 'local',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: route.id,
      resourcePath: route.path,
    },
  };
}

export function lambdaContext(route: RouteDeclaration, timeoutMs = 29_000): Context {
  const started = Date.now();
  const functionName = `careloop-${route.id}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function writeResult(
  response: ServerResponse,
  result: APIGatewayProxyResult,
  extraHeaders: Record<string, string> = {},
): void {
  const headers: Record<string, string | number | boolean> = { ...extraHeaders, ...result.headers };
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    response.setHeader(name, values.map(String));
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '', 'utf8');
  response.writeHead(result.statusCode, { ...headers, 'content-length': body.length });
  response.end(body);
}

export function writeProblem(
  response: ServerResponse,
  error: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  writeResult(response, problemResponse(error).result, extraHeaders);
}

export const notFound = (path: string) => new NotFound(`No route for ${path}.`);
