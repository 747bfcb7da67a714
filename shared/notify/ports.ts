/**
 * Email and SMS, as every capability sees them: one message in, sent at most once per
 * message id. Escalation notices, survey invitations, follow-ups and the monthly report all
 * go through these two ports; AWS sends with SES and SNS, the local runtime writes an outbox.
 */

/**
 * The sender address when none is configured: declared once, for the CDK context default, the
 * SES transport and the local outbox. A deploy names a verified SES identity (careloop:senderEmail).
 */
export const DEFAULT_SENDER_EMAIL = 'careloop@example.com';

/** The environment variable that names the sender (set by the CDK from careloop:senderEmail; the local runtime sets its own). */
export const SENDER_EMAIL_ENV = 'CARELOOP_SENDER_EMAIL';

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

export interface EmailSender {
  send(message: EmailMessage): Promise<SendReceipt>;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<SendReceipt>;
}

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
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown; addressRefused?: boolean },
  ) {
    super(message, options);
    this.addressRefused = options?.addressRefused ?? false;
  }
}

/** Provider answers that blame the address: SNS on an invalid or opted-out number, SES on a malformed address or a hard bounce. */
const ADDRESS_REFUSED: Record<'email' | 'sms', (name: string, message: string) => boolean> = {
  sms: (name, message) =>
    (/^InvalidParameter(Exception)?$/.test(name) && /phone ?number/i.test(message)) ||
    name === 'OptedOutException' ||
    /opted[ -]?out/i.test(message),
  email: (name, message) =>
    name === 'HardBounce' ||
    (name === 'BadRequestException' && /(illegal|invalid|malformed) (email )?address/i.test(message)),
};

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ThrottledException',
  'LimitExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalErrorException',
  'InternalError',
  'KMSThrottlingException',
  'TimeoutError',
  'RequestTimeout',
]);

/** Provider errors as DeliveryFailed: throttling, 5xx and network errors may be retried, the rest may not. */
export function deliveryFailure(error: unknown, channel: 'email' | 'sms'): DeliveryFailed {
  if (error instanceof DeliveryFailed) return error;
  const { name = 'Error', message = String(error) } = (error ?? {}) as { name?: string; message?: string };
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  const code = (error as { code?: string } | null)?.code;
  const retryable =
    RETRYABLE_NAMES.has(name) ||
    (status !== undefined && status >= 500) ||
    ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN'].includes(code ?? '');
  return new DeliveryFailed(`${channel} not delivered: ${name}: ${message}`, retryable, {
    cause: error,
    addressRefused: !retryable && ADDRESS_REFUSED[channel](name, message),
  });
}
