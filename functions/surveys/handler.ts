/**
 * Lambda entry points of the surveys capability: the invitation (agents), the two public JSON
 * link endpoints, and the survey page (`/s/{token}`), which takes the same code path.
 */

import { Gone, LinkExpired } from '../../shared/domain/errors.js';
import { apiHandler, created, ok } from '../../shared/http/api.js';
import { pageRoutes } from '../../shared/http/routes/pages.js';
import { pick } from '../../shared/http/routes/route.js';
import { surveyRoutes } from '../../shared/http/routes/surveys.js';
import { errorPageReply, eventLanguage } from '../../shared/pages/errors.js';
import { htmlReply, pageLanguage } from '../../shared/pages/html.js';
import {
  type SCORE_FIELDS,
  type SurveyFormValues,
  surveyFormErrors,
  surveyGonePage,
  surveyPage,
  surveyThanksPage,
} from '../../shared/pages/survey.js';
import { surveyNeeds } from '../composition.js';
import { inviteToSurvey, openSurveyPage, readSurveyForm, submitSurveyResponse } from './service.js';

export const create = apiHandler(pick(surveyRoutes, 'createSurvey'), async ({ body, actor, now, idempotencyKey }) =>
  created(
    await inviteToSurvey(
      body,
      actor,
      now,
      {},
      {},
      idempotencyKey ? { route: 'createSurvey', caller: actor.id, key: idempotencyKey } : undefined,
    ),
  ),
);

export const form = apiHandler(pick(surveyRoutes, 'getSurveyForm'), async ({ params, query, now }) =>
  ok(await readSurveyForm(params.token, now, query.lang)),
);

export const respond = apiHandler(pick(surveyRoutes, 'submitSurveyResponse'), async ({ params, body, now }) =>
  created(await submitSurveyResponse(params.token, body, now, surveyNeeds)),
);

/** Used or expired links get a page that says which; anything else a page for its status. */
const surveyErrorPage = (error: unknown, event: Parameters<typeof eventLanguage>[0]) => {
  const lang = eventLanguage(event);
  if (error instanceof Gone)
    return htmlReply(410, surveyGonePage(lang, error instanceof LinkExpired ? 'expired' : 'used'));
  return errorPageReply(error, lang);
};

export const page = apiHandler(
  pick(pageRoutes, 'surveyPage'),
  async ({ params, query, now }) => {
    const opened = await openSurveyPage(params.token, now);
    const lang = pageLanguage(query.lang, opened.language);
    return htmlReply(200, surveyPage({ lang, context: opened }));
  },
  { errorReply: surveyErrorPage },
);

export const pageAnswer = apiHandler(
  pick(pageRoutes, 'surveyPageAnswer'),
  async ({ params, query, body, now }) => {
    const opened = await openSurveyPage(params.token, now); // 404/410 before anything else
    const lang = pageLanguage(query.lang, opened.language);
    const values: SurveyFormValues = body;
    // Every rule of the form schema is checked here too (scores, 0–10, comment length), so a field
    // that broke it comes back in the form (422) with the answers kept.
    const errors = surveyFormErrors(values, lang);
    if (Object.keys(errors).length) return htmlReply(422, surveyPage({ lang, context: opened, values, errors }));
    const score = (field: (typeof SCORE_FIELDS)[number]) => Number(values[field]);
    await submitSurveyResponse(
      params.token,
      {
        scores: {
          responsiveness: score('responsiveness'),
          professionalism: score('professionalism'),
          attitude: score('attitude'),
          resolution: score('resolution'),
          convenience: score('convenience'),
        },
        overall: score('overall'),
        nps: Number(values.nps),
        ...(values.comment?.trim() ? { comment: values.comment } : {}),
      },
      now,
      surveyNeeds,
    );
    return htmlReply(200, surveyThanksPage(lang));
  },
  { errorReply: surveyErrorPage },
);
