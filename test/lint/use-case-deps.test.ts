/**
 * One shape per use case (issue 21 item 4, shared/STYLE.md): an exported function of functions/
 * or shared/ that takes its dependencies takes them last, in a parameter named `deps` (typed by a
 * `…Deps` or `…Needs` type; a handler-facing use case may take `Partial<…Deps>` filled from its
 * defaults by one spread, conventionally `const all = { ...defaults, ...deps }`). A `given`
 * parameter, or a deps parameter before another one, fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Each exported function's deps parameter that is not named `deps` or not last: `file: function (param, k of n)`. */
function depsParameterShapes(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const check = (name: string, parameters: ts.NodeArray<ts.ParameterDeclaration>) => {
    parameters.forEach((parameter, i) => {
      const type = parameter.type?.getText(source) ?? '';
      if (!/\w(Deps|Needs)\b/.test(type)) return;
      const param = parameter.name.getText(source);
      if (param !== 'deps' || i !== parameters.length - 1)
        found.push(`${file}: ${name} (${param}, ${i + 1} of ${parameters.length})`);
    });
  };
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const statement of source.statements) {
    if (!exported(statement)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name) check(statement.name.text, statement.parameters);
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)))
          check(declaration.name.getText(source), init.parameters);
      }
  }
  return found;
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

describe('use cases', () => {
  it('take their deps last, named deps', () => {
    const found = ['functions', 'shared']
      .flatMap(filesUnder)
      .flatMap((file) => depsParameterShapes(file, readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });

  it('take the settings as the SettingsStore, never one of its functions (as every other store)', () => {
    const found = ['functions', 'shared']
      .flatMap(filesUnder)
      .filter((file) => /SettingsStore\[|typeof currentSettings/.test(readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });

  it('catch a new `given` parameter and deps that are not last', () => {
    const text = [
      'export async function readThing(id: string, given: Partial<ThingDeps> = {}) {}',
      'export const sweep = async (deps: ThingNeeds, now: Date) => {};',
      'export async function fine(id: string, deps: Partial<ThingDeps> = {}) {}',
      'async function internal(given: ThingDeps) {}',
    ].join('\n');
    expect(depsParameterShapes('things.ts', text)).toEqual([
      'things.ts: readThing (given, 2 of 2)',
      'things.ts: sweep (deps, 1 of 2)',
    ]);
  });
});
