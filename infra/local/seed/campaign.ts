/**
 * The demo's finished campaign: last quarter's relationship survey (s002/s004 深度调研), created,
 * estimated and launched by a manager five weeks ago, its window closed three weeks ago. Built
 * in memory the way the campaign use cases would have built it, and loaded in bulk with the rest:
 *
 * - the audience is the customers active (a contact) between the first day of the data set (or
 *   91 days before the window, if later) and the day before the window, as the audience markers
 *   say; the draw is `drawOrder` of the campaign id, and each customer drawn is judged by
 *   `exclusionOf` (consent, address, throttle window) exactly as the estimate and the launch job
 *   judge them, against the throttle windows the customer's own surveys left at that time
 *   (./surveys.ts interleaves the campaign's invitations with the follow-up surveys);
 * - the estimate walks whole chunks of WALK_CHUNK as `createCampaign` does, the launch walk stops
 *   at the sample as `runCampaignLaunch` does (an invitation refused by the store's throttle
 *   condition counts as throttled);
 * - its invitations and answers are loaded by `loadSurvey` (newInvitation with the campaign's
 *   deterministic survey ids and window, delivered at 09:00 on the window's first day as the
 *   follow-up job sends them outside quiet hours, answers through `newResponse`), so the campaign's
 *   cell holds what progress and results read.
 */
import { exclusionOf, WALK_CHUNK } from '../../../functions/surveys/campaign-audience.js';
import { campaignSurveyId, drawOrder } from '../../../shared/domain/campaigns.js';
import { CAMPAIGN_CHANNEL } from '../../../shared/domain/metrics.js';
import { RELATIONSHIP } from '../../../shared/domain/questionnaires.js';
import { addDays, localDate, startOfLocalDay } from '../../../shared/domain/time.js';
import type { CampaignEstimate } from '../../../shared/schemas/campaigns.js';
import type { PutCustomerBody } from '../../../shared/schemas/customers.js';
import type { Settings } from '../../../shared/schemas/settings.js';
import type { SubmitSurveyResponseBody } from '../../../shared/schemas/surveys.js';
import { DIMENSIONS, type Dimension } from '../../../shared/schemas/vocabulary.js';
import type { CampaignRecord, CampaignWalk } from '../../../shared/store/campaigns.js';
import type { Random } from './random.js';

const HOUR = 3600_000;

/** When and what: the campaign as the manager created it (its estimate and walk come from the draw). */
export interface DemoCampaignPlan {
  id: string;
  name: string;
  window: { from: string; to: string };
  audience: { activeBetween: { from: string; to: string } };
  createdAt: Date;
  launchedAt: Date;
  /** When the invitations were due: the window's first local day (the launch was earlier). */
  dueAt: Date;
  /** When the follow-up job sent them: the end of the quiet hours that morning. */
  sentAt: Date;
  /** The links work until the end of the window's last day. */
  expiresAt: Date;
}

/** The campaign of a data set whose contacts begin on `firstDay` (UTC midnight) and end at `now`. */
export function planDemoCampaign(now: Date, firstDay: number, settings: Settings): DemoCampaignPlan {
  const tz = settings.timezone;
  const today = localDate(now, tz);
  const window = { from: addDays(today, -35), to: addDays(today, -22) };
  // A quarter before the window, or from the first day there are contacts (ISO dates compare as strings).
  const from = [addDays(window.from, -91), localDate(new Date(firstDay), tz)].sort()[1] ?? window.from;
  const createdAt = new Date(startOfLocalDay(addDays(window.from, -3), tz).getTime() + 10 * HOUR);
  const dueAt = startOfLocalDay(window.from, tz);
  return {
    // A ULID of its creation with a fixed random part: the same campaign, hence the same draw, on every run.
    id: campaignSurveyId(createdAt, 'demo', 'relationship-campaign'),
    name: 'Quarterly relationship survey',
    window,
    audience: {
      activeBetween: { from, to: addDays(window.from, -1) },
    },
    createdAt,
    launchedAt: new Date(createdAt.getTime() + HOUR),
    dueAt,
    sentAt: new Date(dueAt.getTime() + 9 * HOUR),
    expiresAt: startOfLocalDay(addDays(window.to, 1), tz),
  };
}

