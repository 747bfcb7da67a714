/**
 * Sorts free-text survey comments (Chinese and English) into problem categories, the way
 * s002 "定性数据整理" asks: "服务响应慢", "产品功能不完善"… each with a frequency.
 *
 * Matching is by dictionary, one keyword list per category (settings may add keywords and
 * categories). Chinese needs no word segmentation: keywords are found as substrings.
 * English keywords match at a word start and allow the usual suffixes (wait → waited,
 * waiting); a trailing `*` makes a keyword a pure prefix (overcharg* → overcharged).
 * A keyword right after a negation ("不慢", "没那么贵", "not rude", "wasn't slow at all")
 * does not count. In a Chinese keyword `…` stands for up to four characters of the same
 * clause without a negation ("态度…差" finds "态度也很差", not "态度不差"). Traditional characters
 * are folded to simplified ones first, so the dictionary is written once. The word lists are
 * data and live in `comment-words.ts`.
 */

import { COMMENT_DICTIONARY, MILD_NEGATIVE, POSITIVE, STRONG_NEGATIVE, TRADITIONAL } from './comment-words.js';

// Callers may keep importing the vocabulary from here; it is defined in comment-words.ts.
export type { CommentCategory } from './comment-words.js';
export { COMMENT_CATEGORIES, COMMENT_CATEGORY_LABELS, COMMENT_DICTIONARY } from './comment-words.js';

export interface KeywordMatch {
  category: string;
  keyword: string;
}

export interface CommentClassification {
  /** Problem categories found, in dictionary order, each once. */
  categories: string[];
  matches: KeywordMatch[];
  sentiment: 'positive' | 'neutral' | 'negative';
  /** Strong words ("太差", "never again") or three problem categories at once: raise an alert. */
  strongNegative: boolean;
}

const CJK = /[\u3400-\u9fff]/;
const NEGATION_ZH =
  /(不|没|没有|无需|不用|不必|毫无|并不|从不|从没|从未|未|并没)(太|很|是很|是|算|怎么|那么|够|会|觉得|再)?$/;
