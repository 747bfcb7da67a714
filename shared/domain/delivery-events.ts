/**
 * What the providers report after a message left (api-contract.md "Channels (v1.2)", delivery
 * status), read into one shape. Pure: functions/followups/delivery.ts does the I/O.
 *
 * - Email: Amazon SES event publishing (a configuration set's SNS destination, raw to SQS): `eventType`
 *   `Delivery`, `Bounce` (`bounceType` `Permanent` = hard, `Transient`/`Undetermined` = soft) or
 *   `Complaint`; SES identity notifications (`notificationType`) read the same. The message is named
 *   by the `careloop-message` tag the SES transport puts on it (`sesMessageTag`).
 * - SMS: Amazon SNS SMS delivery status (the account's delivery-status log, one JSON line per
 *   message: `notification.messageId`, `delivery.destination`, `delivery.providerResponse`,
 *   `status` `SUCCESS` | `FAILURE`). The message is named by SNS's own id (the ledger keeps a
 *   pointer from it, shared/store/messages.ts).
 */
import type { DeliveryProblemKind } from '../schemas/customers.js';
import { maskFreeText } from './masking.js';

/** A message's status after it left (the ledger's `status` past `sent`). */
export type DeliveryStatus = 'delivered' | 'bounced' | 'failed';

export type { DeliveryProblemKind };

export interface DeliveryEvent {
  channel: 'email' | 'sms';
  /** Ours (email, from the tag). */
  messageId?: string;
  /** The provider's (SMS), resolved to ours through the ledger's pointer. */
  providerMessageId?: string;
  /** What the message's status becomes; absent for a complaint (the message was delivered). */
  status?: DeliveryStatus;
  /** When there is a problem with the recipient's address, what it is. */
  problem?: DeliveryProblemKind;
  /** True when the address is not to be used again until the profile changes (hard bounce, complaint, refused number). */
  permanent: boolean;
  /** The recipients concerned (a bounce names each bounced address). */
  addresses: string[];
  /** The provider's words, cut and masked (a diagnostic code may echo the address). */
  reason: string;
  at: string;
}

/** The SES tag that names our message; tag values allow letters, digits, `_` and `-`, so the id goes base64url. */
export const SES_MESSAGE_TAG = 'careloop-message';
export const sesMessageTag = (messageId: string) => Buffer.from(messageId, 'utf8').toString('base64url');
export const messageIdOfSesTag = (value: string) => Buffer.from(value, 'base64url').toString('utf8');

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const cut = (value: string) => maskFreeText(value).replace(/\s+/g, ' ').trim().slice(0, 200);
const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** Not an event a provider sends: kept for an operator (the record goes to the dead-letter queue). */
export class UnreadableDeliveryEvent extends Error {
  override readonly name = 'UnreadableDeliveryEvent';
}

/** An SNS envelope (raw delivery off) carries the event as a string in `Message`. */
function unwrap(value: Record<string, unknown>): Record<string, unknown> {
  if (value.Type === 'Notification' && typeof value.Message === 'string') {
    try {
      const inner = JSON.parse(value.Message) as unknown;
      if (isObject(inner)) return inner;
    } catch {
      // falls through: not an event
    }
    throw new UnreadableDeliveryEvent('an SNS notification whose Message is not a JSON object');
  }
  return value;
}

/**
 * The events of one record (an SQS message body or a delivery-status log line). Events that say
 * nothing about delivery (`Send`, `Open`, a subscription confirmation) are `[]`; a body no
 * provider sends throws `UnreadableDeliveryEvent`.
 */
export function parseDeliveryRecord(body: string): DeliveryEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new UnreadableDeliveryEvent('not JSON');
  }
  if (!isObject(parsed)) throw new UnreadableDeliveryEvent('not a JSON object');
  if (parsed.Type === 'SubscriptionConfirmation' || parsed.Type === 'UnsubscribeConfirmation') return [];
  const event = unwrap(parsed);
  if (isObject(event.mail)) return sesEvents(event);
  if (isObject(event.notification) && isObject(event.delivery)) return [smsReceipt(event)];
  throw new UnreadableDeliveryEvent('neither an SES event nor an SNS SMS delivery status');
}

