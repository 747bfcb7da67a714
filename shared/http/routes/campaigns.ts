/**
 * Campaigns (contract "Campaigns (v1.2)"), served by the surveys capability (the same functions
 * that create and ask surveys): managers create, launch and cancel; supervisors read the results.
 */
import {
  Campaign,
  CampaignList,
  CampaignListQuery,
  CampaignParams,
  CampaignResults,
  CreateCampaignBody,
} from '../../schemas/campaigns.js';
import { json, type RouteDeclaration } from './route.js';

export const campaignRoutes = [
  {
    id: 'createCampaign',
    method: 'POST',
    path: '/campaigns',
    capability: 'surveys',
    handler: 'createCampaign',
    auth: 'manager',
    summary:
      'A draft campaign with its estimate (audience, eligible, sample, and why the rest are excluded). An audience too large to read inside the request (over 2,000 marker items) answers at once with `estimate.status: pending`: a job computes it (GET /campaigns/{id}). 400 a window already over or a sample larger than the audience; 409 a questionnaire that is a draft or retired, or fewer eligible customers than the sample (for a pending estimate, these two stop the launch instead)',
    request: { body: CreateCampaignBody },
    example: {
      name: '2026-11 月度 NPS 抽样 / November NPS sample',
      questionnaireId: 'relationship',
      audience: { activeBetween: { from: '2026-10-01', to: '2026-10-31' } },
      sample: { share: 0.05, stratifyBy: 'tier' },
      window: { from: '2026-11-01', to: '2026-11-05' },
      recurrence: 'monthly',
    },
    responses: { 201: json(Campaign, 'The draft, with its estimate (or `estimate.status: pending`)') },
    startsJob: 'campaignEstimate',
  },
  {
    id: 'listCampaigns',
    method: 'GET',
    path: '/campaigns',
    capability: 'surveys',
    handler: 'listCampaigns',
    auth: 'supervisor',
    summary: 'Campaigns, newest first, optionally of one status, each with its progress',
    request: { query: CampaignListQuery },
    responses: { 200: json(CampaignList, 'A page of campaigns') },
  },
  {
    id: 'getCampaign',
    method: 'GET',
    path: '/campaigns/{id}',
    capability: 'surveys',
    handler: 'getCampaign',
    auth: 'supervisor',
    summary: 'A campaign with its progress: invited, delivered, answered, valid, response rate and margin of error',
    request: { params: CampaignParams },
    responses: { 200: json(Campaign, 'The campaign') },
  },
  {
    id: 'launchCampaign',
    method: 'POST',
    path: '/campaigns/{id}/launch',
    capability: 'surveys',
    handler: 'launchCampaign',
    auth: 'manager',
    summary:
      'Launch: a job invites the sample (drawn from the campaign id) through the follow-up machinery, due from the window’s start or now. Safe to repeat (one set of invitations). 409 cancelled, window over, questionnaire retired, estimate still pending (the estimate job is started again) or its `problem` (a sample larger than the audience or the eligible customers)',
    request: { params: CampaignParams },
    responses: { 200: json(Campaign, 'The campaign, `launching` until every invitation is queued, then `running`') },
    startsJob: 'campaignLaunch',
  },
  {
    id: 'cancelCampaign',
    method: 'POST',
    path: '/campaigns/{id}/cancel',
    capability: 'surveys',
    handler: 'cancelCampaign',
    auth: 'manager',
    summary: 'Cancel: invitations and reminders not yet sent are not sent; answers already given stay',
    request: { params: CampaignParams },
    responses: { 200: json(Campaign, 'The cancelled campaign') },
  },
  {
    id: 'getCampaignResults',
    method: 'GET',
    path: '/campaigns/{id}/results',
    capability: 'surveys',
    handler: 'getCampaignResults',
    auth: 'supervisor',
    summary:
      'The satisfaction figures of the campaign’s answers, per question its distribution (count per scale point or choice), per dimension and sub-indicator its average and CSI',
    request: { params: CampaignParams },
    responses: { 200: json(CampaignResults, 'The results') },
  },
] as const satisfies readonly RouteDeclaration[];
