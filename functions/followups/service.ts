/**
 * The follow-up job (every 15 minutes): finds due tasks through the due index, claims each, and
 * hands it to the performer of its kind (`PERFORMERS`, one file per subject): surveys.ts
 * (survey_invitation, survey_reminder), complaints.ts (complaint_confirmation, customer_notice,
 * owner_notice, escalation_notice, ensure_watch), alerts.ts (detractor_alert, alert_digest,
 * surge_notice), improvements.ts (fixed_fanout, problem_fixed, improvement_notice,
 * suggestion_decision), goals.ts (goal_notice). Each message goes out at most once (deterministic
 * message ids through the exactly-once senders), quiet hours defer customer messages, failed
 * sends are retried with backoff and, after the last attempt, listed for an operator.
 */

import { realSpan } from '../../shared/domain/clock.js';
import { MAX_ATTEMPTS, retryDelayMs } from '../../shared/domain/followups.js';
import { maskFreeText } from '../../shared/domain/masking.js';
import { taskIds } from '../../shared/domain/message-ids.js';
import { sendableAt } from '../../shared/domain/quiet-hours.js';
import { localDate } from '../../shared/domain/time.js';
import { DeliveryFailed } from '../../shared/notify/ports.js';
import { logger } from '../../shared/observability/logger.js';
import { countEvent } from '../../shared/observability/metrics.js';
import { ports } from '../../shared/ports.js';
import type { Settings } from '../../shared/schemas/settings.js';
import { dynamoAlertStore } from '../../shared/store/alerts.js';
import { dynamoComplaintWatchStore } from '../../shared/store/complaint-watch.js';
import { dynamoComplaintStore } from '../../shared/store/complaints.js';
import { dynamoCustomerStore } from '../../shared/store/customers.js';
import { dynamoFollowUpStore, type FollowUpTask } from '../../shared/store/followups.js';
import { dynamoGoalStore } from '../../shared/store/goals.js';
import { dynamoImprovementStore, dynamoSuggestionStore } from '../../shared/store/improvements.js';
import { dynamoSettingsStore } from '../../shared/store/settings.js';
import { dynamoStaffContacts } from '../../shared/store/staff-contacts.js';
import { dynamoSurveyStore } from '../../shared/store/surveys.js';
import { alertSupervisor, sendAlertDigest, sendSurgeNotice } from './alerts.js';
import {
  ensureWatch,
  resendEscalationNotice,
  sendComplaintConfirmation,
  sendCustomerNotice,
  sendOwnerNotice,
} from './complaints.js';
import { sendGoalNotice } from './goals.js';
import {
  fanOutFixedMessages,
  sendImprovementNotice,
  sendProblemFixed,
  sendSuggestionDecision,
} from './improvements.js';
import { customerAddress, type FollowUpDeps, type Job, type Outcome, type Performed } from './performing.js';
import { sendSurveyInvitation, sendSurveyReminder } from './surveys.js';

export type { FollowUpDeps };

/** How long a run holds a task it claimed (real time: it guards against a crashed run, whatever the clock's scale). */
const CLAIM_LEASE_MS = 5 * 60 * 1000;

const defaults: Omit<FollowUpDeps, 'createSurvey' | 'surveyUrl' | 'campaignSending'> = {
  tasks: dynamoFollowUpStore,
  alerts: dynamoAlertStore,
  suggestions: dynamoSuggestionStore,
  improvements: dynamoImprovementStore,
  // An assignee without a contact in the staff directory: the warning goes to the complaint's owner.
  staffContacts: dynamoStaffContacts,
  surveys: dynamoSurveyStore,
  customers: dynamoCustomerStore,
  complaints: dynamoComplaintStore,
  complaintWatchers: dynamoComplaintWatchStore.complaintWatchers,
  goals: dynamoGoalStore,
  settings: dynamoSettingsStore,
};

/** What a caller passes: the part the surveys capability provides, and any replacement of the rest. */
export type GivenFollowUpDeps = Pick<FollowUpDeps, 'createSurvey' | 'surveyUrl' | 'campaignSending'> &
  Partial<FollowUpDeps>;

export interface RunSummary {
  due: number;
  sent: number;
  skipped: number;
  deferred: number;
  retried: number;
  failed: number;
  scheduled: number;
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
  surge_notice: sendSurgeNotice,
  goal_notice: sendGoalNotice,
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
  'surge_notice',
  'goal_notice',
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
        if (address)
          await deps.tasks.markUndeliverable(customerId, channel, address, now, {
            kind: 'refused',
            reason: maskFreeText(error.message).slice(0, 200),
          });
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

export async function runFollowUps(now: Date, deps: GivenFollowUpDeps): Promise<RunSummary> {
  const all: FollowUpDeps = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const summary: RunSummary = { due: 0, sent: 0, skipped: 0, deferred: 0, retried: 0, failed: 0, scheduled: 0 };
  // Oldest first, and by id among equals (a complaint's customer acknowledgement before its owner notice).
  const tasks = (await all.tasks.dueTasks(now)).sort(
    (a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id),
  );
  summary.due = tasks.length;
  for (const task of tasks) {
    if (!(await all.tasks.claimTask(task, now, realSpan(ports().clock, CLAIM_LEASE_MS)))) continue;
    const outcome = await handleTask(task, now, settings, all);
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
  deps: GivenFollowUpDeps,
): Promise<Record<string, Outcome | 'not_pending' | 'claimed_elsewhere'>> {
  const all: FollowUpDeps = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const outcomes: Record<string, Outcome | 'not_pending' | 'claimed_elsewhere'> = {};
  for (const id of ids) {
    const task = await all.tasks.getTask(id);
    if (task?.status !== 'pending') outcomes[id] = 'not_pending';
    else if (!(await all.tasks.claimTask(task, now, realSpan(ports().clock, CLAIM_LEASE_MS))))
      outcomes[id] = 'claimed_elsewhere';
    else {
      const outcome = await handleTask(task, now, settings, all);
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
export async function runAlertDigest(now: Date, deps: GivenFollowUpDeps): Promise<Outcome | 'already_sent'> {
  const all: FollowUpDeps = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const id = taskIds.alertDigest(localDate(now, settings.timezone));
  await all.tasks.scheduleTask({ id, kind: 'alert_digest', dueAt: now.toISOString() }, now);
  const task = await all.tasks.getTask(id);
  if (task?.status !== 'pending') return 'already_sent';
  if (!(await all.tasks.claimTask(task, now, realSpan(ports().clock, CLAIM_LEASE_MS)))) return 'already_sent';
  return handleTask(task, now, settings, all);
}
