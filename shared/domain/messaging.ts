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
 * The default price of one SMS segment to a mainland China number (+86), in USD. AN ASSUMPTION,
 * not a quoted price: an order of magnitude for Amazon SNS / AWS End User Messaging SMS to China
 * (several times the US $0.00645 the benchmark's SMS-only row uses), not checked against the AWS
 * price list (https://aws.amazon.com/end-user-messaging/pricing/), which changes by country and
 * over time, nor against the organisation's own contract. Set the real one in settings
 * `messaging.prices.sms` (PATCH /settings, admin); each message records the price in force when
 * it went out, so /metrics `messaging` costs follow the setting from then on.
 */
export const ASSUMED_SMS_PRICE_USD_PER_SEGMENT = 0.04;
/** Amazon SES: $0.10 per 1,000 emails (AWS list price, us-east-1, 2025-06; bench/cost.ts uses the same). */
export const SES_PRICE_USD_PER_EMAIL = 0.0001;
/** WeChat Official Account template messages cost nothing per message (the account's yearly verification fee aside). */
export const WECHAT_PRICE_USD_PER_MESSAGE = 0;

/** List prices in USD per message (per segment for SMS), editable in `messaging.prices`. */
export const DEFAULT_MESSAGING_PRICES: Record<MessagingChannel, number> = {
  wechat: WECHAT_PRICE_USD_PER_MESSAGE,
  email: SES_PRICE_USD_PER_EMAIL,
  sms: ASSUMED_SMS_PRICE_USD_PER_SEGMENT,
};

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
