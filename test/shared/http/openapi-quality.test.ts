/**
 * The OpenAPI document's quality (contract "For screens (v1.2)"): what a frontend developer
 * generating a typed client needs besides valid shapes. Every success answer has an example that
 * validates against its own schema; no schema has an untyped hole (`{}`, an open map of unknown);
 * HTML and CSV answers are declared with their media type, and the `Location` and
 * `Content-Disposition` headers the handlers send are declared where they are sent; every field a
 * problem body carries is typed; every enum value, wherever an enum appears (schemas, parameters,
 * headers), has a description in `x-enumDescriptions`, and none of those texts reaches a Lambda
 * bundle. (That every answer the tests receive validates against the
 * document is checked on every HTTP test call: test/support/openapi-conformance.ts.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS } from '../../../infra/aws/bundling.js';
import { writeApiEntry } from '../../../infra/aws/entries.js';
import { PROJECT_ROOT } from '../../../infra/aws/paths.js';
import { apiFunctions } from '../../../shared/http/routes/functions.js';
import { ROUTES } from '../../../shared/http/routes/index.js';
import { openApiDocument } from '../../../shared/http/routes/openapi.js';
import { enumDescriptionTexts } from '../../../shared/http/routes/openapi-enums.js';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

type Json = Record<string, any>;
const document = openApiDocument() as unknown as Json;

/** Every response of every operation: `GET /path 200` → its object. */
function responses(): Array<{ at: string; status: string; response: Json; pointer: string }> {
  const found: Array<{ at: string; status: string; response: Json; pointer: string }> = [];
  for (const [path, item] of Object.entries<Json>(document.paths))
    for (const [method, operation] of Object.entries<Json>(item))
      for (const [status, response] of Object.entries<Json>(operation.responses ?? {}))
        found.push({
          at: `${method.toUpperCase()} ${path} ${status}`,
          status,
          response,
          pointer: `#/paths/${escapePointer(path)}/${method}/responses/${status}`,
        });
  return found;
}
const escapePointer = (part: string) => part.replaceAll('~', '~0').replaceAll('/', '~1');

const TYPED = ['type', '$ref', 'oneOf', 'anyOf', 'allOf', 'enum', 'const', 'not'];
const ANNOTATIONS = new Set(['description', 'example', 'examples', 'default', 'deprecated', 'title']);
const typed = (schema: unknown) =>
  !!schema && typeof schema === 'object' && TYPED.some((keyword) => keyword in (schema as Json));
/** `allOf: [{ $ref }, { description }]` is how a description sits beside a reference: not a hole. */
const annotationOnly = (schema: Json) => Object.keys(schema).every((key) => ANNOTATIONS.has(key));

/** Where a value may be anything: a property, item or map value with no type at all. */
function holes(node: unknown, at: string, found: string[] = []): string[] {
  if (!node || typeof node !== 'object') return found;
  const schema = node as Json;
  for (const [name, property] of Object.entries<Json>(schema.properties ?? {}))
    if (!typed(property)) found.push(`${at}/properties/${name}`);
  if (schema.items && !typed(schema.items)) found.push(`${at}/items`);
  if (
    schema.additionalProperties &&
    typeof schema.additionalProperties === 'object' &&
    !typed(schema.additionalProperties)
  )
    found.push(`${at}/additionalProperties`);
  for (const keyword of ['anyOf', 'oneOf'])
    (schema[keyword] ?? []).forEach((option: Json, index: number) => {
      if (!typed(option)) found.push(`${at}/${keyword}/${index}`);
    });
  (schema.allOf ?? []).forEach((part: Json, index: number) => {
    if (!typed(part) && !annotationOnly(part)) found.push(`${at}/allOf/${index}`);
  });
  for (const [key, value] of Object.entries(schema))
    if (key !== 'example' && key !== 'examples') holes(value, `${at}/${key}`, found);
  return found;
}

/**
 * Every enum in the document, wherever it sits (component schemas, inline properties, query, path
 * and header parameters, answers' headers), with the values that lack a description. `not: { enum }`
 * (names a key must not take) lists forbidden words, not a vocabulary. `null` of a nullable enum is
 * explained by the field's own description, not by a value text.
 */