const NEGATION_EN =
  /(?:\b(?:not|never|no|hardly|barely|without)\b|n't)(?:\s+(?:at\s+all|too|very|that|so|really|the|a|an|any|overly|even|particularly|\w+ly))*\s*$/;
const NEGATOR_START =
  /^(不|没|无|未|非|仍未|no\b|not\b|never\b|nobody\b|couldn't|didn't|doesn't|wasn't|can't|cannot|kept\b|still\b)/;

/** Folds full-width forms, case and traditional characters, so one dictionary fits all. */
export function normalizeComment(text: string): string {
  let out = '';
  for (const char of text.normalize('NFKC').toLowerCase()) out += TRADITIONAL[char] ?? char;
  return out.replace(/[’`]/g, "'");
}

interface CompiledKeyword {
  keyword: string;
  find: (text: string) => number[];
  negatable: boolean;
}

/** The `…` of a Chinese keyword: a few characters of the same clause, none of them a negation. */
const GAP = '(?:(?![不没无未])[^，。,.!！?？；;：:\\s]){0,4}';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compileKeyword(raw: string): CompiledKeyword {
  // NFKC would turn the gap mark into "...": normalise around it.
  const keyword = raw.trim().split('…').map(normalizeComment).join('…');
  const negatable = !NEGATOR_START.test(keyword);
  if (keyword.includes('…')) {
    const pattern = new RegExp(keyword.split('…').map(escapeRegExp).join(GAP), 'g');
    return { keyword, negatable, find: (text) => [...text.matchAll(pattern)].map((m) => m.index ?? 0) };
  }
  if (CJK.test(keyword) || !/[a-z]/.test(keyword)) {
    return {
      keyword,
      negatable,
      find: (text) => {
        const found: number[] = [];
        for (let at = text.indexOf(keyword); at !== -1; at = text.indexOf(keyword, at + 1)) found.push(at);
        return found;
      },
    };
  }
  const prefix = keyword.endsWith('*');
  const body = escapeRegExp(prefix ? keyword.slice(0, -1) : keyword).replace(/\s+/g, '\\s+');
  const pattern = new RegExp(`(?<![a-z])${body}${prefix ? '' : "(?:s|es|ed|d|ing|ly|'s)?(?![a-z])"}`, 'g');
  return { keyword, negatable, find: (text) => [...text.matchAll(pattern)].map((m) => m.index ?? 0) };
}

/** Whether the keyword at `at` is preceded by a negation in its own clause. */
function negatedAt(text: string, at: number, keyword: string): boolean {
  const before = text.slice(Math.max(0, at - 30), at);
  const clause = before.split(/[,.;!?，。；！？、\n]|but|但|可是|不过/).pop() ?? '';
  return CJK.test(keyword) ? NEGATION_ZH.test(clause.slice(-6)) : NEGATION_EN.test(clause);
}

/** Occurrences of a keyword that are not negated. */
function count(text: string, keyword: CompiledKeyword): number {
  return keyword.find(text).filter((at) => !keyword.negatable || !negatedAt(text, at, keyword.keyword)).length;
}

function negatedCount(text: string, keyword: CompiledKeyword): number {
  return keyword.negatable ? keyword.find(text).filter((at) => negatedAt(text, at, keyword.keyword)).length : 0;
}

export interface Classifier {
  classify(text: string): CommentClassification;
}

/**
 * A classifier over the built-in dictionary plus `extraKeywords` (from settings: category →
 * keywords; a new category name adds a category).
 */
export function commentClassifier(extraKeywords: Record<string, readonly string[]> = {}): Classifier {
  const categories = new Map<string, CompiledKeyword[]>();
  for (const [category, words] of [...Object.entries(COMMENT_DICTIONARY), ...Object.entries(extraKeywords)]) {
    const list = categories.get(category) ?? [];
    list.push(...words.filter((w) => w.trim()).map(compileKeyword));
    categories.set(category, list);
  }
  const strong = STRONG_NEGATIVE.map(compileKeyword);
  const mild = MILD_NEGATIVE.map(compileKeyword);
  const positive = POSITIVE.map(compileKeyword);

  return {
    classify(raw) {
      const text = normalizeComment(raw);
      const matches: KeywordMatch[] = [];
      for (const [category, keywords] of categories) {
        for (const keyword of keywords) {
          if (count(text, keyword) > 0) {
            matches.push({ category, keyword: keyword.keyword });
            break;
          }
        }
      }
      const found = matches.map((m) => m.category);
      const strongHits = strong.reduce((n, k) => n + count(text, k), 0);
      const negativeScore =
        found.length +
        strongHits * 2 +
        mild.reduce((n, k) => n + count(text, k), 0) +
        positive.reduce((n, k) => n + negatedCount(text, k), 0);
      // Positive words inside a longer keyword that was matched ("不及时" contains "及时") were negated above.
      const positiveScore = positive.reduce((n, k) => n + count(text, k), 0);
      const sentiment =
        negativeScore > positiveScore ? 'negative' : positiveScore > negativeScore ? 'positive' : 'neutral';
      return { categories: found, matches, sentiment, strongNegative: strongHits > 0 || found.length >= 3 };
    },
  };
}

const cache = new WeakMap<object, Classifier>();
/** The built-in dictionary's classifier, compiled on the first comment, not when a function starts (issue 26). */
let builtIn: Classifier | undefined;

/** The classifier for a settings dictionary, built once per settings object. */
export function classifierFor(extraKeywords: Record<string, readonly string[]> | undefined): Classifier {
  if (!extraKeywords || Object.keys(extraKeywords).length === 0) {
    builtIn ??= commentClassifier();
    return builtIn;
  }
  let classifier = cache.get(extraKeywords);
  if (!classifier) cache.set(extraKeywords, (classifier = commentClassifier(extraKeywords)));
  return classifier;
}

export const classifyComment = (text: string, extraKeywords?: Record<string, readonly string[]>) =>
  classifierFor(extraKeywords).classify(text);
