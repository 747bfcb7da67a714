/**
 * Campaigns (contract "Campaigns (v1.2)"): one questionnaire asked of a sampled audience within a
 * window. The request body is checked here, each failure a 400 naming its field; rules that need
 * stored state or the clock (a window already over, a draft questionnaire) are the service's.
 */
import { DateString, Id, PageQuery, pageOf, TeamId, Timestamp } from './common.js';
import { CustomerTypeInline, Segment, Tier } from './customers.js';
import { describeEnum } from './describe.js';
import { QuestionnaireId, QuestionnaireRef } from './questionnaires.js';
import { z } from './zod.js';

export const CampaignStatus = /* @__PURE__ */ z
  .enum(['draft', 'launching', 'running', 'finished', 'cancelled'])
  .openapi('CampaignStatus', {
    description:
      'draft (estimated, not launched) → launching (the job invites the sample) → running (invited; answers come in until the window closes) → finished; cancelled stops what has not been sent',
  });
export type CampaignStatus = z.infer<typeof CampaignStatus>;
export const campaignStatusText = /* @__PURE__ */ describeEnum(CampaignStatus, {
  draft: 'Created with its estimate, not launched yet (POST …/launch starts it)',
  launching: 'POST …/launch was accepted: a job draws the sample and makes the invitations due',
  running:
    'The sample is invited: the follow-up job sends invitations and reminders; answers come in until the window closes',
  finished: 'The window closed; a recurring campaign’s next wave is a new campaign',
  cancelled: 'Cancelled: what had not been sent is not sent',
});

const Recurrence = /* @__PURE__ */ z.enum(['monthly', 'quarterly']);
export const recurrenceText = /* @__PURE__ */ describeEnum(Recurrence, {
  monthly: 'Once its month begins, the next wave launches itself: the window and audience dates move one month',
  quarterly: 'Once its quarter begins, the next wave launches itself: the window and audience dates move three months',
});

const StratifyBy = /* @__PURE__ */ z.enum(['tier', 'segment', 'team', 'channel']);
export const stratifyByText = /* @__PURE__ */ describeEnum(StratifyBy, {
  tier: 'Strata by the customer’s tier (silver, gold, diamond, none)',
  segment: 'Strata by the customer’s first segment label',
  team: 'Strata by the team that served the customer in the period',
  channel: 'Strata by the channel the customer came in on in the period',
});

const DateRange = (what: string) =>
  z
    .strictObject({ from: DateString, to: DateString })
    .refine((r) => r.from <= r.to, {
      message: 'from must not be after to',
      path: ['from'],
      params: { code: 'not_ordered' },
    })
    .openapi({ description: `${what}: local dates (settings timezone), inclusive` });

export const CampaignAudience = /* @__PURE__ */ z
  .strictObject({
    activeBetween: DateRange('Customers with a contact or complaint on one of these days').optional(),
    complainedBetween: DateRange('Customers who complained on one of these days').optional(),
    segment: Segment.optional().openapi({
      description: 'Members of a segment list (GET /customers/segments)',
    }),
    tier: Tier.optional(),
    team: TeamId.optional().openapi({
      description: 'Served by this team in the period (activeBetween / complainedBetween)',
    }),
    customerType: CustomerTypeInline.optional().openapi({
      description: 'The profile’s customer type (as the relationship questionnaire asks it)',
    }),
  })
  .refine((a) => a.activeBetween || a.complainedBetween || a.segment, {
    message: 'name activeBetween, complainedBetween or segment: an audience is found through them',
    path: ['activeBetween'],
    params: { code: 'required' },
  })
  .refine((a) => !a.team || a.activeBetween || a.complainedBetween, {
    message: 'team needs activeBetween or complainedBetween (the team that served them then)',
    path: ['team'],
    params: { code: 'invalid' },
  })
  .openapi('CampaignAudience');
export type CampaignAudience = z.infer<typeof CampaignAudience>;

export const CampaignSample = /* @__PURE__ */ z
  .strictObject({
    share: z.number().gt(0).max(1).optional().openapi({ description: 'Share of the audience, 0–1 (s004: ≥ 0.05)' }),
    size: z.number().int().min(1).max(1_000_000).optional(),
    stratifyBy: StratifyBy.optional().openapi({
      description: 'Each stratum gets its proportional share of the sample (largest remainder)',
    }),
  })
  .refine((s) => !(s.share !== undefined && s.size !== undefined), {
    message: 'give share or size, not both',
    path: ['size'],
    params: { code: 'invalid' },
  })
  .openapi('CampaignSample');

export const CreateCampaignBody = /* @__PURE__ */ z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    questionnaireId: QuestionnaireId,
    audience: CampaignAudience,
    sample: CampaignSample.optional(),
    window: DateRange('When invitations and reminders go out; the links work until its last day'),
    recurrence: Recurrence.optional(),
  })
  .openapi('CreateCampaignBody');
export type CreateCampaignBody = z.infer<typeof CreateCampaignBody>;

const EstimateStatus = /* @__PURE__ */ z.enum(['pending', 'ready']);
export const estimateStatusText = /* @__PURE__ */ describeEnum(EstimateStatus, {
  pending:
    'The audience was too large to read inside the request: a job is computing the estimate (GET /campaigns/{id} shows it once ready; launch answers 409 until then)',
  ready: 'Computed: the figures below stand (a `problem` names what stops the launch)',
});

