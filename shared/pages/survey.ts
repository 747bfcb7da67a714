/**
 * The survey page behind `/s/{token}` (s001 dimensions, s002 questionnaire, s004 NPS): every
 * question a fieldset with a legend, every point of the 1–5 scale labelled in words, the NPS
 * question 0–10, an optional comment. A form missing an answer comes back with the message next
 * to the question and every answer kept.
 */
import { defined } from '../domain/errors.js';
import {
  type Answers,
  builtInVersion,
  checkAnswers,
  dimensionLabel,
  type PublishedQuestionnaire,
  type Question,
  questionsShown,
} from '../domain/questionnaires.js';
import { FORM_TEXT } from '../domain/surveys.js';
import type { Language } from '../schemas/customers.js';
import { DIMENSIONS } from '../schemas/vocabulary.js';
import { type Html, html, page } from './html.js';

export const SCORE_FIELDS = [...DIMENSIONS, 'overall'] as const;
export type ScoreField = (typeof SCORE_FIELDS)[number];
export type SurveyField = ScoreField | 'nps' | 'comment';

/** What the customer sent, as typed (strings), so a form that comes back shows exactly that. */
export type SurveyFormValues = Partial<Record<string, string>>;

export interface SurveyContext {
  subjectType: 'interaction' | 'complaint' | 'campaign';
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
      c.subjectType === 'campaign'
        ? '关于您近期使用我们的产品和服务的整体感受'
        : c.subjectType === 'complaint'
          ? `关于您在${dayText(c.day, 'zh')}提出的投诉的处理`
          : `关于您在${dayText(c.day, 'zh')}的${CHANNEL.zh[c.channel] ?? c.channel}服务`,
    intro: '每个问题请选择一个分数，大约需要 1 分钟。',
    missingScore: '请选择一个分数。',
    missingNps: '请选择 0 到 10 之间的一个数字。',
    tooLong: '内容太长，请缩短到 2000 字以内。',
    missingChoice: '请选择一项。',
    missingMulti: '请至少选择一项。',
    missingText: '请填写这一项。',
    introLong: (n: number) => `共 ${n} 个问题，每题选择最符合您感受的一项，大约需要 ${Math.ceil(n / 5)} 分钟。`,
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
      c.subjectType === 'campaign'
        ? 'About how you find our products and service lately'
        : c.subjectType === 'complaint'
          ? `About how we handled your complaint of ${dayText(c.day, 'en')}`
          : `About your ${CHANNEL.en[c.channel] ?? c.channel} on ${dayText(c.day, 'en')}`,
    intro: 'Please choose a score for each question. It takes about a minute.',
    missingScore: 'Please choose a score.',
    missingNps: 'Please choose a number from 0 to 10.',
    tooLong: 'This is too long: please keep it to 2,000 characters.',
    missingChoice: 'Please choose one.',
    missingMulti: 'Please choose at least one.',
    missingText: 'Please answer this question.',
    introLong: (n: number) =>
      `${n} questions: for each, choose the answer closest to how you feel. It takes about ${Math.ceil(n / 5)} minutes.`,
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

/** The longest comment a form takes (the form schema's limit, checked here so the form comes back). */
export const COMMENT_MAX_LENGTH = 2000;

/** The messages of a submitted form, per question left unanswered or out of range (checked like the JSON answers). */
export function surveyFormErrors(
  values: SurveyFormValues,
  lang: Language,
  questionnaire: PublishedQuestionnaire = defined(
    builtInVersion('service-transaction', 1),
    'the built-in questionnaire',
  ),
): Record<string, string> {
  const text = TEXT[lang];
  const errors: Record<string, string> = {};
  for (const { path, code } of checkAnswers(
    questionsShown(questionnaire.questions),
    formAnswers(values, questionnaire),
  )) {
    const id = path.slice('answers.'.length);
    const q = questionnaire.questions.find((question) => question.id === id);
    if (!q) continue;
    errors[id] =
      code === 'too_long'
        ? text.tooLong
        : q.type === 'scale'
          ? text.missingScore
          : q.type === 'nps'
            ? text.missingNps
            : q.type === 'multi'
              ? text.missingMulti
              : q.type === 'single'
                ? text.missingChoice
                : text.missingText;
  }
  return errors;
}

/** The answers a form post carries: numbers for scale and NPS, a choice id, `<id>.<choice>` boxes for multi, text. */
export function formAnswers(values: SurveyFormValues, questionnaire: PublishedQuestionnaire): Answers {
  const answers: Answers = {};
  for (const q of questionsShown(questionnaire.questions)) {
    if (q.type === 'multi') {
      const chosen = (q.choices ?? []).filter((c) => values[`${q.id}.${c.id}`] !== undefined).map((c) => c.id);
      if (chosen.length) answers[q.id] = chosen;
      continue;
    }
    const value = values[q.id];
    if (value === undefined || value === '') continue;
    answers[q.id] = (q.type === 'scale' || q.type === 'nps') && /^\d{1,2}$/.test(value) ? Number(value) : value;
  }
  return answers;
}

const invalidAttrs = (id: string, error: string | undefined) =>
  error ? html` class="invalid" aria-describedby="e-${id}"` : '';
const errorLine = (id: string, error: string | undefined) =>
  error ? html`<p class="err" id="e-${id}">${error}</p>` : '';

function scoreGroup(q: Question, lang: Language, values: SurveyFormValues, error: string | undefined): Html {
  const field = q.id;
  const labels = q.labels ?? [];
  return html`<fieldset id="q-${field}"${invalidAttrs(field, error)}><legend>${legendOf(q, lang)}</legend>${errorLine(field, error)}<div class="scale">${(
    [1, 2, 3, 4, 5] as const
  ).map(
    (n) =>
      html`<label class="opt"><input type="radio" name="${field}" value="${n}"${values[field] === String(n) ? html` checked` : ''}${
        error ? html` aria-invalid="true"` : ''
      }><b>${n}</b><span>${labels[n - 1]?.[lang] ?? ''}</span></label>`,
  )}</div></fieldset>`;
}

function npsGroup(q: Question, lang: Language, values: SurveyFormValues, error: string | undefined): Html {
  const text = FORM_TEXT[lang];
  const field = q.id;
  const described = [`${field}-ends`, ...(error ? [`e-${field}`] : [])].join(' ');
  return html`<fieldset id="q-${field}"${error ? html` class="invalid"` : ''} aria-describedby="${described}"><legend>${legendOf(q, lang)}</legend>${errorLine(field, error)}<div class="scale nps">${Array.from(
    { length: 11 },
    (_, n) =>
      html`<label class="opt"><input type="radio" name="${field}" value="${n}"${values[field] === String(n) ? html` checked` : ''}${
        error ? html` aria-invalid="true"` : ''
      }><b>${n}</b></label>`,
  )}</div><p class="ends" id="${field}-ends"><span>0 = ${text.npsScale[0]}</span><span>10 = ${text.npsScale[10]}</span></p></fieldset>`;
}

function choiceGroup(q: Question, lang: Language, values: SurveyFormValues, error: string | undefined): Html {
  const multi = q.type === 'multi';
  return html`<fieldset id="q-${q.id}"${invalidAttrs(q.id, error)}><legend>${legendOf(q, lang)}</legend>${errorLine(q.id, error)}<div class="choices">${(
    q.choices ?? []
  ).map((c) => {
    const name = multi ? `${q.id}.${c.id}` : q.id;
    const checked = multi ? values[name] !== undefined : values[q.id] === c.id;
    return html`<label class="choice"><input type="${multi ? 'checkbox' : 'radio'}" name="${name}" value="${multi ? 'on' : c.id}"${
      checked ? html` checked` : ''
    }${error ? html` aria-invalid="true"` : ''}><span>${c.text[lang]}</span></label>`;
  })}</div></fieldset>`;
}

function textCard(q: Question, lang: Language, values: SurveyFormValues, error: string | undefined): Html {
  const text = TEXT[lang];
  const id = q.id === 'comment' ? 'comment' : `q-${q.id}`;
  const described = [...(error ? [`e-${q.id}`] : []), `${id}-hint`].join(' ');
  return html`<div class="card${error ? ' invalid' : ''}"><label class="field" for="${id}">${q.text[lang]}${
    q.required ? '' : text.optional
  }</label>${errorLine(q.id, error)}<textarea id="${id}" name="${q.id}" maxlength="2000" aria-describedby="${described}"${error ? html` aria-invalid="true"` : ''}>${
    values[q.id] ?? ''
  }</textarea><p class="hint" id="${id}-hint">${text.commentHint}</p></div>`;
}

const legendOf = (q: Question, lang: Language) => (q.required ? q.text[lang] : `${q.text[lang]}${TEXT[lang].optional}`);

function questionHtml(q: Question, lang: Language, values: SurveyFormValues, error: string | undefined): Html {
  switch (q.type) {
    case 'scale':
      return scoreGroup(q, lang, values, error);
    case 'nps':
      return npsGroup(q, lang, values, error);
    case 'text':
      return textCard(q, lang, values, error);
    default:
      return choiceGroup(q, lang, values, error);
  }
}

/**
 * The questions in order; consecutive questions of one dimension that has several (s001's
 * sub-indicators) are grouped under a heading of that dimension.
 */
function questionsHtml(
  questions: readonly Question[],
  lang: Language,
  values: SurveyFormValues,
  errors: Record<string, string>,
): Html[] {
  const perDimension = new Map<string, number>();
  for (const q of questions) if (q.dimension) perDimension.set(q.dimension, (perDimension.get(q.dimension) ?? 0) + 1);
  const out: Html[] = [];
  for (let i = 0; i < questions.length; ) {
    const q = defined(questions[i], `question ${i}`);
    if (q.dimension && (perDimension.get(q.dimension) ?? 0) > 1) {
      const group: Question[] = [];
      for (let next = questions[i]; next?.dimension === q.dimension; next = questions[i]) {
        group.push(next);
        i += 1;
      }
      out.push(
        html`<section class="dimension" aria-labelledby="d-${q.dimension}"><h2 id="d-${q.dimension}">${dimensionLabel(q.dimension, lang)}</h2>${group.map(
          (member) => questionHtml(member, lang, values, errors[member.id]),
        )}</section>`,
      );
    } else {
      out.push(questionHtml(q, lang, values, errors[q.id]));
      i += 1;
    }
  }
  return out;
}

/** The form; `errors` (from a submission) are shown beside their questions and summarised at the top. */
export function surveyPage(input: {
  lang: Language;
  context: SurveyContext;
  questionnaire?: PublishedQuestionnaire;
  values?: SurveyFormValues;
  errors?: Record<string, string>;
}): string {
  const { lang, context } = input;
  const questionnaire =
    input.questionnaire ?? defined(builtInVersion('service-transaction', 1), 'the built-in questionnaire');
  const questions = questionsShown(questionnaire.questions);
  const values = input.values ?? {};
  const errors = input.errors ?? {};
  const text = TEXT[lang];
  const missing = questions.filter((q) => errors[q.id] !== undefined);
  const anchor = (q: Question) => (q.id === 'comment' && q.type === 'text' ? 'comment' : `q-${q.id}`);
  const content = html`<h1>${text.title}</h1><p class="lead">${text.about(context)}. ${
    questions.length > 10 ? text.introLong(questions.length) : text.intro
  }</p>${
    missing.length
      ? html`<div class="summary" role="alert" aria-labelledby="summary-title"><h2 id="summary-title">${text.summary(missing.length)}</h2><ul>${missing.map(
          (q) => html`<li><a href="#${anchor(q)}">${q.text[lang]}</a></li>`,
        )}</ul></div>`
      : ''
  }<form method="post" action="?lang=${lang}">${questionsHtml(questions, lang, values, errors)}<button type="submit">${text.submit}</button></form>`;
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
