/**
 * src/schema.ts is generated from the OpenAPI document the API serves; committed so the package builds
 * without a server. It must be exactly what the generator makes from the document the code builds now.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedSchema, REGENERATE, SCHEMA_FILE } from '../scripts/generate.js';

describe('the generated schema', () => {
  it('is what the OpenAPI document of the code makes', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    const fresh = await generatedSchema();
    expect(
      committed === fresh,
      `client/src/schema.ts is stale: the routes or schemas changed since it was generated. Run \`${REGENERATE}\` and commit it.`,
    ).toBe(true);
  }, 60_000);

  it('names the regenerate command in the file itself', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toContain(REGENERATE);
  });
});
