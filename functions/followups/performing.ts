/**
 * What every performer of the follow-up job works with: the job's stores and needs (`FollowUpDeps`),
 * a task with its run (`Job`), what it did (`Performed`), and the helpers that reach a customer
 * and send a task's one message under the task's message id (so it goes out once).
 */
import type { Actor } from '../../shared/domain/access.js';
import {
  channelRoute,
  chooseChannel,
  DEFAULT_CHANNEL_ORDER,
  wechatTemplateFields,
} from '../../shared/domain/followups.js';
import { maskFreeText } from '../../shared/domain/masking.js';
import { MESSAGE_CHANNELS, type MessageChannel, messageIds } from '../../shared/domain/message-ids.js';
import type { WechatTemplateKind } from '../../shared/domain/messaging.js';
import { localMinute } from '../../shared/domain/time.js';
import { compose, type NoticeWords, WECHAT_NO_TEMPLATE } from '../../shared/notify/channels.js';
import { DeliveryFailed, type SendReceipt } from '../../shared/notify/ports.js';
import { send } from '../../shared/notify/send.js';
import { WECHAT_NOT_CONFIGURED } from '../../shared/notify/wechat.js';
import { logger } from '../../shared/observability/logger.js';
import type { Settings } from '../../shared/schemas/settings.js';
import type { AlertStore } from '../../shared/store/alerts.js';
import type { ComplaintWatchStore } from '../../shared/store/complaint-watch.js';
import type { ComplaintStore } from '../../shared/store/complaints.js';
import type { CustomerProfile, CustomerStore } from '../../shared/store/customers.js';
import { addressFingerprint, type FollowUpStore, type FollowUpTask } from '../../shared/store/followups.js';
import type { GoalStore } from '../../shared/store/goals.js';
import type { ImprovementStore, SuggestionStore } from '../../shared/store/improvements.js';
import type { SettingsStore } from '../../shared/store/settings.js';
import type { StaffContacts } from '../../shared/store/staff-contacts.js';
import type { SurveyStore } from '../../shared/store/surveys.js';

export const SYSTEM: Actor = { id: 'careloop-followups', roles: ['admin'] };
/** The timeline actor of the notices this job sends. */
export const SYSTEM_ACTOR = 'system:followups';

export interface FollowUpDeps {
  tasks: FollowUpStore;
  surveys: Pick<SurveyStore, 'getSurvey' | 'markDelivered'>;
  /** The call-back queue, for the day's digest to supervisors. */
  alerts: Pick<AlertStore, 'list' | 'get'>;
  /** Suggestions, whose decision their customer hears. */
  suggestions: Pick<SuggestionStore, 'get'>;
  /** Improvement actions, whose owner and department hear of them (and whose history records it). */
  improvements: Pick<ImprovementStore, 'get' | 'noteOnce'>;
  customers: Pick<CustomerStore, 'readCustomer'>;
  /** Complaints: the confirmation link of a resolved one, the watch or notice a task completes, its timeline. */
  complaints: Pick<ComplaintStore, 'get' | 'recordOnce'>;
  /** Customers who complained about a category since a date (who hears that it is fixed). */
  complaintWatchers: ComplaintWatchStore['complaintWatchers'];
  settings: SettingsStore;
  /** Goals, whose owner hears when one turns at_risk. */
  goals: Pick<GoalStore, 'get'>;
  /**
   * Creates the survey of an invitation task without delivering it (this job sends it) and
   * returns its id; throws the surveys capability's error (409, 429, 404) when there is none to send.
   * The surveys capability provides it (functions/composition.ts).
   */
  createSurvey(subject: NonNullable<FollowUpTask['subject']>, actor: Actor, now: Date): Promise<string>;
  /** Whether a campaign still sends (not cancelled): its invitations and reminders are skipped once it is (surveys). */
  campaignSending(campaignId: string): Promise<boolean>;
  /** The public link of a signed survey token (the surveys capability's). */
  surveyUrl(token: string): string;
  /** A member of staff's contact from the staff directory (where an assignee's deadline warning goes). */
  staffContacts: StaffContacts;
}

export type Outcome = 'sent' | 'skipped' | 'deferred' | 'retried' | 'failed' | 'scheduled';

/** The message id a task's message goes out under: the same on every run, so it is sent once. */
export const messageId = (task: FollowUpTask) => messageIds.followUp(task.id);

/** A task's one message, to `address` on `channel`: under the task's message id, so it goes out once. */
export const sendTaskMessage = (channel: MessageChannel, address: string, task: FollowUpTask, words: NoticeWords) =>
  send(compose(channel, messageId(task), address, words));

/** A customer's address on a channel (the openId on WeChat). */
export const customerAddress = (profile: CustomerProfile, channel: MessageChannel) =>
  channel === 'sms' ? profile.phone : channel === 'email' ? profile.email : profile.wechatOpenId;

/**
 * A customer-facing message: the channels to try (api-contract.md "Channels (v1.2)"): the one asked
 * for or preferred, then settings messaging.channelOrder, each with consent and an address that was
 * not refused (a refused address is used again once the profile names another).
 */
