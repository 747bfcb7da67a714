/**
 * The survey page behind `/s/{token}` (s001 dimensions, s002 questionnaire, s004 NPS): every
 * question a fieldset with a legend, every point of the 1–5 scale labelled in words, the NPS
 * question 0–10, an optional comment. A form missing an answer comes back with the message next
 * to the question and every answer kept.
 */
import { FORM_TEXT } from '../domain/surveys.js';
import type { Language } from '../schemas/customers.js';
import { DIMENSIONS, type Dimension } from '../schemas/vocabulary.js';
import { type Html, html, page } from './html.js';

export const SCORE_FIELDS = [...DIMENSIONS, 'overall'] as const;
export type ScoreField = (typeof SCORE_FIELDS)[number];
export type SurveyField = ScoreField | 'nps' | 'comment';

/** What the customer sent, as typed (strings), so a form that comes back shows exactly that. */
export type SurveyFormValues = Partial<Record<SurveyField, string>>;

export interface SurveyContext {
  subjectType: 'interaction' | 'complaint';
  channel: string;
  /** The service day, YYYY-MM-DD. */
  day: string;
}

const CHANNEL: Record<Language, Record<string, string>> = {
  zh: { phone: '电话', chat: '在线客服', app: 'App', wechat: '微信', email: '邮件', store: '门店' },
  en: {
    phone: 'phone call',
    chat: 'chat',
    app: 'app session',
    wechat: 'WeChat chat',
    email: 'email',
    store: 'store visit',
  },
};
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2026-11-03` → `11月3日` / `3 November`. */
export function dayText(day: string, lang: Language): string {
  const [, month = 1, date = 1] = day.split('-').map(Number);
  return lang === 'zh' ? `${month}月${date}日` : `${date} ${MONTHS[month - 1]}`;
}

const TEXT = {
  zh: {
    title: '请评价本次服务',
    about: (c: SurveyContext) =>
      c.subjectType === 'complaint'
        ? `关于您在${dayText(c.day, 'zh')}提出的投诉的处理`
        : `关于您在${dayText(c.day, 'zh')}的${CHANNEL.zh[c.channel] ?? c.channel}服务`,
    intro: '每个问题请选择一个分数，大约需要 1 分钟。',
    missingScore: '请选择一个分数。',
    missingNps: '请选择 0 到 10 之间的一个数字。',
    tooLong: '内容太长，请缩短到 2000 字以内。',
    summary: (n: number) => `还有 ${n} 个问题需要回答`,
    optional: '（选填）',
    commentHint: '请不要填写手机号等个人信息。',
    submit: '提交评价',
    thanksTitle: '感谢您的评价！',
    thanks: '您的意见会帮助我们改进服务。',
    usedTitle: '这份问卷已经提交过了',
    used: '感谢您！每个评价链接只能提交一次。',
    expiredTitle: '这个评价链接已过期',
    expired: '感谢您的关注。如还有意见，欢迎随时联系我们的客服。',
  },
  en: {
    title: 'How did we do?',
    about: (c: SurveyContext) =>
      c.subjectType === 'complaint'
        ? `About how we handled your complaint of ${dayText(c.day, 'en')}`
        : `About your ${CHANNEL.en[c.channel] ?? c.channel} on ${dayText(c.day, 'en')}`,
    intro: 'Please choose a score for each question. It takes about a minute.',
    missingScore: 'Please choose a score.',
    missingNps: 'Please choose a number from 0 to 10.',
    tooLong: 'This is too long: please keep it to 2,000 characters.',
    summary: (n: number) => `${n} ${n === 1 ? 'question still needs' : 'questions still need'} an answer`,
    optional: ' (optional)',
    commentHint: 'Please do not include phone numbers or other personal details.',
    submit: 'Send my answers',
    thanksTitle: 'Thank you for your feedback!',
    thanks: 'Your answers help us improve our service.',
    usedTitle: 'This survey has already been answered',
    used: 'Thank you! Each survey link can be answered once.',
    expiredTitle: 'This survey link has expired',
    expired:
      'Thank you for your interest. If you would still like to tell us something, please contact our service team.',
  },
} as const;

/** The messages for a submitted form: a field left unanswered or out of range gets one. */
/** The longest comment a form takes (the form schema's limit, checked here so the form comes back). */
export const COMMENT_MAX_LENGTH = 2000;

export function surveyFormErrors(values: SurveyFormValues, lang: Language): Partial<Record<SurveyField, string>> {
  const errors: Partial<Record<SurveyField, string>> = {};
  for (const field of SCORE_FIELDS) {
    if (!/^[1-5]$/.test(values[field] ?? '')) errors[field] = TEXT[lang].missingScore;
  }
  if (!/^(10|[0-9])$/.test(values.nps ?? '')) errors.nps = TEXT[lang].missingNps;
  if ((values.comment ?? '').length > COMMENT_MAX_LENGTH) errors.comment = TEXT[lang].tooLong;
  return errors;
}

function scoreGroup(
  field: ScoreField,
  legend: string,
  lang: Language,
  values: SurveyFormValues,
  error: string | undefined,
): Html {
  const labels = FORM_TEXT[lang].scale;
  return html`<fieldset id="q-${field}"${error ? html` class="invalid" aria-describedby="e-${field}"` : ''}><legend>${legend}</legend>${
    error ? html`<p class="err" id="e-${field}">${error}</p>` : ''
  }<div class="scale">${([1, 2, 3, 4, 5] as const).map(
    (n) =>
      html`<label class="opt"><input type="radio" name="${field}" value="${n}"${values[field] === String(n) ? html` checked` : ''}${
        error ? html` aria-invalid="true"` : ''
      }><b>${n}</b><span>${labels[n]}</span></label>`,
  )}</div></fieldset>`;
}

function npsGroup(lang: Language, values: SurveyFormValues, error: string | undefined): Html {
  const text = FORM_TEXT[lang];
  const described = ['nps-ends', ...(error ? ['e-nps'] : [])].join(' ');
  return html`<fieldset id="q-nps"${error ? html` class="invalid"` : ''} aria-describedby="${described}"><legend>${text.nps}</legend>${
    error ? html`<p class="err" id="e-nps">${error}</p>` : ''
  }<div class="scale nps">${Array.from(
    { length: 11 },
    (_, n) =>
      html`<label class="opt"><input type="radio" name="nps" value="${n}"${values.nps === String(n) ? html` checked` : ''}${
        error ? html` aria-invalid="true"` : ''
      }><b>${n}</b></label>`,
  )}</div><p class="ends" id="nps-ends"><span>0 = ${text.npsScale[0]}</span><span>10 = ${text.npsScale[10]}</span></p></fieldset>`;
}

/** The form; `errors` (from a submission) are shown beside their questions and summarised at the top. */
export function surveyPage(input: {
  lang: Language;
  context: SurveyContext;
  values?: SurveyFormValues;
  errors?: Partial<Record<SurveyField, string>>;
}): string {
  const { lang, context } = input;
  const values = input.values ?? {};
  const errors = input.errors ?? {};
  const text = TEXT[lang];
  const form = FORM_TEXT[lang];
  const missing = Object.keys(errors) as SurveyField[];
  const label = (field: SurveyField) =>
    field === 'overall'
      ? form.overall
      : field === 'nps'
        ? form.nps
        : field === 'comment'
          ? form.comment
          : form.dimensions[field as Dimension];
  const content = html`<h1>${text.title}</h1><p class="lead">${text.about(context)}. ${text.intro}</p>${
    missing.length
      ? html`<div class="summary" role="alert" aria-labelledby="summary-title"><h2 id="summary-title">${text.summary(missing.length)}</h2><ul>${missing.map(
          (field) => html`<li><a href="#q-${field}">${label(field)}</a></li>`,
        )}</ul></div>`
      : ''
  }<form method="post" action="?lang=${lang}">${DIMENSIONS.map((d) =>
    scoreGroup(d, form.dimensions[d], lang, values, errors[d]),
  )}${scoreGroup('overall', form.overall, lang, values, errors.overall)}${npsGroup(lang, values, errors.nps)}<div class="card"><label class="field" for="comment">${form.comment}${text.optional}</label>${
    errors.comment ? html`<p class="err" id="e-comment">${errors.comment}</p>` : ''
  }<textarea id="comment" name="comment" maxlength="${COMMENT_MAX_LENGTH}" aria-describedby="${
    errors.comment ? 'e-comment comment-hint' : 'comment-hint'
  }"${errors.comment ? html` aria-invalid="true"` : ''}>${values.comment ?? ''}</textarea><p class="hint" id="comment-hint">${text.commentHint}</p></div><button type="submit">${text.submit}</button></form>`;
  return page({
    lang,
    title: missing.length ? `${text.summary(missing.length)} – ${text.title}` : text.title,
    content,
  });
}

export function surveyThanksPage(lang: Language): string {
  const text = TEXT[lang];
  return page({
    lang,
    title: text.thanksTitle,
    content: html`<h1>${text.thanksTitle}</h1><p class="lead">${text.thanks}</p>`,
  });
}

export function surveyGonePage(lang: Language, why: 'used' | 'expired'): string {
  const text = TEXT[lang];
  const [title, body] = why === 'used' ? [text.usedTitle, text.used] : [text.expiredTitle, text.expired];
  return page({ lang, title, content: html`<h1>${title}</h1><p class="lead">${body}</p>` });
}
