/**
 * The longest functions of the runtime code (functions/, shared/, infra/), in lines from their
 * first to their last line: `npx tsx scripts/longest-functions.ts [count]` (default 10).
 * A measure for reviews, not a check.
 */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const count = Number(process.argv[2] ?? 10);
const files = execFileSync('git', ['ls-files', 'functions', 'shared', 'infra'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => file.endsWith('.ts'));

const found: Array<{ name: string; lines: number }> = [];
for (const file of files) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node, owner: string | undefined) => {
    let name = owner;
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) name = node.name?.getText(source);
    else if (ts.isVariableDeclaration(node) && node.initializer && ts.isArrowFunction(node.initializer))
      name = node.name.getText(source);
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (name && owner !== name) found.push({ name: `${file}: ${name}`, lines: last - first + 1 });
      node.forEachChild((child) => visit(child, name));
      return;
    }
    node.forEachChild((child) => visit(child, name));
  };
  visit(source, undefined);
}
for (const { name, lines } of found.sort((a, b) => b.lines - a.lines).slice(0, count)) console.log(lines, name);
