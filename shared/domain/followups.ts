/**
 * Follow-ups (s000 服务后满意度回访, s002 回访/二次调查/向客户反馈改进结果): what is due when,
 * through which channel, with which words. Pure: the job (functions/followups) does the I/O.
 */
import { BUILT_IN_CATEGORIES } from './categories.js';
import { COMMENT_CATEGORY_LABELS } from './comment-words.js';
import {
  type CustomerNoticeStage,
  type ImprovementNoticePurpose,
  type MessageChannel,
  type OwnerNoticePurpose,
  taskIds,
} from './message-ids.js';
import type { WechatTemplateKind } from './messaging.js';
import type { Language } from './surveys.js';

export type { Language };

/** Every kind of follow-up task. `fixed_fanout` turns one verified improvement into a `problem_fixed` task per customer who complained about it. */
export const FOLLOW_UP_KINDS = [
  'survey_invitation',
  'survey_reminder',
  'problem_fixed',
  'fixed_fanout',
  'detractor_alert',
  /** Starts a complaint round's escalation workflow if the request that stored it died before starting it. */
  'ensure_watch',
  /** Sends an escalation notice again that the workflow could not deliver. */
  'escalation_notice',
  /** A resolved complaint: "did this solve your problem?" with the link to answer (`/c/<token>`). */
  'complaint_confirmation',
  /** A complaint's customer is told where it stands: registered, waiting for them, a solution proposed. */
  'customer_notice',
  /** A complaint's owner (or assignee) is told: registered to them, a deadline close, escalated to them. */
  'owner_notice',
  /** The day's email of open call-backs (GET /alerts) to each team's supervisor: one a day, not one per alert. */
  'alert_digest',
  /** The customer behind a suggestion hears the decision: adopted (the planned date) or rejected (the reason). */
  'suggestion_decision',
  /** An improvement action: its owner hears it was created and, once, that it is overdue; its department that it was verified. */
  'improvement_notice',
  /** A complaint surge opened: the complaints desk hears of it and of its 72 h special assessment. */
  'surge_notice',
  /** A goal turned at_risk: its owner hears it once (again only after it recovered and turned at_risk anew). */
  'goal_notice',
] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];
export type { CustomerNoticeStage, ImprovementNoticePurpose, OwnerNoticePurpose };

/** s000: call back within 24 h of resolution; we invite shortly after, when the customer still remembers. */
export const INVITATION_DELAY_MS = 30 * 60 * 1000;
/** s002: one or two reminders to those who have not answered, 3 and 7 days after the invitation. */
export const REMINDER_DELAYS_DAYS = [3, 7] as const;
/** A failed send is tried this many times in all, with growing pauses, then recorded for an operator. */
export const MAX_ATTEMPTS = 4;

/** Backoff after the n-th failed attempt: 2 min, 10 min, 50 min… */
export function retryDelayMs(failedAttempts: number): number {
  return 2 * 60 * 1000 * 5 ** Math.max(0, failedAttempts - 1);
}

export interface Reachability {
  preferredChannel: MessageChannel;
  consent: { sms: boolean; email: boolean; wechat?: boolean | undefined };
  phone?: string | undefined;
  email?: string | undefined;
  /** The follower's openId on the organisation's WeChat Official Account. */
  wechatOpenId?: string | undefined;
  /** Addresses the provider refused (a hard bounce, an opted-out number, a refused WeChat): not used until they change. */
  undeliverable?: Partial<Record<MessageChannel, boolean>> | undefined;
}

/** The channel order when settings name none: cheapest first (settings messaging.channelOrder). */
export const DEFAULT_CHANNEL_ORDER: readonly MessageChannel[] = ['wechat', 'email', 'sms'];

/** Why a channel is not tried for a customer. */
export type Unusable = 'no_consent' | 'no_address' | 'refused';

