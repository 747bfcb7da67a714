/**
 * Checks an HTTP answer against the served OpenAPI document with a JSON Schema 2020-12
 * validator (ajv), so the document can never drift from what the API really answers.
 * The test HTTP client (runtime.ts) runs every answer through `checkAnswer`.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

type Json = Record<string, any>;

interface Operation {
  template: string;
  pattern: RegExp;
  /** Literal segments win over `{param}` ones (`/complaints/pauses` before `/complaints/{id}`). */
  params: number;
  responses: Json;
}

export interface ConformanceChecker {
  /** Throws with the schema errors when an answer is not what the document says. */
  check(answer: { method: string; path: string; status: number; contentType: string | null; body: unknown }): void;
}

const pointerEscape = (pointerPart: string) => pointerPart.replaceAll('~', '~0').replaceAll('/', '~1');

export function conformanceChecker(document: Json): ConformanceChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // OpenAPI-only annotations that are not JSON Schema keywords.
  ajv.addKeyword({ keyword: 'example' });
  ajv.addSchema(document, 'openapi');
  const operations = new Map<string, Operation[]>();
  for (const [template, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      if (!operation?.responses) continue;
      const list = operations.get(method.toUpperCase()) ?? [];
      const params = (template.match(/\{[^}]+\}/g) ?? []).length;
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
      list.push({ template, pattern: new RegExp(`^${source}$`), params, responses: operation.responses });
      operations.set(method.toUpperCase(), list);
    }
  }
  for (const list of operations.values()) list.sort((a, b) => a.params - b.params);
  const compiled = new Map<string, ValidateFunction>();

  return {
    check({ method, path, status, contentType, body }) {
      const bare = path.split('?')[0]!;
      const operation = operations.get(method.toUpperCase())?.find((op) => op.pattern.test(bare));
      // Not an API operation (local-only endpoints, unknown paths, preflight): nothing to hold it to.
      if (!operation) return;
      const statusKey = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => operation.responses[k]);
      if (!statusKey)
        throw new Error(
          `OpenAPI conformance: ${method} ${operation.template} answered ${status}, which the document does not list (${Object.keys(operation.responses).join(', ')})`,
        );
      const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
      const isJson = /^application\/([\w.+-]*\+)?json$/.test(mediaType);
      if (!isJson || body === undefined || typeof body === 'string') return;
      const content = operation.responses[statusKey].content ?? {};
      if (!content[mediaType]?.schema)
        throw new Error(
          `OpenAPI conformance: ${method} ${operation.template} ${status} answered ${mediaType}, which the document does not describe`,
        );
      const ref = `openapi#/paths/${pointerEscape(operation.template)}/${method.toLowerCase()}/responses/${statusKey}/content/${pointerEscape(mediaType)}/schema`;
      let validate = compiled.get(ref);
      if (!validate) {
        validate = ajv.compile({ $ref: ref });
        compiled.set(ref, validate);
      }
      if (!validate(body)) {
        const errors = (validate.errors ?? [])
          .slice(0, 8)
          .map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
        throw new Error(
          `OpenAPI conformance: ${method} ${operation.template} ${status} does not match the document:\n  ${errors.join('\n  ')}\nbody: ${JSON.stringify(body).slice(0, 600)}`,
        );
      }
    },
  };
}
