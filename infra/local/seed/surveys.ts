/**
 * Demo customers and survey responses, built by the same functions as the API's use cases:
 * profiles with fake contact data, an invitation after many resolved contacts (the
 * throttle turns most away), about a third answered, with scores that follow the service
 * the customer got and comments drawn from the seed documents' problem examples.
 */
import { newInvitation, newResponse } from '../../../functions/surveys/service.js';
import type { SurveySubject } from '../../../functions/surveys/subjects.js';
import { handledInTime } from '../../../shared/domain/alerts.js';
import { campaignSurveyId } from '../../../shared/domain/campaigns.js';
import { defined } from '../../../shared/domain/errors.js';
import { customerGroupsOf } from '../../../shared/domain/groups.js';
import { CAMPAIGN_CHANNEL } from '../../../shared/domain/metrics.js';
import {
  builtInVersion,
  type PublishedQuestionnaire,
  RELATIONSHIP,
  SERVICE_STANDARD,
} from '../../../shared/domain/questionnaires.js';
import { DAY, localDate } from '../../../shared/domain/time.js';
import type { PutCustomerBody } from '../../../shared/schemas/customers.js';
import type { Interaction } from '../../../shared/schemas/interactions.js';
import type { Settings } from '../../../shared/schemas/settings.js';
import type { SubmitSurveyResponseBody } from '../../../shared/schemas/surveys.js';
import { DIMENSIONS, type Dimension } from '../../../shared/schemas/vocabulary.js';
import { campaignItem } from '../../../shared/store/campaigns.js';
import {
  type AlertRecord,
  alertItem,
  commentExampleItems,
  type SurveyRecord,
  surveyItem,
  surveyResponseItem,
  surveySubjectItem,
  surveyThrottleItem,
} from '../../../shared/store/surveys.js';
import type { BulkLoad } from './bulk.js';
import {
  campaignResponse,
  type DemoCampaignPlan,
  demoAudience,
  drawDemoCampaign,
  relationshipAnswer,
} from './campaign.js';
import { type Random, seededRandom } from './random.js';

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '高',
  '林',
  '何',
  '郭',
  '马',
  '罗',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '子涵',
  '浩然',
];
const FIRST = ['Alex', 'Emma', 'Daniel', 'Grace', 'Kevin', 'Olivia', 'Ryan', 'Sophie', 'Jason', 'Mia', 'Leo', 'Chloe'];
const LAST = ['Chen', 'Wong', 'Lee', 'Smith', 'Tan', 'Garcia', 'Ng', 'Brown', 'Lim', 'Miller'];
const PINYIN = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'zhao', 'huang', 'zhou', 'wu'];

/** A made-up customer: numbers in a block no operator hands out to people, addresses at example.com. */
export function demoCustomer(random: Random, n: number): PutCustomerBody {
  const english = random.chance(0.2);
  const name = english ? `${random.pick(FIRST)} ${random.pick(LAST)}` : random.pick(SURNAMES) + random.pick(GIVEN);
  const handle = english ? name.toLowerCase().replace(' ', '.') : `${random.pick(PINYIN)}${n}`;
  const sms = random.chance(0.85);
  const email = random.chance(0.7);
  const tier = random.weighted({ none: 60, silver: 25, gold: 10, diamond: 5 });
  return {
    name,
    phone: `+8617000${String(100000 + n).slice(-6)}`,
    email: `${handle}.${n}@example.com`,
    preferredChannel: english ? (email ? 'email' : 'sms') : sms ? 'sms' : 'email',
    language: english ? 'en' : 'zh',
    ...(tier === 'none' ? {} : { tier }),
    // Type and tenure follow from n, not from `random`, so every other draw of the data set stays as it was.
    customerType: n % 4 === 0 ? 'business' : 'individual',
    customerSince: demoCustomerSince(n),
    consent: { sms, email },
  };
}

