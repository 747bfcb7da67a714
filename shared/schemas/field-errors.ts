/**
 * zod's issues as the contract's coded field errors (`errors[].path/code`), for the HTTP layer's
 * request validation and for a use case that validates a merged document (settings).
 */
import type { ZodError } from 'zod';
import { type FieldError, jsonPointer } from './vocabulary.js';

type Issue = ZodError['issues'][number];

/** The value at `path` inside `input`, or undefined. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** zod's own messages ("Too big: expected …") are replaced; messages a schema wrote itself are kept. */
const isLibraryMessage = (message: string) => /^(Invalid|Too (big|small)|Unrecognized|Expected)\b/.test(message);

/** One zod issue as a coded field error (the code is what a zh/en form translates; the message is a hint). */
function codedError(issue: Issue, path: string, input: unknown): FieldError {
  const own = isLibraryMessage(issue.message) ? undefined : issue.message;
  const coded = (code: FieldError['code'], message: string, params?: Record<string, unknown>): FieldError => ({
    path,
    code,
    message: own ?? message,
    ...(params ? { params } : {}),
  });
  if (issue.code !== 'unrecognized_keys' && valueAt(input, issue.path) === undefined)
    return { path, code: 'required', message: 'is required' };
  switch (issue.code) {
    case 'invalid_type':
      return coded('invalid_type', `must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}`, {
        expected: issue.expected,
      });
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? coded(
            'too_long',
            `must have at most ${issue.maximum} ${issue.origin === 'string' ? 'characters' : 'items'}`,
            { max: Number(issue.maximum), maximum: Number(issue.maximum) },
          )
        : coded('out_of_range', `must be at most ${issue.maximum}`, {
            max: Number(issue.maximum),
            maximum: Number(issue.maximum),
          });
    case 'too_small':
      if (issue.origin === 'string' && valueAt(input, issue.path) === '')
        return { path, code: 'required', message: 'must not be empty' };
      return issue.origin === 'string' || issue.origin === 'array'
        ? coded(
            'too_short',
            `must have at least ${issue.minimum} ${issue.origin === 'string' ? 'characters' : 'items'}`,
            { min: Number(issue.minimum), minimum: Number(issue.minimum) },
          )
        : coded('out_of_range', `must be at least ${issue.minimum}`, {
            min: Number(issue.minimum),
            minimum: Number(issue.minimum),
          });
    case 'not_multiple_of':
      return coded('out_of_range', `must be a multiple of ${issue.divisor}`, { multipleOf: Number(issue.divisor) });
    case 'invalid_value':
      return coded('not_in_list', `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, {
        allowed: issue.values,
      });
    case 'invalid_format':
      return coded('invalid_format', `must be a valid ${issue.format === 'regex' ? 'value' : issue.format}`, {
        format: issue.format,
      });
    case 'invalid_union': {
      // A discriminated union names its options; a union of literals (tier 1 | 2) lists its values.
      const options = (issue as { options?: unknown[] }).options;
      const literals = issue.errors.every((branch) => branch.length === 1 && branch[0]?.code === 'invalid_value')
        ? issue.errors.flatMap((branch) => (branch[0] as { values: unknown[] }).values)
        : undefined;
      const allowed = options ?? literals;
      if (allowed?.length)
        return coded('not_in_list', `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`, { allowed });
      return coded('invalid', 'does not match any accepted form');
    }
    case 'custom': {
      // A refinement may name its code and bounds (`params: { code: 'out_of_range', minimum, maximum }`).
      const { code, ...own } = (issue.params ?? {}) as { code?: FieldError['code'] } & Record<string, unknown>;
      // Bounds under the contract's names too ({ min, max }), beside the earlier ones.
      const params = {
        ...own,
        ...(own.minimum !== undefined ? { min: own.minimum } : {}),
        ...(own.maximum !== undefined ? { max: own.maximum } : {}),
      };
      return code
        ? coded(code, 'is invalid', Object.keys(params).length ? params : undefined)
        : coded('invalid', 'is invalid');
    }
    default:
      return coded('invalid', 'is invalid');
  }
}

/**
 * zod issues as coded field errors `[{ path, code, message, params? }]`, naming each field the
 * way the caller wrote it, one per field (the first problem found).
 */
export function fieldErrors(error: ZodError, input?: unknown, prefix = ''): FieldError[] {
  const errors = error.issues.flatMap((issue): FieldError[] => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const segments = [...(prefix ? prefix.split('.') : []), ...issue.path.map((key) => String(key))];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [base, key].filter(Boolean).join('.'),
        pointer: jsonPointer([...segments, key]),
        code: 'unknown_field',
        message: 'is not a field of this request',
      }));
    }
    return [{ ...codedError(issue, base || '(body)', input), pointer: jsonPointer(segments) }];
  });
  const seen = new Set<string>();
  return errors.filter((e) => !seen.has(e.path) && seen.add(e.path));
}
