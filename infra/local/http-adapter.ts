/**
 * Turns each HTTP request into the API Gateway (REST, proxy integration) event the
 * Lambda would receive, calls the same handler the CDK app deploys, and writes its answer back.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { HeadersTooLarge, Invalid, MethodNotAllowed, NotFound, PayloadTooLarge } from '../../shared/domain/errors.js';
import { MIN_COMPRESSION_BYTES } from '../../shared/http/cors.js';
import { SECURITY_HEADERS } from '../../shared/http/headers.js';
import { problemResponse } from '../../shared/http/problem.js';
import { refuseReservedNames } from '../../shared/http/request.js';
import type { RouteDeclaration } from '../../shared/http/routes/index.js';

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** API Gateway accepts up to 10 MB; the local server stops reading well before that. */
export const MAX_READ_BYTES = 1024 * 1024;

/** decodeURIComponent that answers bad percent-encoding (`%`, `%FF`) with a 400 naming where it was. */
export function decodeComponent(value: string, where: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw Invalid.field(where, 'is not valid percent-encoding (UTF-8)');
  }
}

/**
 * The path and query of a request target, decoded strictly: API Gateway refuses bad
 * percent-encoding, so the local runtime does not guess (URL would keep `%` and turn `%FF` into U+FFFD).
 * Query names and values are decoded as application/x-www-form-urlencoded (`+` is a space).
 */
export function parseTarget(target: string): { path: string; query: Array<[string, string]> } {
  const hash = target.indexOf('#');
  const withoutHash = hash < 0 ? target : target.slice(0, hash);
  const mark = withoutHash.indexOf('?');
  let rawPath = mark < 0 ? withoutHash : withoutHash.slice(0, mark);
  // An absolute-form target (a proxy's "GET http://host/path"): keep its path only.
  if (!rawPath.startsWith('/')) rawPath = new URL(rawPath, 'http://localhost').pathname;
  decodeComponent(rawPath, '(path)'); // refuse bad encoding anywhere in the path, even between parameters
  const query: Array<[string, string]> = [];
  const search = mark < 0 ? '' : withoutHash.slice(mark + 1);
  for (const pair of search.split('&')) {
    if (!pair) continue;
    const equals = pair.indexOf('=');
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    const rawValue = equals < 0 ? '' : pair.slice(equals + 1);
    const name = decodeComponent(rawName.replace(/\+/g, ' '), '(query)');
    query.push([name, decodeComponent(rawValue.replace(/\+/g, ' '), name)]);
  }
  return { path: rawPath, query };
}

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
      compiled.parameterNames.map((name, i) => [name, decodeComponent(match[i + 1] ?? '', name)]), // each group matches ≥ 1 character
    );
    return { compiled, pathParameters };
  }
  return null;
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_READ_BYTES)
    throw new PayloadTooLarge(`The body is ${declared} bytes; the local server reads at most ${MAX_READ_BYTES}.`);
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
  url: { pathname: string; query: Array<[string, string]> };
  body: Buffer;
  route: RouteDeclaration;
  pathParameters: Record<string, string>;
  claims: Record<string, string> | null;
}): APIGatewayProxyEvent {
  const { request, url, body, route, pathParameters, claims } = input;
  // Maps without a prototype: a header or query named "constructor" or "hasOwnProperty" is just a name.
  const headers: Record<string, string> = Object.create(null);
  const multiValueHeaders: Record<string, string[]> = Object.create(null);
  // Node lists raw headers as name, value, name, value, …
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] ?? '';
    const value = request.rawHeaders[i + 1] ?? '';
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = Object.create(null);
  const multiQuery: Record<string, string[]> = Object.create(null);
  for (const [name, value] of url.query) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  refuseReservedNames({ headers, queryStringParameters: query });
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
  const headers: Record<string, string | number | boolean> = {
    ...extraHeaders,
    ...result.headers,
    ...SECURITY_HEADERS,
  };
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    response.setHeader(name, values.map(String));
  let body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '', 'utf8');
  // As API Gateway does with minimumCompressionSize: an answer of 1 KiB or more goes gzip-compressed when the client accepts it.
  if (body.length >= MIN_COMPRESSION_BYTES && !hasHeader(headers, 'content-encoding')) {
    const vary = Object.keys(headers).find((key) => key.toLowerCase() === 'vary');
    if (vary) headers[vary] = `${headers[vary]}, Accept-Encoding`;
    else headers.vary = 'Accept-Encoding';
    if (acceptsGzip(response.req?.headers['accept-encoding'])) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
  }
  response.writeHead(result.statusCode, { ...headers, 'content-length': body.length });
  response.end(body);
}