/** The customers active in the plan's period: those with a contact on a local day inside it (the audience markers' days). */
export function demoAudience(plan: DemoCampaignPlan, contacts: Array<{ customerId: string; serviceDay: string }>) {
  const { from, to } = plan.audience.activeBetween;
  return [...new Set(contacts.filter((c) => c.serviceDay >= from && c.serviceDay <= to).map((c) => c.customerId))];
}

/**
 * The draw: the estimate at creation and who the launch invites. `throttleAt(customerId, at)` is
 * the end of the customer's throttle window at that instant (their follow-up surveys before it).
 */
export function drawDemoCampaign(
  plan: DemoCampaignPlan,
  audience: string[],
  customers: Map<string, PutCustomerBody>,
  throttleAt: (customerId: string, at: Date) => string | undefined,
  settings: Settings,
): { record: CampaignRecord; invitees: string[] } {
  const candidates = audience.map((customerId) => ({ customerId, stratum: 'all' }));
  const profile = (id: string) => customers.get(id) as unknown as Record<string, unknown> | undefined;
  // Who could be invited when the manager created it (the estimate's walk) and when the job ran.
  const eligibleAt = (at: Date) =>
    new Set(audience.filter((id) => exclusionOf(profile(id), throttleAt(id, at), plan.dueAt, settings) === null));
  // The sample the manager asked for: a round number the eligible audience can fill.
  const size = Math.max(10, Math.floor((eligibleAt(plan.launchedAt).size * 0.8) / 10) * 10);
  const { order } = drawOrder(plan.id, candidates, size);

  // The estimate (createCampaign): whole chunks examined until the sample is met; eligible extrapolated.
  const excluded = { throttled: 0, noConsent: 0, noContact: 0 };
  let eligibleSeen = 0;
  let examined = 0;
  for (let start = 0; start < order.length && eligibleSeen < size; start += WALK_CHUNK) {
    for (const c of order.slice(start, start + WALK_CHUNK)) {
      const why = exclusionOf(profile(c.customerId), throttleAt(c.customerId, plan.createdAt), plan.dueAt, settings);
      examined += 1;
      if (why) excluded[why] += 1;
      else eligibleSeen += 1;
    }
  }
  const estimate: CampaignEstimate = {
    status: 'ready',
    audience: audience.length,
    eligible:
      examined === order.length
        ? eligibleSeen
        : examined
          ? Math.round((audience.length * eligibleSeen) / examined)
          : audience.length,
    sample: size,
    examined,
    excluded,
  };

  // The launch (runCampaignLaunch): in draw order until the sample is invited; the store's throttle
  // condition is checked at the run's own time (the launch), so a window ending before the invitations
  // are due still refuses one.
  const walk: CampaignWalk = {
    through: '',
    invited: 0,
    perStratum: {},
    excluded: { throttled: 0, noConsent: 0, noContact: 0 },
    reads: 0,
    done: true,
  };
  const invitees: string[] = [];
  let walked = 0;
  for (const c of order) {
    if (invitees.length >= size) break;
    walked += 1;
    const until = throttleAt(c.customerId, plan.launchedAt);
    let why = exclusionOf(profile(c.customerId), until, plan.dueAt, settings);
    if (!why && until && until > plan.launchedAt.toISOString()) why = 'throttled';
    walk.through = c.key;
    if (why) walk.excluded[why] += 1;
    else invitees.push(c.customerId);
  }
  walk.invited = invitees.length;
  walk.perStratum = { all: invitees.length };
  // Markers (one per customer and month of the period) and a profile and throttle window per customer walked.
  const months = new Set([plan.audience.activeBetween.from.slice(0, 7), plan.audience.activeBetween.to.slice(0, 7)]);
  walk.reads = audience.length * months.size + 2 * walked;
  const record: CampaignRecord = {
    id: plan.id,
    name: plan.name,
    questionnaire: { id: RELATIONSHIP, version: 1 },
    audience: plan.audience,
    sample: { size },
    window: plan.window,
    status: 'finished',
    estimate,
    cell: { day: plan.window.from, channel: CAMPAIGN_CHANNEL, team: plan.id },
    estimateReads: audience.length * months.size + 2 * examined,
    createdAt: plan.createdAt.toISOString(),
    createdBy: 'M-demo',
    launchedAt: plan.launchedAt.toISOString(),
    launchedBy: 'M-demo',
    walk,
    // created, launched (launching → running), finished by the wave job once the window closed
    version: 4,
  };
  return { record, invitees };
}

