/**
 * The follow-up job (every 15 minutes): finds due tasks through the due index, claims each,
 * and sends the survey invitation after a resolved contact, up to two reminders, "the
 * problem you reported has been fixed" after a verified improvement, and detractor alerts
 * to the supervisor. Each message goes out at most once (deterministic message ids through
 * the exactly-once senders), quiet hours defer customer messages, failed sends are retried
 * with backoff and, after the last attempt, listed for an operator.
 */

import type { Actor } from '../../shared/domain/access.js';
import { realSpan } from '../../shared/domain/clock.js';
import {
  type Contact,
  escalationMessages,
  ownerMessages,
  ownerRecipientFor,
  roleContact,
} from '../../shared/domain/complaints/notices.js';
import { escalationInput } from '../../shared/domain/complaints/workflow.js';
import { signConfirmationToken } from '../../shared/domain/confirmation-token.js';
import { CareLoopError } from '../../shared/domain/errors.js';
import {
  type Channel,
  channelRoute,
  chooseChannel,
  customerNotice,
  DEFAULT_CHANNEL_ORDER,
  followUpMessage,
  improvementNotice,
  MAX_ATTEMPTS,
  REMINDER_DELAYS_DAYS,
  retryDelayMs,
  suggestionDecisionNotice,
  wechatTemplateFields,
} from '../../shared/domain/followups.js';
import { isOverdue, overdueFrom } from '../../shared/domain/improvements.js';
import { MESSAGE_CHANNELS, messageIds, noticeRecords, taskIds } from '../../shared/domain/message-ids.js';
import type { WechatTemplateKind } from '../../shared/domain/messaging.js';
import { maskText } from '../../shared/domain/personal-data.js';
import { sendableAt } from '../../shared/domain/quiet-hours.js';
import { DEFAULT_SETTINGS } from '../../shared/domain/settings.js';
import { signSurveyToken } from '../../shared/domain/survey-token.js';
import { DAY, localDate, localMinute } from '../../shared/domain/time.js';
import { confirmationPageUrl } from '../../shared/links.js';
import { compose, type NoticeWords, WECHAT_NO_TEMPLATE } from '../../shared/notify/channels.js';
import { deliverNotices } from '../../shared/notify/notices.js';
import { DeliveryFailed, type SendReceipt } from '../../shared/notify/ports.js';
import { send } from '../../shared/notify/send.js';
import { WECHAT_NOT_CONFIGURED } from '../../shared/notify/wechat.js';
import { logger } from '../../shared/observability/logger.js';
import { countEvent } from '../../shared/observability/metrics.js';
import { ports } from '../../shared/ports.js';
import type { Complaint } from '../../shared/schemas/complaints.js';
import type { Settings } from '../../shared/schemas/settings.js';
import { type AlertStore, dynamoAlertStore } from '../../shared/store/alerts.js';
import { complaintWatchers } from '../../shared/store/complaint-watch.js';
import { type ComplaintStore, dynamoComplaintStore } from '../../shared/store/complaints.js';
import { type CustomerProfile, type CustomerStore, dynamoCustomerStore } from '../../shared/store/customers.js';
import {
  addressFingerprint,
  dynamoFollowUpStore,
  type FollowUpStore,
  type FollowUpTask,
} from '../../shared/store/followups.js';
import {
  dynamoImprovementStore,
  dynamoSuggestionStore,
  type ImprovementStore,
  type SuggestionStore,
} from '../../shared/store/improvements.js';
import { currentSettings } from '../../shared/store/settings.js';
import { staffContactReader } from '../../shared/store/staff-contacts.js';
import { dynamoSurveyStore, type SurveyRecord, type SurveyStore } from '../../shared/store/surveys.js';

const SYSTEM: Actor = { id: 'careloop-followups', roles: ['admin'] };
/** The timeline actor of the notices this job sends. */
const SYSTEM_ACTOR = 'system:followups';
/** How long a run holds a task it claimed (real time: it guards against a crashed run, whatever the clock's scale). */
const CLAIM_LEASE_MS = 5 * 60 * 1000;

