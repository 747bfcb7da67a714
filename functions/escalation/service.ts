/**
 * What the escalation workflow's Lambda tasks do: check a milestone, escalate a miss and tell
 * the new owner, record a failure. Each is safe to retry: decisions are written with a
 * conditional write on the complaint's version, notices are sent once per message id.
 */

import { realSpan } from '../../shared/domain/clock.js';
import { checkMilestone, escalateMilestone, SYSTEM_ACTOR } from '../../shared/domain/complaints/milestones.js';
import {
  type Contact,
  escalationMessages,
  ownerMessages,
  ownerRecipientFor,
  roleContact,
} from '../../shared/domain/complaints/notices.js';
import type { FailureEvent, TaskEvent, TaskResult } from '../../shared/domain/complaints/workflow.js';
import { Conflict, defined } from '../../shared/domain/errors.js';
import { maskFreeText } from '../../shared/domain/masking.js';
import { registrationNoticeTaskIds, taskIds } from '../../shared/domain/message-ids.js';
import { sendableAt } from '../../shared/domain/quiet-hours.js';
import { deliverNotices } from '../../shared/notify/notices.js';
import { DeliveryFailed, type Senders } from '../../shared/notify/ports.js';
import { failuresOf, sendEach } from '../../shared/notify/send.js';
import { logger } from '../../shared/observability/logger.js';
import { countEvent } from '../../shared/observability/metrics.js';
import { ports } from '../../shared/ports.js';
import type { Complaint, MilestoneName, TimelineEntry } from '../../shared/schemas/complaints.js';
import type { EscalationRole, Settings } from '../../shared/schemas/settings.js';
import { type ComplaintStore, dynamoComplaintStore } from '../../shared/store/complaints.js';
import { dynamoFollowUpStore, type NewTask } from '../../shared/store/followups.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';
import { dynamoStaffContacts, type StaffContacts } from '../../shared/store/staff-contacts.js';

export interface EscalationDeps {
  store: ComplaintStore;
  settings: SettingsStore;
  /**
   * The channels every notice of these tasks goes out on: escalation, deadline warning, missed
   * deadline (the ports; the demo seed passes senders that record its past as sent, delivering nothing).
   */
  senders: () => Senders;
  /** Hands a notice the workflow could not deliver to the follow-up job (idempotent by task id). */
  retryNotices: (task: NewTask, now: Date) => Promise<unknown>;
  /** A member of staff's contact from the staff directory (where an assignee's deadline warning goes). */
  staffContacts: StaffContacts;
}

/** What the escalation capability needs from another one: no default, always passed (functions/composition.ts). */
export interface EscalationNeeds {
  /**
   * Performs follow-up tasks now, in order, through the follow-up machinery (claims, quiet hours,
   * the message ledger): the followups capability provides it.
   */
  sendNotices: (taskIds: string[], now: Date) => Promise<unknown>;
}

const defaults: EscalationDeps = {
  store: dynamoComplaintStore,
  settings: dynamoSettingsStore,
  senders: () => ports(),
  retryNotices: (task, now) => dynamoFollowUpStore.scheduleTask(task, now),
  // An assignee without a contact in the staff directory: the warning goes to the complaint's owner.
  staffContacts: dynamoStaffContacts,
};

/** The follow-up task that sends a milestone's escalation notice again, a little later. */
export function noticeRetryTask(complaint: Complaint, milestone: MilestoneName, now: Date): NewTask {
  return {
    id: taskIds.escalationNotice(complaint.id, milestone, complaint.round, complaint.escalationLevel),
    kind: 'escalation_notice',
    subject: { type: 'complaint', id: complaint.id },
    milestone,
    level: complaint.escalationLevel,
    dueAt: new Date(now.getTime() + realSpan(ports().clock, NOTICE_RETRY_DELAY_MS)).toISOString(),
  };
}

