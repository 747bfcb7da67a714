/**
 * The suggestion board behind `/suggestions/board` (s000: publish progress so customers can hold
 * us to it): published suggestions with where each stands, and a form to suggest something.
 */
import type { Language } from '../schemas/customers.js';
import { html, page } from './html.js';

export interface BoardItem {
  id: string;
  text: string;
  status: 'submitted' | 'adopted' | 'rejected' | 'delivered';
  submittedOn: string;
  decidedOn?: string | undefined;
  reason?: string | undefined;
  plannedFor?: string | undefined;
  deliveredOn?: string | undefined;
}

const TEXT = {
  zh: {
    title: '客户建议公示',
    lead: '您的每条建议我们都会在 3 天内答复；采纳的建议在一个月内落实。下面是建议的最新进展（个人信息已隐去）。',
    status: { submitted: '已收到，待答复', adopted: '已采纳', rejected: '未采纳', delivered: '已落实' },
    submitted: '提交于',
    planned: '计划落实',
    delivered: '落实于',
    reason: '原因：',
    empty: '还没有公示的建议。',
    listTitle: '建议与进展',
    formTitle: '提一条建议',
    text: '您的建议',
    textHint: '建议内容会公示，手机号、邮箱等个人信息会被隐去。',
    contact: '联系方式（选填）',
    contactHint: '手机号或邮箱，仅用于答复您，不会公示。',
    submit: '提交建议',
    missing: '请写下您的建议。',
    tooLong: '内容太长，请缩短后再提交。',
    thanksTitle: '感谢您的建议！',
    thanks: '我们会在 3 天内答复。您可以在建议公示页查看进展。',
    back: '返回建议公示',
  },
  en: {
    title: 'Customer suggestions',
    lead: 'We answer every suggestion within 3 days and deliver adopted ones within a month. Here is where each one stands (personal details removed).',
    status: {
      submitted: 'Received, awaiting answer',
      adopted: 'Adopted',
      rejected: 'Not adopted',
      delivered: 'Delivered',
    },
    submitted: 'Submitted',
    planned: 'Planned for',
    delivered: 'Delivered',
    reason: 'Why: ',
    empty: 'No suggestions have been published yet.',
    listTitle: 'Suggestions and progress',
    formTitle: 'Make a suggestion',
    text: 'Your suggestion',
    textHint: 'Suggestions are published; phone numbers, emails and other personal details are removed.',
    contact: 'How to reach you (optional)',
    contactHint: 'A phone number or email, only to answer you; never published.',
    submit: 'Send suggestion',
    missing: 'Please write your suggestion.',
    tooLong: 'This is too long: please shorten it.',
    thanksTitle: 'Thank you for your suggestion!',
    thanks: 'We will answer within 3 days. You can follow its progress on the suggestion board.',
    back: 'Back to the suggestion board',
  },
} as const;

export function boardPage(input: {
  lang: Language;
  items: BoardItem[];
  values?: { text?: string | undefined; contact?: string | undefined };
  missing?: boolean;
  /** Fields over their length (text 4,000, contact 200): the form comes back with them, saying so. */
  tooLong?: Array<'text' | 'contact'>;
}): string {
  const text = TEXT[input.lang];
  const values = input.values ?? {};
  const item = (s: BoardItem) =>
    html`<li><span class="badge">${text.status[s.status]}</span><p>${s.text}</p><p class="meta">${text.submitted} ${s.submittedOn}${
      s.plannedFor && s.status === 'adopted' ? html` · ${text.planned} ${s.plannedFor}` : ''
    }${s.deliveredOn ? html` · ${text.delivered} ${s.deliveredOn}` : ''}</p>${
      s.reason && s.status === 'rejected' ? html`<p class="meta">${text.reason}${s.reason}</p>` : ''
    }</li>`;
  const content = html`<h1>${text.title}</h1><p class="lead">${text.lead}</p><section aria-labelledby="form-title" class="card"><h2 id="form-title">${text.formTitle}</h2>${
    input.missing ? html`<p class="err" id="e-text" role="alert">${text.missing}</p>` : ''
  }${
    input.tooLong?.length ? html`<p class="err" id="e-long" role="alert">${text.tooLong}</p>` : ''
  }<form method="post" action="?lang=${input.lang}"><label class="field" for="text">${text.text}</label><textarea id="text" name="text" maxlength="4000" aria-describedby="${
    input.missing ? 'e-text text-hint' : 'text-hint'
  }"${input.missing ? html` aria-invalid="true"` : ''}>${values.text ?? ''}</textarea><p class="hint" id="text-hint">${text.textHint}</p><label class="field" for="contact">${text.contact}</label><input type="text" id="contact" name="contact" maxlength="200" autocomplete="email" aria-describedby="contact-hint" value="${values.contact ?? ''}"><p class="hint" id="contact-hint">${text.contactHint}</p><p><button type="submit">${text.submit}</button></p></form></section><section aria-labelledby="list-title"><h2 id="list-title">${text.listTitle}</h2>${
    input.items.length ? html`<ul class="items">${input.items.map(item)}</ul>` : html`<p>${text.empty}</p>`
  }</section>`;
  return page({ lang: input.lang, title: text.title, content });
}

export function boardThanksPage(lang: Language): string {
  const text = TEXT[lang];
  return page({
    lang,
    title: text.thanksTitle,
    content: html`<h1>${text.thanksTitle}</h1><p class="lead">${text.thanks}</p><p><a href="?lang=${lang}">${text.back}</a></p>`,
  });
}
