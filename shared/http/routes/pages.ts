/**
 * The pages for customers (contract: "Pages for customers"), served by the API itself as HTML:
 * public, usable without JavaScript, their forms posted as `application/x-www-form-urlencoded`.
 * Each is served by the capability whose use case it shows (the survey page by surveys, the same
 * code path as the JSON survey routes), so the route machinery, auth, validation and the Lambda
 * layout are the ones every route has. Their errors are pages too, never problem+json.
 */
import { z } from '../../schemas/zod.js';
import type { RouteDeclaration, RouteResponse } from './route.js';

const page = (description: string): RouteResponse => ({
  description,
  schema: z.string().openapi({ description: 'An HTML page' }),
  contentType: 'text/html',
});

/** Tokens are checked by signature, not by shape: anything that does not verify is the 404 page. */
const TokenParams = z.object({ token: z.string().min(1) });
const PageQuery = z.object({
  lang: z
    .string()
    .optional()
    .openapi({ description: "`zh` or `en`: the page in this language instead of the customer's" }),
});
const Score = z.string().max(8).optional();

export const SurveyPageForm = z
  .object({
    responsiveness: Score,
    professionalism: Score,
    attitude: Score,
    resolution: Score,
    convenience: Score,
    overall: Score.openapi({ description: '1–5' }),
    nps: Score.openapi({ description: '0–10' }),
    comment: z.string().max(2000).optional(),
  })
  .catchall(z.string().max(2000))
  .openapi('SurveyPageForm', {
    description:
      'One field per question id of the survey’s questionnaire (a multi question: one box `<questionId>.<choiceId>` per choice); the v1.1 fields are service-transaction’s',
  });

export const ConfirmationPageForm = z
  .object({
    answer: z
      .string()
      .max(8)
      .optional()
      .openapi({ description: '`yes` (solved: confirm) or `no` (not solved: reopen)' }),
    comment: z.string().max(2000).optional(),
  })
  .openapi('ConfirmationPageForm');

export const SuggestionBoardForm = z
  .object({
    text: z.string().min(1).max(4000).openapi({ description: 'The suggestion; published with personal data masked' }),
    contact: z.string().max(200).optional().openapi({ description: 'Optional phone or email; never published' }),
  })
  .openapi('SuggestionBoardForm');

const used = page('The link was already used or has expired (a page that says which)');
const unknown = page('The link does not verify (a not-found page)');

export const pageRoutes = [
  {
    id: 'surveyPage',
    method: 'GET',
    path: '/s/{token}',
    capability: 'surveys',
    handler: 'page',
    auth: 'public',
    summary: 'The survey as a web page, in the customer’s language; opening it counts as opening the form',
    request: { params: TokenParams, query: PageQuery },
    responses: { 200: page('The survey form'), 404: unknown, 410: used },
    writesData: true, // records when the form was first opened, for the too-fast check
    rateLimit: { rate: 50, burst: 100 },
  },
  {
    id: 'surveyPageAnswer',
    method: 'POST',
    path: '/s/{token}',
    capability: 'surveys',
    handler: 'pageAnswer',
    auth: 'public',
    summary: 'Answer the survey from its page: a thank-you page, or the form again with messages and the answers kept',
    request: { params: TokenParams, query: PageQuery, form: SurveyPageForm },
    responses: {
      200: page('Thank you'),
      404: unknown,
      410: used,
      415: page('Not sent as a form: a page asking to answer through the form'),
      422: page('The form again, each missing answer marked, every answer kept'),
    },
    formErrorsAsPage: true,
    rateLimit: { rate: 20, burst: 40 },
  },
  {
    id: 'confirmationPage',
    method: 'GET',
    path: '/c/{token}',
    capability: 'complaints',
    handler: 'confirmationPage',
    auth: 'public',
    summary: '“Did this solve your problem?” for a resolved complaint, with the proposed solution',
    request: { params: TokenParams, query: PageQuery },
    responses: { 200: page('The question, with the solution'), 404: unknown, 410: used },
    rateLimit: { rate: 20, burst: 40 },
  },
  {
    id: 'confirmationAnswer',
    method: 'POST',
    path: '/c/{token}',
    capability: 'complaints',
    handler: 'confirmationAnswer',
    auth: 'public',
    summary: 'The customer’s answer: `yes` records confirm (satisfied), `no` reopens; both by actor `customer`; once',
    request: { params: TokenParams, query: PageQuery, form: ConfirmationPageForm },
    responses: {
      200: page('Thank you (and, for no, what happens next)'),
      404: unknown,
      410: used,
      415: page('Not sent as a form: a page asking to answer through the form'),
      422: page('The question again, asking for an answer'),
    },
    formErrorsAsPage: true,
    rateLimit: { rate: 10, burst: 20 },
  },
  {
    id: 'suggestionBoard',
    method: 'GET',
    path: '/suggestions/board',
    capability: 'improvements',
    handler: 'board',
    auth: 'public',
    summary: 'Published suggestions and their progress (personal data masked), with a form to suggest something',
    request: { query: PageQuery },
    responses: { 200: page('The board'), 400: page('A link with a bad query: a page saying so') },
    rateLimit: { rate: 10, burst: 20 },
  },
  {
    id: 'suggestionBoardSubmit',
    method: 'POST',
    path: '/suggestions/board',
    capability: 'improvements',
    handler: 'boardSubmit',
    auth: 'public',
    summary: 'Suggest something from the board: a thank-you page; 429 page when one address sends too many',
    request: { query: PageQuery, form: SuggestionBoardForm },
    responses: {
      200: page('Thank you'),
      415: page('Not sent as a form: a page asking to use the form'),
      422: page('The form again, asking for the text'),
      429: page('Too many suggestions from this address; try later'),
    },
    formErrorsAsPage: true,
    rateLimit: { rate: 2, burst: 5 },
  },
] as const satisfies readonly RouteDeclaration[];
