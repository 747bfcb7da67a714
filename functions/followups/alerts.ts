import { roleContact } from '../../shared/domain/complaints/notices.js';
import { followUpMessage } from '../../shared/domain/followups.js';
import { messageIds } from '../../shared/domain/message-ids.js';
import { maskText } from '../../shared/domain/personal-data.js';
import { localDate, localMinute } from '../../shared/domain/time.js';
import { compose } from '../../shared/notify/channels.js';
import { send } from '../../shared/notify/send.js';
import { addressFingerprint } from '../../shared/store/followups.js';
import { type Job, type Performed, sendTaskMessage } from './performing.js';

/** A detractor alert to the supervisor, by email or else SMS, with personal data masked. */
export async function alertSupervisor({ task, settings }: Job): Promise<Performed> {
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

/** Open and claimed call-backs a digest lists, at most this many (the rest: GET /alerts). */
export const DIGEST_LIMIT = 200;

/**
 * The day's digest of open call-backs: one email per supervisor (a team's own, else the
 * organisation's) listing their teams' alerts, soonest due first; nothing when none is open.
 */
export async function sendAlertDigest({ now, settings, deps }: Job): Promise<Performed> {
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
