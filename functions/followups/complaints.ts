import {
  escalationMessages,
  ownerMessages,
  ownerRecipientFor,
  roleContact,
} from '../../shared/domain/complaints/notices.js';
import { escalationInput } from '../../shared/domain/complaints/workflow.js';
import { signConfirmationToken } from '../../shared/domain/confirmation-token.js';
import { defined } from '../../shared/domain/errors.js';
import { customerNotice, followUpMessage } from '../../shared/domain/followups.js';
import { type MessageChannel, noticeRecords } from '../../shared/domain/message-ids.js';
import { DEFAULT_SETTINGS } from '../../shared/domain/settings.js';
import { DAY, localMinute } from '../../shared/domain/time.js';
import { confirmationPageUrl } from '../../shared/links.js';
import { deliverNotices } from '../../shared/notify/notices.js';
import { send } from '../../shared/notify/send.js';
import { ports } from '../../shared/ports.js';
import type { Complaint } from '../../shared/schemas/complaints.js';
import type { FollowUpTask } from '../../shared/store/followups.js';
import {
  type Fallback,
  type FollowUpDeps,
  type Job,
  messageId,
  type Performed,
  reach,
  routed,
  SYSTEM_ACTOR,
  sendToCustomer,
} from './performing.js';

/** "Did this solve your problem?" with the link to answer (`/c/<token>`), while that round is still resolved. */
export async function sendComplaintConfirmation(job: Job): Promise<Performed> {
  const { task, now, settings, deps } = job;
  const complaint = task.subject ? await deps.complaints.get(task.subject.id) : undefined;
  if (!complaint) return { outcome: 'skipped', reason: 'no_complaint' };
  if (complaint.status !== 'resolved' || complaint.round !== task.round)
    return { outcome: 'skipped', reason: 'no_longer_awaiting_confirmation' };
  const customer = await reach(complaint.customerId, undefined, settings, deps);
  if (customer.channel === null) return notReached(complaint, task, 'confirmation_link', customer.reason, now, deps);
  const linkValidDays = settings.surveys?.linkValidDays ?? DEFAULT_SETTINGS.surveys.linkValidDays;
  const token = signConfirmationToken(
    {
      complaintId: complaint.id,
      round: complaint.round,
      expiresAt: new Date(Math.floor((now.getTime() + linkValidDays * DAY) / 1000) * 1000),
    },
    await ports().signingKeys(),
  );
  const url = confirmationPageUrl(token);
  const result = await sendToCustomer(
    job,
    customer,
    followUpMessage({ kind: 'complaint_confirmation', language: customer.language, url }),
    { kind: 'complaint_confirmation', reference: complaint.id, url },
  );
  await noteRouted(complaint, task, 'confirmation_link', result, now, deps);
  return routed(result);
}

/** The timeline entry of a routed customer notice: its channel and any fallback with its reason, or why none went out. */
export async function noteRouted(
  complaint: Complaint,
  task: FollowUpTask,
  template: string,
  result: Awaited<ReturnType<typeof sendToCustomer>>,
  now: Date,
  deps: FollowUpDeps,
): Promise<void> {
  if ('failed' in result)
    return noteCustomerNotified(
      complaint,
      task,
      { channel: 'none', template, notSent: 'no_channel_left', fallbacks: result.failed },
      now,
      deps,
    );
  await noteCustomerNotified(
    complaint,
    task,
    { channel: result.channel, template, ...(result.fallbacks.length ? { fallbacks: result.fallbacks } : {}) },
    now,
    deps,
  );
}

/** The `customer_notified` entry of a task's notice, once per task, whenever it is written. */
export async function noteCustomerNotified(
  complaint: Complaint,
  task: FollowUpTask,
  detail: { channel: MessageChannel | 'none'; template: string; notSent?: string; fallbacks?: Fallback[] },
  now: Date,
  deps: FollowUpDeps,
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
export async function notReached(
  complaint: Complaint,
  task: FollowUpTask,
  template: string,
  reason: string,
  now: Date,
  deps: FollowUpDeps,
): Promise<Performed> {
  await noteCustomerNotified(complaint, task, { channel: 'none', template, notSent: reason }, now, deps);
  return { outcome: 'skipped', reason };
}

/**
 * Where a complaint stands, told to its customer on their channel (consent, language): registered
 * (its number and when to expect a response), waiting for them (what is needed), a solution proposed.
 */
export async function sendCustomerNotice(job: Job): Promise<Performed> {
  const { task, now, settings, deps } = job;
  const complaint = task.subject ? await deps.complaints.get(task.subject.id) : undefined;
  if (!complaint) return { outcome: 'skipped', reason: 'no_complaint' };
  const stage = task.stage ?? 'acknowledged';
  if (task.round !== undefined && complaint.round !== task.round) return { outcome: 'skipped', reason: 'reopened' };
  if (stage === 'awaiting_customer' && complaint.status !== 'awaiting_customer')
    return { outcome: 'skipped', reason: 'no_longer_awaiting_customer' };
  if (stage === 'solution_proposed' && !complaint.solution) return { outcome: 'skipped', reason: 'no_solution' };
  const customer = await reach(complaint.customerId, undefined, settings, deps);
  if (customer.channel === null) return notReached(complaint, task, stage, customer.reason, now, deps);
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
  await noteRouted(complaint, task, stage, result, now, deps);
  return routed(result);
}

/** Starts a complaint round's escalation workflow that a request stored but died before starting. */
export async function ensureWatch({ task, deps }: Job): Promise<Performed> {
  const complaint = task.subject ? await deps.complaints.get(task.subject.id) : undefined;
  if (!complaint) return { outcome: 'skipped', reason: 'complaint_not_found' };
  if (complaint.status === 'closed') return { outcome: 'skipped', reason: 'closed' };
  // Idempotent by name: a running (or finished) execution of this round is left as it is.
  await ports().workflows.start(complaint.escalation.executionName, escalationInput(complaint));
  return { outcome: 'sent', reason: `watched by ${complaint.escalation.executionName}` };
}

/** Sends an escalation notice the workflow gave up on, under the workflow's own message ids (once per channel). */
export async function resendEscalationNotice({ task, settings, deps }: Job): Promise<Performed> {
  const complaint = task.subject ? await deps.complaints.get(task.subject.id) : undefined;
  if (!complaint || task.milestone === undefined || task.level === undefined)
    return { outcome: 'skipped', reason: 'complaint_not_found' };
  const role = complaint.escalation.ladder[task.level];
  const contact = role ? roleContact(settings.escalation, role, complaint.team) : {};
  const messages = escalationMessages(complaint, task.milestone, task.level, contact, settings.timezone);
  if (!messages.length) return { outcome: 'skipped', reason: 'no_owner_contact' };
  const [first] = messages;
  if (!first) return { outcome: 'skipped', reason: 'no_owner_contact' };
  for (const message of messages) await send(message);
  return { outcome: 'sent', channel: first.channel };
}

/**
 * Tells a complaint's owner: registered to them (with the deadlines), a deadline close (the
 * assignee, or the owner when nobody is assigned), escalated to them by an agent. Email, plus
 * SMS for high severity; the escalation workflow sends warnings at once under the same ids.
 */
export async function sendOwnerNotice({ task, now, settings, deps }: Job): Promise<Performed> {
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
    assigneeContact: complaint.assigneeId ? await deps.staffContacts.contactOf(complaint.assigneeId) : undefined,
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
  return { outcome: 'sent', channel: defined(messages[0], 'a notice message').message.channel };
}
