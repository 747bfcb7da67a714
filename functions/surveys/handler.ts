/** Lambda entry points of the surveys capability: the invitation (agents) and the two public link endpoints. */
import { apiHandler, created, ok } from '../../shared/http/api.js';
import { pick } from '../../shared/http/routes/route.js';
import { surveyRoutes } from '../../shared/http/routes/surveys.js';
import { inviteToSurvey, readSurveyForm, submitSurveyResponse } from './service.js';

export const create = apiHandler(pick(surveyRoutes, 'createSurvey'), async ({ body, actor, now }) =>
  created(await inviteToSurvey(body, actor, now)),
);

export const form = apiHandler(pick(surveyRoutes, 'getSurveyForm'), async ({ params, query, now }) =>
  ok(await readSurveyForm(params.token, now, query.lang)),
);

export const respond = apiHandler(pick(surveyRoutes, 'submitSurveyResponse'), async ({ params, body, now }) =>
  created(await submitSurveyResponse(params.token, body, now)),
);
