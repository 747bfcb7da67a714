/** A goal turned at_risk: its owner hears it (the task is scheduled by the daily goal check, functions/settings/goals.ts). */
import { goalAtRiskNotice } from '../../shared/domain/goals.js';
import { maskFreeText } from '../../shared/domain/masking.js';
import { LABELS } from '../../shared/domain/report/labels.js';
import { send } from '../../shared/notify/send.js';
import { delivered, type Job, messageId, type Performed, sendTaskMessage } from './performing.js';

/**
 * The at_risk notice, with the figures of the day the check found it: to the owner's contact in the
 * staff directory (email, else SMS); an owner without one (not in the directory, inactive, no
 * address) is no reason for silence: it goes to the report recipients, who read the goals monthly.
 */
export async function sendGoalNotice({ task, settings, deps }: Job): Promise<Performed> {
  const goal = task.goalId ? await deps.goals.get(task.goalId) : undefined;
  if (!goal || !task.goalFigures) return { outcome: 'skipped', reason: 'no_goal' };
  const kpi = goal.kpi as keyof typeof LABELS.en.kpis;
  const notice = goalAtRiskNotice({
    goal: { ...goal, ...(goal.name ? { name: maskFreeText(goal.name) } : {}) },
    figures: task.goalFigures,
    kpiLabel: { zh: LABELS.zh.kpis[kpi] ?? goal.kpi, en: LABELS.en.kpis[kpi] ?? goal.kpi },
  });
  const owner = await deps.staffContacts.contactOf(goal.owner);
  if (owner?.email || owner?.phone) {
    const channel = owner.email ? 'email' : 'sms';
    const address = (owner.email ?? owner.phone) as string;
    return delivered(await sendTaskMessage(channel, address, task, { ...notice, short: notice.sms }), channel);
  }
  if (!settings.reportRecipients.length) return { outcome: 'skipped', reason: 'no_contact' };
  const receipt = await send({
    channel: 'email',
    id: messageId(task),
    to: settings.reportRecipients,
    subject: notice.subject,
    text: `${notice.text}\n\n(Sent to the report recipients: the owner ${goal.owner} has no contact in the staff directory.)`,
  });
  return delivered(receipt, 'email');
}