const addressOf = (customer: Reachability, channel: MessageChannel) =>
  channel === 'sms' ? customer.phone : channel === 'email' ? customer.email : customer.wechatOpenId;

/**
 * The one routing rule: the channels to try for a customer, in order — the one asked for (or
 * preferred) first, then `channelOrder` — each once, if the customer consented, has an address
 * there and it was not refused. A permanent failure on one moves to the next (the caller records
 * why); `skipped` says why each other channel is not tried.
 */
export function channelRoute(
  customer: Reachability,
  requested?: MessageChannel,
  channelOrder: readonly MessageChannel[] = DEFAULT_CHANNEL_ORDER,
): {
  candidates: Array<{ channel: MessageChannel; address: string }>;
  skipped: Array<{ channel: MessageChannel; reason: Unusable }>;
} {
  const order = [...new Set([requested ?? customer.preferredChannel, ...channelOrder])];
  const candidates: Array<{ channel: MessageChannel; address: string }> = [];
  const skipped: Array<{ channel: MessageChannel; reason: Unusable }> = [];
  for (const channel of order) {
    const address = addressOf(customer, channel);
    if (customer.consent[channel] !== true) skipped.push({ channel, reason: 'no_consent' });
    else if (!address) skipped.push({ channel, reason: 'no_address' });
    else if (customer.undeliverable?.[channel]) skipped.push({ channel, reason: 'refused' });
    else candidates.push({ channel, address });
  }
  return { candidates, skipped };
}

/**
 * The channel to reach a customer on: the first of `channelRoute`; null when the customer cannot
 * be reached (with why).
 */
export function chooseChannel(
  customer: Reachability,
  requested?: MessageChannel,
  channelOrder: readonly MessageChannel[] = DEFAULT_CHANNEL_ORDER,
): { channel: MessageChannel; address: string } | { channel: null; reason: string } {
  const { candidates, skipped } = channelRoute(customer, requested, channelOrder);
  if (candidates[0]) return candidates[0];
  return {
    channel: null,
    reason: skipped.every((s) => s.reason === 'no_consent') ? 'no_consent' : 'no_deliverable_address',
  };
}

/** What each customer message is about, as the template's first keyword shows it (zh, en). */
const WECHAT_TOPICS: Record<WechatTemplateKind, { zh: string; en: string }> = {
  survey_invitation: { zh: '服务评价邀请', en: 'Service survey' },
  survey_reminder: { zh: '服务评价提醒', en: 'Survey reminder' },
  customer_notice: { zh: '投诉进展通知', en: 'Complaint update' },
  complaint_confirmation: { zh: '投诉处理结果确认', en: 'Complaint resolution' },
  problem_fixed: { zh: '问题改进通知', en: 'Improvement made' },
  suggestion_decision: { zh: '建议处理结果', en: 'Your suggestion' },
};

/**
 * The fields of a WeChat template message (the Official Account's classic layout): `first` the
 * headline (the email's subject), `keyword1` what it is about, `keyword2` its number, `keyword3`
 * when, `remark` the words (the email's text). The template id comes from settings
 * messaging.wechat.templates; the link behind "详情" is the survey or confirmation link.
 */
export function wechatTemplateFields(input: {
  kind: WechatTemplateKind;
  language: Language;
  subject: string;
  text: string;
  reference?: string | undefined;
  /** Local wall time of the message (`12-07 14:30`). */
  at: string;
}): Record<string, string> {
  return {
    first: input.subject,
    keyword1: WECHAT_TOPICS[input.kind][input.language],
    ...(input.reference ? { keyword2: input.reference } : {}),
    keyword3: input.at,
    remark: input.text,
  };
}

/** GSM-7 fits 160 characters in one SMS segment; anything else (Chinese) is UCS-2, 70. */
export function smsSegments(text: string): number {
  const gsm = /^[A-Za-z0-9 @£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà\n\r]*$/.test(text);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  return text.length <= single ? 1 : Math.ceil(text.length / multi);
}