/** Since when demo customer n is one: about a third joined in 2026 (new), the rest 2019–2025 (returning). */
function demoCustomerSince(n: number): string {
  const year = n % 3 === 0 ? 2026 : 2019 + ((n * 7) % 7);
  const month = n % 3 === 0 ? (n % 6) + 1 : ((n * 5) % 12) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`;
}

/** Comments per problem, from the problem examples of s002/s003/s004. */
type Resolved = Interaction & { resolvedAt: string };
const isResolved = (interaction: Interaction): interaction is Resolved => Boolean(interaction.resolvedAt);

const COMPLAINTS: Record<string, { zh: string[]; en: string[] }> = {
  responsiveness: {
    zh: [
      '售后电话等待时长超30分钟，多次无人接听',
      '在线客服回复太慢了',
      '提交工单两天了还没人回',
      '打了好几次电话都占线',
    ],
    en: ['I waited 40 minutes on hold', 'Nobody answered my messages for two days', 'The chat reply was very slow'],
  },
  professionalism: {
    zh: ['客服无法解答产品技术参数问题，转接多次', '问了三个人说法不一致', '客服业务不熟，答非所问'],
    en: [
      'The agent had no idea about the product specs and transferred me twice',
      'I got wrong information about my contract',
    ],
  },
  attitude: {
    zh: ['客服态度很差，说话不耐烦', '店员爱答不理，问什么都敷衍', '还没说完就被挂电话了'],
    en: ['The agent was rude and impatient', 'Staff were dismissive and hung up on me'],
  },
  resolution: {
    zh: ['同一问题反馈3次仍未解决，重复描述情况', '说好的解决方案到现在也没有下文', '处理完以后没有回访'],
    en: ['Same problem again, still not fixed after three calls', 'They promised to call back but never followed up'],
  },
  convenience: {
    zh: ['退货流程太繁琐，要填好几张表', 'APP老是闪退，付款的时候还支付失败', '门店太挤，也没有座位'],
    en: ['Far too many steps just to return an item', 'The app keeps crashing when I try to pay'],
  },
  billing: {
    zh: ['账单里有额外收费，没人提前告知', '价格比别家贵了不少'],
    en: ['I was overcharged and nobody could explain the fees'],
  },
  delivery: {
    zh: ['快递三天还没到，物流信息也不更新', '发错货了，还漏发了一个配件'],
    en: ['My parcel arrived late and the box was damaged'],
  },
  product: {
    zh: ['刚买一个月就坏了，质量问题太明显', '手机续航太差'],
    en: ['The charger stopped working after a week'],
  },
};
const PRAISE = {
  zh: ['服务很好，谢谢！', '客服很耐心，问题一次就解决了', '响应很及时，很专业', '挺满意的，没什么意见'],
  en: ['Great service, quick and friendly. Thank you!', 'Very helpful agent, solved it in one call'],
};
const ANGRY = {
  zh: ['太差了，再也不来了', '非常失望，要投诉到消协'],
  en: ['Terrible experience, never again', 'Worst service I have had'],
};

const normal = (random: Random) =>
  Math.sqrt(-2 * Math.log(Math.max(1e-9, random.next()))) * Math.cos(2 * Math.PI * random.next());
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));

/** Scores that follow the service: late first responses and late resolutions pull them down. */
function answerFor(random: Random, interaction: Interaction, language: 'zh' | 'en'): SubmitSurveyResponseBody {
  const base =
    4.3 +
    normal(random) * 0.75 -
    (interaction.responseTargetMet === false ? 0.6 : 0) -
    (interaction.resolutionTargetMet === false ? 0.7 : 0);
  const offsets: Record<Dimension, number> = {
    responsiveness: -0.35,
    professionalism: 0.05,
    attitude: 0.3,
    resolution: -0.2,
    convenience: 0,
  };
  const scores = Object.fromEntries(
    DIMENSIONS.map((d) => [d, clamp(base + offsets[d] + normal(random) * 0.5, 1, 5)]),
  ) as Record<Dimension, number>;
  const mean = DIMENSIONS.reduce((sum, d) => sum + scores[d], 0) / DIMENSIONS.length;
  const overall = clamp(mean + normal(random) * 0.3, 1, 5);
  const nps = clamp((overall - 1) * 2.3 + 0.9 + normal(random) * 1.1, 0, 10);
  const body: SubmitSurveyResponseBody = { scores, overall, nps };
  if (random.chance(overall <= 3 ? 0.65 : 0.25)) {
    if (overall >= 4) body.comment = random.pick(PRAISE[language]);
    else if (overall === 1 && random.chance(0.5)) body.comment = random.pick(ANGRY[language]);
    else {
      const worst = DIMENSIONS.reduce((low, d) => (scores[d] < scores[low] ? d : low), DIMENSIONS[0] as Dimension);
      const ofCategory = interaction.category ? COMPLAINTS[interaction.category] : undefined;
      const phrases = ofCategory && random.chance(0.4) ? ofCategory : defined(COMPLAINTS[worst], `phrases on ${worst}`);
      body.comment = random.pick(phrases[language]);
    }
  }
  // A few careless respondents, so the validity rules have something to catch.
  if (random.chance(0.02))
    return {
      scores: { responsiveness: 5, professionalism: 5, attitude: 5, resolution: 5, convenience: 5 },
      overall: 5,
      nps: random.int(0, 3),
    };
  return body;
}

const HOUR = 3600_000;

/**
 * One survey invitation, and its answer when there is one, added to a bulk load as
 * `inviteToSurvey` (or a campaign's launch job and the follow-up job that delivers it),
 * `readSurveyForm` and `submitSurveyResponse` would have stored them (records, throttle window,
 * customer activity, KPI counters). An answer after the link expired is not taken, as the API
 * would refuse it.
 */
export function loadSurvey(
  load: BulkLoad,
  input: {
    /** What the survey is about: an interaction, or (`subject`) any subject, e.g. a campaign's own. */
    interaction?: Pick<Interaction, 'id' | 'customerId' | 'serviceDay' | 'channel' | 'team' | 'agentId'>;
    subject?: SurveySubject;
    profile: PutCustomerBody | undefined;
    invitedAt: Date;
    answer?: { openedAt: Date; submittedAt: Date; body: SubmitSurveyResponseBody };
    /** Who sent the invitation (default: the demo seed). */
    actorId?: string;
    /** What became of the alert the answer raised (default: still open), as the call-back queue would have stored it. */
    alertFate?: (alert: AlertRecord) => AlertRecord;
    /** The questionnaire asked (default service-transaction 1, as settings.surveys.questionnaireFor has it). */
    questionnaire?: PublishedQuestionnaire;
    /** A campaign's survey: its deterministic id, its link's end (the window's) and when the follow-up job delivered it. */
    campaign?: { id: string; surveyId: string; expiresAt: Date; deliveredAt?: Date };
  },
  settings: Settings,
): { survey: SurveyRecord; throttleUntil: string; answered: boolean } {
  const { interaction, answer, campaign } = input;
  const subject: SurveySubject | undefined =
    input.subject ??
    (interaction && {
      type: 'interaction',
      id: interaction.id,
      customerId: interaction.customerId,
      serviceDay: interaction.serviceDay,
      channel: interaction.channel,
      team: interaction.team,
      agentId: interaction.agentId,
      people: [interaction.agentId],
    });
  if (!subject) throw new Error('loadSurvey needs an interaction or a subject');
  const invitation = newInvitation({
    subject,
    profile: input.profile,
    actor: { id: input.actorId ?? 'demo-seed' },
    settings,
    now: input.invitedAt,
    ...(input.questionnaire
      ? { questionnaire: { id: input.questionnaire.id, version: input.questionnaire.version } }
      : {}),
    ...(campaign
      ? { automatic: true, campaignId: campaign.id, id: campaign.surveyId, expiresAt: campaign.expiresAt }
      : {}),
  });
  let survey = invitation.survey;
  load.put(surveyThrottleItem(subject.customerId, invitation.throttleUntil, survey.id));
  load.customerActivity(subject.customerId, invitation.activity);
  load.count(invitation.counters);
  if (campaign?.deliveredAt && survey.contact) {
    // What markDelivered stores once the follow-up job sent the invitation: deliveredAt, and `delivered` in its cell.
    survey = { ...survey, deliveredAt: campaign.deliveredAt.toISOString() };
    load.count([{ cell: survey.cell, counters: { delivered: 1 } }]);
  }
  const answered = answer !== undefined && answer.submittedAt < invitation.expiresAt;
  if (answered) {
    survey = { ...survey, status: 'opened', openedAt: answer.openedAt.toISOString() };
    // The customer's groups as the answer arrives (the bulk load keeps no segment history: `none`).
    const day = localDate(answer.submittedAt, settings.timezone);
    const groups = customerGroupsOf(input.profile, undefined, day);
    const profileFields = {
      ...(input.profile?.customerType ? { customerType: input.profile.customerType } : {}),
      ...(input.profile?.customerSince ? { customerSince: input.profile.customerSince } : {}),
    };
    const stored = newResponse(
      survey,
      answer.body,
      settings,
      answer.submittedAt,
      input.questionnaire,
      groups,
      profileFields,
    );
    if (Object.keys(stored.filled).length)
      throw new Error('the demo customers hold every profile field: no answer fills one in a bulk load');
    survey = { ...survey, status: 'answered', answeredAt: stored.response.submittedAt, responseId: stored.response.id };
    const alert = stored.alert && input.alertFate ? input.alertFate(stored.alert) : stored.alert;
    load.put(
      surveyResponseItem(stored.response),
      ...commentExampleItems(stored.response),
      ...(alert ? [alertItem(alert)] : []),
    );
    // An outcome in time counts toward alertsHandledInTime in its due day's cell, as recordAlertOutcome does.
    if (alert?.handledInTime && alert.dueCell && alert.responseValid)
      load.count([{ cell: alert.dueCell, counters: { alerts_in_time: 1 } }]);
    load.customerActivity(subject.customerId, stored.activity, stored.latestNps);
    load.count(stored.counters);
  }
  load.put(surveyItem(survey), surveySubjectItem(survey));
  return { survey, throttleUntil: invitation.throttleUntil, answered };
}

/** Alerts raised this long before `now` have been called back; newer ones are still in the queue. */
const HANDLED_AFTER = 4 * 24 * HOUR;

/**
 * The call-back queue as a team would have left it: alerts older than four days called back
 * (most within their two business days), newer ones open, every third of them claimed by the
 * team's supervisor. Its own draws, so the rest of the data set does not move.
 */
export function alertFates(random: Random, now: Date): (alert: AlertRecord) => AlertRecord {
  let recent = 0;
  return (alert) => {
    const raised = new Date(alert.raisedAt).getTime();
    const supervisor = `S-${alert.team ?? 'hotline'}`;
    if (now.getTime() - raised > HANDLED_AFTER) {
      const at = new Date(Math.min(raised + random.duration(20 * 3600, 0.8) * 1000, now.getTime() - HOUR));
      const outcome = random.weighted({ called_back: 12, unreachable: 3, resolved: 4 });
      return {
        ...alert,
        status: 'done',
        claimedBy: supervisor,
        claimedAt: new Date(Math.min(raised + HOUR, at.getTime())).toISOString(),
        outcome,
        outcomeAt: at.toISOString(),
        outcomeBy: supervisor,
        handledInTime: handledInTime(at, alert.dueBy ?? alert.raisedAt),
      };
    }
    // Every third recent alert is claimed, in order (not by chance), so the queue always shows
    // both open and claimed alerts whatever the hour the demo is loaded at.
    recent += 1;
    if (recent % 3 !== 2) return alert;
    const claimedAt = new Date(Math.min(raised + random.int(1, 6) * HOUR, now.getTime()));
    return { ...alert, status: 'claimed', claimedBy: supervisor, claimedAt: claimedAt.toISOString() };
  };
}

/** Where the s001 standard's items sit against their dimension's score: the weak points the seeds name (告知, 回访, 根源) lowest. */
const STANDARD_OFFSETS: Record<string, number> = {
  first_response: -0.1,
  resolution_time: 0.05,
  proactive_updates: -0.45,
  knowledge: 0.15,
  diagnosis: 0.05,
  solution_effectiveness: -0.1,
  information_accuracy: 0.1,
  courtesy: 0.25,
  empathy: 0,
  clarity: 0.05,
  initiative: -0.25,
  first_contact: -0.1,
  solution_satisfaction: 0.05,
  root_cause: -0.35,
  follow_up: -0.55,
  channel_access: 0.1,
  process_simplicity: -0.3,
  environment: 0.2,
  platform_stability: -0.2,
};
const ONLINE = new Set(['app', 'chat', 'wechat']);

/**
 * The same customer's answer asked as the s001 standard: each sub-indicator item around its
 * dimension's score (what the service got, as in `answerFor`), the store and online items only
 * where they apply (s001 "如适用"), the same overall, NPS and comment. A careless respondent's
 * straight line stays a straight line.
 */
function standardAnswer(
  random: Random,
  body: SubmitSurveyResponseBody,
  channel: string,
  questionnaire: PublishedQuestionnaire,
): SubmitSurveyResponseBody {
  const scores = body.scores ?? {};
  const careless = DIMENSIONS.every((d) => scores[d] === 5) && body.overall === 5 && (body.nps ?? 10) <= 3;
  const answers: Record<string, number | string> = {};
  for (const q of questionnaire.questions) {
    if (q.type !== 'scale' || !q.dimension || !q.subIndicator) continue;
    if (q.id === 'environment' && channel !== 'store') continue;
    if (q.id === 'platform_stability' && !ONLINE.has(channel)) continue;
    const score = scores[q.dimension as Dimension] ?? 4;
    answers[q.id] = careless ? 5 : clamp(score + (STANDARD_OFFSETS[q.id] ?? 0) + normal(random) * 0.55, 1, 5);
  }
  if (body.overall != null) answers.overall = body.overall;
  if (body.nps != null) answers.nps = body.nps;
  if (body.comment) answers.comment = body.comment;
  return { answers };
}

/** The share of follow-up surveys sent as the full s001 standard (POST /surveys with `questionnaireId`). */
const STANDARD_SHARE = 0.3;

/**
 * Surveys the customers of resolved interactions: each customer's contacts in time order
 * (so the throttle sees them as it would have). The invitations and responses are built by
 * the surveys capability's own pure functions and added to the bulk load. About a third of
 * them ask `service-standard` (s001's sub-indicators) instead of today's form, as a quality
 * team sending `POST /surveys` with `questionnaireId` would; the rest `service-transaction`.
 *
 * With `campaign`, the demo's finished relationship campaign (./campaign.ts) is drawn against
 * the throttle windows these surveys left at its launch, its invitations take their place in
 * each invited customer's sequence (a follow-up survey inside the campaign's throttle window is
 * not sent), and its answers are loaded with the campaign item.
 */
export function seedSurveys(
  random: Random,
  interactions: Interaction[],
  customers: Map<string, PutCustomerBody>,
  now: Date,
  settings: Settings,
  load: BulkLoad,
  campaign?: DemoCampaignPlan,
): {
  invitations: number;
  responses: number;
  standard: number;
  campaign?: { id: string; invited: number; answered: number };
} {
  const byCustomer = new Map<string, Resolved[]>();
  for (const interaction of interactions) {
    if (!isResolved(interaction) || !random.chance(0.6)) continue;
    let list = byCustomer.get(interaction.customerId);
    if (!list) byCustomer.set(interaction.customerId, (list = []));
    list.push(interaction);
  }
  const standard = builtInVersion(SERVICE_STANDARD, 1);
  if (!standard) throw new Error('service-standard 1 is built in');
  // Which surveys ask the standard, and its answers: their own draws, so the rest of the data set does not move.
  const standardDraws = seededRandom(20261108);
  // Random draws are made up front, in a fixed order, so the data set is the same on every run.
  const queues = [...byCustomer.values()].map((list) =>
    list
      .sort((a, b) => a.resolvedAt.localeCompare(b.resolvedAt))
      .map((interaction) => {
        const invitedAt = new Date(new Date(interaction.resolvedAt).getTime() + random.int(1, 20) * HOUR);
        const openedAt = new Date(invitedAt.getTime() + random.duration(5 * 3600, 1.2) * 1000);
        const careless = random.chance(0.03);
        const submittedAt = new Date(openedAt.getTime() + (careless ? random.int(2, 6) : random.int(35, 400)) * 1000);
        const language = customers.get(interaction.customerId)?.language ?? 'zh';
        const body = answerFor(random, interaction, language);
        const asksStandard = standardDraws.chance(STANDARD_SHARE);
        return {
          interaction,
          invitedAt,
          openedAt,
          submittedAt,
          answers: random.chance(0.35),
          ...(asksStandard
            ? { questionnaire: standard, body: standardAnswer(standardDraws, body, interaction.channel, standard) }
            : { questionnaire: undefined, body }),
        };
      }),
  );
  const throttleMs = settings.surveyThrottleDays * DAY;
  /** The follow-up surveys a customer's queue sends (the throttle turns the rest away), without a campaign. */
  const sentBefore = new Map<string, Date[]>();
  for (const queue of queues) {
    let windowEnds = 0;
    const sent: Date[] = [];
    for (const plan of queue) {
      if (plan.invitedAt > now || plan.invitedAt.getTime() < windowEnds) continue;
      sent.push(plan.invitedAt);
      windowEnds = plan.invitedAt.getTime() + throttleMs;
    }
    if (queue[0]) sentBefore.set(queue[0].interaction.customerId, sent);
  }
  // The campaign's draw, against the throttle windows as they stood (only surveys before the launch matter).
  const drawn =
    campaign &&
    drawDemoCampaign(
      campaign,
      demoAudience(campaign, interactions),
      customers,
      (customerId, at) => {
        const last = (sentBefore.get(customerId) ?? []).filter((t) => t <= at).at(-1);
        return last ? new Date(last.getTime() + throttleMs).toISOString() : undefined;
      },
      settings,
    );
  const invitees = new Set(drawn?.invitees ?? []);
  const relationship = builtInVersion(RELATIONSHIP, 1);
  if (!relationship) throw new Error('relationship 1 is built in');
  const campaignDraws = seededRandom(20261109);
  const campaignFate = alertFates(seededRandom(20261110), now);
  let campaignAnswered = 0;
  const inviteToCampaign = (customerId: string): string => {
    if (!campaign || !drawn) throw new Error('no campaign');
    invitees.delete(customerId);
    const profile = customers.get(customerId);
    const response = campaignResponse(campaignDraws, campaign);
    const body = relationshipAnswer(campaignDraws, profile?.language ?? 'zh');
    const surveyId = campaignSurveyId(campaign.launchedAt, campaign.id, customerId);
    const { throttleUntil, answered } = loadSurvey(
      load,
      {
        subject: {
          type: 'campaign',
          id: surveyId,
          customerId,
          serviceDay: drawn.record.cell.day,
          channel: CAMPAIGN_CHANNEL,
          team: campaign.id,
          people: [],
        },
        profile,
        invitedAt: campaign.launchedAt,
        actorId: drawn.record.launchedBy,
        questionnaire: relationship,
        campaign: { id: campaign.id, surveyId, expiresAt: campaign.expiresAt, deliveredAt: campaign.sentAt },
        // A call-back the hotline's supervisor takes (the campaign's cell names no team).
        alertFate: (alert) => ({ ...campaignFate({ ...alert, team: 'hotline' }), team: alert.team }),
        ...(response ? { answer: { ...response, body } } : {}),
      },
      settings,
    );
    if (answered) campaignAnswered += 1;
    return throttleUntil;
  };
  const alertFate = alertFates(seededRandom(20261105), now);
  let invitations = 0;
  let responses = 0;
  let standardSent = 0;
  for (const queue of queues) {
    // The throttle window: an invitation inside the previous one's would be refused (429).
    let windowEnds = '';
    const customerId = queue[0]?.interaction.customerId ?? '';
    for (const plan of queue) {
      if (campaign && invitees.has(customerId) && plan.invitedAt >= campaign.launchedAt)
        windowEnds = inviteToCampaign(customerId);
      if (plan.invitedAt > now || plan.invitedAt.toISOString() < windowEnds) continue;
      const { throttleUntil, answered } = loadSurvey(
        load,
        {
          interaction: plan.interaction,
          profile: customers.get(plan.interaction.customerId),
          invitedAt: plan.invitedAt,
          alertFate,
          ...(plan.questionnaire ? { questionnaire: plan.questionnaire } : {}),
          // About a third answer, if their link has not expired by then.
          ...(plan.answers && plan.submittedAt <= now
            ? { answer: { openedAt: plan.openedAt, submittedAt: plan.submittedAt, body: plan.body } }
            : {}),
        },
        settings,
      );
      windowEnds = throttleUntil;
      invitations += 1;
      if (plan.questionnaire) standardSent += 1;
      if (answered) responses += 1;
    }
  }
  // Invited customers whose follow-up surveys all came before the launch (or who had none).
  const invited = drawn?.invitees.length ?? 0;
  for (const customerId of [...invitees]) inviteToCampaign(customerId);
  if (!drawn) return { invitations, responses, standard: standardSent };
  load.put(campaignItem(drawn.record));
  return {
    invitations,
    responses,
    standard: standardSent,
    campaign: { id: drawn.record.id, invited, answered: campaignAnswered },
  };
}
