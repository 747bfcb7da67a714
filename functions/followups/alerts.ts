import { BUILT_IN_CATEGORIES } from '../../shared/domain/categories.js';
import { roleContact } from '../../shared/domain/complaints/notices.js';
import { followUpMessage } from '../../shared/domain/followups.js';
import { maskFreeText } from '../../shared/domain/masking.js';
import { messageIds } from '../../shared/domain/message-ids.js';
import { localDate, localMinute } from '../../shared/domain/time.js';
import { compose } from '../../shared/notify/channels.js';
import { send } from '../../shared/notify/send.js';
import { addressFingerprint } from '../../shared/store/followups.js';
import { type Job, messageId, type Performed, sendTaskMessage } from './performing.js';

/** A detractor alert to the supervisor, by email or else SMS, with personal data masked. */
export async function alertSupervisor({ task, settings }: Job): Promise<Performed> {
  const supervisor = settings.escalation.contacts.supervisor;
  const message = followUpMessage({
    kind: 'detractor_alert',
    language: settings.reportLanguage,
    detail: maskFreeText(task.outcome ?? ''),
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

/** Open and claimed call-backs a digest lists, at most this many (the rest: GET /alerts). */
export const DIGEST_LIMIT = 200;

/**
 * The day's digest of open call-backs: one email per supervisor (a team's own, else the
 * organisation's) listing their teams' alerts, soonest due first; nothing when none is open.
 */
export async function sendAlertDigest({ now, settings, deps }: Job): Promise<Performed> {
  const open = (await deps.alerts.list({ kind: 'feedback', months: [], limit: DIGEST_LIMIT })).items.flatMap((alert) =>
    alert.kind === 'surge' ? [] : [alert],
  );
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
      return `- ${alert.id} · NPS ${alert.nps ?? '—'} · ${maskFreeText(alert.reasons.join('; '))} · team ${alert.team ?? '—'} · due ${due}${late} · ${who}`;
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
 * A complaint surge opened (s000 专项评估): the complaints desk (`complaintSummaryRecipients`) hears
 * the category, its 24 h count against its daily mean, and that the special assessment (the draft
 * improvement) is due in 72 hours. One message per surge (the task's message id).
 */
export async function sendSurgeNotice({ task, settings, deps }: Job): Promise<Performed> {
  const recipients = settings.complaintSummaryRecipients;
  if (!recipients.length) return { outcome: 'skipped', reason: 'no_complaints_desk' };
  const alert = task.alertId ? await deps.alerts.get(task.alertId) : undefined;
  if (alert?.kind !== 'surge') return { outcome: 'skipped', reason: 'no_surge_alert' };
  const category = BUILT_IN_CATEGORIES.find((c) => c.code === alert.category);
  const name = (language: 'zh' | 'en') => category?.name[language] ?? alert.category;
  const due = localMinute(new Date(alert.dueBy), settings.timezone);
  const mean = alert.dailyMean.toFixed(1);
  const receipt = await send({
    channel: 'email',
    id: messageId(task),
    to: recipients,
    subject: `[CareLoop] Complaint surge: ${name('en')} / 投诉激增：${name('zh')}`,
    text: [
      `${alert.last24h} complaints about ${name('en')} in 24 hours (daily mean before: ${mean}). A special assessment is due by ${due}: alert ${alert.id}, draft improvement ${alert.improvementId} (GET /alerts?kind=surge).`,
      `“${name('zh')}”类投诉24小时内${alert.last24h}起（此前日均${mean}起），请于${due}前完成专项评估（预警 ${alert.id}，改进措施草案 ${alert.improvementId}）。`,
    ].join('\n'),
  });
  return { outcome: receipt.status === 'sent' ? 'sent' : 'skipped', reason: receipt.status, channel: 'email' };
}
