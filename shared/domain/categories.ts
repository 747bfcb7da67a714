/**
 * Complaint categories are a managed list (s003 问题分类/标签), not free slugs: every complaint and
 * improvement names a code of this list, so "logistics", "delivery" and "shipping" are one
 * category and recurrence (same customer, same category) compares codes.
 *
 * A category's `code` never changes; its bilingual `name` may. Counters are keyed by code
 * (`complaints_cat_<code>`), so renaming a category changes no figure. Complaints stored before the
 * list existed carry free slugs: `codeForSlug` maps them (the operator's migration rewrites them,
 * infra/ops/migrate-complaint-categories.ts; counters written under a slug are folded into its code
 * when read).
 */
import type { CommentCategory } from './comment-words.js';

export { CATEGORY_CODE_PATTERN } from '../schemas/categories.js';

export interface CategoryName {
  zh: string;
  en: string;
}

export interface CategoryDefinition {
  code: string;
  name: CategoryName;
  parent?: string;
  active: boolean;
}

/** The built-in list, from the seeds' complaint types (s000 高频投诉类型, s002 问题分类, s003 产品/服务/流程问题). */
export const BUILT_IN_CATEGORIES: readonly CategoryDefinition[] = [
  { code: 'product_defect', name: { zh: '产品缺陷', en: 'Product defect' }, active: true },
  { code: 'quality', name: { zh: '质量问题', en: 'Quality' }, active: true },
  { code: 'service_attitude', name: { zh: '服务态度', en: 'Service attitude' }, active: true },
  { code: 'response_speed', name: { zh: '响应速度', en: 'Response speed' }, active: true },
  { code: 'logistics', name: { zh: '物流配送', en: 'Logistics and delivery' }, active: true },
  { code: 'price_billing', name: { zh: '价格与计费', en: 'Price and billing' }, active: true },
  { code: 'after_sales_repair', name: { zh: '售后维修', en: 'After-sales repair' }, active: true },
  { code: 'process_policy', name: { zh: '流程与政策', en: 'Process and policy' }, active: true },
  { code: 'app_website', name: { zh: 'App/网站', en: 'App and website' }, active: true },
  { code: 'other', name: { zh: '其他', en: 'Other' }, active: true },
];

export const BUILT_IN_CODES: ReadonlySet<string> = new Set(BUILT_IN_CATEGORIES.map((c) => c.code));

/** Where a comment category (shared/domain/comment-words.ts) overlaps a complaint category. */
export const COMMENT_CATEGORY_CODES: Partial<Record<CommentCategory, string>> = {
  slow_response: 'response_speed',
  attitude: 'service_attitude',
  cumbersome_process: 'process_policy',
  product_quality: 'quality',
  price: 'price_billing',
  delivery: 'logistics',
  system_stability: 'app_website',
};

/**
 * Free slugs stored before the list existed, and the code each means. A slug not listed here and
 * not a code itself becomes `other` in the migration.
 */
export const LEGACY_SLUGS: Readonly<Record<string, string>> = {
  delivery: 'logistics',
  shipping: 'logistics',
  shipment: 'logistics',
  courier: 'logistics',
  parcel: 'logistics',
  billing: 'price_billing',
  price: 'price_billing',
  pricing: 'price_billing',
  invoice: 'price_billing',
  refund: 'price_billing',
  charge: 'price_billing',
  charges: 'price_billing',
  defect: 'product_defect',
  product: 'product_defect',
  broken: 'product_defect',
  'product-defect': 'product_defect',
  product_quality: 'quality',
  'product-quality': 'quality',
  attitude: 'service_attitude',
  service: 'service_attitude',
  rude: 'service_attitude',
  staff: 'service_attitude',
  slow_response: 'response_speed',
  'slow-response': 'response_speed',
  response: 'response_speed',
  waiting: 'response_speed',
  wait: 'response_speed',
  repair: 'after_sales_repair',
  'after-sales': 'after_sales_repair',
  after_sales: 'after_sales_repair',
  aftersales: 'after_sales_repair',
  warranty: 'after_sales_repair',
  process: 'process_policy',
  policy: 'process_policy',
  cumbersome_process: 'process_policy',
  app: 'app_website',
  website: 'app_website',
  web: 'app_website',
  system_stability: 'app_website',
};

/** The code a stored category value means: itself when it is a code of the list, else its legacy mapping, else `other`. */
export function codeForSlug(slug: string, codes: ReadonlySet<string> = BUILT_IN_CODES): string {
  if (codes.has(slug)) return slug;
  return LEGACY_SLUGS[slug] ?? 'other';
}

/**
 * The category a counter or record names, read today: a legacy slug folds into its code, anything
 * else (a code of the list, built in or added by an admin) stays itself. Admins cannot add a code
 * that is a legacy slug, so the two never collide.
 */
export const foldLegacy = (category: string): string => LEGACY_SLUGS[category] ?? category;

/** The slugs (and the code itself) whose complaints count as this code's, for reading records stored before the migration. */
export function slugsOfCode(code: string): string[] {
  return [code, ...Object.entries(LEGACY_SLUGS).flatMap(([slug, to]) => (to === code && slug !== code ? [slug] : []))];
}

/**
 * The path from `parent` up to the root, through `byCode`; a cycle back to `code` (or any loop) is
 * reported by returning `cycle: true`.
 */
export function ancestorsOf(
  code: string,
  parent: string | undefined,
  byCode: ReadonlyMap<string, { parent?: string | null | undefined }>,
): { chain: string[]; cycle: boolean } {
  const chain: string[] = [];
  let next = parent;
  while (next !== undefined) {
    if (next === code || chain.includes(next)) return { chain, cycle: true };
    chain.push(next);
    next = byCode.get(next)?.parent ?? undefined;
  }
  return { chain, cycle: false };
}

/**
 * The counters named `<prefix><category>` summed per category code, largest first: counters
 * written under a legacy slug count towards its code (so a figure reads codes whatever was stored).
 */
export function countsByCategory(counters: Readonly<Record<string, number>>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(counters)) {
    if (!name.startsWith(prefix) || !value) continue;
    const code = foldLegacy(name.slice(prefix.length));
    out[code] = (out[code] ?? 0) + value;
  }
  return Object.fromEntries(
    Object.entries(out)
      .filter(([, n]) => n !== 0)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b)),
  );
}