/** How long the follow-up job waits before sending a failed escalation notice again (real time). */
export const NOTICE_RETRY_DELAY_MS = 2 * 60 * 1000;

const MAX_ATTEMPTS = 5;

/** Sending failed after both channels were tried. `NotificationFailed` is retried by the workflow, `NotificationRejected` is not. */
export class NotificationFailed extends Error {
  override readonly name: 'NotificationFailed' | 'NotificationRejected';
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = retryable ? 'NotificationFailed' : 'NotificationRejected';
  }
}

/** Saves a system change to a complaint (version + 1); false when someone else changed it first. */
async function save(
  store: ComplaintStore,
  next: Complaint,
  previous: Complaint,
  timeline: TimelineEntry[],
  now: Date,
): Promise<boolean> {
  try {
    await store.replace({ ...next, version: previous.version + 1, updatedAt: now.toISOString() }, previous, timeline);
    return true;
  } catch (error) {
    if (error instanceof Conflict) return false;
    throw error;
  }
}

/** The follow-up task that sends a deadline warning the workflow sent (or could not send), a little later: once either way. */
export function warningTask(complaint: Complaint, milestone: MilestoneName, now: Date): NewTask {
  return {
    id: taskIds.ownerNotice({
      complaintId: complaint.id,
      purpose: 'deadline_warning',
      milestone,
      round: complaint.round,
    }),
    kind: 'owner_notice',
    subject: { type: 'complaint', id: complaint.id },
    purpose: 'deadline_warning',
    milestone,
    round: complaint.round,
    dueAt: new Date(now.getTime() + realSpan(ports().clock, NOTICE_RETRY_DELAY_MS)).toISOString(),
  };
}

/**
 * Warns the assignee (or the owner when nobody is assigned) that a deadline is close: at once,
 * and through a follow-up task with the same message ids, so a failed send is retried by the job
 * and a sent one is not sent again. Never fails the workflow: the task is the retry.
 */
async function warnOwner(
  complaint: Complaint,
  milestone: MilestoneName,
  now: Date,
  settings: Settings,
  deps: EscalationDeps,
): Promise<void> {
  await deps.retryNotices(warningTask(complaint, milestone, now), now);
  const recipient = ownerRecipientFor(complaint, 'deadline_warning', settings.escalation, {
    assigneeContact: complaint.assigneeId ? await deps.staffContacts.contactOf(complaint.assigneeId) : undefined,
  });
  const messages = ownerMessages(complaint, 'deadline_warning', recipient, {
    timeZone: settings.timezone,
    now,
    actor: SYSTEM_ACTOR,
    milestone,
  });
  const failures = await deliverNotices(
    messages,
    (entry, name) => deps.store.recordOnce(complaint.id, entry, name),
    deps.senders(),
  );
  if (failures.length)
    logger.warn('deadline warning not delivered; the follow-up job retries it', {
      complaintId: complaint.id,
      milestone,
      error: failures[0],
    });
}

/**
 * The workflow's first step: sends the notices the complaint's registration scheduled (the
 * customer's acknowledgement, then the owner's notice) at once rather than on the follow-up job's
 * next run. They are the follow-up tasks themselves, claimed and sent once through the ledger: a
 * later run of the job, a retry of this step or a second execution finds them done. A failure here
 * leaves them to the job (the state machine catches it and goes on watching the deadlines).
 */
export async function announceRegistrationTask(
  event: TaskEvent,
  now: Date,
  deps: EscalationNeeds,
): Promise<TaskResult> {
  const { sendNotices } = deps;
  await sendNotices(registrationNoticeTaskIds(event.complaintId, event.round), now);
  return { outcome: 'announced', milestone: event.milestone };
}

