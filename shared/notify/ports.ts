/**
 * Email and SMS, as every capability sees them: one message in, sent at most once per
 * message id. Escalation notices, survey invitations, follow-ups and the monthly report all
 * go through these ports, one per channel (`ChannelMessages`); AWS sends with SES and SNS, the
 * local runtime writes an outbox. Every notice is sent through `send` (send.ts); a channel's
 * rules live in one entry of channels.ts.
 */
import type { MessageChannel } from '../domain/message-ids.js';
import type { WechatMessage } from './wechat.js';

export type { MessageChannel };

/**
 * The sender address when none is configured: declared once, for the CDK context default, the
 * SES transport and the local outbox. A deploy names a verified SES identity (careloop:senderEmail).
 */
export const DEFAULT_SENDER_EMAIL = 'careloop@example.com';

/** The environment variable that names the sender (set by the CDK from careloop:senderEmail; the local runtime sets its own). */
export const SENDER_EMAIL_ENV = 'CARELOOP_SENDER_EMAIL';

/**
 * Set by the CDK on the function of GET /health: `subscribed` when the operations alarms are emailed to
 * someone (careloop:operationsEmail), `unsubscribed` when they reach nobody. The local runtime has no alarms.
 */
export const OPERATIONS_ALERTS_ENV = 'CARELOOP_OPERATIONS_ALERTS';

/** False only in a deployment whose operations alarms reach nobody (GET /health lists careloop:operationsEmail). */
export const operationsAlertsConfigured = (from = process.env[OPERATIONS_ALERTS_ENV]): boolean =>
  from !== 'unsubscribed';

/** True when this deployment names a sender of its own rather than the placeholder (GET /health lists it otherwise). */
export const senderConfigured = (from = process.env[SENDER_EMAIL_ENV]): boolean =>
  !!from && from !== DEFAULT_SENDER_EMAIL;

export interface EmailAttachment {
  filename: string;
  contentType: string;
  /** Bytes, or text sent as UTF-8. */
  content: Uint8Array | string;
}

export interface EmailMessage {
  /** Idempotency key: a message id is sent once, however often `send` is called with it. */
  id: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: EmailAttachment[];
}

export interface SmsMessage {
  id: string;
  /** E.164 number. */
  to: string;
  text: string;
}

export interface SendReceipt {
  messageId: string;
  /** `duplicate`: this id was sent before; nothing went out this time. */
  status: 'sent' | 'duplicate';
  providerMessageId?: string;
}

/** The message of each channel (a channel's adapter delivers exactly this shape). */
export interface ChannelMessages {
  email: EmailMessage;
  sms: SmsMessage;
  wechat: WechatMessage;
}

/** A message on its channel: what every notice hands to `send` (shared/notify/send.ts). */
export type OutgoingMessage<C extends MessageChannel = MessageChannel> = {
  [K in C]: { channel: K } & ChannelMessages[K];
}[C];

/** Sends a channel's message once per message id (once.ts wraps a Transport into one). */
export interface Sender<M> {
  send(message: M): Promise<SendReceipt>;
}

/** One sender per channel: the ports every runtime installs (a channel missing from ChannelMessages fails to compile). */
export type Senders = { [C in MessageChannel]: Sender<ChannelMessages[C]> };

export type EmailSender = Senders['email'];
export type SmsSender = Senders['sms'];

/** Delivers one message through a provider, with no duplicate check (the ledger does that). */
export interface Transport<M> {
  deliver(message: M): Promise<{ providerMessageId?: string }>;
}

/**
 * A message could not be delivered. `retryable`: the provider was busy or unreachable and a
 * later attempt may succeed. `addressRefused`: the provider said the address itself is bad (a
 * hard bounce, an invalid or opted-out number) — the only failure that may mark a customer's
 * address undeliverable; a refusal caused by our own setup (SES sandbox, AccessDenied,
 * throttling, a paused account) is neither the customer's fault nor theirs to fix.
 */
export class DeliveryFailed extends Error {
  override readonly name = 'DeliveryFailed';
  readonly addressRefused: boolean;
  /** The channel that failed, when known (the address a refusal condemns is the customer's on this channel). */
  readonly channel: MessageChannel | undefined;
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown; addressRefused?: boolean; channel?: MessageChannel },
  ) {
    super(message, options);
    this.addressRefused = options?.addressRefused ?? false;
    this.channel = options?.channel;
  }
}
