/**
 * Lambda entry points of the surveys capability: the invitation (agents), the two public JSON
 * link endpoints, and the survey page (`/s/{token}`), which takes the same code path.
 */

import { Gone, LinkExpired } from '../../shared/domain/errors.js';
import { apiHandler, created, ok } from '../../shared/http/api.js';
import { campaignRoutes } from '../../shared/http/routes/campaigns.js';
import { pageRoutes } from '../../shared/http/routes/pages.js';
import { questionnaireRoutes } from '../../shared/http/routes/questionnaires.js';
import { pick } from '../../shared/http/routes/route.js';
import { surveyRoutes } from '../../shared/http/routes/surveys.js';
import type { JobRequest } from '../../shared/jobs/ports.js';
import { logger } from '../../shared/observability/logger.js';
import { errorPageReply, eventLanguage } from '../../shared/pages/errors.js';
import { htmlReply, pageLanguage } from '../../shared/pages/html.js';
import {
  formAnswers,
  type SurveyFormValues,
  surveyFormErrors,
  surveyGonePage,
  surveyPage,
  surveyThanksPage,
} from '../../shared/pages/survey.js';
import { ports } from '../../shared/ports.js';
import { surveyNeeds } from '../composition.js';
import { cancelCampaign as cancel, launchCampaign as launch, runCampaignLaunch } from './campaign-launch.js';
import { campaignResults } from './campaign-results.js';
import { runCampaignWaves } from './campaign-waves.js';
import {
  createCampaign as create_,
  listCampaigns as listAllCampaigns,
  readCampaign,
  runCampaignEstimate,
} from './campaigns.js';
import {
  listQuestionnaires as listAll,
  createQuestionnaire as openQuestionnaireDraft,
  publishQuestionnaire as publish,
  type QuestionnaireReply,
  readClaimedQuestionnaire,
  readQuestionnaire,
  retireQuestionnaire as retire,
  saveQuestionnaireDraft,
} from './questionnaires.js';
import { inviteToSurvey, openSurveyPage, readInvitation, readSurveyForm, submitSurveyResponse } from './service.js';

/** A questionnaire version with its ETag (a draft's revision, for If-Match). */
const withEtag = (status: number, { questionnaire, etag }: QuestionnaireReply) => ({
  status,
  body: questionnaire,
  headers: { etag },
});

export const listQuestionnaires = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(questionnaireRoutes, 'listQuestionnaires'),
  async () => ok(await listAll()),
);

export const getQuestionnaire = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(questionnaireRoutes, 'getQuestionnaire'),
  async ({ params, query }) => withEtag(200, await readQuestionnaire(params.id, query.version)),
);

export const createQuestionnaire = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(questionnaireRoutes, 'createQuestionnaire'),
  async ({ body, actor, now, clientRequest }) =>
    withEtag(201, await openQuestionnaireDraft(body, actor, now, clientRequest)),
  // Idempotency inside the write: the claim names the version opened; a retry answers it as it is now.
  { inWrite: true, replay: async (ref) => withEtag(201, await readClaimedQuestionnaire(ref)) },
);

export const putQuestionnaireDraft = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(questionnaireRoutes, 'putQuestionnaireDraft'),
  async ({ params, body, ifMatch, actor, now }) =>
    withEtag(200, await saveQuestionnaireDraft(params.id, body, ifMatch, actor, now)),
);

export const publishQuestionnaire = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(questionnaireRoutes, 'publishQuestionnaire'),
  async ({ params, actor, now, clientRequest }) => withEtag(200, await publish(params.id, actor, now, clientRequest)),
  // The claim names the version published: a retry after the draft is gone answers that version.
  { inWrite: true, replay: async (ref) => withEtag(200, await readClaimedQuestionnaire(ref)) },
);

export const retireQuestionnaire = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(questionnaireRoutes, 'retireQuestionnaire'),
  async ({ params, actor, now, clientRequest }) => withEtag(200, await retire(params.id, actor, now, clientRequest)),
  { inWrite: true, replay: async (id) => withEtag(200, await readClaimedQuestionnaire(id)) },
);

export const create = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(surveyRoutes, 'createSurvey'),
  async ({ body, actor, now, clientRequest }) => created(await inviteToSurvey(body, actor, now, {}, clientRequest)),
  // Idempotency inside the write: the claim is stored with the survey; a retry answers the invitation again.
  { inWrite: true, replay: async (id) => created(await readInvitation(id)) },
);

