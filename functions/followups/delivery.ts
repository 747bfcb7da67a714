/**
 * Delivery status (api-contract.md "Channels (v1.2)"): what SES (bounces, complaints, deliveries,
 * through SNS and an SQS queue) and SNS (SMS delivery status) report after a message left. Each
 * receipt sets its message's ledger `status` (`delivered`, `bounced`, `failed`); a problem with a
 * customer's address is recorded as that channel's last delivery problem (GET /customers/{id}
 * `deliveryProblems`), and a permanent one (a hard bounce, a complaint, a refused number) stops the
 * address being used until the profile names another, so the routing rule moves to the next channel.
 *
 * Safe to read twice: a status only moves forward, a problem overwrites itself. A receipt that
 * arrives before its message was marked sent is retried (the queue redelivers it); one no provider
 * sends is kept for an operator (the dead-letter queue, alarmed).
 */
import { gunzipSync } from 'node:zlib';
import {
  type DeliveryEvent,
  parseDeliveryRecord,
  UnreadableDeliveryEvent,
} from '../../shared/domain/delivery-events.js';
import { followUpTaskOf } from '../../shared/domain/message-ids.js';
import { logger } from '../../shared/observability/logger.js';
import type { ComplaintStore } from '../../shared/store/complaints.js';
import { dynamoComplaintStore } from '../../shared/store/complaints.js';
import { type CustomerStore, dynamoCustomerStore } from '../../shared/store/customers.js';
import { addressFingerprint, dynamoFollowUpStore, type FollowUpStore } from '../../shared/store/followups.js';
import { dynamoSuggestionStore, type SuggestionStore } from '../../shared/store/improvements.js';
import { dynamoDeliveryLedger } from '../../shared/store/messages.js';
import { dynamoSurveyStore, type SurveyStore } from '../../shared/store/surveys.js';
import { customerAddress } from './performing.js';

export interface DeliveryDeps {
  ledger: typeof dynamoDeliveryLedger;
  tasks: Pick<FollowUpStore, 'getTask' | 'recordDeliveryProblem'>;
  surveys: Pick<SurveyStore, 'getSurvey'>;
  complaints: Pick<ComplaintStore, 'get'>;
  suggestions: Pick<SuggestionStore, 'get'>;
  customers: Pick<CustomerStore, 'readCustomer'>;
}

const defaults: DeliveryDeps = {
  ledger: dynamoDeliveryLedger,
  tasks: dynamoFollowUpStore,
  surveys: dynamoSurveyStore,
  complaints: dynamoComplaintStore,
  suggestions: dynamoSuggestionStore,
  customers: dynamoCustomerStore,
};

/** The receipt came before its message was marked sent: the record is tried again later. */
export class ReceiptTooEarly extends Error {
  override readonly name = 'ReceiptTooEarly';
}

export type ReceiptOutcome = 'recorded' | 'problem_recorded' | 'unknown_message';

/** The customer a message was for: a follow-up task's own, its survey's, its complaint's or its suggestion's. */
async function customerOfMessage(messageId: string, deps: DeliveryDeps): Promise<string | undefined> {
  const taskId = followUpTaskOf(messageId);
  const task = taskId ? await deps.tasks.getTask(taskId) : undefined;
  if (!task) return undefined; // staff notices, reports, digests: no customer's address to judge
  if (task.customerId) return task.customerId;
  if (task.surveyId) return (await deps.surveys.getSurvey(task.surveyId))?.customerId;
  if (task.subject?.type === 'complaint') return (await deps.complaints.get(task.subject.id))?.customerId;
  if (task.suggestionId) return (await deps.suggestions.get(task.suggestionId))?.customerId;
  return undefined;
}

const sameAddress = (a: string, b: string) => addressFingerprint(a) === addressFingerprint(b);