/** The kinds that carry a follow-up message of their own words (a complaint's customer notices: customerNotice). */
export type MessageKind = Exclude<
  FollowUpKind,
  | 'ensure_watch'
  | 'escalation_notice'
  | 'customer_notice'
  | 'owner_notice'
  | 'alert_digest'
  | 'suggestion_decision'
  | 'improvement_notice'
  | 'surge_notice'
  | 'goal_notice'
>;

export interface MessageInput {
  kind: MessageKind;
  language: Language;
  url?: string;
  category?: string;
  /** For the supervisor alert: what the customer said (already masked). */
  detail?: string;
  reminder?: number;
}

/** The words of a follow-up: short enough for one SMS segment where possible; email gets a subject too. */
export function followUpMessage(input: MessageInput): { subject: string; text: string } {
  const zh = input.language === 'zh';
  const topic = input.category
    ? (BUILT_IN_CATEGORIES.find((c) => c.code === input.category)?.name[input.language].toLowerCase() ??
      (COMMENT_CATEGORY_LABELS[input.language] as Record<string, string>)[input.category] ??
      input.category)
    : zh
      ? '您反馈的问题'
      : 'the problem you reported';
  switch (input.kind) {
    case 'survey_invitation':
      return zh
        ? { subject: '请评价本次服务', text: `感谢您联系我们，请花1分钟评价本次服务：${input.url}` }
        : {
            subject: 'How did we do?',
            text: `Thanks for contacting us. Please rate our service (1 min): ${input.url}`,
          };
    case 'survey_reminder':
      return zh
        ? { subject: '提醒：请评价本次服务', text: `您的意见对我们很重要，评价链接：${input.url}` }
        : { subject: 'Reminder: how did we do?', text: `Your opinion matters to us. Rate our service: ${input.url}` };
    case 'problem_fixed':
    case 'fixed_fanout':
      return zh
        ? { subject: '您反馈的问题已改进', text: `您此前反馈的“${topic}”问题已完成改进，感谢您的监督。` }
        : {
            subject: 'We fixed what you reported',
            text: `We have improved ${topic}, which you told us about. Thank you for the feedback.`,
          };
    case 'complaint_confirmation':
      return zh
        ? { subject: '您的问题解决了吗？', text: `您反馈的问题已处理完毕，问题解决了吗？请告诉我们：${input.url}` }
        : {
            subject: 'Did this solve your problem?',
            text: `We have resolved your complaint. Did it solve your problem? Tell us: ${input.url}`,
          };
    case 'detractor_alert':
      return zh
        ? { subject: '差评预警：请跟进客户', text: `客户给出低分评价，请在24小时内回访。${input.detail ?? ''}`.trim() }
        : {
            subject: 'Detractor alert: please follow up',
            text: `A customer gave a low score; please call back within 24 h. ${input.detail ?? ''}`.trim(),
          };
  }
}

/**
 * The survey-invitation task of a contact resolved at `resolvedAt` (s000: call back within
 * 24 h): due shortly after the resolution; none once the 24 h window has passed.
 */
export function invitationTask(
  subject: { type: 'interaction' | 'complaint'; id: string },
  resolvedAt: Date,
  now: Date,
  customerId?: string,
) {
  if (now.getTime() - resolvedAt.getTime() > 24 * 60 * 60 * 1000) return undefined;
  const dueAt = new Date(Math.max(now.getTime(), resolvedAt.getTime() + INVITATION_DELAY_MS));
  // The customer id puts the task on the customer's index, so erasure finds it (and any provider error it stores).
  return {
    id: taskIds.surveyInvitation(subject),
    kind: 'survey_invitation' as const,
    subject,
    ...(customerId ? { customerId } : {}),
    dueAt: dueAt.toISOString(),
  };
}

/** At most this many segments for any SMS CareLoop sends (a longer text costs more and arrives split). */
export const MAX_SMS_SEGMENTS = 2;