export interface FollowUpDeps {
  tasks: FollowUpStore;
  surveys: Pick<SurveyStore, 'getSurvey'>;
  /** The call-back queue, for the day's digest to supervisors. */
  alerts: Pick<AlertStore, 'list'>;
  /** Suggestions, whose decision their customer hears. */
  suggestions: Pick<SuggestionStore, 'get'>;
  /** Improvement actions, whose owner and department hear of them (and whose history records it). */
  improvements: Pick<ImprovementStore, 'get' | 'noteOnce'>;
  customers: Pick<CustomerStore, 'readCustomer'>;
  /** Complaints: the confirmation link of a resolved one, the watch or notice a task completes, its timeline. */
  complaints: Pick<ComplaintStore, 'get' | 'recordOnce'>;
  /** Customers who complained about a category since a date (who hears that it is fixed). */
  complaintWatchers: typeof complaintWatchers;
  settings: typeof currentSettings;
  /**
   * Creates the survey of an invitation task without delivering it (this job sends it) and
   * returns its id; throws the surveys capability's error (409, 429, 404) when there is none to send.
   * The surveys capability provides it (functions/composition.ts).
   */
  createSurvey(subject: NonNullable<FollowUpTask['subject']>, actor: Actor, now: Date): Promise<string>;
  /** The public link of a signed survey token (the surveys capability's). */
  surveyUrl(token: string): string;
  /** A member of staff's contact from the staff directory (where an assignee's deadline warning goes). */
  staffContact(staffId: string): Promise<Contact | undefined>;
}

const defaults: Omit<FollowUpDeps, 'createSurvey' | 'surveyUrl'> = {
  tasks: dynamoFollowUpStore,
  alerts: dynamoAlertStore,
  suggestions: dynamoSuggestionStore,
  improvements: dynamoImprovementStore,
  // An assignee without a contact in the staff directory: the warning goes to the complaint's owner.
  staffContact: staffContactReader(),
  surveys: dynamoSurveyStore,
  customers: dynamoCustomerStore,
  complaints: dynamoComplaintStore,
  complaintWatchers,
  settings: currentSettings,
};

/** What a caller passes: the part the surveys capability provides, and any replacement of the rest. */
export type GivenFollowUpDeps = Pick<FollowUpDeps, 'createSurvey' | 'surveyUrl'> & Partial<FollowUpDeps>;

export interface RunSummary {
  due: number;
  sent: number;
  skipped: number;
  deferred: number;
  retried: number;
  failed: number;
  scheduled: number;
}

type Outcome = 'sent' | 'skipped' | 'deferred' | 'retried' | 'failed' | 'scheduled';

/** The message id a task's message goes out under: the same on every run, so it is sent once. */
const messageId = (task: FollowUpTask) => messageIds.followUp(task.id);

/** A task's one message, to `address` on `channel`: under the task's message id, so it goes out once. */
const sendTaskMessage = (channel: Channel, address: string, task: FollowUpTask, words: NoticeWords) =>
  send(compose(channel, messageId(task), address, words));

/** A customer's address on a channel (the openId on WeChat). */
const customerAddress = (profile: CustomerProfile, channel: Channel) =>
  channel === 'sms' ? profile.phone : channel === 'email' ? profile.email : profile.wechatOpenId;

/**
 * A customer-facing message: the channels to try (api-contract.md "Channels (v1.2)"): the one asked
 * for or preferred, then settings messaging.channelOrder, each with consent and an address that was
 * not refused (a refused address is used again once the profile names another).
 */
