/**
 * The READMEs stay true to the tree: each folder README names every file and folder beside it,
 * and the repository README's layout block names every folder of shared/ and infra/ and every
 * top-level source folder. A file added without a word in its README fails here.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SKIP = new Set(['node_modules', 'cdk.out', 'test-artifacts', '.git', 'dist']);

function folderReadmes(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...folderReadmes(path));
    else if (entry === 'README.md' && dir !== ROOT) found.push(path);
  }
  return found;
}

/** What a README must name: each entry beside it, in backticks (a folder as `name/` or `name`). */
function unnamed(readme: string): string[] {
  const text = readFileSync(readme, 'utf8');
  const dir = dirname(readme);
  return readdirSync(dir)
    .filter((entry) => entry !== 'README.md' && !SKIP.has(entry))
    .filter((entry) => {
      const folder = statSync(join(dir, entry)).isDirectory();
      return !(text.includes(`\`${entry}\``) || (folder && text.includes(`\`${entry}/\``)));
    });
}

describe('folder READMEs', () => {
  const readmes = ['functions', 'shared', 'infra', 'test', 'wip', 'client'].flatMap((top) =>
    folderReadmes(join(ROOT, top)),
  );

  it('finds the folder READMEs', () => {
    expect(readmes.map((path) => relative(ROOT, path))).toEqual(
      expect.arrayContaining([
        'shared/store/README.md',
        'shared/domain/README.md',
        'infra/README.md',
        'client/README.md',
      ]),
    );
  });

  it.each(readmes.map((path) => [relative(ROOT, path), path]))('%s names every file of its folder', (_, path) => {
    expect(unnamed(path)).toEqual([]);
  });

  it('reports a file or folder its README does not name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readme-'));
    writeFileSync(join(dir, 'named.ts'), '');
    writeFileSync(join(dir, 'forgotten.ts'), '');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'README.md'), '| `named.ts` | what |');
    expect(unnamed(join(dir, 'README.md')).sort()).toEqual(['forgotten.ts', 'sub']);
    writeFileSync(join(dir, 'README.md'), '`named.ts`, `forgotten.ts` and `sub/`');
    expect(unnamed(join(dir, 'README.md'))).toEqual([]);
  });
});

describe('the README layout block', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const layout = readme.split('```').find((block) => block.startsWith('\nfunctions/<capability>/')) ?? '';
  const named = new Set(layout.split('\n').map((line) => line.split(/\s+/)[0]));
  const folders = (top: string) =>
    readdirSync(join(ROOT, top))
      .filter((entry) => statSync(join(ROOT, top, entry)).isDirectory() && !SKIP.has(entry))
      .map((entry) => `${top}/${entry}/`);

  it('is found', () => {
    expect(named.has('functions/<capability>/')).toBe(true);
  });

  it.each([...folders('shared'), ...folders('infra'), 'test/', 'bench/', 'scripts/', 'wip/', 'client/'])(
    'names %s',
    (folder) => {
      expect(named.has(folder)).toBe(true);
    },
  );
});
