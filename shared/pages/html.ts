/**
 * The frame of every page CareLoop shows customers: server-rendered HTML, mobile first, inline
 * CSS (allowed by its hash in the Content-Security-Policy, so no inline script can run), no
 * third-party assets, no JavaScript needed, a visible zh/en switch, and the headers that keep
 * the token in the address to ourselves (no referrer, no caching, no framing).
 */
import { createHash } from 'node:crypto';
import type { Reply } from '../http/api.js';
import type { Language } from '../schemas/customers.js';

/** Markup that is already safe (built by `html`), as opposed to text that must be escaped. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

type Part = Html | string | number | boolean | null | undefined | readonly Part[];
const render = (part: Part): string =>
  part === null || part === undefined || part === false
    ? ''
    : part instanceof Html
      ? part.value
      : Array.isArray(part)
        ? part.map(render).join('')
        : escapeHtml(String(part));

/** A template tag: interpolated text is escaped, nested `html` fragments and arrays of them are not. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? '';
  parts.forEach((part, i) => {
    out += render(part) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

const CSS = `:root{color-scheme:light;--ink:#1b1f24;--muted:#47525e;--accent:#0a56a8;--line:#7d8995;--soft:#d5dbe1;--bg:#f4f6f9;--err:#a4001d}
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:var(--ink);background:var(--bg)}
header{display:flex;justify-content:space-between;align-items:center;gap:1rem;max-width:42rem;margin:0 auto;padding:.75rem 1rem}
header span{font-weight:700;color:var(--accent)}
main{max-width:42rem;margin:0 auto;padding:0 1rem 2.5rem}
h1{font-size:1.45rem;line-height:1.3;margin:.25rem 0 .75rem}
h2{font-size:1.1rem;margin:0 0 .5rem}
a{color:var(--accent);text-underline-offset:.15em}
:focus-visible{outline:3px solid var(--ink);outline-offset:2px}
.lead{color:var(--muted);margin:0 0 1.25rem}
.card,fieldset{min-width:0;background:#fff;border:1px solid var(--soft);border-radius:.75rem;margin:0 0 1rem;padding:.75rem 1rem 1rem}
legend{font-weight:600;padding:0 .25rem;float:left;width:100%;margin-bottom:.5rem}
legend+*{clear:both}
.scale{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:.375rem;margin:0}
.scale.nps{grid-template-columns:repeat(6,minmax(0,1fr))}
.opt{position:relative;overflow-wrap:anywhere;display:flex;flex-direction:column;align-items:center;min-height:3.25rem;padding:.4rem .15rem;border:1px solid var(--line);border-radius:.5rem;text-align:center;font-size:.8rem;line-height:1.2;background:#fff;cursor:pointer}
.opt b{font-size:1.1rem}
.opt input{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}
.opt:has(input:checked){background:var(--accent);border-color:var(--accent);color:#fff}
.opt:has(input:focus-visible){outline:3px solid var(--ink);outline-offset:2px}
.choices{display:grid;gap:.375rem}
.choice{display:flex;align-items:center;gap:.6rem;min-height:2.75rem;padding:.4rem .75rem;border:1px solid var(--line);border-radius:.5rem;background:#fff;cursor:pointer;overflow-wrap:anywhere}
.choice input{width:1.25rem;height:1.25rem;margin:0;flex:none}
.dimension>h2{margin:1.25rem 0 .5rem;color:var(--accent)}
.ends{display:flex;justify-content:space-between;gap:1rem;font-size:.85rem;color:var(--muted);margin:.4rem 0 0}
.err{color:var(--err);font-weight:600;margin:0 0 .5rem}
.invalid{border:2px solid var(--err)}
.summary{border:2px solid var(--err);background:#fff;border-radius:.75rem;padding:.75rem 1rem;margin:0 0 1rem}
label.field{display:block;font-weight:600;margin:0 0 .4rem}
textarea,input[type=text],input[type=email]{width:100%;font:inherit;padding:.6rem;border:1px solid var(--line);border-radius:.5rem;background:#fff;color:var(--ink)}
textarea{min-height:6rem}
.hint{font-size:.9rem;color:var(--muted);margin:.25rem 0 0}
button{font:inherit;font-weight:600;background:var(--accent);color:#fff;border:0;border-radius:.5rem;padding:.75rem 1.5rem;min-height:2.75rem;width:100%;cursor:pointer}
button.secondary{background:#fff;color:var(--accent);border:2px solid var(--accent)}
.actions{display:grid;gap:.75rem}
blockquote{margin:0 0 1rem;padding:.75rem 1rem;background:#fff;border-left:4px solid var(--accent);border-radius:.25rem}
ul.items{list-style:none;margin:0;padding:0}
ul.items li{background:#fff;border:1px solid var(--soft);border-radius:.75rem;padding:.75rem 1rem;margin:0 0 .75rem}
.badge{display:inline-block;font-size:.8rem;font-weight:600;border-radius:1rem;padding:.1rem .6rem;border:1px solid currentColor}
.meta{font-size:.9rem;color:var(--muted);margin:.25rem 0 0}
@media (min-width:48rem){h1{font-size:1.75rem}button{width:auto}.actions{grid-template-columns:auto auto;justify-content:start}}`;

/** The stylesheet's hash, the only style the Content-Security-Policy allows. */
const CSS_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

/**
 * No script at all (default-src 'none'), the one inline stylesheet by hash, forms post only back
 * here, and no page may frame this one.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${CSS_HASH}`,
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  // The address holds a bearer token: never send it on as a referrer, never keep the page.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

const BRAND: Record<Language, string> = { zh: 'CareLoop 客户服务', en: 'CareLoop customer care' };
const SWITCH: Record<Language, { label: string; name: string }> = {
  zh: { label: '语言', name: '中文' },
  en: { label: 'Language', name: 'English' },
};
const HTML_LANG: Record<Language, string> = { zh: 'zh-CN', en: 'en' };

export const otherLanguage = (lang: Language): Language => (lang === 'zh' ? 'en' : 'zh');

/** A whole page: title, the language switch (to the same address in the other language), and the content. */
export function page(input: { lang: Language; title: string; content: Html }): string {
  const other = otherLanguage(input.lang);
  return `<!doctype html>${html`<html lang="${HTML_LANG[input.lang]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${input.title}</title><style>${new Html(CSS)}</style></head><body><header><span>${BRAND[input.lang]}</span><nav aria-label="${SWITCH[input.lang].label}"><a href="?lang=${other}" lang="${HTML_LANG[other]}" hreflang="${HTML_LANG[other]}">${SWITCH[other].name}</a></nav></header><main id="main">${input.content}</main></body></html>`}`;
}

/** An HTML answer with the page headers. */
export function htmlReply(status: number, body: string): Reply {
  return { status, body, contentType: 'text/html; charset=utf-8', headers: { ...PAGE_HEADERS } };
}

/** The language of a page: `?lang=` wins, then the customer's, then the browser's Accept-Language, then Chinese. */
export function pageLanguage(query: string | undefined, customer?: Language, acceptLanguage?: string): Language {
  if (query === 'zh' || query === 'en') return query;
  if (customer) return customer;
  const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}