/** Checks a milestone at a wake-up: met (recorded once), wait (warning recorded and sent when due) or overdue (miss recorded). */
export async function checkMilestoneTask(
  event: TaskEvent,
  now: Date,
  deps: Partial<EscalationDeps> = {},
): Promise<TaskResult> {
  const all = { ...defaults, ...deps };
  const { store } = all;
  for (let attempt = 1; ; attempt += 1) {
    const complaint = await store.get(event.complaintId);
    // A complaint is stored before its execution starts, so a missing one was erased, not late.
    if (!complaint) return { outcome: 'not_found', milestone: event.milestone };
    const decision = checkMilestone(complaint, event.milestone, event.round, now);
    for (const entry of decision.metEntries)
      await store.appendOnce(
        complaint.id,
        entry,
        `milestone_met#${String(entry.detail.milestone)}#r${complaint.round}`,
      );
    if (
      decision.complaint !== complaint &&
      !(await save(store, decision.complaint, complaint, decision.timeline, now))
    ) {
      if (attempt >= MAX_ATTEMPTS)
        throw new Conflict(
          `Complaint ${complaint.id} kept changing while its ${event.milestone} milestone was checked.`,
        );
      continue;
    }
    // Counted by the check that recorded the miss: a later check finds it recorded and changes nothing.
    if (decision.outcome === 'overdue' && decision.complaint !== complaint) countEvent('ComplaintBreached');
    // A warning recorded (now, or by an attempt that failed after recording it) is sent; its ids make it once.
    const state = decision.complaint.milestones[event.milestone];
    if (decision.outcome === 'wait' && state.warnedAt && !state.outcome && !decision.complaint.pause)
      await warnOwner(decision.complaint, event.milestone, now, (await all.settings.current()).settings, all);
    return {
      outcome: decision.outcome,
      milestone: event.milestone,
      ...(decision.wakeAt ? { wakeAt: decision.wakeAt } : {}),
    };
  }
}

const channelsOf =
  (contactOf: (role: EscalationRole) => Contact) =>
  (role: EscalationRole): Array<'email' | 'sms'> => [
    ...(contactOf(role).email ? (['email'] as const) : []),
    ...(contactOf(role).phone ? (['sms'] as const) : []),
  ];

/**
 * Escalates a missed milestone one step up the ladder (once), then tells the new owner by
 * email and SMS — unless it is quiet time and the complaint is not high severity, in which case
 * the workflow waits until morning and calls this again, which then only sends.
 */
export async function escalateTask(
  event: TaskEvent,
  now: Date,
  deps: Partial<EscalationDeps> = {},
): Promise<TaskResult> {
  const all = { ...defaults, ...deps };
  const { store, settings: settingsStore, senders } = all;
  const { settings } = await settingsStore.current();
  for (let attempt = 1; ; attempt += 1) {
    const complaint = await store.get(event.complaintId);
    if (!complaint) return { outcome: 'not_found', milestone: event.milestone };
    const step = escalateMilestone(
      complaint,
      event.milestone,
      event.round,
      now,
      channelsOf((role) => roleContact(settings.escalation, role, complaint.team)),
    );
    if (step.changed && !(await save(store, step.complaint, complaint, step.timeline, now))) {
      if (attempt >= MAX_ATTEMPTS)
        throw new Conflict(`Complaint ${complaint.id} kept changing while it was escalated.`);
      continue;
    }
    if (step.changed && step.outcome === 'escalated') countEvent('ComplaintEscalated');
    if (step.outcome !== 'escalated') return { outcome: step.outcome, milestone: event.milestone, level: step.toLevel };

    const quietUntil = sendableAt(now, settings.quietHours, settings.timezone);
    if (complaint.severity !== 'high' && quietUntil > now) {
      return {
        outcome: 'notify_later',
        milestone: event.milestone,
        level: step.toLevel,
        wakeAt: quietUntil.toISOString(),
      };
    }
    const role = defined(step.complaint.escalation.ladder[step.toLevel], `escalation level ${step.toLevel}`);
    const messages = escalationMessages(
      step.complaint,
      event.milestone,
      step.toLevel,
      roleContact(settings.escalation, role, step.complaint.team),
      settings.timezone,
    );
    if (!messages.length)
      logger.warn('escalation notice not sent: no contact configured for the role (GET /health lists it)', {
        complaintId: step.complaint.id,
        milestone: event.milestone,
        role,
      });
    // Both channels are tried even when one fails; a retry skips the one that went out.
    const failures = failuresOf(await sendEach(messages, senders()));
    // The owner who missed it hears too (a tier-1 department head, whose miss goes straight to the executive).
    await tellWhoMissed(step.complaint, event.milestone, step.fromLevel, settings, now, all);
    if (failures.length) {
      const retryable = failures.some((f) => !(f instanceof DeliveryFailed) || f.retryable);
      throw new NotificationFailed(
        `Escalation notice for ${role} not delivered: ${failures.map((f) => f.message).join('; ')}`,
        retryable,
      );
    }
    return { outcome: 'escalated', milestone: event.milestone, level: step.toLevel };
  }
}

