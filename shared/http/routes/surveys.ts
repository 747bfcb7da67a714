import { Problem } from '../../schemas/common.js';
import {
  CreateSurveyBody,
  SubmitSurveyResponseBody,
  SurveyForm,
  SurveyFormQuery,
  SurveyInvitation,
  SurveyResponseReceipt,
  SurveyTokenParams,
} from '../../schemas/surveys.js';
import { json, type RouteDeclaration, type RouteResponse } from './route.js';

/** The contract's 410 for survey links, documented on the two public routes. */
const linkGone: RouteResponse = {
  description: 'The survey link was already used or has expired',
  schema: Problem,
  contentType: 'application/problem+json',
};

export const surveyRoutes = [
  {
    id: 'createSurvey',
    method: 'POST',
    path: '/surveys',
    capability: 'surveys',
    handler: 'create',
    auth: 'agent',
    summary:
      'Invite the customer of an interaction or complaint to a survey: a signed, single-use, expiring link. 409 when the subject already has a survey, 429 when the customer was surveyed within surveyThrottleDays (a complaint closing survey is exempt).',
    request: { body: CreateSurveyBody },
    example: { subject: { type: 'interaction', id: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV' }, channel: 'sms' },
    responses: { 201: json(SurveyInvitation, 'The invitation with its link') },
  },
  {
    id: 'getSurveyForm',
    method: 'GET',
    path: '/surveys/{token}',
    capability: 'surveys',
    handler: 'form',
    auth: 'public',
    summary: 'The survey form behind a link (no login): 404 when the link does not verify, 410 when used or expired',
    request: { params: SurveyTokenParams, query: SurveyFormQuery },
    responses: { 200: json(SurveyForm, 'The form, labelled in the customer’s language'), 410: linkGone },
    writesData: true, // records when the form was first opened, for the too-fast check
    rateLimit: { rate: 50, burst: 100 },
  },
  {
    id: 'submitSurveyResponse',
    method: 'POST',
    path: '/surveys/{token}/responses',
    capability: 'surveys',
    handler: 'respond',
    auth: 'public',
    summary: 'Answer a survey once (no login): a second submission is 410',
    request: { params: SurveyTokenParams, body: SubmitSurveyResponseBody },
    example: {
      scores: { responsiveness: 5, professionalism: 4, attitude: 5, resolution: 4, convenience: 4 },
      overall: 4,
      nps: 9,
      comment: '客服很耐心，问题当天解决了。',
    },
    responses: {
      201: json(SurveyResponseReceipt, 'The response was kept; `valid` says whether it counts in the KPIs'),
      410: linkGone,
    },
    rateLimit: { rate: 20, burst: 40 },
  },
] as const satisfies readonly RouteDeclaration[];