const normal = (random: Random) =>
  Math.sqrt(-2 * Math.log(Math.max(1e-9, random.next()))) * Math.cos(2 * Math.PI * random.next());
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));

/** Where the relationship survey's items sit against the customer's overall feeling (s002/s004 problem examples: price and delivery lowest). */
const ITEM_OFFSETS: Record<string, number> = {
  product_quality: 0.1,
  product_ease_of_use: 0.25,
  price_value: -0.5,
  price_transparency: -0.3,
  logistics_speed: -0.35,
  logistics_condition: 0.05,
  brand_trust: 0.2,
  brand_image: 0.15,
};
const DIMENSION_OFFSETS: Record<Dimension, number> = {
  responsiveness: -0.35,
  professionalism: 0.05,
  attitude: 0.3,
  resolution: -0.2,
  convenience: 0,
};
const SUGGESTIONS = {
  zh: [
    '希望价格能再实惠一些，会员多点优惠',
    '快递能再快一点就好了，物流信息也要及时更新',
    '产品质量不错，希望售后响应再快一些',
    '收费项目写清楚一点，别有隐藏费用',
    '总体满意，继续保持',
    '希望App更稳定，付款别老出错',
    '包装可以再结实一点，上次盒子压坏了',
  ],
  en: [
    'Prices could be a little lower for loyal customers',
    'Faster delivery and better tracking updates, please',
    'Good products; support could answer faster',
    'Make the fees clearer up front',
    'Happy overall, keep it up',
  ],
};

/** One answer to the relationship questionnaire: scores around the customer's overall feeling, a suggestion now and then. */
export function relationshipAnswer(random: Random, language: 'zh' | 'en'): SubmitSurveyResponseBody {
  const base = 3.9 + normal(random) * 0.8;
  const answers: Record<string, number | string | string[]> = {};
  for (const [id, offset] of Object.entries(ITEM_OFFSETS))
    answers[id] = clamp(base + offset + normal(random) * 0.55, 1, 5);
  for (const d of DIMENSIONS) answers[d] = clamp(base + DIMENSION_OFFSETS[d] + normal(random) * 0.5, 1, 5);
  const scaled = Object.values(answers) as number[];
  const mean = scaled.reduce((sum, v) => sum + v, 0) / scaled.length;
  const overall = clamp(mean + normal(random) * 0.3, 1, 5);
  answers.overall = overall;
  answers.nps = clamp((overall - 1) * 2.3 + 0.9 + normal(random) * 1.1, 0, 10);
  answers.repurchase = clamp(overall + normal(random) * 0.6, 1, 5);
  answers.purchase_channel = random.weighted({ online_store: 40, marketplace: 30, physical_store: 20, sales_rep: 10 });
  const usage = ['purchase', 'delivery', 'support', 'repair', 'complaint'].filter((_, i) =>
    random.chance([0.7, 0.5, 0.4, 0.15, overall <= 2 ? 0.5 : 0.08][i] ?? 0),
  );
  if (usage.length) answers.usage = usage;
  if (random.chance(overall <= 3 ? 0.6 : 0.3)) answers.comment = random.pick(SUGGESTIONS[language]);
  // A careless respondent now and then: the same point everywhere, an NPS that says otherwise.
  if (random.chance(0.03)) {
    for (const id of [...Object.keys(ITEM_OFFSETS), ...DIMENSIONS, 'overall', 'repurchase']) answers[id] = 5;
    answers.nps = random.int(0, 3);
    delete answers.comment;
  }
  return { answers };
}

/** How a campaign invitation fares: about 18 % answer within the window, most in the first days after the message. */
export function campaignResponse(
  random: Random,
  plan: DemoCampaignPlan,
): { openedAt: Date; submittedAt: Date } | undefined {
  if (!random.chance(0.185)) return undefined;
  const openedAt = new Date(plan.sentAt.getTime() + random.duration(18 * 3600, 1.1) * 1000);
  const submittedAt = new Date(openedAt.getTime() + random.int(90, 600) * 1000);
  return submittedAt < plan.expiresAt ? { openedAt, submittedAt } : undefined;
}
