/**
 * .ci/run installs what the tests use by name: the packaged Chromium's libraries are not left to
 * come in with Java (a runner that already has Java would lack them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const script = readFileSync(new URL('../../../.ci/run', import.meta.url), 'utf8');

describe('.ci/run', () => {
  it('checks and installs libnss3, libnspr4 and libexpat1 whether or not Java is there', () => {
    for (const library of ['libnss3', 'libnspr4', 'libexpat1']) {
      const lines = script.split('\n').filter((line) => line.includes(library) && !line.trim().startsWith('#'));
      expect(lines.length, library).toBeGreaterThan(0);
      // Not only on the line that installs Java when java is missing.
      expect(
        lines.some((line) => !line.includes('command -v java')),
        library,
      ).toBe(true);
    }
    expect(script).toMatch(/dpkg-query -W/);
  });
});