function sesEvents(event: Record<string, unknown>): DeliveryEvent[] {
  const type = text(event.eventType) || text(event.notificationType);
  const mail = event.mail as Record<string, unknown>;
  const tags = isObject(mail.tags) ? mail.tags : {};
  const tag = Array.isArray(tags[SES_MESSAGE_TAG]) ? text((tags[SES_MESSAGE_TAG] as unknown[])[0]) : '';
  // A message sent without our tag (not CareLoop's, or an id too long for a tag) cannot be traced: nothing to do.
  if (!tag) return [];
  const messageId = messageIdOfSesTag(tag);
  const base = { channel: 'email' as const, messageId };
  if (type === 'Delivery') {
    const delivery = isObject(event.delivery) ? event.delivery : {};
    return [
      {
        ...base,
        status: 'delivered',
        permanent: false,
        addresses: arrayOfText(delivery.recipients),
        reason: '',
        at: text(delivery.timestamp) || text(mail.timestamp),
      },
    ];
  }
  if (type === 'Bounce') {
    const bounce = isObject(event.bounce) ? event.bounce : {};
    const hard = bounce.bounceType === 'Permanent';
    const recipients = Array.isArray(bounce.bouncedRecipients) ? bounce.bouncedRecipients.filter(isObject) : [];
    const diagnostic = recipients.map((r) => text(r.diagnosticCode) || text(r.status)).find(Boolean) ?? '';
    return [
      {
        ...base,
        status: 'bounced',
        problem: hard ? 'hard_bounce' : 'soft_bounce',
        permanent: hard,
        addresses: recipients.map((r) => text(r.emailAddress)).filter(Boolean),
        reason: cut(`${text(bounce.bounceType)}/${text(bounce.bounceSubType)}${diagnostic ? `: ${diagnostic}` : ''}`),
        at: text(bounce.timestamp) || text(mail.timestamp),
      },
    ];
  }
  if (type === 'Complaint') {
    const complaint = isObject(event.complaint) ? event.complaint : {};
    const recipients = Array.isArray(complaint.complainedRecipients)
      ? complaint.complainedRecipients.filter(isObject)
      : [];
    return [
      {
        ...base,
        problem: 'complaint',
        permanent: true,
        addresses: recipients.map((r) => text(r.emailAddress)).filter(Boolean),
        reason: cut(
          `complaint${text(complaint.complaintFeedbackType) ? `: ${text(complaint.complaintFeedbackType)}` : ''}`,
        ),
        at: text(complaint.timestamp) || text(mail.timestamp),
      },
    ];
  }
  return [];
}

const arrayOfText = (value: unknown) => (Array.isArray(value) ? value.map(text).filter(Boolean) : []);

/** SNS provider responses that say the number itself will not take messages (opted out, invalid, unknown). */
const PERMANENT_SMS = /opted out|invalid|unknown subscriber|not a valid|does not exist|blocked by the recipient/i;

function smsReceipt(event: Record<string, unknown>): DeliveryEvent {
  const notification = event.notification as Record<string, unknown>;
  const delivery = event.delivery as Record<string, unknown>;
  const providerMessageId = text(notification.messageId);
  if (!providerMessageId) throw new UnreadableDeliveryEvent('an SMS delivery status without notification.messageId');
  const response = text(delivery.providerResponse);
  const at = text(notification.timestamp);
  const destination = text(delivery.destination);
  if (event.status === 'SUCCESS')
    return {
      channel: 'sms',
      providerMessageId,
      status: 'delivered',
      permanent: false,
      addresses: destination ? [destination] : [],
      reason: '',
      at,
    };
  const permanent = PERMANENT_SMS.test(response);
  return {
    channel: 'sms',
    providerMessageId,
    status: 'failed',
    problem: permanent ? 'refused' : 'undeliverable',
    permanent,
    addresses: destination ? [destination] : [],
    reason: cut(response || 'FAILURE'),
    at,
  };
}
