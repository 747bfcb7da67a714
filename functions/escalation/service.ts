/**
 * What the escalation workflow's Lambda tasks do: check a milestone, escalate a miss and tell
 * the new owner, record a failure. Each is safe to retry: decisions are written with a
 * conditional write on the complaint's version, notices are sent once per message id.
 */
import { decodeTime } from 'ulidx';
import {
  checkMilestone,
  escalateMilestone,
  escalationMessageId,
  SYSTEM_ACTOR,
} from '../../shared/domain/complaints/milestones.js';
import { escalationNotice } from '../../shared/domain/complaints/notices.js';
import type { FailureEvent, TaskEvent, TaskResult } from '../../shared/domain/complaints/workflow.js';
import { Conflict } from '../../shared/domain/errors.js';
import { maskText } from '../../shared/domain/personal-data.js';
import { sendableAt } from '../../shared/domain/quiet-hours.js';
import { DeliveryFailed, type EmailSender, type SmsSender } from '../../shared/notify/ports.js';
import { ports } from '../../shared/ports.js';
import type { Complaint, TimelineEntry } from '../../shared/schemas/complaints.js';
import type { EscalationRole } from '../../shared/schemas/settings.js';
import { type ComplaintStore, dynamoComplaintStore } from '../../shared/store/complaints.js';
import { currentSettings } from '../../shared/store/settings.js';

export interface EscalationDeps {
  store: ComplaintStore;
  settings: typeof currentSettings;
  email: () => EmailSender;
  sms: () => SmsSender;
}

const defaults: EscalationDeps = {
  store: dynamoComplaintStore,
  settings: currentSettings,
  email: () => ports().email,
  sms: () => ports().sms,
};

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

/**
 * How long after its registration a complaint may still be on its way to the table: the workflow
 * starts before the complaint is stored, and a deadline inside the warning window puts the first
 * check at registration, so that check can come before the write.
 */
export const REGISTRATION_SETTLE_MS = 60_000;

/** When a round-1 complaint was registered (its id is a ULID minted then), or undefined for an id that is not one. */
function registrationTime(complaintId: string): number | undefined {
  try {
    return decodeTime(complaintId);
  } catch {
    return undefined;
  }
}

/** Checks a milestone at a wake-up: met (recorded once), wait (warning recorded when due) or overdue (miss recorded). */
export async function checkMilestoneTask(
  event: TaskEvent,
  now: Date,
  deps: Partial<EscalationDeps> = {},
): Promise<TaskResult> {
  const { store } = { ...defaults, ...deps };
  for (let attempt = 1; ; attempt += 1) {
    const complaint = await store.get(event.complaintId);
    if (!complaint) {
      // Not stored yet rather than never: look once more when the registration has settled.
      const registeredAt = event.round === 1 ? registrationTime(event.complaintId) : undefined;
      if (registeredAt !== undefined && now.getTime() < registeredAt + REGISTRATION_SETTLE_MS) {
        return {
          outcome: 'wait',
          milestone: event.milestone,
          wakeAt: new Date(registeredAt + REGISTRATION_SETTLE_MS).toISOString(),
        };
      }
      return { outcome: 'not_found', milestone: event.milestone };
    }
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
    return {
      outcome: decision.outcome,
      milestone: event.milestone,
      ...(decision.wakeAt ? { wakeAt: decision.wakeAt } : {}),
    };
  }
}

const channelsOf =
  (contacts: Partial<Record<EscalationRole, { email?: string | undefined; phone?: string | undefined }>>) =>
  (role: EscalationRole): Array<'email' | 'sms'> => [
    ...(contacts[role]?.email ? (['email'] as const) : []),
    ...(contacts[role]?.phone ? (['sms'] as const) : []),
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
  const { store, settings: loadSettings, email, sms } = { ...defaults, ...deps };
  const { settings } = await loadSettings();
  const contacts = settings.escalation.contacts;
  for (let attempt = 1; ; attempt += 1) {
    const complaint = await store.get(event.complaintId);
    if (!complaint) return { outcome: 'not_found', milestone: event.milestone };
    const step = escalateMilestone(complaint, event.milestone, event.round, now, channelsOf(contacts));
    if (step.changed && !(await save(store, step.complaint, complaint, step.timeline, now))) {
      if (attempt >= MAX_ATTEMPTS)
        throw new Conflict(`Complaint ${complaint.id} kept changing while it was escalated.`);
      continue;
    }
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
    const role = step.complaint.escalation.ladder[step.toLevel]!;
    const contact: { email?: string | undefined; phone?: string | undefined } = contacts[role] ?? {};
    const notice = escalationNotice(step.complaint, event.milestone, role, settings.timezone);
    const sends: Array<Promise<unknown>> = [];
    if (contact.email) {
      const id = escalationMessageId(complaint.id, event.milestone, step.toLevel, 'email');
      sends.push(
        email().send({ id, to: [contact.email], subject: notice.subject, text: notice.text, html: notice.html }),
      );
    }
    if (contact.phone)
      sends.push(
        sms().send({
          id: escalationMessageId(complaint.id, event.milestone, step.toLevel, 'sms'),
          to: contact.phone,
          text: notice.sms,
        }),
      );
    // Both channels are tried even when one fails; a retry skips the one that went out.
    const failures = (await Promise.allSettled(sends)).flatMap((result) =>
      result.status === 'rejected' ? [result.reason as Error] : [],
    );
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
  const { store } = { ...defaults, ...deps };
  const complaint = await store.get(event.complaintId);
  if (complaint) {
    const notification = event.error.Error.startsWith('Notification');
    await store.append(complaint.id, [
      {
        at: now.toISOString(),
        type: notification ? 'notification_failed' : 'workflow_failed',
        actor: SYSTEM_ACTOR,
        detail: {
          milestone: event.milestone,
          round: event.round,
          error: event.error.Error,
          message: maskText(causeMessage(event.error.Cause)).slice(0, 500),
        },
      },
    ]);
  }
  return { outcome: 'failure_recorded', milestone: event.milestone };
}
