/**
 * Messaging across channels (PRODUCT.md §6, api-contract.md "Channels (v1.2)"): which channels
 * there are, the order tried when the preferred one is impossible (cheapest first), what each
 * message costs at list price, and the WeChat template of each customer notice. Pure.
 */
import {
  MESSAGING_CHANNELS,
  type MessagingChannel,
  WECHAT_TEMPLATE_KINDS,
  type WechatTemplateKind,
} from '../schemas/vocabulary.js';
import { smsSegments } from './followups.js';

/** The vocabularies live with the schemas that validate them (shared/schemas/vocabulary.ts). */
export { MESSAGING_CHANNELS, type MessagingChannel, WECHAT_TEMPLATE_KINDS, type WechatTemplateKind };

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