/** One receipt: the message's status, then the customer's address if it concerns it. */
export async function recordDeliveryEvent(
  event: DeliveryEvent,
  now: Date,
  deps: Partial<DeliveryDeps> = {},
): Promise<ReceiptOutcome> {
  const all = { ...defaults, ...deps };
  const messageId =
    event.messageId ??
    (event.providerMessageId
      ? await all.ledger.messageIdOfProvider(event.channel, event.providerMessageId)
      : undefined);
  if (!messageId) return 'unknown_message';
  if (event.status) {
    const update = await all.ledger.recordDelivery(messageId, event.status, event.at || now.toISOString());
    if (update === 'not_sent_yet') throw new ReceiptTooEarly(`message ${messageId} is still being sent`);
    if (update === 'unknown') return 'unknown_message'; // erased, expired, or not ours
  }
  if (!event.problem) return 'recorded';
  const customerId = await customerOfMessage(messageId, all);
  if (!customerId) return 'recorded';
  const { profile } = await all.customers.readCustomer(customerId);
  const current = profile ? customerAddress(profile, event.channel) : undefined;
  // Only while the profile still names the address that failed: a changed address starts clean.
  if (!current || !event.addresses.some((address) => sameAddress(address, current))) return 'recorded';
  await all.tasks.recordDeliveryProblem(
    customerId,
    event.channel,
    { address: current, kind: event.problem, reason: event.reason, suppress: event.permanent },
    now,
  );
  logger.info('delivery problem recorded', {
    messageId,
    channel: event.channel,
    kind: event.problem,
    suppressed: event.permanent,
  });
  return 'problem_recorded';
}

/** An SQS record (its id and body) or a delivery-status log line. */
export interface ReceiptRecord {
  id: string;
  body: string;
}

export interface ReceiptsSummary {
  events: number;
  recorded: number;
  problems: number;
  unknown: number;
  /** Records to be delivered again (SQS partial batch response) or kept for an operator. */
  failed: string[];
}

/**
 * A batch of records: each read and recorded on its own, so one that fails (too early, unreadable,
 * a store briefly unavailable) is handed back alone (`failed`) while the others are done.
 */
export async function recordDeliveryReceipts(
  records: readonly ReceiptRecord[],
  now: Date,
  deps: Partial<DeliveryDeps> = {},
): Promise<ReceiptsSummary> {
  const summary: ReceiptsSummary = { events: 0, recorded: 0, problems: 0, unknown: 0, failed: [] };
  for (const record of records) {
    try {
      for (const event of parseDeliveryRecord(record.body)) {
        summary.events += 1;
        const outcome = await recordDeliveryEvent(event, now, deps);
        if (outcome === 'unknown_message') summary.unknown += 1;
        else if (outcome === 'problem_recorded') summary.problems += 1;
        else summary.recorded += 1;
      }
    } catch (error) {
      summary.failed.push(record.id);
      const level = error instanceof UnreadableDeliveryEvent ? 'error' : 'warn';
      logger[level]('delivery receipt not recorded', { recordId: record.id, error: error as Error });
    }
  }
  return summary;
}

/** The records of a Lambda event: an SQS batch (SES events) or a CloudWatch Logs subscription (SMS delivery status). */
export function receiptRecordsOf(event: unknown): ReceiptRecord[] {
  const value = event as {
    Records?: Array<{ messageId?: string; body?: string }>;
    awslogs?: { data?: string };
  };
  if (Array.isArray(value?.Records))
    return value.Records.map((record, i) => ({ id: record.messageId ?? String(i), body: record.body ?? '' }));
  if (typeof value?.awslogs?.data === 'string') {
    const logs = JSON.parse(gunzipSync(Buffer.from(value.awslogs.data, 'base64')).toString('utf8')) as {
      logEvents?: Array<{ id: string; message: string }>;
    };
    return (logs.logEvents ?? []).map((line) => ({ id: line.id, body: line.message }));
  }
  throw new UnreadableDeliveryEvent('neither an SQS batch nor a CloudWatch Logs subscription event');
}