async function reach(deps: FollowUpDeps, customerId: string | undefined, requested?: Channel, settings?: Settings) {
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

type Reached = Exclude<Awaited<ReturnType<typeof reach>>, { channel: null }>;

/** A channel given up for a message, and why (on the task, and on the complaint's timeline for its notices). */
export interface Fallback {
  channel: Channel;
  reason: string;
}

/** Permanent for this customer on this channel, so the next channel is tried: refused, not set up for it. */
const fallsBack = (error: unknown): error is DeliveryFailed =>
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
async function sendToCustomer(
  job: Job,
  customer: Reached,
  words: NoticeWords,
  wechat: { kind: WechatTemplateKind; reference?: string | undefined; url?: string | undefined },
  task: FollowUpTask = job.task,
): Promise<{ receipt: SendReceipt; channel: Channel; fallbacks: Fallback[] } | { failed: Fallback[] }> {
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
      if (error.addressRefused) await job.deps.tasks.markUndeliverable(customer.customerId, channel, address, job.now);
      fallbacks.push({ channel, reason: maskText(error.message).slice(0, 200) });
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
function routed(result: Awaited<ReturnType<typeof sendToCustomer>>, changes: Partial<FollowUpTask> = {}): Performed {
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

async function surveyLink(survey: SurveyRecord, deps: FollowUpDeps): Promise<string> {
  return deps.surveyUrl(
    signSurveyToken(
      { surveyId: survey.id, expiresAt: new Date(survey.linkExpiresAt) },
      await ports().surveySigningKeys(),
    ),
  );
}

interface Performed {
  outcome: Outcome;
  /** With outcome `deferred`: when to try again (the task stays pending). */
  until?: Date;
  reason?: string;
  channel?: Channel;
  changes?: Partial<FollowUpTask>;
}

/** What a performer works with: the task, the run's instant and settings, and the stores. */
interface Job {
  task: FollowUpTask;
  now: Date;
  settings: Settings;
  deps: FollowUpDeps;
}

/** The outcome of a customer message: sent, or skipped when that message id went out before. */
const delivered = (receipt: { status: string }, channel: Channel, changes?: Partial<FollowUpTask>): Performed => ({
  outcome: receipt.status === 'sent' ? 'sent' : 'skipped',
  reason: receipt.status,
  channel,
  ...(changes ? { changes } : {}),
});

/** The survey an invitation task sends: the one it created on an earlier attempt, or a new one. */
async function invitationSurvey({ task, now, deps }: Job): Promise<SurveyRecord | Performed> {
  const earlier = task.surveyId ? await deps.surveys.getSurvey(task.surveyId) : undefined;
  if (earlier) return earlier;
  if (!task.subject) return { outcome: 'skipped', reason: 'no_subject' };
  let surveyId: string;
  try {
    surveyId = await deps.createSurvey(task.subject, SYSTEM, now);
  } catch (error) {
    // Already surveyed (409), throttled (429), subject gone (404): nothing to send, and that is fine.
    if (error instanceof CareLoopError) return { outcome: 'skipped', reason: `${error.slug}: ${error.message}` };
    throw error;
  }
  await deps.tasks.rememberTaskSurvey(task.id, surveyId);
  return (await deps.surveys.getSurvey(surveyId)) ?? { outcome: 'skipped', reason: 'survey_not_found' };
}

/** The invitation after a resolved contact or a closed complaint, and its reminders. */
async function sendSurveyInvitation(job: Job): Promise<Performed> {
  const { task, now, deps } = job;
  const survey = await invitationSurvey(job);
  if (!('id' in survey)) return survey;
  if (survey.answeredAt) return { outcome: 'skipped', reason: 'answered' };
  if (survey.channel === 'link' || !survey.contact)
    return { outcome: 'skipped', reason: 'no_channel_with_consent', changes: { surveyId: survey.id } };
  const customer = await reach(deps, survey.customerId, survey.channel, job.settings);
  if (customer.channel === null)
    return { outcome: 'skipped', reason: customer.reason, changes: { surveyId: survey.id } };
  const url = await surveyLink(survey, deps);
  const result = await sendToCustomer(
    job,
    customer,
    followUpMessage({ kind: 'survey_invitation', language: survey.language, url }),
    { kind: 'survey_invitation', reference: survey.id, url },
    { ...task, surveyId: survey.id },
  );
  if ('failed' in result) return routed(result, { surveyId: survey.id });
  for (const [i, days] of REMINDER_DELAYS_DAYS.entries()) {
    await deps.tasks.scheduleTask(
      {
        id: taskIds.surveyReminder(survey.id, i + 1),
        kind: 'survey_reminder',
        surveyId: survey.id,
        ...(survey.customerId ? { customerId: survey.customerId } : {}),
        reminder: i + 1,
        dueAt: new Date(now.getTime() + days * DAY).toISOString(),
      },
      now,
    );
  }
  return routed(result, { surveyId: survey.id });
}

/** A reminder of a survey that is still open, on the channel the invitation used. */
async function sendSurveyReminder(job: Job): Promise<Performed> {
  const { task, now, deps } = job;
  const survey = task.surveyId ? await deps.surveys.getSurvey(task.surveyId) : undefined;
  if (!survey || survey.erasedAt || !survey.contact || survey.channel === 'link')
    return { outcome: 'skipped', reason: 'no_contact' };
  if (survey.answeredAt) return { outcome: 'skipped', reason: 'answered' };
  if (new Date(survey.linkExpiresAt) <= now) return { outcome: 'skipped', reason: 'link_expired' };
  const customer = await reach(deps, survey.customerId, survey.channel, job.settings);
  if (customer.channel === null) return { outcome: 'skipped', reason: customer.reason };
  const url = await surveyLink(survey, deps);
  return routed(
    await sendToCustomer(job, customer, followUpMessage({ kind: 'survey_reminder', language: survey.language, url }), {
      kind: 'survey_reminder',
      reference: survey.id,
      url,
    }),
  );
}

/** A verified improvement: one "fixed" task per customer who complained about its category lately. */
async function fanOutFixedMessages({ task, now, deps }: Job): Promise<Performed> {
  let scheduled = 0;
  for (const customerId of await deps.complaintWatchers(task.category ?? '', task.createdAt, 3)) {
    const isNew = await deps.tasks.scheduleTask(
      {
        id: taskIds.problemFixed(task.improvementId!, customerId),
        kind: 'problem_fixed',
        customerId,
        improvementId: task.improvementId!,
        category: task.category!,
        dueAt: now.toISOString(),
      },
      now,
    );
    if (isNew) scheduled += 1;
  }
  return { outcome: 'scheduled', reason: `${scheduled} customers` };
}

/** "The problem you reported has been fixed", on the customer's channel. */
async function sendProblemFixed(job: Job): Promise<Performed> {
  const { task, deps } = job;
  const customer = await reach(deps, task.customerId, undefined, job.settings);
  if (customer.channel === null) return { outcome: 'skipped', reason: customer.reason };
  return routed(
    await sendToCustomer(
      job,
      customer,
      followUpMessage({ kind: 'problem_fixed', language: customer.language, category: task.category }),
      { kind: 'problem_fixed', reference: task.improvementId },
    ),
  );
}

/** "Did this solve your problem?" with the link to answer (`/c/<token>`), while that round is still resolved. */
async function sendComplaintConfirmation(job: Job): Promise<Performed> {
  const { task, now, settings, deps } = job;
  const complaint = task.subject ? await deps.complaints.get(task.subject.id) : undefined;
  if (!complaint) return { outcome: 'skipped', reason: 'no_complaint' };
  if (complaint.status !== 'resolved' || complaint.round !== task.round)
    return { outcome: 'skipped', reason: 'no_longer_awaiting_confirmation' };
  const customer = await reach(deps, complaint.customerId, undefined, settings);
  if (customer.channel === null) return notReached(deps, complaint, task, 'confirmation_link', customer.reason, now);
  const linkValidDays = settings.surveys?.linkValidDays ?? DEFAULT_SETTINGS.surveys.linkValidDays;
  const token = signConfirmationToken(
    {
      complaintId: complaint.id,
      round: complaint.round,
      expiresAt: new Date(Math.floor((now.getTime() + linkValidDays * DAY) / 1000) * 1000),
    },
    await ports().surveySigningKeys(),
  );
  const url = confirmationPageUrl(token);
  const result = await sendToCustomer(
    job,
    customer,
    followUpMessage({ kind: 'complaint_confirmation', language: customer.language, url }),
    { kind: 'complaint_confirmation', reference: complaint.id, url },
  );
  await noteRouted(deps, complaint, task, 'confirmation_link', result, now);
  return routed(result);
}

/** The timeline entry of a routed customer notice: its channel and any fallback with its reason, or why none went out. */
async function noteRouted(
  deps: FollowUpDeps,
  complaint: Complaint,
  task: FollowUpTask,
  template: string,
  result: Awaited<ReturnType<typeof sendToCustomer>>,
  now: Date,
): Promise<void> {
  if ('failed' in result)
    return noteCustomerNotified(
      deps,
      complaint,
      task,
      { channel: 'none', template, notSent: 'no_channel_left', fallbacks: result.failed },
      now,
    );
  await noteCustomerNotified(
    deps,
    complaint,
    task,
    { channel: result.channel, template, ...(result.fallbacks.length ? { fallbacks: result.fallbacks } : {}) },
    now,
  );
}

/** The `customer_notified` entry of a task's notice, once per task, whenever it is written. */
async function noteCustomerNotified(
  deps: FollowUpDeps,
  complaint: Complaint,
  task: FollowUpTask,
  detail: { channel: Channel | 'none'; template: string; notSent?: string; fallbacks?: Fallback[] },
  now: Date,
): Promise<void> {
  await deps.complaints.recordOnce(
    complaint.id,
    {
      at: now.toISOString(),
      type: 'customer_notified',
      actor: SYSTEM_ACTOR,
      detail: {
        ...detail,
        ...(detail.channel === 'none' ? {} : { messageId: messageId(task) }),
        round: task.round ?? complaint.round,
      },
    },
    noticeRecords.customerNotified(task.id),
  );
}

/** A customer notice that could not go out: skipped, and the timeline says why. */
async function notReached(
  deps: FollowUpDeps,
  complaint: Complaint,
  task: FollowUpTask,
  template: string,
  reason: string,
  now: Date,
): Promise<Performed> {
  await noteCustomerNotified(deps, complaint, task, { channel: 'none', template, notSent: reason }, now);
  return { outcome: 'skipped', reason };
}

/**
 * Where a complaint stands, told to its customer on their channel (consent, language): registered
 * (its number and when to expect a response), waiting for them (what is needed), a solution proposed.
 */
async function sendCustomerNotice(job: Job): Promise<Performed> {
  const { task, now, settings, deps } = job;
  const complaint = task.subject ? await deps.complaints.get(task.subject.id) : undefined;
  if (!complaint) return { outcome: 'skipped', reason: 'no_complaint' };
  const stage = task.stage ?? 'acknowledged';
  if (task.round !== undefined && complaint.round !== task.round) return { outcome: 'skipped', reason: 'reopened' };
  if (stage === 'awaiting_customer' && complaint.status !== 'awaiting_customer')
    return { outcome: 'skipped', reason: 'no_longer_awaiting_customer' };
  if (stage === 'solution_proposed' && !complaint.solution) return { outcome: 'skipped', reason: 'no_solution' };
  const customer = await reach(deps, complaint.customerId, undefined, settings);
  if (customer.channel === null) return notReached(deps, complaint, task, stage, customer.reason, now);
  const notice = customerNotice({
    stage,
    language: customer.language,
    complaintId: complaint.id,
    respondBy: localMinute(new Date(complaint.deadlines.respondBy), settings.timezone),
    ...(complaint.pause ? { reason: complaint.pause.reason } : {}),
    ...(complaint.solution ? { solution: complaint.solution } : {}),
  });
  const result = await sendToCustomer(
    job,
    customer,
    { ...notice, short: notice.sms },
    { kind: 'customer_notice', reference: complaint.id },
  );
  await noteRouted(deps, complaint, task, stage, result, now);
  return routed(result);
}

/** A detractor alert to the supervisor, by email or else SMS, with personal data masked. */
async function alertSupervisor({ task, settings }: Job): Promise<Performed> {
  const supervisor = settings.escalation.contacts.supervisor;
  const message = followUpMessage({
    kind: 'detractor_alert',
    language: settings.reportLanguage,
    detail: maskText(task.outcome ?? ''),
  });
  if (supervisor?.email) {
    await sendTaskMessage('email', supervisor.email, task, message);
    return { outcome: 'sent', channel: 'email' };
  }
  if (supervisor?.phone) {
    await sendTaskMessage('sms', supervisor.phone, task, message);
    return { outcome: 'sent', channel: 'sms' };
  }
  return { outcome: 'skipped', reason: 'no_supervisor_contact' };
}

/** Starts a complaint round's escalation workflow that a request stored but died before starting. */
async function ensureWatch({ task, deps }: Job): Promise<Performed> {
  const complaint = task.subject ? await deps.complaints.get(task.subject.id) : undefined;
  if (!complaint) return { outcome: 'skipped', reason: 'complaint_not_found' };
  if (complaint.status === 'closed') return { outcome: 'skipped', reason: 'closed' };
  // Idempotent by name: a running (or finished) execution of this round is left as it is.
  await ports().workflows.start(complaint.escalation.executionName, escalationInput(complaint));
  return { outcome: 'sent', reason: `watched by ${complaint.escalation.executionName}` };
}

/** Sends an escalation notice the workflow gave up on, under the workflow's own message ids (once per channel). */
async function resendEscalationNotice({ task, settings, deps }: Job): Promise<Performed> {
  const complaint = task.subject ? await deps.complaints.get(task.subject.id) : undefined;
  if (!complaint || task.milestone === undefined || task.level === undefined)
    return { outcome: 'skipped', reason: 'complaint_not_found' };
  const role = complaint.escalation.ladder[task.level];
  const contact = role ? roleContact(settings.escalation, role, complaint.team) : {};
  const messages = escalationMessages(complaint, task.milestone, task.level, contact, settings.timezone);
  if (!messages.length) return { outcome: 'skipped', reason: 'no_owner_contact' };
  for (const message of messages) await send(message);
  return { outcome: 'sent', channel: messages[0]!.channel };
}

/**
 * Tells a complaint's owner: registered to them (with the deadlines), a deadline close (the
 * assignee, or the owner when nobody is assigned), escalated to them by an agent. Email, plus
 * SMS for high severity; the escalation workflow sends warnings at once under the same ids.
 */
async function sendOwnerNotice({ task, now, settings, deps }: Job): Promise<Performed> {
  const found = task.subject ? await deps.complaints.get(task.subject.id) : undefined;
  if (!found) return { outcome: 'skipped', reason: 'no_complaint' };
  if (found.status === 'closed') return { outcome: 'skipped', reason: 'closed' };
  if (task.round !== undefined && found.round !== task.round) return { outcome: 'skipped', reason: 'reopened' };
  const purpose = task.purpose ?? 'registered';
  const milestone = task.milestone ?? 'respond';
  if (purpose === 'deadline_warning' && found.milestones[milestone].outcome)
    return { outcome: 'skipped', reason: `${milestone}_${found.milestones[milestone].outcome}` };
  // An agent's escalation is told at the level it reached, even if the workflow moved it on since;
  // a missed deadline to the owner at the level it was missed at.
  const complaint =
    task.level === undefined || purpose === 'missed' ? found : { ...found, escalationLevel: task.level };
  const recipient = ownerRecipientFor(complaint, purpose, settings.escalation, {
    level: task.level,
    assigneeContact: complaint.assigneeId ? await deps.staffContact(complaint.assigneeId) : undefined,
  });
  const messages = ownerMessages(complaint, purpose, recipient, {
    timeZone: settings.timezone,
    now,
    actor: SYSTEM_ACTOR,
    ...(purpose === 'deadline_warning' || purpose === 'missed' ? { milestone } : {}),
  });
  if (!messages.length) {
    await deps.complaints.recordOnce(
      complaint.id,
      {
        at: now.toISOString(),
        type: 'owner_notified',
        actor: SYSTEM_ACTOR,
        detail: { role: recipient.role, channel: 'none', template: purpose, notSent: 'no_owner_contact' },
      },
      noticeRecords.ownerNotReached(task.id),
    );
    return { outcome: 'skipped', reason: 'no_owner_contact' };
  }
  const failures = await deliverNotices(messages, (entry, name) =>
    deps.complaints.recordOnce(complaint.id, entry, name),
  );
  if (failures.length) throw failures[0];
  return { outcome: 'sent', channel: messages[0]!.message.channel };
}

/** Open and claimed call-backs a digest lists, at most this many (the rest: GET /alerts). */
const DIGEST_LIMIT = 200;

/**
 * The day's digest of open call-backs: one email per supervisor (a team's own, else the
 * organisation's) listing their teams' alerts, soonest due first; nothing when none is open.
 */
async function sendAlertDigest({ now, settings, deps }: Job): Promise<Performed> {
  const open = (await deps.alerts.list({ months: [], limit: DIGEST_LIMIT })).items;
  if (!open.length) return { outcome: 'skipped', reason: 'no_open_alerts' };
  const byAddress = new Map<string, typeof open>();
  for (const alert of open) {
    const address = roleContact(settings.escalation, 'supervisor', alert.team).email;
    if (address) byAddress.set(address, [...(byAddress.get(address) ?? []), alert]);
  }
  if (!byAddress.size) return { outcome: 'skipped', reason: 'no_supervisor_email' };
  const day = localDate(now, settings.timezone);
  for (const [address, alerts] of byAddress) {
    const lines = alerts.map((alert) => {
      const due = localMinute(new Date(alert.dueBy ?? alert.raisedAt), settings.timezone);
      const late = new Date(alert.dueBy ?? alert.raisedAt) < now ? ' OVERDUE/已超时' : '';
      const who = alert.claimedBy ? `claimed by ${alert.claimedBy}` : 'unclaimed/未认领';
      return `- ${alert.id} · NPS ${alert.nps ?? '—'} · ${maskText(alert.reasons.join('; '))} · team ${alert.team ?? '—'} · due ${due}${late} · ${who}`;
    });
    const text = [
      `${alerts.length} negative answers are waiting for a call-back (${day}). Claim one and record the outcome in CareLoop (GET /alerts).`,
      `${alerts.length} 条差评待回访，请在系统中认领并记录回访结果。`,
      '',
      ...lines,
    ].join('\n');
    await send(
      compose('email', messageIds.alertDigest(day, addressFingerprint(address)), address, {
        subject: `[CareLoop] ${alerts.length} call-backs open on ${day} / 待回访差评 ${alerts.length} 条`,
        text,
      }),
    );
  }
  return { outcome: 'sent', channel: 'email', reason: `${open.length} alerts to ${byAddress.size} supervisors` };
}

/**
 * The decision on a suggestion, to the customer behind it: by their channel with consent, or to
 * the address they left on the public board (email, or an E.164 phone number).
 */
async function sendSuggestionDecision({ task, settings, deps }: Job): Promise<Performed> {
  const suggestion = task.suggestionId ? await deps.suggestions.get(task.suggestionId) : undefined;
  if (!suggestion || (suggestion.status !== 'adopted' && suggestion.status !== 'rejected'))
    return { outcome: 'skipped', reason: 'not_decided' };
  let target: { channel: Channel; address: string; language: 'zh' | 'en' } | undefined;
  if (suggestion.customerId) {
    const customer = await reach(deps, suggestion.customerId);
    if (customer.channel === null) return { outcome: 'skipped', reason: customer.reason };
    target = { channel: customer.channel, address: customer.address, language: customer.language };
  } else if (suggestion.contact?.includes('@')) {
    target = { channel: 'email', address: suggestion.contact.trim(), language: settings.reportLanguage };
  } else if (suggestion.contact && /^\+[1-9]\d{6,14}$/.test(suggestion.contact.replace(/[\s-]/g, ''))) {
    target = { channel: 'sms', address: suggestion.contact.replace(/[\s-]/g, ''), language: settings.reportLanguage };
  }
  if (!target) return { outcome: 'skipped', reason: 'no_contact' };
  const notice = suggestionDecisionNotice({
    language: target.language,
    decision: suggestion.status,
    plannedFor: suggestion.plannedFor,
    reason: suggestion.reason ? maskText(suggestion.reason) : undefined,
  });
  const receipt = await sendTaskMessage(target.channel, target.address, task, { ...notice, short: notice.sms });
  return delivered(receipt, target.channel);
}

/**
 * An improvement action's notice: to its owner (contact from the staff directory; the department
 * head of its department, else the organisation's, when the directory has none) that it was
 * created, or once that it is overdue; to its department's head that it was verified. Email, or
 * SMS without an email address. Each on the action's history, once, as `notified`.
 */
async function sendImprovementNotice({ task, now, settings, deps }: Job): Promise<Performed> {
  const purpose = task.improvementNotice ?? 'created';
  const improvement = task.improvementId ? await deps.improvements.get(task.improvementId) : undefined;
  if (!improvement) return { outcome: 'skipped', reason: 'no_improvement' };
  if (purpose === 'overdue') {
    if (improvement.status !== 'planned' && improvement.status !== 'in_progress')
      return { outcome: 'skipped', reason: `no_longer_open: ${improvement.status}` };
    // Its due date moved later since this task was scheduled: wait for the new one.
    if (!isOverdue(improvement, localDate(now, settings.timezone)))
      return { outcome: 'deferred', until: overdueFrom(improvement.dueDate, settings.timezone) };
  }
  const department = roleContact(settings.escalation, 'department_head', improvement.department);
  const owner = purpose === 'verified' ? undefined : await deps.staffContact(improvement.ownerId);
  const [role, contact] = owner ? (['owner', owner] as const) : (['department_head', department] as const);
  const note = (notice: NonNullable<Parameters<ImprovementStore['noteOnce']>[1]['notice']>) =>
    deps.improvements.noteOnce(improvement.id, {
      at: now.toISOString(),
      actor: SYSTEM_ACTOR,
      action: 'notified',
      notice,
    });
  const channel: Channel | undefined = contact.email ? 'email' : contact.phone ? 'sms' : undefined;
  if (!channel) {
    await note({ template: purpose, role, channel: 'none', notSent: 'no_contact' });
    return { outcome: 'skipped', reason: 'no_contact' };
  }
  const notice = improvementNotice({ purpose, improvement });
  const receipt = await sendTaskMessage(channel, channel === 'email' ? contact.email! : contact.phone!, task, {
    ...notice,
    short: notice.sms,
  });
  await note({ template: purpose, role, channel, messageId: messageId(task) });
  return delivered(receipt, channel);
}

/** One performer per kind of task: sends the task's message or says why not; throws DeliveryFailed to retry. */
const PERFORMERS: Record<FollowUpTask['kind'], (job: Job) => Promise<Performed>> = {
  survey_invitation: sendSurveyInvitation,
  survey_reminder: sendSurveyReminder,
  fixed_fanout: fanOutFixedMessages,
  problem_fixed: sendProblemFixed,
  detractor_alert: alertSupervisor,
  ensure_watch: ensureWatch,
  escalation_notice: resendEscalationNotice,
  complaint_confirmation: sendComplaintConfirmation,
  customer_notice: sendCustomerNotice,
  owner_notice: sendOwnerNotice,
  alert_digest: sendAlertDigest,
  suggestion_decision: sendSuggestionDecision,
  improvement_notice: sendImprovementNotice,
};

/** Internal work goes on at once; customers are not messaged during quiet hours. */
const INTERNAL_KINDS = new Set<FollowUpTask['kind']>([
  'detractor_alert',
  'fixed_fanout',
  'ensure_watch',
  'escalation_notice',
  'owner_notice',
  'alert_digest',
  'improvement_notice',
]);
/** A high-severity complaint's customer hears at once, whatever the hour. */
const respectsQuietHours = (task: FollowUpTask) => !INTERNAL_KINDS.has(task.kind) && !task.urgent;

/** Runs one claimed task: deferred in quiet hours, performed, finished; a failed send is retried or given up. */
export async function handleTask(
  task: FollowUpTask,
  now: Date,
  settings: Settings,
  deps: FollowUpDeps,
): Promise<Outcome> {
  if (respectsQuietHours(task)) {
    const sendable = sendableAt(now, settings.quietHours, settings.timezone);
    if (sendable > now) {
      await deps.tasks.deferTask(task, sendable, now);
      return 'deferred';
    }
  }
  try {
    const result = await PERFORMERS[task.kind]({ task, now, settings, deps });
    if (result.outcome === 'deferred' && result.until) {
      await deps.tasks.deferTask(task, result.until, now);
      return 'deferred';
    }
    const status = result.outcome === 'sent' || result.outcome === 'scheduled' ? 'sent' : 'skipped';
    await deps.tasks.finishTask(
      task,
      {
        status,
        ...(result.reason ? { reason: result.reason } : {}),
        ...(result.channel ? { channel: result.channel } : {}),
      },
      now,
      result.changes,
    );
    return result.outcome;
  } catch (thrown) {
    const error = thrown as Error;
    const attempts = task.attempts + 1;
    if (error instanceof DeliveryFailed && error.addressRefused) {
      // The provider refused the address itself (hard bounce, invalid number): stop using it.
      // Our own setup (SES sandbox, AccessDenied, throttling) never condemns a customer's address.
      // Tasks name their customer only through the survey or subject (so erasure unlinks them);
      // an invitation's survey is created while it is performed: read the task again to learn it.
      const surveyId = task.surveyId ?? (await deps.tasks.getTask(task.id))?.surveyId;
      const customerId =
        task.customerId ?? (surveyId ? (await deps.surveys.getSurvey(surveyId))?.customerId : undefined);
      if (customerId) {
        const { profile } = await deps.customers.readCustomer(customerId);
        const channel = error.channel ?? (error.message.startsWith('sms') ? 'sms' : 'email');
        const address = profile ? customerAddress(profile, channel) : undefined;
        if (address) await deps.tasks.markUndeliverable(customerId, channel, address, now);
      }
      await deps.tasks.finishTask(task, { status: 'failed', reason: error.message }, now, { attempts });
      logger.error('follow-up refused by the provider', { taskId: task.id, error: error.message });
      return 'failed';
    }
    if (attempts >= MAX_ATTEMPTS) {
      await deps.tasks.finishTask(task, { status: 'failed', reason: error.message }, now, { attempts });
      logger.error('follow-up failed after its last attempt', { taskId: task.id, attempts, error: error.message });
      return 'failed';
    }
    await deps.tasks.deferTask(task, new Date(now.getTime() + retryDelayMs(attempts)), now, {
      attempts,
      outcome: error.message.slice(0, 300),
    });
    return 'retried';
  }
}

export async function runFollowUps(now: Date, given: GivenFollowUpDeps): Promise<RunSummary> {
  const deps: FollowUpDeps = { ...defaults, ...given };
  const { settings } = await deps.settings();
  const summary: RunSummary = { due: 0, sent: 0, skipped: 0, deferred: 0, retried: 0, failed: 0, scheduled: 0 };
  // Oldest first, and by id among equals (a complaint's customer acknowledgement before its owner notice).
  const tasks = (await deps.tasks.dueTasks(now)).sort(
    (a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id),
  );
  summary.due = tasks.length;
  for (const task of tasks) {
    if (!(await deps.tasks.claimTask(task, now, realSpan(ports().clock, CLAIM_LEASE_MS)))) continue;
    const outcome = await handleTask(task, now, settings, deps);
    summary[outcome] += 1;
    if (outcome === 'sent') countEvent('FollowUpSent');
    if (outcome === 'failed') countEvent('FollowUpFailed');
  }
  return summary;
}

/**
 * Performs the named tasks now, in the order given, whenever they fall due for the job: each one
 * that is pending is claimed and handled exactly as the job would (quiet hours, retries, the
 * message ledger), so a task the job or another caller holds, or finished, is left alone and
 * nothing is sent twice. The escalation workflow sends a complaint's registration notices this
 * way as it starts (functions/composition.ts); the job sends them only after a grace period.
 */
export async function performTasksNow(
  ids: readonly string[],
  now: Date,
  given: GivenFollowUpDeps,
): Promise<Record<string, Outcome | 'not_pending' | 'claimed_elsewhere'>> {
  const deps: FollowUpDeps = { ...defaults, ...given };
  const { settings } = await deps.settings();
  const outcomes: Record<string, Outcome | 'not_pending' | 'claimed_elsewhere'> = {};
  for (const id of ids) {
    const task = await deps.tasks.getTask(id);
    if (task?.status !== 'pending') outcomes[id] = 'not_pending';
    else if (!(await deps.tasks.claimTask(task, now, realSpan(ports().clock, CLAIM_LEASE_MS))))
      outcomes[id] = 'claimed_elsewhere';
    else {
      const outcome = await handleTask(task, now, settings, deps);
      outcomes[id] = outcome;
      if (outcome === 'sent') countEvent('FollowUpSent');
      if (outcome === 'failed') countEvent('FollowUpFailed');
    }
  }
  return outcomes;
}

/**
 * The daily digest (its schedule: shared/schedules.ts): a follow-up task per local day, performed
 * now; if this run fails, the follow-up job retries the same task (one email per supervisor a day).
 */
export async function runAlertDigest(now: Date, given: GivenFollowUpDeps): Promise<Outcome | 'already_sent'> {
  const deps: FollowUpDeps = { ...defaults, ...given };
  const { settings } = await deps.settings();
  const id = taskIds.alertDigest(localDate(now, settings.timezone));
  await deps.tasks.scheduleTask({ id, kind: 'alert_digest', dueAt: now.toISOString() }, now);
  const task = await deps.tasks.getTask(id);
  if (task?.status !== 'pending') return 'already_sent';
  if (!(await deps.tasks.claimTask(task, now, realSpan(ports().clock, CLAIM_LEASE_MS)))) return 'already_sent';
  return handleTask(task, now, settings, deps);
}