export async function reach(
  customerId: string | undefined,
  requested: MessageChannel | undefined,
  settings: Settings | undefined,
  deps: FollowUpDeps,
) {
  if (!customerId) return { channel: null, reason: 'customer_erased' } as const;
  const { profile } = await deps.customers.readCustomer(customerId);
  if (!profile) return { channel: null, reason: 'no_customer_profile' } as const;
  const refused = await deps.tasks.undeliverableAddresses(customerId);
  const undeliverable = Object.fromEntries(
    MESSAGE_CHANNELS.map((channel) => {
      const address = customerAddress(profile, channel);
      return [channel, !!address && refused[channel] === addressFingerprint(address)];
    }),
  );
  const order = settings?.messaging.channelOrder ?? DEFAULT_CHANNEL_ORDER;
  const reachable = { ...profile, undeliverable };
  const choice = chooseChannel(reachable, requested, order);
  const route = channelRoute(reachable, requested, order);
  return { ...choice, candidates: route.candidates, customerId, language: profile.language };
}

export type Reached = Exclude<Awaited<ReturnType<typeof reach>>, { channel: null }>;

/** A channel given up for a message, and why (on the task, and on the complaint's timeline for its notices). */
export interface Fallback {
  channel: MessageChannel;
  reason: string;
}

/** Permanent for this customer on this channel, so the next channel is tried: refused, not set up for it. */
export const fallsBack = (error: unknown): error is DeliveryFailed =>
  error instanceof DeliveryFailed &&
  !error.retryable &&
  (error.addressRefused || error.message.includes(WECHAT_NOT_CONFIGURED) || error.message.includes(WECHAT_NO_TEMPLATE));

/**
 * Sends a customer's message by the routing rule: the first channel of the route; on a permanent
 * failure there (refused, unsubscribed, hard bounce, WeChat not set up) the refused address is
 * marked, the fallback recorded with its reason, and the next channel tried — under the same
 * message id, so however many channels are tried, one message goes out for the purpose. A
 * transient failure throws: the job retries the task later, on the same first channel.
 */
export async function sendToCustomer(
  job: Job,
  customer: Reached,
  words: NoticeWords,
  wechat: { kind: WechatTemplateKind; reference?: string | undefined; url?: string | undefined },
  task: FollowUpTask = job.task,
): Promise<{ receipt: SendReceipt; channel: MessageChannel; fallbacks: Fallback[] } | { failed: Fallback[] }> {
  const fallbacks: Fallback[] = [];
  for (const { channel, address } of customer.candidates) {
    const templateId = job.settings.messaging.wechat.templates[wechat.kind];
    const channelWords: NoticeWords =
      channel === 'wechat' && templateId
        ? {
            ...words,
            wechat: {
              templateId,
              fields: wechatTemplateFields({
                kind: wechat.kind,
                language: customer.language,
                subject: words.subject,
                text: words.text,
                reference: wechat.reference,
                at: localMinute(job.now, job.settings.timezone),
              }),
              url: wechat.url,
            },
          }
        : words;
    try {
      const receipt = await sendTaskMessage(channel, address, task, channelWords);
      return { receipt, channel, fallbacks };
    } catch (error) {
      if (!fallsBack(error)) throw error;
      const reason = maskFreeText(error.message).slice(0, 200);
      if (error.addressRefused)
        await job.deps.tasks.markUndeliverable(customer.customerId, channel, address, job.now, {
          kind: 'refused',
          reason,
        });
      fallbacks.push({ channel, reason });
      logger.warn('customer message falls back to the next channel', {
        taskId: task.id,
        channel,
        reason: error.message,
      });
    }
  }
  return { failed: fallbacks };
}

/** The outcome of a routed message: sent (with its fallbacks) or failed on every channel. */
export function routed(
  result: Awaited<ReturnType<typeof sendToCustomer>>,
  changes: Partial<FollowUpTask> = {},
): Performed {
  if ('failed' in result)
    return {
      outcome: 'failed',
      reason: `no channel left: ${result.failed.map((f) => `${f.channel}: ${f.reason}`).join('; ')}`.slice(0, 500),
      changes: { ...changes, fallbacks: result.failed },
    };
  return delivered(result.receipt, result.channel, {
    ...changes,
    ...(result.fallbacks.length ? { fallbacks: result.fallbacks } : {}),
  });
}

export interface Performed {
  outcome: Outcome;
  /** With outcome `deferred`: when to try again (the task stays pending). */
  until?: Date;
  reason?: string;
  channel?: MessageChannel;
  changes?: Partial<FollowUpTask>;
}

/** What a performer works with: the task, the run's instant and settings, and the stores. */
export interface Job {
  task: FollowUpTask;
  now: Date;
  settings: Settings;
  deps: FollowUpDeps;
}

/** The outcome of a customer message: sent, or skipped when that message id went out before. */
export const delivered = (
  receipt: { status: string },
  channel: MessageChannel,
  changes?: Partial<FollowUpTask>,
): Performed => ({
  outcome: receipt.status === 'sent' ? 'sent' : 'skipped',
  reason: receipt.status,
  channel,
  ...(changes ? { changes } : {}),
});
