/**
 * The one zod of the project, extended with `.openapi()` so schemas document themselves.
 *
 * `z` here is a plain object of the zod builders the project uses, not zod's own namespace:
 * a bundler must keep a namespace object whole once it is passed around, and zod's carries
 * every locale (~190 KiB of each Lambda bundle). Add a builder here when a schema needs one.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import {
  array,
  boolean,
  coerce,
  discriminatedUnion,
  email,
  enum as enumOf,
  type input as Input,
  iso,
  literal,
  number,
  type output as Output,
  object,
  partialRecord,
  record,
  regexes,
  strictObject,
  string,
  union,
  unknown,
  type ZodObject as ZodObjectType,
  type ZodRawShape as ZodRawShapeType,
  ZodType,
  type ZodType as ZodTypeType,
} from 'zod';

extendZodWithOpenApi({ ZodType } as never);

export const z = {
  array,
  boolean,
  coerce,
  discriminatedUnion,
  email,
  enum: enumOf,
  iso,
  literal,
  number,
  object,
  partialRecord,
  record,
  regexes,
  strictObject,
  string,
  union,
  unknown,
  ZodType,
};

// Type-level members, so `z.infer<typeof Schema>` and `z.ZodObject` read as with zod's namespace.
export declare namespace z {
  type infer<T> = Output<T>;
  type output<T> = Output<T>;
  type input<T> = Input<T>;
  type ZodType = ZodTypeType;
  type ZodObject = ZodObjectType;
  type ZodRawShape = ZodRawShapeType;
}