/**
 * The longest cut of `detail` (with an ellipsis when cut) that keeps `build(detail)` within
 * MAX_SMS_SEGMENTS; the email carries the whole of it.
 */
export function fitSms(build: (detail: string) => string, detail: string): string {
  const chars = Array.from(detail);
  if (smsSegments(build(detail)) <= MAX_SMS_SEGMENTS) return build(detail);
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (smsSegments(build(`${chars.slice(0, mid).join('')}…`)) <= MAX_SMS_SEGMENTS) low = mid;
    else high = mid - 1;
  }
  return build(`${chars.slice(0, low).join('')}…`);
}

/** What each pause reason asks of the customer while their complaint waits for them. */
const AWAITING_WHAT: Record<string, { zh: string; en: string }> = {
  information_requested: {
    zh: '我们需要您补充一些信息，请回复或致电我们。',
    en: 'We need some more information from you: please reply or call us.',
  },
  customer_unreachable: { zh: '我们未能联系上您，请回电。', en: 'We could not reach you: please call us back.' },
  customer_requested_delay: {
    zh: '按您的要求，我们等待您的回复。',
    en: 'As you asked, we are waiting to hear from you.',
  },
  site_visit_scheduled: {
    zh: '已安排上门服务，请届时留意我们的联系。',
    en: 'A visit is scheduled: please be available when we contact you.',
  },
  third_party: {
    zh: '我们正在等待第三方处理，如需补充信息会与您联系。',
    en: 'We are waiting for a third party and will contact you if we need anything.',
  },
  other: { zh: '请与我们联系，以便继续处理。', en: 'Please get in touch with us so we can continue.' },
};

export interface CustomerNoticeInput {
  stage: CustomerNoticeStage;
  language: Language;
  complaintId: string;
  /** acknowledged: when the first response is due, as local wall time (`11-10 11:00`). */
  respondBy?: string;
  /** awaiting_customer: the pause reason. */
  reason?: string;
  /** solution_proposed: the solution. */
  solution?: string;
}

/**
 * The words of a complaint's customer notice: the email (subject and whole text) and an SMS
 * that fits MAX_SMS_SEGMENTS (a long solution is cut there; the email has all of it).
 */
export function customerNotice(input: CustomerNoticeInput): { subject: string; text: string; sms: string } {
  const zh = input.language === 'zh';
  const id = input.complaintId;
  switch (input.stage) {
    case 'acknowledged': {
      const text = zh
        ? `您的投诉已受理，编号${id}。我们将在${input.respondBy}前回复您。`
        : `We received your complaint, no. ${id}. We will respond by ${input.respondBy}.`;
      return { subject: zh ? `投诉已受理（编号${id}）` : `Complaint ${id} received`, text, sms: text };
    }
    case 'awaiting_customer': {
      const what = AWAITING_WHAT[input.reason ?? 'other'] ?? AWAITING_WHAT.other ?? { zh: '', en: '' };
      const text = zh ? `关于投诉${id}：${what.zh}` : `About complaint ${id}: ${what.en}`;
      return { subject: zh ? `投诉${id}需要您的回复` : `Complaint ${id}: we need you`, text, sms: text };
    }
    case 'solution_proposed': {
      const build = (solution: string) =>
        zh ? `投诉${id}的解决方案：${solution}` : `Our solution for complaint ${id}: ${solution}`;
      const solution = (input.solution ?? '').replace(/\s+/g, ' ').trim();
      return {
        subject: zh ? `投诉${id}的解决方案` : `A solution for complaint ${id}`,
        text: build(solution),
        sms: fitSms(build, solution),
      };
    }
  }
}