const EstimateProblem = /* @__PURE__ */ z.enum(['sample_over_audience', 'sample_over_eligible']);
export const estimateProblemText = /* @__PURE__ */ describeEnum(EstimateProblem, {
  sample_over_audience: 'The sample size is larger than the audience',
  sample_over_eligible:
    'The sample is larger than the customers who can be invited (throttled, no consent, no contact)',
});

export const CampaignEstimate = /* @__PURE__ */ z
  .object({
    status: EstimateStatus,
    audience: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Customers the audience names (N of the margin of error); null while pending' }),
    eligible: z.number().int().nullable().openapi({
      description:
        'Reachable and not throttled: exact when `examined` = audience, else the audience × the eligible share of those examined; null while pending (or when the sample is larger than the audience)',
    }),
    sample: z.number().int().nullable().openapi({ description: 'Customers to invite; null while pending' }),
    examined: z.number().int().openapi({ description: 'Customers whose profile was read to draw the sample' }),
    excluded: z
      .object({ throttled: z.number().int(), noConsent: z.number().int(), noContact: z.number().int() })
      .nullable()
      .openapi({ description: 'Of those examined, why they cannot be invited; null while pending' }),
    problem: z.object({ code: EstimateProblem, detail: z.string() }).optional().openapi({
      description:
        'Why the campaign cannot be launched as it stands (found by the estimate job; a small audience answers 400/409 at creation instead): launch answers 409 with `detail`',
    }),
    readyAt: Timestamp.optional().openapi({
      description: 'When the estimate job finished (absent when the request computed it)',
    }),
  })
  .openapi('CampaignEstimate');
export type CampaignEstimate = z.infer<typeof CampaignEstimate>;

export const CampaignProgress = /* @__PURE__ */ z
  .object({
    invited: z.number().int(),
    delivered: z.number().int(),
    answered: z.number().int(),
    valid: z.number().int(),
    responseRate: z.number().min(0).max(1).nullable().openapi({ description: 'answered ÷ invited (s004: ≥ 15 %)' }),
    marginOfError: z.number().min(0).nullable().openapi({
      description: '1.96 · √(0.25 / n · (N − n) / (N − 1)), n valid answers, N the audience (s000: ≤ 5 %)',
    }),
  })
  .openapi('CampaignProgress');

export const Campaign = /* @__PURE__ */ z
  .object({
    id: Id,
    name: z.string(),
    questionnaire: QuestionnaireRef,
    audience: CampaignAudience,
    sample: CampaignSample.optional(),
    window: z.object({ from: DateString, to: DateString }),
    recurrence: Recurrence.optional(),
    status: CampaignStatus,
    estimate: CampaignEstimate,
    progress: CampaignProgress,
    createdAt: Timestamp,
    createdBy: z.string(),
    launchedAt: Timestamp.optional(),
    cancelledAt: Timestamp.optional().openapi({
      description:
        'When it was cancelled; on a finished wave of a recurring campaign, when its future waves were stopped',
    }),
    previousWave: Id.optional().openapi({ description: 'A recurring campaign: the wave this one follows' }),
    nextWave: Id.optional().openapi({
      description: 'A recurring campaign: the wave launched when the next period began (the wave job, hourly)',
    }),
    wave: z.number().int().min(1).optional().openapi({
      description: 'A recurring campaign: this wave’s number, 1 the campaign as created, one more per period',
    }),
  })
  .openapi('Campaign');
export type Campaign = z.infer<typeof Campaign>;

export const CampaignParams = /* @__PURE__ */ z.strictObject({ id: Id });
export const CampaignListQuery = /* @__PURE__ */ PageQuery.extend({ status: CampaignStatus.optional() });
export const CampaignList = /* @__PURE__ */ pageOf(Campaign, 'CampaignList');

const Distribution = /* @__PURE__ */ z
  .object({
    questionId: z.string(),
    type: z.string(),
    answered: z.number().int(),
    counts: z
      .record(z.string(), z.number().int())
      .openapi({ description: 'Per scale point (1–5), NPS point (0–10) or choice id' }),
  })
  .openapi('QuestionDistribution');

const DimensionResult = /* @__PURE__ */ z.object({
  average: z.number().nullable(),
  satisfiedShare: z.number().nullable(),
  n: z.number().int(),
  csi: z.number().nullable().openapi({ description: 'Score 0–10: (average − 1) ÷ 4 × 10' }),
});

export const CampaignResults = /* @__PURE__ */ z
  .object({
    campaignId: Id,
    questionnaire: QuestionnaireRef,
    progress: CampaignProgress,
    satisfaction: z.object({
      responses: z.number().int(),
      validResponses: z.number().int(),
      csat: z.number().nullable(),
      satisfiedShare: z.number().nullable(),
      csi: z.number().nullable(),
    }),
    nps: z.object({
      score: z.number().nullable(),
      promoters: z.number().int(),
      passives: z.number().int(),
      detractors: z.number().int(),
    }),
    questions: z.array(Distribution),
    dimensions: z.record(z.string(), DimensionResult),
    subIndicators: z.record(z.string(), DimensionResult),
  })
  .openapi('CampaignResults');
export type CampaignResults = z.infer<typeof CampaignResults>;
