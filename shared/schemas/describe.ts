/**
 * What each value of a vocabulary means, written once beside the schema that declares the values
 * and read only by the OpenAPI builder (shared/http/routes/openapi-enums.ts), which attaches it to
 * every place the schema appears as `x-enumDescriptions` (value → text, as Redocly and Scalar show
 * it). The text map is typed by the schema's values: a value without a text, or a text for a value
 * the schema does not have, is a compile error.
 *
 * No Lambda bundle carries the texts (the document is generated when the entries are written,
 * infra/aws/entries.ts): every call is written `/* @__PURE__ *\/ describeEnum(…)`, so esbuild drops
 * it where nothing reads it (esbuild does not honour `@__NO_SIDE_EFFECTS__` across modules). A text
 * composed of others (`{ ...A, ...B }`) is given as a function: a spread evaluated at load would
 * keep its parts in every bundle.
 */
import type { z } from './zod.js';

type Scalar<S extends z.ZodType> = Extract<NonNullable<z.output<S>>, string | number | boolean>;
/** The `type` values of a discriminated union's options. */
type Discriminator<S extends z.ZodType> =
  NonNullable<z.output<S>> extends infer O ? (O extends { type: infer T extends string } ? T : never) : never;

/**
 * The values of an enum, a literal, a union of literals, or the `type` of a discriminated union's
 * options, as the keys of a JSON object (`1` → `"1"`).
 */
export type EnumKey<S extends z.ZodType> = `${Scalar<S> | Discriminator<S>}`;

type Texts = Readonly<Record<string, string>>;

/** A vocabulary's schema and the text of each of its values (or a function that composes them). */
export interface EnumText {
  readonly schema: z.ZodType;
  readonly text: Texts | (() => Texts);
}

/**
 * `schema` is a `z.enum`, a `z.literal`, a union of literals, or a union discriminated by `type`
 * (the literals of its options' `type` are described); `.optional()`/`.nullable()` around them is fine.
 */
export function describeEnum<S extends z.ZodType>(
  schema: S,
  text: Readonly<Record<EnumKey<S>, string>> | (() => Readonly<Record<EnumKey<S>, string>>),
): EnumText {
  return { schema, text };
}