const hasHeader = (headers: Record<string, unknown>, name: string) =>
  Object.keys(headers).some((key) => key.toLowerCase() === name);

/** Whether an Accept-Encoding header allows gzip (RFC 9110 12.5.3: `gzip` or `*`, and not at q=0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (!header) return false;
  const weights = new Map<string, number>();
  for (const part of [header].flat().join(',').split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (!coding) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    weights.set(coding, q ? Number(q.slice(2)) || 0 : 1);
  }
  const gzip = weights.get('gzip') ?? weights.get('x-gzip') ?? weights.get('*');
  return gzip !== undefined && gzip > 0;
}

export function writeProblem(
  response: ServerResponse,
  error: unknown,
  extraHeaders: Record<string, string> = {},
  instance?: string,
): number {
  const { result } = problemResponse(error, instance);
  writeResult(response, result, extraHeaders);
  return result.statusCode;
}

/**
 * After a 413 the rest of the body is never read: answer with `Connection: close`, then close
 * the connection once the answer is out, discarding whatever the client still sends, so it reads
 * the 413 at once instead of waiting for a timeout (or a reset that would lose the answer).
 */
export function writeProblemAndClose(
  request: IncomingMessage,
  response: ServerResponse,
  error: unknown,
  extraHeaders: Record<string, string> = {},
): number {
  // Taken now: Node detaches the socket from the request once the answer is out, so
  // `request.socket` may be null by 'finish' (a chunked body over the limit did exactly that
  // and the TypeError killed `npm start`).
  const socket = request.socket ?? response.socket;
  response.shouldKeepAlive = false;
  const status = writeProblem(response, error, { ...extraHeaders, connection: 'close' });
  request.resume();
  request.on('error', () => undefined); // a client that resets mid-body is not an error of ours
  response.on('finish', () => {
    if (!socket || socket.destroyed) return;
    socket.end();
    setTimeout(() => socket.destroy(), 2_000).unref();
  });
  return status;
}

/** No route for this method: a 405 naming the methods the path takes, or a 404 when it takes none. */
export function noRoute(routes: CompiledRoute[], method: string, path: string): NotFound | MethodNotAllowed {
  const allow: string[] = [...new Set(routes.filter((c) => c.pattern.test(path)).map((c) => c.route.method))];
  if (!allow.length) return new NotFound(`No route for ${path}.`);
  if (allow.includes('GET')) allow.push('HEAD');
  allow.push('OPTIONS');
  return new MethodNotAllowed(`${path} does not take ${method}; it takes ${allow.join(', ')}.`, allow);
}

/**
 * The raw answer for a request Node refuses before any handler sees it (a URL or headers over
 * 16 KB: 431; a request it cannot parse: 400), as problem+json instead of an empty body.
 */
export function clientErrorAnswer(code: string | undefined): Buffer {
  const error =
    code === 'HPE_HEADER_OVERFLOW'
      ? new HeadersTooLarge('The request line and headers are over 16 KB (a URL that long is refused).')
      : new Invalid('The request is not valid HTTP/1.1.');
  const { result } = problemResponse(error);
  const body = Buffer.from(result.body, 'utf8');
  const head = [
    `HTTP/1.1 ${result.statusCode} ${result.statusCode === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`,
    ...Object.entries({ ...result.headers, ...SECURITY_HEADERS }).map(([name, value]) => `${name}: ${value}`),
    `content-length: ${body.length}`,
    'connection: close',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
