/**
 * The layout's figures (issue 21's closing note), for the tree in the current folder:
 * `npm run -s figures` (or `npx tsx scripts/hygiene.ts [--no-synth]` from another checkout, to
 * measure an older commit the same way). A measure for reviews, not a check; the checks are
 * `npm run lint` (.dependency-cruiser.cjs, biome) and the stack budget test.
 *
 * - folder cycles: folders of functions/ shared/ infra/ (two levels down, as `shared/domain`) that
 *   import each other round a loop: the strongly connected groups of the folder import graph, from
 *   the TypeScript sources' relative imports (`npx depcruise` checks the same for shared/ in lint);
 * - services importing shared/http: `functions/<capability>/service.ts` files that import it;
 * - longest functions: the 10 longest function bodies of functions/ shared/ infra/, first to last line;
 * - largest files: the 10 longest .ts files of functions/ shared/ infra/;
 * - non-null assertions (`x!`) per top-level folder;
 * - resources per template: the stack synthesized in-process (test/infra/aws/synth.ts, bundling
 *   skipped), every template a deploy uploads (the stack's and each nested stack's).
 */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const RUNTIME = ['functions', 'shared', 'infra'];
const TOP = 10;

const tracked = (folders: string[]) =>
  execFileSync('git', ['ls-files', ...folders], { encoding: 'utf8' })
    .split('\n')
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));

const sources = new Map<string, ts.SourceFile>();
function sourceOf(file: string): ts.SourceFile {
  let source = sources.get(file);
  if (!source) {
    source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    sources.set(file, source);
  }
  return source;
}

/** The repository files a file imports by a relative path (`./x.js` is `./x.ts`). */
function importsOf(file: string, known: Set<string>): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const specifier = (node.moduleSpecifier as ts.StringLiteral).text;
      if (specifier.startsWith('.')) {
        const base = normalize(join(dirname(file), specifier)).replace(/\.js$/, '');
        const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => known.has(candidate));
        if (target) found.push(target);
      }
    }
    node.forEachChild(visit);
  };
  visit(sourceOf(file));
  return found;
}

/**
 * A file's folder as depcruise's folder scope sees the layout: two levels down (`shared/domain`,
 * `functions/surveys`, `infra/aws`), a subfolder being part of its folder.
 */
const folderOf = (file: string) => dirname(file).split('/').slice(0, 2).join('/');

/**
 * Groups of folders that reach each other through imports (Tarjan's strongly connected components);
 * a folder importing its own parent (`shared/notify` → `shared/ports.ts`) is containment, not a cycle.
 */
function folderCycles(files: string[]): { groups: string[][]; pairs: string[] } {
  const known = new Set(files);
  const edges = new Map<string, Set<string>>();
  for (const file of files)
    for (const target of importsOf(file, known)) {
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from === to || from.startsWith(`${to}/`) || to.startsWith(`${from}/`)) continue;
      edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;
  const connect = (folder: string) => {
    index.set(folder, next);
    low.set(folder, next);
    next += 1;
    stack.push(folder);
    for (const to of edges.get(folder) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(folder, Math.min(low.get(folder) ?? 0, low.get(to) ?? 0));
      } else if (stack.includes(to)) low.set(folder, Math.min(low.get(folder) ?? 0, index.get(to) ?? 0));
    }
    if (low.get(folder) === index.get(folder)) {
      const group: string[] = [];
      for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
        group.push(member);
        if (member === folder) break;
      }
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const folder of [...new Set(files.map(folderOf))].sort()) if (!index.has(folder)) connect(folder);
  const pairs = [...edges].flatMap(([from, targets]) =>
    [...targets].filter((to) => from < to && edges.get(to)?.has(from)).map((to) => `${from} ⇄ ${to}`),
  );
  return { groups, pairs };
}

function longestFunctions(files: string[]) {
  const found: Array<{ name: string; lines: number }> = [];
  for (const file of files) {
    const source = sourceOf(file);
    const visit = (node: ts.Node, owner: string | undefined) => {
      let name = owner;
      if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) name = node.name?.getText(source);
      else if (ts.isVariableDeclaration(node) && node.initializer && ts.isArrowFunction(node.initializer))
        name = node.name.getText(source);
      else if (ts.isPropertyAssignment(node) && ts.isFunctionLike(node.initializer)) name = node.name.getText(source);
      if (ts.isFunctionLike(node) && 'body' in node && node.body && name && owner !== name) {
        const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        found.push({ name: `${file}: ${name}`, lines: last - first + 1 });
      }
      node.forEachChild((child) => visit(child, name));
    };
    visit(source, undefined);
  }
  return found.sort((a, b) => b.lines - a.lines || a.name.localeCompare(b.name)).slice(0, TOP);
}

function nonNullAssertions(files: string[]): number {
  let count = 0;
  for (const file of files) {
    const visit = (node: ts.Node) => {
      if (ts.isNonNullExpression(node)) count += 1;
      node.forEachChild(visit);
    };
    visit(sourceOf(file));
  }
  return count;
}

/** Resources per template of the stack this checkout synthesizes (its own test helper builds it). */
async function resourcesPerTemplate(): Promise<Array<[string, number]>> {
  const synth = await import(pathToFileURL(resolve('test/infra/aws/synth.ts')).href);
  const { NestedStack } = await import('aws-cdk-lib');
  const { Template } = await import('aws-cdk-lib/assertions');
  const { stack } = synth.synthStack();
  const nested = stack.node.findAll().filter((c: unknown) => NestedStack.isNestedStack(c));
  return [stack, ...nested].map((s) => [
    s.node.path,
    Object.keys(Template.fromStack(s).toJSON().Resources ?? {}).length,
  ]);
}

const runtime = tracked(RUNTIME);
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
console.log(`# figures of ${commit} (npm run -s figures)`);

const cycles = folderCycles(runtime);
console.log(`\nfolder cycles: ${cycles.groups.length} (folders on a loop: ${cycles.groups.flat().length})`);
for (const group of cycles.groups) console.log(`  loop: ${group.join(', ')}`);
for (const pair of cycles.pairs) console.log(`  both ways: ${pair}`);

const services = runtime.filter((file) => /^functions\/[^/]+\/service\.ts$/.test(file));
const known = new Set(runtime);
const withHttp = services.filter((file) => importsOf(file, known).some((target) => target.startsWith('shared/http/')));
console.log(`\nservices importing shared/http: ${withHttp.length} of ${services.length}`);
for (const file of withHttp) console.log(`  ${file}`);

console.log(`\nlongest functions (lines, ${RUNTIME.join(' ')}):`);
for (const { name, lines } of longestFunctions(runtime)) console.log(`  ${String(lines).padStart(4)} ${name}`);

console.log(`\nlargest files (lines, ${RUNTIME.join(' ')}):`);
const sizes = runtime.map((file) => ({ file, lines: sourceOf(file).getLineStarts().length }));
for (const { file, lines } of sizes.sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file)).slice(0, TOP))
  console.log(`  ${String(lines).padStart(4)} ${file}`);

console.log('\nnon-null assertions (x!) per folder:');
let total = 0;
for (const folder of [...RUNTIME, 'bench', 'scripts', 'client/src', 'test', 'client/test']) {
  const count = nonNullAssertions(tracked([folder]));
  total += count;
  console.log(`  ${String(count).padStart(4)} ${folder}`);
}
console.log(`  ${String(total).padStart(4)} in all`);

if (!process.argv.includes('--no-synth')) {
  console.log('\nresources per synthesized template:');
  for (const [path, count] of await resourcesPerTemplate()) console.log(`  ${String(count).padStart(4)} ${path}`);
}
