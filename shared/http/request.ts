import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { ZodType } from 'zod';
import { Invalid, PayloadTooLarge, UnsupportedMediaType } from '../domain/errors.js';
import { fieldErrors } from '../schemas/field-errors.js';

/** The contract's body limit. API Gateway allows 10 MB; we refuse anything over 64 KiB. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Names that would reach an object's prototype machinery if some code copied them onto a
 * plain object (`Object.assign`, `obj[name] ??= …`). No header or query of the contract uses them,
 * so they are refused outright, in AWS and locally alike.
 */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** 400 naming the first header or query parameter whose name is reserved. */
export function refuseReservedNames(event: Pick<APIGatewayProxyEvent, 'headers' | 'queryStringParameters'>): void {
  for (const [where, values] of [
    ['header', event.headers],
    ['query', event.queryStringParameters],
  ] as const) {
    for (const name of Object.keys(values ?? {}))
      if (RESERVED_NAMES.has(name.toLowerCase()))
        throw Invalid.field(where === 'query' ? name : `(header) ${name}`, `is not a ${where} this API accepts`);
  }
}

/** Header lookup that ignores case, as HTTP does. */
export function header(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export function validate<S extends ZodType>(schema: S, value: unknown, what: string): ReturnType<S['parse']> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = fieldErrors(result.error, value);
    throw new Invalid(`The ${what} is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
  }
  return result.data as ReturnType<S['parse']>;
}

function bodyBytes(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): Buffer {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES)
    throw new PayloadTooLarge(`The body is ${bytes.length} bytes; the limit is ${MAX_BODY_BYTES}.`);
  return bytes;
}

/**
 * The fields of an HTML form post (`application/x-www-form-urlencoded`): 415 for any other
 * type, 413 over 64 KiB. A field sent twice keeps its first value; a field left empty is absent.
 */
export function formBody(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'body' | 'isBase64Encoded'>,
): Record<string, string> {
  const bytes = bodyBytes(event);
  const contentType = header(event, 'content-type') ?? '';
  if (bytes.length > 0 && !/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaType('Send the body as application/x-www-form-urlencoded (an HTML form).');
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(bytes.toString('utf8'))) {
    if (value !== '' && !(name in fields)) fields[name] = value;
  }
  return fields;
}

/** The JSON body of a request: 415 unless JSON, 413 over 64 KiB, 400 when it does not parse. */
export function jsonBody(event: Pick<APIGatewayProxyEvent, 'headers' | 'body' | 'isBase64Encoded'>): unknown {
  const bytes = bodyBytes(event);
  const contentType = header(event, 'content-type') ?? '';
  if (bytes.length > 0 && !/^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaType('Send the body as application/json.');
  }
  if (bytes.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw Invalid.field('(body)', 'is not valid JSON', 'invalid_format');
  }
  refuseOddShapes(parsed);
  return parsed;
}

/** No request body of the contract nests deeper than this; deeper JSON is refused before anything recurses into it. */
export const MAX_BODY_DEPTH = 32;

/**
 * 400 for a JSON body nested deeper than MAX_BODY_DEPTH, or holding a reserved key (`__proto__`,
 * `constructor`, `prototype`) at any level. zod drops a `__proto__` key silently instead of calling it
 * unknown, and code that copies objects would hand it to the prototype: so it is refused here, by path.
 */
function refuseOddShapes(body: unknown): void {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value: body, path: [] }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { value, path } = top;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_BODY_DEPTH)
      throw Invalid.field(path.slice(0, 3).join('.') || '(body)', `is nested deeper than ${MAX_BODY_DEPTH} levels`);
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      if (!Array.isArray(value) && RESERVED_NAMES.has(key))
        throw Invalid.field(childPath.join('.'), 'is not a field of this request');
      stack.push({ value: child, path: childPath });
    }
  }
}
