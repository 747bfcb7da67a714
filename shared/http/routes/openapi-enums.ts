/**
 * The descriptions of enum values in the OpenAPI document (`x-enumDescriptions`: value → text).
 * The texts are written beside each vocabulary (`describeEnum` in shared/schemas/*.ts and the
 * route modules that declare a schema of their own); this module collects them and, before the
 * document is generated, attaches each text to every instance of its schema the routes reach
 * (`.openapi()`, `.optional()` and `.nullable()` make new instances of one definition, so a text is
 * found by the definition). Only the document builder imports this, so no Lambda bundles the texts.
 */
import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import * as alerts from '../../schemas/alerts.js';
import * as campaigns from '../../schemas/campaigns.js';
import * as categories from '../../schemas/categories.js';
import * as causes from '../../schemas/causes.js';
import * as changes from '../../schemas/changes.js';
import * as common from '../../schemas/common.js';
import * as complaints from '../../schemas/complaints.js';
import * as customers from '../../schemas/customers.js';
import type { EnumText } from '../../schemas/describe.js';
import * as fieldErrors from '../../schemas/field-errors.js';
import * as goals from '../../schemas/goals.js';
import * as improvements from '../../schemas/improvements.js';
import * as interactions from '../../schemas/interactions.js';
import * as metrics from '../../schemas/metrics.js';
import * as questionnaires from '../../schemas/questionnaires.js';
import * as reports from '../../schemas/reports.js';
import * as settings from '../../schemas/settings.js';
import * as staff from '../../schemas/staff.js';
import * as surveys from '../../schemas/surveys.js';
import * as vocabulary from '../../schemas/vocabulary.js';
import type { z } from '../../schemas/zod.js';
import * as followups from './followups.js';
import * as system from './system.js';

/** Every module that may declare a vocabulary's texts. */
const MODULES: readonly Record<string, unknown>[] = [
  alerts,
  campaigns,
  categories,
  causes,
  changes,
  common,
  complaints,
  customers,
  fieldErrors,
  goals,
  improvements,
  interactions,
  metrics,
  questionnaires,
  reports,
  settings,
  staff,
  surveys,
  vocabulary,
  followups,
  system,
];

type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def?: Def } } | null)?._zod?.def;
const isSchema = (value: unknown): value is z.ZodType => defOf(value) !== undefined;
const isEnumText = (value: unknown): value is EnumText =>
  !!value && typeof value === 'object' && isSchema((value as EnumText).schema) && 'text' in value;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);

/** The values an enum or literal definition allows. */
function valuesOf(def: Def): unknown[] | undefined {
  if (def.type === 'enum') return Object.values(def.entries as Record<string, unknown>);
  if (def.type === 'literal') return def.values as unknown[];
  return undefined;
}

/** Each enum or literal definition inside `schema`, with the text of its values. */
function register(schema: z.ZodType, text: Readonly<Record<string, string>>, into: Map<Def, Record<string, string>>) {
  const def = defOf(schema) as Def;
  const values = valuesOf(def);
  if (values) {
    const own: Record<string, string> = {};
    for (const value of values) {
      const described = text[String(value)];
      if (described === undefined) throw new Error(`no description for the enum value ${JSON.stringify(value)}`);
      own[String(value)] = described;
    }
    into.set(def, own);
  } else if (WRAPPERS.has(def.type)) register(def.innerType as z.ZodType, text, into);
  else if (def.type === 'union') {
    const discriminator = def.discriminator as string | undefined;
    for (const option of def.options as z.ZodType[]) {
      const target = discriminator
        ? (defOf(option)?.shape as Record<string, z.ZodType> | undefined)?.[discriminator]
        : option;
      if (target && valuesOf(defOf(target) as Def)) register(target, text, into);
    }
  } else throw new Error(`describeEnum takes an enum, a literal or a union of them, not a ${def.type}`);
}

/** Every text of every value of every vocabulary (what no Lambda bundle may carry). */
export function enumDescriptionTexts(): string[] {
  return [...texts().values()].flatMap((text) => Object.values(text));
}

/** Every described definition → the text of each of its values. */
function texts(): Map<Def, Record<string, string>> {
  const found = new Map<Def, Record<string, string>>();
  for (const module of MODULES)
    for (const value of Object.values(module))
      if (isEnumText(value))
        register(value.schema, typeof value.text === 'function' ? value.text() : value.text, found);
  return found;
}

/** Each schema reachable from `roots`, through objects, arrays, unions, wrappers, records, pipes and lazies. */
function reachable(roots: readonly unknown[]): Set<z.ZodType> {
  const seen = new Set<z.ZodType>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isSchema(value)) {
      if (seen.has(value)) return;
      seen.add(value);
      const def = defOf(value) as Def;
      for (const [key, part] of Object.entries(def)) {
        if (key === 'checks') continue;
        if (key === 'getter' && typeof part === 'function') visit((part as () => unknown)());
        else if (key === 'shape' && part && typeof part === 'object') Object.values(part).forEach(visit);
        else visit(part);
      }
    }
  };
  roots.forEach(visit);
  return seen;
}

/**
 * Attaches `x-enumDescriptions` to every enum and literal instance reachable from `roots` whose
 * definition has texts. Idempotent: the document may be generated any number of times.
 */
export function describeEnums(roots: readonly unknown[]): void {
  const described = texts();
  for (const schema of reachable(roots)) {
    const text = described.get(defOf(schema) as Def);
    if (!text) continue;
    zodToOpenAPIRegistry.add(schema, { ...zodToOpenAPIRegistry.get(schema), 'x-enumDescriptions': text } as never);
  }
}
