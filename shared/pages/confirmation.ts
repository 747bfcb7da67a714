/**
 * The confirmation page behind `/c/{token}` (s003 客户确认): "did this solve your problem?" with
 * the proposed solution, answered with one of two buttons and an optional comment.
 */
import type { Language } from '../schemas/customers.js';
import { html, page } from './html.js';
import { dayText } from './survey.js';

const TEXT = {
  zh: {
    title: '您的问题解决了吗？',
    about: (day: string) => `关于您在${dayText(day, 'zh')}提出的投诉。我们提出的解决方案是：`,
    noSolution: '我们已处理完您的投诉。',
    comment: '还有什么想告诉我们的吗？（选填）',
    yes: '是的，问题已解决',
    no: '没有，问题还没解决',
    missing: '请选择“已解决”或“还没解决”。',
    tooLong: '内容太长，请缩短到 2000 字以内。',
    yesTitle: '感谢您的确认！',
    yesBody: '很高兴问题已经解决。感谢您给我们改进的机会。',
    noTitle: '我们会继续处理',
    noBody: '您的投诉已重新打开，负责人会尽快与您联系。',
    usedTitle: '这个问题已经回答过了',
    used: '感谢您！每个确认链接只能回答一次。',
    expiredTitle: '这个确认链接已过期',
    expired: '如问题仍未解决，请随时联系我们的客服。',
  },
  en: {
    title: 'Did this solve your problem?',
    about: (day: string) => `About the complaint you made on ${dayText(day, 'en')}. The solution we proposed:`,
    noSolution: 'We have finished working on your complaint.',
    comment: 'Anything else you would like to tell us? (optional)',
    yes: 'Yes, it is solved',
    no: 'No, it is not solved',
    missing: 'Please choose “solved” or “not solved”.',
    tooLong: 'This is too long: please keep it to 2,000 characters.',
    yesTitle: 'Thank you for confirming!',
    yesBody: 'We are glad the problem is solved. Thank you for giving us the chance to put it right.',
    noTitle: 'We will keep working on it',
    noBody: 'Your complaint has been reopened; the person in charge will contact you soon.',
    usedTitle: 'This question has already been answered',
    used: 'Thank you! Each confirmation link can be answered once.',
    expiredTitle: 'This confirmation link has expired',
    expired: 'If the problem is not solved, please contact our service team at any time.',
  },
} as const;

export function confirmationPage(input: {
  lang: Language;
  day: string;
  solution?: string | undefined;
  comment?: string | undefined;
  missing?: boolean;
  /** The comment is over its 2,000 characters: the form comes back with it, saying so. */
  tooLong?: boolean;
}): string {
  const text = TEXT[input.lang];
  const content = html`<h1>${text.title}</h1>${
    input.solution
      ? html`<p class="lead">${text.about(input.day)}</p><blockquote>${input.solution}</blockquote>`
      : html`<p class="lead">${text.noSolution}</p>`
  }${input.missing ? html`<div class="summary" role="alert"><p class="err" id="e-answer">${text.missing}</p></div>` : ''}<form method="post" action="?lang=${input.lang}"><div class="card"><label class="field" for="comment">${text.comment}</label>${
    input.tooLong ? html`<p class="err" id="e-comment" role="alert">${text.tooLong}</p>` : ''
  }<textarea id="comment" name="comment" maxlength="2000"${
    input.tooLong ? html` aria-invalid="true" aria-describedby="e-comment"` : ''
  }>${input.comment ?? ''}</textarea></div><div class="actions"><button type="submit" name="answer" value="yes">${text.yes}</button><button type="submit" name="answer" value="no" class="secondary">${text.no}</button></div></form>`;
  return page({ lang: input.lang, title: text.title, content });
}

export function confirmationDonePage(lang: Language, answer: 'yes' | 'no'): string {
  const text = TEXT[lang];
  const [title, body] = answer === 'yes' ? [text.yesTitle, text.yesBody] : [text.noTitle, text.noBody];
  return page({ lang, title, content: html`<h1>${title}</h1><p class="lead">${body}</p>` });
}

export function confirmationGonePage(lang: Language, why: 'used' | 'expired'): string {
  const text = TEXT[lang];
  const [title, body] = why === 'used' ? [text.usedTitle, text.used] : [text.expiredTitle, text.expired];
  return page({ lang, title, content: html`<h1>${title}</h1><p class="lead">${body}</p>` });
}
