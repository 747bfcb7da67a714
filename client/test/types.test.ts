/**
 * Type tests of @careloop/client: tsc compiles test/types/misuse.ts as it is (each marked misuse must
 * be an error, or its `@ts-expect-error` is unused and fails) and a copy without the directives, where
 * each marked line must fail with the fragment its marker names — so a misuse that became an error
 * for another reason does not pass. The screens (examples/screens.ts) compile in the same run.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dir = join(root, 'test-artifacts', 'client-types');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const MARKER = /\/\/ @ts-expect-error expect: (.+)$/;

interface Expectation {
  line: number;
  fragment: string;
}

let expectations: Expectation[] = [];
let output = '';
let code = 0;

beforeAll(async () => {
  const source = await readFile(join(here, 'types', 'misuse.ts'), 'utf8');
  const lines = source.split('\n');
  expectations = lines.flatMap((line, index) => {
    const found = MARKER.exec(line);
    return found?.[1] ? [{ line: index + 2, fragment: found[1].trim().replace(/^['"]|['"]$/g, '') }] : [];
  });
  // The copy keeps every line where it was: a directive becomes an empty comment.
  const stripped = lines
    .map((line) => line.replace(/\/\/ @ts-expect-error.*$/, '//'))
    .join('\n')
    .replaceAll("'../../src/", "'../../client/src/");
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'misuse-stripped.ts'), stripped);
  const config = join(dir, 'tsconfig.json');
  await writeFile(
    config,
    JSON.stringify({
      extends: '../../tsconfig.json',
      include: ['misuse-stripped.ts', '../../client/test/types/misuse.ts', '../../client/examples/screens.ts'],
      exclude: [],
      compilerOptions: { noEmit: true },
    }),
  );
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [tsc, '-p', config], { maxBuffer: 16 << 20 });
    output = stdout;
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    code = failed.code ?? 1;
    output = failed.stdout ?? String(error);
  }
}, 180_000);

/** tsc's errors by file: each starts `<file>(line,col): error`, continuation lines indented. */
function errorsIn(file: string): { line: number; text: string }[] {
  const blocks = output.split(/\n(?=\S)/);
  return blocks.flatMap((block) => {
    const found = /^(.*?)\((\d+),\d+\): error/.exec(block);
    return found?.[1]?.endsWith(file) ? [{ line: Number(found[2]), text: block }] : [];
  });
}

describe('the client’s types', () => {
  it('find a marked misuse on every marked line of the fixture', () => {
    expect(expectations.length).toBeGreaterThanOrEqual(10);
  });

  it('compile the fixture with its directives and the eight screens without an error', () => {
    expect(errorsIn('misuse.ts')).toEqual([]);
    expect(errorsIn('screens.ts')).toEqual([]);
    expect(code).not.toBe(0); // the stripped copy fails
  });

  it('refuse each marked misuse, with the message its marker names, and nothing else', () => {
    const errors = errorsIn('misuse-stripped.ts');
    for (const { line, fragment } of expectations) {
      const atLine = errors.filter((error) => error.line === line);
      expect(atLine.map((error) => error.text).join('\n'), `line ${line} must fail naming ${fragment}`).toContain(
        fragment,
      );
    }
    expect([...new Set(errors.map((error) => error.line))].sort((a, b) => a - b)).toEqual(
      expectations.map(({ line }) => line),
    );
  });
});
