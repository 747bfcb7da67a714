/** Use cases of the managed category list: read it, edit it (admins), and check a code a record names. */

import type { Actor } from '../../shared/domain/access.js';
import { ancestorsOf, BUILT_IN_CODES, COMMENT_CATEGORY_CODES, LEGACY_SLUGS } from '../../shared/domain/categories.js';
import type { CommentCategory } from '../../shared/domain/comment-words.js';
import { Conflict, Invalid } from '../../shared/domain/errors.js';
import { assertIfMatch, type IfMatch } from '../../shared/domain/versions.js';
import type { Category, PutCategoryBody } from '../../shared/schemas/categories.js';
import { type CategoryRecord, type CategoryStore, dynamoCategoryStore } from '../../shared/store/categories.js';

const commentCategoriesOf = (code: string): CommentCategory[] =>
  (Object.entries(COMMENT_CATEGORY_CODES) as Array<[CommentCategory, string]>)
    .filter(([, to]) => to === code)
    .map(([from]) => from);

export function categoryView(record: CategoryRecord): Category {
  return {
    code: record.code,
    name: record.name,
    parent: record.parent,
    active: record.active,
    builtIn: record.builtIn,
    commentCategories: commentCategoriesOf(record.code),
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
    version: record.version,
  };
}

export async function listCategories(
  store: CategoryStore = dynamoCategoryStore,
): Promise<{ items: Category[]; nextCursor: string | null }> {
  return { items: (await store.list()).map(categoryView), nextCursor: null };
}

export async function readCategory(code: string, store: CategoryStore = dynamoCategoryStore): Promise<Category> {
  const found = await store.get(code);
  if (!found) throw Invalid.field('code', `${code} is not in the category list`, 'not_in_list');
  return categoryView(found);
}

/**
 * Creates or replaces a category. The code is fixed (figures are counted by code, so a rename
 * changes none); the parent must be an active category and may not lead back to this one; a
 * category with active children cannot be deactivated (409 naming `active`).
 */
export async function putCategory(
  code: string,
  body: PutCategoryBody,
  actor: Actor,
  now: Date,
  ifMatch: IfMatch = undefined,
  store: CategoryStore = dynamoCategoryStore,
): Promise<{ category: Category; created: boolean }> {
  if (LEGACY_SLUGS[code] && !BUILT_IN_CODES.has(code))
    throw Invalid.field(
      'code',
      `${code} was a free category slug before the list existed (it means ${LEGACY_SLUGS[code]}); choose another code`,
      'invalid',
      { mapsTo: LEGACY_SLUGS[code] },
    );
  const { items: all, listVersion } = await store.listVersioned();
  const byCode = new Map(all.map((c) => [c.code, c]));
  const current = byCode.get(code);
  assertIfMatch(ifMatch, current?.version, `Category ${code}`);
  if (body.parent !== undefined) {
    const parent = byCode.get(body.parent);
    if (!parent?.active)
      throw Invalid.field('parent', `${body.parent} is not an active code of the category list`, 'not_in_list');
    const { chain, cycle } = ancestorsOf(code, body.parent, byCode);
    if (cycle)
      throw Invalid.field('parent', `${body.parent} is below ${code}: that parent would make a cycle`, 'invalid', {
        cycle: [code, ...chain],
      });
  }
  if (!body.active) {
    const children = all.filter((c) => c.parent === code && c.active).map((c) => c.code);
    if (children.length)
      throw new Conflict(`Category ${code} has active categories under it: ${children.join(', ')}.`, { children }, [
        {
          path: 'active',
          code: 'invalid',
          message: `cannot deactivate a category with active children (${children.join(', ')}); move or deactivate them first`,
          params: { children },
        },
      ]);
  }
  const saved = await store.put(
    {
      code,
      name: body.name,
      parent: body.parent ?? null,
      active: body.active,
      updatedAt: now.toISOString(),
      updatedBy: actor.id,
    },
    current,
    listVersion,
  );
  return { category: categoryView(saved), created: current === undefined };
}
