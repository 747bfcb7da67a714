/** Where the project lives on disk, so constructs can name handler files relative to its root. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding package.json and package-lock.json). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The Lambda entry module of a capability: `functions/<capability>/handler.ts`, relative to the root. */
export function handlerEntry(capability: string): string {
  return join('functions', capability, 'handler.ts');
}
