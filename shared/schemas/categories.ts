/** The managed list of complaint categories (contract "Categories and causes (v1.2)"). */
import { Timestamp } from './common.js';
import { z } from './zod.js';

/** Codes are lower snake case (they become counter names and key parts). */
export const CATEGORY_CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

export const CategoryCode = /* @__PURE__ */ z
  .string()
  .regex(CATEGORY_CODE_PATTERN, 'must be a category code: lower snake case, 2–40 characters')
  .openapi({ description: 'A code of the category list (`GET /categories`)', example: 'logistics' });

const Name = /* @__PURE__ */ z.string().trim().min(1).max(80);

export const CategoryName = /* @__PURE__ */ z
  .strictObject({ zh: Name, en: Name })
  .openapi('CategoryName', { description: 'What the category is called, in Chinese and English' });

export const CategoryParams = /* @__PURE__ */ z.strictObject({ code: CategoryCode });

export const PutCategoryBody = /* @__PURE__ */ z
  .strictObject({
    name: CategoryName,
    parent: CategoryCode.optional().openapi({
      description: 'An active category this one belongs under (no cycles); left out: top level',
    }),
    active: z.boolean().openapi({
      description: 'Inactive categories stay on old records but new complaints and improvements cannot name them',
    }),
  })
  .openapi('PutCategoryBody', { description: 'The whole category; the code never changes, so no figure does' });
export type PutCategoryBody = z.infer<typeof PutCategoryBody>;

export const Category = /* @__PURE__ */ z
  .object({
    code: CategoryCode,
    name: CategoryName,
    parent: CategoryCode.nullable().openapi({ description: 'null at the top level' }),
    active: z.boolean(),
    builtIn: z.boolean().openapi({ description: 'One of the categories every deployment starts with' }),
    commentCategories: z.array(z.string()).openapi({
      description: 'Survey comment categories (the report’s top problems) that mean this category',
    }),
    updatedAt: Timestamp.nullable().openapi({ description: 'null for a built-in category nobody has edited' }),
    updatedBy: z.string().nullable(),
    version: z.number().int().openapi({ description: 'Its ETag; send it as If-Match to change the category' }),
  })
  .openapi('Category');
export type Category = z.infer<typeof Category>;

export const CategoryList = /* @__PURE__ */ z
  .object({
    items: z.array(Category).openapi({ description: 'Every category, active or not, by code' }),
    nextCursor: z.string().nullable().openapi({ description: 'Always null: the list is answered whole' }),
  })
  .openapi('CategoryList');
