import { Invalid } from './errors.js';

/** Deeper than any document this API merges (settings go 6 levels down); a deeper patch is refused, not recursed. */
export const MAX_PATCH_DEPTH = 16;

/** The path of the first object or array nested deeper than `limit`, or null; iterative, so any depth is safe. */
export function tooDeep(value: unknown, limit = MAX_PATCH_DEPTH): string | null {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { value: current, path } = top;
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= limit) return path.join('.');
    for (const [key, child] of Object.entries(current)) stack.push({ value: child, path: [...path, key] });
  }
  return null;
}

/**
 * RFC 7396 JSON Merge Patch: objects merge key by key, null deletes, anything else replaces.
 * Keys are copied as own data properties, so `__proto__` in a patch is a key like any other
 * (and the schema that checks the result refuses it as unknown) instead of replacing a prototype.
 * A patch nested deeper than MAX_PATCH_DEPTH is a 400.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  const deep = tooDeep(patch);
  if (deep !== null) throw Invalid.field(deep, `is nested deeper than ${MAX_PATCH_DEPTH} levels`);
  return merge(target, patch);
}

function merge(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = {};
  const set = (key: string, value: unknown) =>
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  if (target !== null && typeof target === 'object' && !Array.isArray(target))
    for (const [key, value] of Object.entries(target)) set(key, value);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else set(key, merge(Object.hasOwn(result, key) ? result[key] : undefined, value));
  }
  return result;
}