/** The decision on a customer's suggestion, in their language: adopted (by when) or rejected (why; the SMS cut to fit). */
export function suggestionDecisionNotice(input: {
  language: Language;
  decision: 'adopted' | 'rejected';
  plannedFor?: string | undefined;
  reason?: string | undefined;
}): { subject: string; text: string; sms: string } {
  const zh = input.language === 'zh';
  if (input.decision === 'adopted') {
    const text = zh
      ? `感谢您的建议！我们已采纳，计划于${input.plannedFor}前落实。`
      : `Thank you for your suggestion! We adopted it and plan to put it in place by ${input.plannedFor}.`;
    return { subject: zh ? '您的建议已被采纳' : 'We adopted your suggestion', text, sms: text };
  }
  const build = (reason: string) =>
    zh
      ? `感谢您的建议。经评估暂不采纳，原因：${reason}`
      : `Thank you for your suggestion. We will not adopt it: ${reason}`;
  const reason = (input.reason ?? '').replace(/\s+/g, ' ').trim();
  return {
    subject: zh ? '关于您的建议' : 'About your suggestion',
    text: build(reason),
    sms: fitSms(build, reason),
  };
}

export interface ImprovementNoticeInput {
  purpose: ImprovementNoticePurpose;
  improvement: {
    id: string;
    problem: string;
    measure: string;
    department: string;
    ownerId: string;
    dueDate: string;
    verification?: { metric: string; before: number | null; after: number | null } | undefined;
  };
}

/**
 * The words of an improvement notice, to staff (English and Chinese together, as the owners'
 * complaint notices): the email's subject and text, and an SMS that fits MAX_SMS_SEGMENTS.
 */
export function improvementNotice(input: ImprovementNoticeInput): { subject: string; text: string; sms: string } {
  const { improvement: i } = input;
  const figure = (value: number | null | undefined) => (value === null || value === undefined ? '—' : String(value));
  const words = {
    created: {
      subject: `[CareLoop] Improvement ${i.id} is yours, due ${i.dueDate} / 改进措施待您落实`,
      intro: `You own improvement action ${i.id}; it is due ${i.dueDate}.`,
      zh: `改进措施 ${i.id} 由您负责，须于 ${i.dueDate} 前完成。`,
      sms: (problem: string) =>
        `CareLoop: improvement ${i.id} is yours, due ${i.dueDate}: ${problem}. 改进措施待您落实。`,
    },
    overdue: {
      subject: `[CareLoop] Improvement ${i.id} is overdue (due ${i.dueDate}) / 改进措施已逾期`,
      intro: `Improvement action ${i.id}, yours, was due ${i.dueDate} and is not done.`,
      zh: `您负责的改进措施 ${i.id} 已超过完成期限（${i.dueDate}），尚未完成。`,
      sms: (problem: string) =>
        `CareLoop: improvement ${i.id} overdue since ${i.dueDate}: ${problem}. 改进措施已逾期。`,
    },
    verified: {
      subject: `[CareLoop] Improvement ${i.id} verified / 改进措施已验证`,
      intro: `Improvement action ${i.id} of ${i.department} was verified: ${i.verification?.metric ?? 'its metric'} ${figure(i.verification?.before)} before, ${figure(i.verification?.after)} after.`,
      zh: `${i.department} 的改进措施 ${i.id} 已验证：改进前 ${figure(i.verification?.before)}，改进后 ${figure(i.verification?.after)}。`,
      sms: (problem: string) => `CareLoop: improvement ${i.id} verified: ${problem}. 改进措施已验证。`,
    },
  }[input.purpose];
  const problem = i.problem.replace(/\s+/g, ' ').trim();
  const text = [
    words.intro,
    words.zh,
    '',
    `Problem: ${problem}`,
    `Measure: ${i.measure.replace(/\s+/g, ' ').trim()}`,
    `Department: ${i.department}`,
    `Owner: ${i.ownerId}`,
    `Due: ${i.dueDate}`,
  ].join('\n');
  return { subject: words.subject, text, sms: fitSms(words.sms, problem) };
}
