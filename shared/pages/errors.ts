/** The pages for what went wrong: an unknown link (404), too many submissions (429), a bad form, our own failure. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { CareLoopError, TooManyRequests } from '../domain/errors.js';
import type { Reply } from '../http/api.js';
import { header } from '../http/request.js';
import type { Language } from '../schemas/customers.js';
import { html, htmlReply, page, pageLanguage } from './html.js';

const TEXT = {
  zh: {
    404: ['找不到这个页面', '链接可能不完整或已失效。请检查短信或邮件中的链接是否完整复制。'],
    429: ['提交太频繁了', '请稍等几分钟再试。感谢您的耐心。'],
    400: ['无法处理这次提交', '请返回上一页重新填写后再提交。'],
    500: ['出了点问题', '这不是您的错。我们已记录此问题，请稍后再试。'],
  },
  en: {
    404: [
      'We could not find this page',
      'The link may be incomplete or no longer valid. Please check that the whole link from your message was copied.',
    ],
    429: ['Too many submissions', 'Please wait a few minutes and try again. Thank you for your patience.'],
    400: ['We could not process this submission', 'Please go back, check the form and send it again.'],
    500: ['Something went wrong', 'This is not your fault. We have logged the problem; please try again later.'],
  },
} as const;

export function errorPage(lang: Language, kind: 404 | 429 | 400 | 500): string {
  const [title, body] = TEXT[lang][kind];
  return page({ lang, title, content: html`<h1>${title}</h1><p class="lead">${body}</p>` });
}

/** The language of an error page: `?lang=`, else the browser's. */
export const eventLanguage = (event: APIGatewayProxyEvent): Language =>
  pageLanguage(event.queryStringParameters?.lang, undefined, header(event, 'accept-language'));

/** Any error as a page for people (404 stays 404, a refused form 400, throttling 429, anything else 500). */
export function errorPageReply(error: unknown, lang: Language): Reply {
  if (error instanceof TooManyRequests) {
    const reply = htmlReply(429, errorPage(lang, 429));
    return { ...reply, headers: { ...reply.headers, 'retry-after': '600' } };
  }
  if (error instanceof CareLoopError) {
    if (error.status === 404) return htmlReply(404, errorPage(lang, 404));
    if (error.status < 500) return htmlReply(error.status, errorPage(lang, 400));
  }
  return htmlReply(500, errorPage(lang, 500));
}
