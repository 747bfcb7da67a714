/**
 * What the new owner of an escalated complaint is told, by email and by SMS. Pure text:
 * ids, category, severity and deadlines only; the customer's details stay in the system.
 */
import type { Complaint, MilestoneName } from '../../schemas/complaints.js';
import type { EscalationRole } from '../../schemas/settings.js';
import { escalationMessageId, MILESTONE_LABELS } from './milestones.js';

const ROLE_NAMES: Record<EscalationRole, { en: string; zh: string }> = {
  supervisor: { en: 'supervisor', zh: '主管' },
  department_head: { en: 'department head', zh: '部门负责人' },
  executive: { en: 'executive', zh: '高管' },
};

const MILESTONE_ZH: Record<MilestoneName, string> = { respond: '响应', solution: '方案给出', close: '闭环' };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Local wall time of an instant, for people: `2026-11-03 16:15 (Asia/Shanghai)`. */
function localTime(value: string, timeZone: string): string {
  const text = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(value));
  return `${text} (${timeZone})`;
}

export interface EscalationNotice {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

export function escalationNotice(
  complaint: Complaint,
  milestone: MilestoneName,
  toRole: EscalationRole,
  timeZone: string,
): EscalationNotice {
  const label = MILESTONE_LABELS[milestone];
  const role = ROLE_NAMES[toRole];
  const dueBy = localTime(complaint.milestones[milestone].dueBy, timeZone);
  const facts: Array<[string, string]> = [
    ['Complaint', complaint.id],
    ['Severity / tier', `${complaint.severity} / tier ${complaint.tier}`],
    ['Category', complaint.category],
    ['Missed', `${label.kpi} deadline, due ${dueBy}`],
    ['Status', complaint.status.replace('_', ' ')],
    ['Respond by', localTime(complaint.deadlines.respondBy, timeZone)],
    ['Solution by', localTime(complaint.deadlines.solutionBy, timeZone)],
    ['Close by', localTime(complaint.deadlines.closeBy, timeZone)],
  ];
  const subject = `[CareLoop] Escalated to you: complaint ${complaint.id} — ${label.noun} overdue / 投诉${MILESTONE_ZH[milestone]}超时升级`;
  const intro = `Complaint ${complaint.id} missed its ${label.kpi} deadline and is now yours as ${role.en}.`;
  const introZh = `投诉 ${complaint.id} 未在时限内完成${MILESTONE_ZH[milestone]}，已升级至${role.zh}处理。`;
  const text = [
    intro,
    introZh,
    '',
    ...facts.map(([name, value]) => `${name}: ${value}`),
    '',
    'Open the complaint in CareLoop to take it over.',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(intro)}<br>${escapeHtml(introZh)}</p>`,
    '<table>',
    ...facts.map(([name, value]) => `<tr><th align="left">${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`),
    '</table>',
    '<p>Open the complaint in CareLoop to take it over.</p>',
  ].join('\n');
  const sms = `CareLoop: complaint ${complaint.id} (${complaint.severity}) ${label.noun} overdue, escalated to you (${role.en}). 投诉${MILESTONE_ZH[milestone]}超时，已升级至您处理。`;
  return { subject, text, html, sms };
}

export interface Contact {
  email?: string | undefined;
  phone?: string | undefined;
}

export type OutgoingNotice =
  | { channel: 'email'; id: string; to: string[]; subject: string; text: string; html: string }
  | { channel: 'sms'; id: string; to: string; text: string };

/**
 * The messages that tell the owner at `level` about a missed milestone, one per channel the
 * contact has, under ids that are the same every time (the workflow and the follow-up job's
 * retry send the same ids, so each goes out once).
 */
export function escalationMessages(
  complaint: Complaint,
  milestone: MilestoneName,
  level: number,
  contact: Contact,
  timeZone: string,
): OutgoingNotice[] {
  const role = complaint.escalation.ladder[level];
  if (!role) return [];
  const notice = escalationNotice(complaint, milestone, role, timeZone);
  return [
    ...(contact.email
      ? [
          {
            channel: 'email' as const,
            id: escalationMessageId(complaint.id, milestone, level, 'email'),
            to: [contact.email],
            subject: notice.subject,
            text: notice.text,
            html: notice.html,
          },
        ]
      : []),
    ...(contact.phone
      ? [
          {
            channel: 'sms' as const,
            id: escalationMessageId(complaint.id, milestone, level, 'sms'),
            to: contact.phone,
            text: notice.sms,
          },
        ]
      : []),
  ];
}