/**
 * Tells the owner at `fromLevel` that the milestone they owned was missed and escalated past
 * them: at once, and through a follow-up task under the same ids, so a failure is retried by the
 * job and never holds up the escalation itself.
 */
async function tellWhoMissed(
  complaint: Complaint,
  milestone: MilestoneName,
  fromLevel: number,
  settings: Settings,
  now: Date,
  deps: EscalationDeps,
): Promise<void> {
  await deps.retryNotices(
    {
      id: taskIds.ownerNotice({ complaintId: complaint.id, purpose: 'missed', milestone, round: complaint.round }),
      kind: 'owner_notice',
      subject: { type: 'complaint', id: complaint.id },
      purpose: 'missed',
      milestone,
      level: fromLevel,
      round: complaint.round,
      dueAt: new Date(now.getTime() + realSpan(ports().clock, NOTICE_RETRY_DELAY_MS)).toISOString(),
    },
    now,
  );
  const role = defined(complaint.escalation.ladder[fromLevel], `escalation level ${fromLevel}`);
  const messages = ownerMessages(
    complaint,
    'missed',
    { role, contact: roleContact(settings.escalation, role, complaint.team) },
    { timeZone: settings.timezone, now, actor: SYSTEM_ACTOR, milestone },
  );
  const failures = await deliverNotices(
    messages,
    (entry, name) => deps.store.recordOnce(complaint.id, entry, name),
    deps.senders(),
  );
  if (failures.length)
    logger.warn('missed-deadline notice not delivered; the follow-up job retries it', {
      complaintId: complaint.id,
      milestone,
      error: failures[0],
    });
}

/** The message of a Catch's Cause: Lambda errors arrive as JSON ({ errorMessage, … }), local ones as text. */
function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return parsed.errorMessage ?? cause;
  } catch {
    return cause;
  }
}

/** Writes a failure the workflow could not get past onto the timeline, so the complaint is not silently dropped. */
export async function recordFailureTask(
  event: FailureEvent,
  now: Date,
  deps: Partial<EscalationDeps> = {},
): Promise<TaskResult> {
  const { store, retryNotices } = { ...defaults, ...deps };
  const complaint = await store.get(event.complaintId);
  if (complaint) {
    const notification = event.error.Error.startsWith('Notification');
    // A notice the workflow gave up on is sent again by the follow-up job (same message ids: once per channel).
    if (notification) await retryNotices(noticeRetryTask(complaint, event.milestone, now), now);
    await store.append(complaint.id, [
      {
        at: now.toISOString(),
        type: notification ? 'notification_failed' : 'workflow_failed',
        actor: SYSTEM_ACTOR,
        detail: {
          milestone: event.milestone,
          round: event.round,
          error: event.error.Error,
          message: maskFreeText(causeMessage(event.error.Cause)).slice(0, 500),
        },
      },
    ]);
  }
  return { outcome: 'failure_recorded', milestone: event.milestone };
}
