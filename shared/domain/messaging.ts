/**
 * Messaging across channels (PRODUCT.md §6, api-contract.md "Channels (v1.2)"): which channels
 * there are, the order tried when the preferred one is impossible (cheapest first), what each
 * message costs at list price, and the WeChat template of each customer notice. Pure.
 */
import { smsSegments } from './followups.js';

/** The channels a customer is messaged on, cheapest first (the default `messaging.channelOrder`). */
export const MESSAGING_CHANNELS = ['wechat', 'email', 'sms'] as const;
export type MessagingChannel = (typeof MESSAGING_CHANNELS)[number];

/**
 * The customer messages that go out as a WeChat template message, each with a template of its own
 * (`messaging.wechat.templates`, the ids the Official Account's template library gave them).
 */
export const WECHAT_TEMPLATE_KINDS = [
  'survey_invitation',
  'survey_reminder',
  'customer_notice',
  'complaint_confirmation',
  'problem_fixed',
  'suggestion_decision',
] as const;
export type WechatTemplateKind = (typeof WECHAT_TEMPLATE_KINDS)[number];

/**
 * List prices in USD per message (per segment for SMS), editable in `messaging.prices`. SMS: an
 * SMS to a mainland China number through Amazon SNS, about US$0.04 a segment (several times the
 * US price of $0.00645 the benchmark's SMS-only row uses; check the AWS price list before quoting);
 * email: Amazon SES, $0.10 per 1,000; WeChat: template messages are free per message.
 */
export const DEFAULT_MESSAGING_PRICES: Record<MessagingChannel, number> = { wechat: 0, email: 0.0001, sms: 0.04 };

export const DEFAULT_MESSAGING = {
  channelOrder: [...MESSAGING_CHANNELS] as MessagingChannel[],
  prices: DEFAULT_MESSAGING_PRICES,
  // No template until the organisation names its own: WeChat is then skipped for that message (next channel).
  wechat: { templates: {} as Partial<Record<WechatTemplateKind, string>> },
};

/** What one message costs at list price: SMS by segment, the rest per message. */
export function messageCost(
  channel: MessagingChannel,
  segments: number,
  prices: Record<MessagingChannel, number> = DEFAULT_MESSAGING_PRICES,
): number {
  return (channel === 'sms' ? Math.max(1, segments) : 1) * prices[channel];
}

/** The segments a message occupies: SMS by its text (GSM-7 or UCS-2), every other channel 0. */
export function messageSegments(channel: MessagingChannel, text: string): number {
  return channel === 'sms' ? smsSegments(text) : 0;
}
