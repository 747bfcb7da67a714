/**
 * Follow-ups (s000 服务后满意度回访, s002 回访/二次调查/向客户反馈改进结果): what is due when,
 * through which channel, with which words. Pure: the job (functions/followups) does the I/O.
 */
import { COMMENT_CATEGORY_LABELS } from './comment-classifier.js';
import type { Language } from './surveys.js';

export type { Language };

/** `fixed_fanout` turns one verified improvement into a `problem_fixed` task per customer who complained about it. */
export type FollowUpKind =
  | 'survey_invitation'
  | 'survey_reminder'
  | 'problem_fixed'
  | 'fixed_fanout'
  | 'detractor_alert'
  /** Starts a complaint round's escalation workflow if the request that stored it died before starting it. */
  | 'ensure_watch'
  /** Sends an escalation notice again that the workflow could not deliver. */
  | 'escalation_notice'
  /** A resolved complaint: "did this solve your problem?" with the link to answer (`/c/<token>`). */
  | 'complaint_confirmation';
export type Channel = 'sms' | 'email';

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
  preferredChannel: Channel;
  consent: { sms: boolean; email: boolean };
  phone?: string | undefined;
  email?: string | undefined;
  /** Addresses the provider reported as bouncing or opted out. */
  undeliverable?: { sms?: boolean; email?: boolean } | undefined;
}

/**
 * The channel to reach a customer on: the one asked for or preferred if consented and
 * deliverable, else the other one; null when the customer cannot be reached (with why).
 */
export function chooseChannel(
  customer: Reachability,
  requested?: Channel,
): { channel: Channel; address: string } | { channel: null; reason: string } {
  const usable = (channel: Channel) => {
    const address = channel === 'sms' ? customer.phone : customer.email;
    return customer.consent[channel] && !customer.undeliverable?.[channel] && address ? address : undefined;
  };
  const first = requested ?? customer.preferredChannel;
  const order: Channel[] = [first, first === 'sms' ? 'email' : 'sms'];
  for (const channel of order) {
    const address = usable(channel);
    if (address) return { channel, address };
  }
  const consented = order.filter((c) => customer.consent[c]);
  return { channel: null, reason: consented.length === 0 ? 'no_consent' : 'no_deliverable_address' };
}

/** GSM-7 fits 160 characters in one SMS segment; anything else (Chinese) is UCS-2, 70. */
export function smsSegments(text: string): number {
  const gsm = /^[A-Za-z0-9 @£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà\n\r]*$/.test(text);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  return text.length <= single ? 1 : Math.ceil(text.length / multi);
}

/** The kinds that carry a follow-up message of their own words. */
export type MessageKind = Exclude<FollowUpKind, 'ensure_watch' | 'escalation_notice'>;

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
    ? ((COMMENT_CATEGORY_LABELS[input.language] as Record<string, string>)[input.category] ?? input.category)
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
    id: `invite:${subject.type}:${subject.id}`,
    kind: 'survey_invitation' as const,
    subject,
    ...(customerId ? { customerId } : {}),
    dueAt: dueAt.toISOString(),
  };
}
