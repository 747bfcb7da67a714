/**
 * One shape per store (shared/store/README.md): each DynamoDB implementation `dynamo<Name>` is
 * typed by an interface declared in its own file, before any function of the file, so a reader
 * meets what the use cases need before how DynamoDB does it; and a use case reads the counters
 * and erases a customer through those interfaces, never through a free function of the store.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const STORE = 'shared/store';

/** Per file: each `dynamo…` store, its interface's line, and the first function's line. */
function storeShapes(file: string, text: string) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const interfaces = new Map<string, number>();
  const stores: Array<{ name: string; type: string }> = [];
  let firstFunction: { name: string; line: number } | undefined;
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) interfaces.set(statement.name.text, lineOf(statement));
    if (ts.isFunctionDeclaration(statement))
      firstFunction ??= { name: statement.name?.text ?? '(anonymous)', line: lineOf(statement) };
    if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations) {
        const name = declaration.name.getText(source);
        if (name.startsWith('dynamo') && declaration.type)
          stores.push({ name, type: declaration.type.getText(source) });
        const init = declaration.initializer;
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)))
          firstFunction ??= { name, line: lineOf(statement) };
      }
  }
  return stores.map(({ name, type }) => {
    const at = interfaces.get(type);
    if (at === undefined) return `${file}: ${name}'s type ${type} is not an interface of this file`;
    if (firstFunction && firstFunction.line < at)
      return `${file}: ${type} (line ${at}) comes after ${firstFunction.name} (line ${firstFunction.line})`;
    return `${file}: ${name}: ${type} ok`;
  });
}

describe('the stores', () => {
  const files = readdirSync(STORE).filter((file) => file.endsWith('.ts'));

  it('declare the interface each DynamoDB implementation has before any function of their file', () => {
    const shapes = files.flatMap((file) => storeShapes(file, readFileSync(join(STORE, file), 'utf8')));
    expect(shapes.length).toBeGreaterThan(25);
    expect(shapes.filter((shape) => !shape.endsWith(' ok'))).toEqual([]);
  });

  it('catch an interface written after the implementation', () => {
    const late = [
      'async function get(id: string) { return id; }',
      'export interface ThingStore { get(id: string): Promise<string>; }',
      'export const dynamoThingStore: ThingStore = { get };',
    ].join('\n');
    expect(storeShapes('things.ts', late)).toEqual(['things.ts: ThingStore (line 2) comes after get (line 1)']);
    expect(storeShapes('things.ts', 'export const dynamoThingStore: Pick<X, "a"> = {};')).toEqual([
      `things.ts: dynamoThingStore's type Pick<X, "a"> is not an interface of this file`,
    ]);
  });

  it('read the counters and erase customers only through their interfaces (no free read or erase function)', () => {
    const free = files.flatMap((file) =>
      [...readFileSync(join(STORE, file), 'utf8').matchAll(/^export (?:async )?function ((?:read|erase)\w*)/gm)].map(
        (match) => `${file}: ${match[1]}`,
      ),
    );
    expect(free).toEqual([]);
  });
});

describe('the DynamoDB SDK', () => {
  it('is loaded in one place, with require(): no function or shared module imports its values', () => {
    // An `import` of the SDK's CommonJS from a function's ES module makes Node lex it for its exports,
    // most of a cold start (shared/store/sdk.ts); type-only imports are erased and stay allowed.
    const importers = ['functions', 'shared'].flatMap((dir) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts') && join(dir, file) !== join(STORE, 'sdk.ts'))
        .filter((file) =>
          /^import (?!type )[^;]*from '@aws-sdk\/(client|lib)-dynamodb'/m.test(readFileSync(join(dir, file), 'utf8')),
        )
        .map((file) => join(dir, file)),
    );
    expect(importers).toEqual([]);
  });
});