export const form = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(surveyRoutes, 'getSurveyForm'),
  async ({ params, query, now }) => ok(await readSurveyForm(params.token, now, query.lang)),
);

export const respond = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(surveyRoutes, 'submitSurveyResponse'),
  async ({ params, body, now }) => created(await submitSurveyResponse(params.token, body, now, surveyNeeds)),
);

/** Used or expired links get a page that says which; anything else a page for its status. */
const surveyErrorPage = (error: unknown, event: Parameters<typeof eventLanguage>[0]) => {
  const lang = eventLanguage(event);
  if (error instanceof Gone)
    return htmlReply(410, surveyGonePage(lang, error instanceof LinkExpired ? 'expired' : 'used'));
  return errorPageReply(error, lang);
};

export const page = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(pageRoutes, 'surveyPage'),
  async ({ params, query, now }) => {
    const opened = await openSurveyPage(params.token, now);
    const lang = pageLanguage(query.lang, opened.language);
    return htmlReply(200, surveyPage({ lang, context: opened, questionnaire: opened.questionnaire }));
  },
  { errorReply: surveyErrorPage },
);

export const pageAnswer = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(pageRoutes, 'surveyPageAnswer'),
  async ({ params, query, body, now }) => {
    const opened = await openSurveyPage(params.token, now); // 404/410 before anything else
    const lang = pageLanguage(query.lang, opened.language);
    const values: SurveyFormValues = body;
    // Every rule of the form is checked here (answers, 0–10, text length), so a field that broke
    // it comes back in the form (422) with the answers kept.
    const { questionnaire } = opened;
    const errors = surveyFormErrors(values, lang, questionnaire);
    if (Object.keys(errors).length)
      return htmlReply(422, surveyPage({ lang, context: opened, questionnaire, values, errors }));
    await submitSurveyResponse(params.token, { answers: formAnswers(values, questionnaire) }, now, surveyNeeds);
    return htmlReply(200, surveyThanksPage(lang));
  },
  { errorReply: surveyErrorPage },
);

/** Idempotency inside the write of a launch or cancel: a retry answers the campaign as it is now. */
const rereadCampaign = { inWrite: true, replay: async (id: string) => ok(await readCampaign(id)) };

export const createCampaign = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(campaignRoutes, 'createCampaign'),
  async ({ body, actor, now, clientRequest }) => created(await create_(body, actor, now, clientRequest)),
  // Idempotency inside the write: the claim is stored with the draft; a retry answers the campaign as it is now.
  { inWrite: true, replay: async (id) => created(await readCampaign(id)) },
);

export const listCampaigns = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(campaignRoutes, 'listCampaigns'),
  async ({ query }) => ok(await listAllCampaigns(query)),
);

export const getCampaign = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(campaignRoutes, 'getCampaign'),
  async ({ params }) => ok(await readCampaign(params.id)),
);

export const launchCampaign = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(campaignRoutes, 'launchCampaign'),
  async ({ params, actor, now, clientRequest }) => ok(await launch(params.id, actor, now, clientRequest)),
  rereadCampaign,
);

export const cancelCampaign = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(campaignRoutes, 'cancelCampaign'),
  async ({ params, now, clientRequest }) => ok(await cancel(params.id, now, clientRequest)),
  rereadCampaign,
);

export const getCampaignResults = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(campaignRoutes, 'getCampaignResults'),
  async ({ params }) => ok(await campaignResults(params.id)),
);

/** The estimate job (shared/jobs): a draft whose audience was too large to read in the request; safe to run again. */
export async function campaignEstimateJob(job: JobRequest): Promise<void> {
  if (job.kind !== 'campaignEstimate') throw new Error(`campaignEstimateJob got a ${job.kind} job`);
  await runCampaignEstimate(job.campaignId, ports().clock.now());
}

/** The launch job (shared/jobs): this function invoking itself in AWS, in-process locally; safe to run again. */
export async function campaignLaunchJob(job: JobRequest): Promise<void> {
  if (job.kind !== 'campaignLaunch') throw new Error(`campaignLaunchJob got a ${job.kind} job`);
  await runCampaignLaunch(job.campaignId, ports().clock.now());
}

/** EventBridge Scheduler target, hourly: finished windows close, recurring campaigns launch their next wave. Safe to run twice. */
export async function scheduledCampaignWaves() {
  const run = await runCampaignWaves(ports().clock.now());
  logger.info('campaign waves run', {
    finished: run.finished.length,
    waves: run.waves.length,
    launched: run.launched.length,
    estimates: run.estimates.length,
  });
  return run;
}