function enumsIn(
  node: unknown,
  at: string,
  found: Array<{ at: string; undescribed: unknown[]; extra: string[]; nullWithoutDescription: boolean }> = [],
) {
  if (!node || typeof node !== 'object') return found;
  const schema = node as Json;
  if (Array.isArray(schema.enum) && !at.endsWith('/not')) {
    const values = schema.enum.filter((value: unknown) => value !== null);
    const texts: Json = schema['x-enumDescriptions'] ?? {};
    found.push({
      at,
      undescribed: values.filter(
        (value: unknown) => !(typeof texts[String(value)] === 'string' && texts[String(value)].trim()),
      ),
      extra: Object.keys(texts).filter((key) => !values.some((value: unknown) => String(value) === key)),
      nullWithoutDescription: schema.enum.includes(null) && !schema.description,
    });
  }
  for (const [key, value] of Object.entries(schema))
    if (key !== 'example' && key !== 'examples' && key !== 'x-enumDescriptions') enumsIn(value, `${at}/${key}`, found);
  return found;
}

describe('the OpenAPI document', () => {
  it('gives every success answer an example that its own schema accepts', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    ajv.addKeyword({ keyword: 'example' });
    ajv.addSchema(document, 'openapi');
    const missing: string[] = [];
    const invalid: string[] = [];
    let checked = 0;
    for (const { at, status, response, pointer } of responses()) {
      if (!status.startsWith('2')) continue;
      for (const [mediaType, media] of Object.entries<Json>(response.content ?? {})) {
        if (media.example === undefined) {
          missing.push(`${at} ${mediaType}`);
          continue;
        }
        const validate = ajv.getSchema(`openapi${pointer}/content/${escapePointer(mediaType)}/schema`);
        if (!validate) throw new Error(`no schema at ${pointer}`);
        if (!validate(media.example)) invalid.push(`${at}: ${ajv.errorsText(validate.errors)}`);
        checked += 1;
      }
    }
    expect(missing).toEqual([]);
    expect(invalid).toEqual([]);
    expect(checked).toBeGreaterThan(80);
  });

  it('has no untyped hole: every property, item and map value says what it holds', () => {
    expect(holes(document.components.schemas, '#/components/schemas')).toEqual([]);
    expect(holes(document.paths, '#/paths')).toEqual([]);
  });

  it('declares the HTML and CSV answers with their media type, and the CSV’s Content-Disposition', () => {
    const textRoutes = ROUTES.flatMap((route) =>
      Object.entries(route.responses)
        .filter(([, response]) => response.contentType === 'text/html' || response.contentType === 'text/csv')
        .map(([status, response]) => ({ route, status, contentType: response.contentType as string })),
    );
    expect(textRoutes.length).toBeGreaterThanOrEqual(8);
    for (const { route, status, contentType } of textRoutes) {
      const declared = document.paths[route.path][route.method.toLowerCase()].responses[status];
      expect(declared.content?.[contentType]?.schema, `${route.id} ${status}`).toMatchObject({ type: 'string' });
    }
    const csv = document.paths['/reports/{period}/csv'].get.responses;
    expect(csv['200'].content['text/csv'].example).toContain(',');
    expect(csv['200'].headers['Content-Disposition'].schema.example).toMatch(/^attachment; filename=".+\.csv"$/);
    expect(document.paths['/reports/{period}/html'].get.responses['200'].content['text/html'].example).toMatch(
      /^<!doctype html>/,
    );
  });

  it('declares Location on every answer that sends one (the 202s of jobs)', () => {
    const accepted = responses().filter(({ status }) => status === '202');
    expect(accepted.map(({ at }) => at).sort()).toEqual([
      'DELETE /customers/{id} 202',
      'GET /reports/{period}/csv 202',
      'POST /reports/{period}/exports 202',
    ]);
    for (const { at, response } of accepted) expect(response.headers?.Location?.schema?.example, at).toMatch(/^\//);
  });

  it('types every member a problem body carries, refused transitions and versions included', () => {
    const problem = document.components.schemas.Problem.properties;
    for (const member of [
      'errors',
      'currentStatus',
      'allowedEvents',
      'nextDeadline',
      'alertStatus',
      'claimedBy',
      'children',
      'draftVersion',
      'latestVersion',
    ])
      expect(typed(problem[member]), member).toBe(true);
    const fieldError = document.components.schemas.FieldError.properties;
    expect(Object.keys(fieldError).sort()).toEqual(['code', 'message', 'params', 'path', 'pointer']);
    expect(typed(document.components.schemas.FieldErrorParams)).toBe(true);
  });

  it('describes every enum value, in schemas, parameters and headers alike (x-enumDescriptions)', () => {
    const enums = enumsIn(document, '#');
    expect(
      enums
        .filter(({ undescribed }) => undescribed.length)
        .map(({ at, undescribed }) => `${at} ${JSON.stringify(undescribed)}`),
    ).toEqual([]);
    expect(enums.filter(({ extra }) => extra.length).map(({ at, extra }) => `${at} ${extra.join(',')}`)).toEqual([]);
    // `null` of a nullable enum is not a value text: the field's own description says what it means.
    expect(enums.filter(({ nullWithoutDescription }) => nullWithoutDescription).map(({ at }) => at)).toEqual([]);
    // Not a vacuous walk: the vocabularies of the document, inline ones and query parameters included.
    expect(enums.length).toBeGreaterThan(180);
    expect(enums.reduce((sum, { undescribed, extra }) => sum + undescribed.length + extra.length, 0)).toBe(0);
    const components = document.components.schemas;
    expect(components.ComplaintStatus['x-enumDescriptions'].awaiting_customer).toMatch(/SLA clock is stopped/);
    expect(components.Tier.anyOf.map((option: Json) => Object.keys(option['x-enumDescriptions']))).toEqual([
      ['1'],
      ['2'],
    ]);
    // The event bodies' `type` literals carry the texts of ComplaintEventType.
    const assign = components.ComplaintEventBody.oneOf.find(
      (option: Json) => option.properties.type.enum[0] === 'assign',
    );
    expect(assign.properties.type['x-enumDescriptions'].assign).toBe(
      components.ComplaintEventType['x-enumDescriptions'].assign,
    );
    // A query parameter's words are its own: `overdue=true` of contacts is not `breached=true` of complaints.
    const parameter = (path: string, name: string) =>
      document.paths[path].get.parameters.find((candidate: Json) => candidate.name === name).schema[
        'x-enumDescriptions'
      ];
    expect(parameter('/interactions', 'overdue').true).toMatch(/open contacts past a target/);
    expect(parameter('/complaints', 'breached').true).toMatch(/missed a milestone/);
    expect(parameter('/metrics', 'interval')).toMatchObject({
      day: expect.any(String),
      week: expect.any(String),
      month: expect.any(String),
    });
  });

  it('keeps the enum descriptions out of the Lambda bundles (only the document builder reads them)', async () => {
    // Each call is marked /* @__PURE__ */ (esbuild does not apply @__NO_SIDE_EFFECTS__ across modules).
    const unmarked: string[] = [];
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
      });
    for (const file of sources(join(PROJECT_ROOT, 'shared')))
      for (const match of readFileSync(file, 'utf8').matchAll(/(\/\* @__PURE__ \*\/\s*)?describeEnum\(/g))
        if (!match[1] && !file.endsWith('describe.ts')) unmarked.push(relative(PROJECT_ROOT, file));
    expect(unmarked).toEqual([]);
    // And a real bundle of functions whose schemas declare many vocabularies carries none of the texts.
    const texts = enumDescriptionTexts();
    expect(texts.length).toBeGreaterThan(300);
    for (const id of ['complaints', 'surveys', 'improvements']) {
      const fn = apiFunctions(ROUTES).find((candidate) => candidate.id === id);
      if (!fn) throw new Error(`no function ${id}`);
      const result = await build({
        ...ESBUILD_OPTIONS,
        absWorkingDir: PROJECT_ROOT,
        entryPoints: [writeApiEntry(fn)],
        outfile: join(PROJECT_ROOT, 'node_modules', '.cache', 'careloop', 'enum-texts', id, 'index.mjs'),
        write: false,
        logLevel: 'error',
      });
      const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'))?.text ?? '';
      expect(code.length, id).toBeGreaterThan(100_000);
      expect(
        texts.filter((text) => code.includes(text)),
        id,
      ).toEqual([]);
    }
  }, 60_000);
});
