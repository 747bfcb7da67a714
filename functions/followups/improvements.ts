import { roleContact } from '../../shared/domain/complaints/notices.js';
import { followUpMessage, improvementNotice, suggestionDecisionNotice } from '../../shared/domain/followups.js';
import { isOverdue, overdueFrom } from '../../shared/domain/improvements.js';
import { maskFreeText } from '../../shared/domain/masking.js';
import { type MessageChannel, taskIds } from '../../shared/domain/message-ids.js';
import { localDate } from '../../shared/domain/time.js';
import type { ImprovementStore } from '../../shared/store/improvements.js';
import {
  delivered,
  type Job,
  messageId,
  type Performed,
  reach,
  routed,
  SYSTEM_ACTOR,
  sendTaskMessage,
  sendToCustomer,
} from './performing.js';

/** A verified improvement: one "fixed" task per customer who complained about its category lately. */
export async function fanOutFixedMessages({ task, now, deps }: Job): Promise<Performed> {
  let scheduled = 0;
  const { improvementId, category } = task;
  if (!improvementId || !category) return { outcome: 'skipped', reason: 'no_improvement' };
  for (const customerId of await deps.complaintWatchers(category, task.createdAt, 3)) {
    const isNew = await deps.tasks.scheduleTask(
      {
        id: taskIds.problemFixed(improvementId, customerId),
        kind: 'problem_fixed',
        customerId,
        improvementId,
        category,
        dueAt: now.toISOString(),
      },
      now,
    );
    if (isNew) scheduled += 1;
  }
  return { outcome: 'scheduled', reason: `${scheduled} customers` };
}

/** "The problem you reported has been fixed", on the customer's channel. */
export async function sendProblemFixed(job: Job): Promise<Performed> {
  const { task, deps } = job;
  const customer = await reach(task.customerId, undefined, job.settings, deps);
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

/**
 * The decision on a suggestion, to the customer behind it: by their channel with consent, or to
 * the address they left on the public board (email, or an E.164 phone number).
 */
export async function sendSuggestionDecision(job: Job): Promise<Performed> {
  const { task, settings, deps } = job;
  const suggestion = task.suggestionId ? await deps.suggestions.get(task.suggestionId) : undefined;
  if (!suggestion || (suggestion.status !== 'adopted' && suggestion.status !== 'rejected'))
    return { outcome: 'skipped', reason: 'not_decided' };
  const decision = suggestion.status;
  const words = (language: 'zh' | 'en') => {
    const notice = suggestionDecisionNotice({
      language,
      decision,
      plannedFor: suggestion.plannedFor,
      reason: suggestion.reason ? maskFreeText(suggestion.reason) : undefined,
    });
    return { ...notice, short: notice.sms };
  };
  if (suggestion.customerId) {
    // A known customer: the one routing rule (preference and consent, then messaging.channelOrder, WeChat included).
    const customer = await reach(suggestion.customerId, undefined, settings, deps);
    if (customer.channel === null) return { outcome: 'skipped', reason: customer.reason };
    return routed(
      await sendToCustomer(job, customer, words(customer.language), {
        kind: 'suggestion_decision',
        reference: suggestion.id,
      }),
    );
  }
  let target: { channel: MessageChannel; address: string } | undefined;
  if (suggestion.contact?.includes('@')) target = { channel: 'email', address: suggestion.contact.trim() };
  else if (suggestion.contact && /^\+[1-9]\d{6,14}$/.test(suggestion.contact.replace(/[\s-]/g, '')))
    target = { channel: 'sms', address: suggestion.contact.replace(/[\s-]/g, '') };
  if (!target) return { outcome: 'skipped', reason: 'no_contact' };
  const receipt = await sendTaskMessage(target.channel, target.address, task, words(settings.reportLanguage));
  return delivered(receipt, target.channel);
}

/**
 * An improvement action's notice: to its owner (contact from the staff directory; the department
 * head of its department, else the organisation's, when the directory has none) that it was
 * created, or once that it is overdue; to its department's head that it was verified. Email, or
 * SMS without an email address. Each on the action's history, once, as `notified`.
 */
export async function sendImprovementNotice({ task, now, settings, deps }: Job): Promise<Performed> {
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
  const owner = purpose === 'verified' ? undefined : await deps.staffContacts.contactOf(improvement.ownerId);
  const [role, contact] = owner ? (['owner', owner] as const) : (['department_head', department] as const);
  const note = (notice: NonNullable<Parameters<ImprovementStore['noteOnce']>[1]['notice']>) =>
    deps.improvements.noteOnce(improvement.id, {
      at: now.toISOString(),
      actor: SYSTEM_ACTOR,
      action: 'notified',
      notice,
    });
  const target: { channel: 'email' | 'sms'; address: string } | undefined = contact.email
    ? { channel: 'email', address: contact.email }
    : contact.phone
      ? { channel: 'sms', address: contact.phone }
      : undefined;
  if (!target) {
    await note({ template: purpose, role, channel: 'none', notSent: 'no_contact' });
    return { outcome: 'skipped', reason: 'no_contact' };
  }
  const notice = improvementNotice({ purpose, improvement });
  const { channel } = target;
  const receipt = await sendTaskMessage(channel, target.address, task, {
    ...notice,
    short: notice.sms,
  });
  await note({ template: purpose, role, channel, messageId: messageId(task) });
  return delivered(receipt, channel);
}
