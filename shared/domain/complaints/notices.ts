/**
 * What the new owner of an escalated complaint is told, by email and by SMS. Pure text:
 * ids, category, severity and deadlines only; the customer's details stay in the system.
 */

import type { Complaint, MilestoneName, TimelineEntry } from '../../schemas/complaints.js';
import type { EscalationRole, Settings } from '../../schemas/settings.js';
import { defined } from '../errors.js';
import { messageIds, type OwnerNoticePurpose } from '../message-ids.js';
import { MILESTONE_LABELS } from './milestones.js';

const ROLE_NAMES: Record<EscalationRole, { en: string; zh: string }> = {
  supervisor: { en: 'supervisor', zh: '主管' },
  department_head: { en: 'department head', zh: '部门负责人' },
  executive: { en: 'executive', zh: '高管' },
};

const MILESTONE_ZH: Record<MilestoneName, string> = { respond: '响应', solution: '方案给出', close: '闭环' };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Local wall time of an instant, for people: `2026-11-03 16:15 (Asia/Shanghai)`. */
export function localTime(value: string, timeZone: string): string {
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
            id: messageIds.escalationNotice(complaint.id, milestone, level, 'email'),
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
            id: messageIds.escalationNotice(complaint.id, milestone, level, 'sms'),
            to: contact.phone,
            text: notice.sms,
          },
        ]
      : []),
  ];
}

/**
 * The contact of a role for a complaint's team: the team's own (`escalation.teamContacts`),
 * else the organisation's (`escalation.contacts`).
 */
export function roleContact(
  escalation: Pick<Settings['escalation'], 'contacts' | 'teamContacts'>,
  role: EscalationRole,
  team: string | undefined,
): Contact {
  const own = team ? escalation.teamContacts?.[team]?.[role] : undefined;
  return own && (own.email || own.phone) ? own : (escalation.contacts[role] ?? {});
}

/** Why an owner is told: registered to them, a deadline close, escalated to them by an agent, missed by them (and escalated on). */
export type OwnerPurpose = OwnerNoticePurpose;

/** Who is told: a role of the ladder, or the assignee (from the staff directory). */
export interface OwnerRecipient {
  /** `supervisor`, `department_head`, `executive`, or `assignee`. */
  role: string;
  contact: Contact;
}

const ROLE_LABEL = (role: string) =>
  role === 'assignee'
    ? { en: 'assignee', zh: '处理人' }
    : (ROLE_NAMES[role as EscalationRole] ?? { en: role, zh: role });

/** The message id of an owner notice: one per complaint, purpose, milestone or level, round and channel. */
const ownerMessageId = (
  complaint: Pick<Complaint, 'id' | 'round' | 'escalationLevel'>,
  purpose: OwnerPurpose,
  milestone: MilestoneName | undefined,
  channel: 'email' | 'sms',
) =>
  messageIds.ownerNotice(
    { complaintId: complaint.id, purpose, round: complaint.round, milestone, level: complaint.escalationLevel },
    channel,
  );

/** The words of an owner notice: email subject, text and html, and a short SMS. */
export function ownerNotice(
  complaint: Complaint,
  purpose: OwnerPurpose,
  recipient: OwnerRecipient,
  timeZone: string,
  milestone: MilestoneName = 'respond',
): EscalationNotice {
  const role = ROLE_LABEL(recipient.role);
  const facts: Array<[string, string]> = [
    ['Complaint', complaint.id],
    ['Severity / tier', `${complaint.severity} / tier ${complaint.tier}`],
    ['Category', complaint.category],
    ['Status', complaint.status.replace('_', ' ')],
    ...(complaint.assigneeId ? ([['Assignee', complaint.assigneeId]] as Array<[string, string]>) : []),
    ['Respond by', localTime(complaint.deadlines.respondBy, timeZone)],
    ['Solution by', localTime(complaint.deadlines.solutionBy, timeZone)],
    ['Close by', localTime(complaint.deadlines.closeBy, timeZone)],
  ];
  const label = MILESTONE_LABELS[milestone];
  const dueBy = localTime(complaint.milestones[milestone].dueBy, timeZone);
  const words = {
    registered: {
      subject: `[CareLoop] New complaint ${complaint.id} for you (${role.en}) / 新投诉待处理`,
      intro: `Complaint ${complaint.id} was registered; as ${role.en} you own it. Its deadlines are below.`,
      zh: `新投诉 ${complaint.id} 已登记，由您（${role.zh}）负责，时限见下。`,
      sms: `CareLoop: new ${complaint.severity} complaint ${complaint.id} for you (${role.en}), respond by ${localTime(complaint.deadlines.respondBy, timeZone)}. 新投诉待您处理。`,
    },
    deadline_warning: {
      subject: `[CareLoop] Complaint ${complaint.id}: ${label.noun} due ${dueBy} / 投诉${MILESTONE_ZH[milestone]}即将超时`,
      intro: `Complaint ${complaint.id}'s ${label.kpi} deadline is close: due ${dueBy}.`,
      zh: `投诉 ${complaint.id} 的${MILESTONE_ZH[milestone]}时限即将到期（${dueBy}）。`,
      sms: `CareLoop: complaint ${complaint.id} ${label.noun} due ${dueBy}. 投诉${MILESTONE_ZH[milestone]}即将超时。`,
    },
    escalated: {
      subject: `[CareLoop] Complaint ${complaint.id} escalated to you (${role.en}) / 投诉已升级至您`,
      intro: `An agent escalated complaint ${complaint.id} to you as ${role.en}.`,
      zh: `投诉 ${complaint.id} 已由处理人升级至${role.zh}处理。`,
      sms: `CareLoop: complaint ${complaint.id} (${complaint.severity}) escalated to you (${role.en}). 投诉已升级至您处理。`,
    },
    missed: {
      subject: `[CareLoop] Complaint ${complaint.id} missed its ${label.noun} deadline / 投诉${MILESTONE_ZH[milestone]}超时`,
      intro: `Complaint ${complaint.id}, yours as ${role.en}, missed its ${label.kpi} deadline (due ${dueBy}) and was escalated to the ${ROLE_LABEL(complaint.ownerRole).en}.`,
      zh: `您（${role.zh}）负责的投诉 ${complaint.id} 未在时限内完成${MILESTONE_ZH[milestone]}（${dueBy}），已升级至${ROLE_LABEL(complaint.ownerRole).zh}。`,
      sms: `CareLoop: complaint ${complaint.id} ${label.noun} overdue, escalated to ${ROLE_LABEL(complaint.ownerRole).en}. 投诉${MILESTONE_ZH[milestone]}超时已升级。`,
    },
  }[purpose];
  const text = [
    words.intro,
    words.zh,
    '',
    ...facts.map(([name, value]) => `${name}: ${value}`),
    '',
    'Open the complaint in CareLoop.',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(words.intro)}<br>${escapeHtml(words.zh)}</p>`,
    '<table>',
    ...facts.map(([name, value]) => `<tr><th align="left">${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`),
    '</table>',
    '<p>Open the complaint in CareLoop.</p>',
  ].join('\n');
  return { subject: words.subject, text, html, sms: words.sms };
}

/** An owner notice on one channel and the `owner_notified` entry that records it (roles and ids, never addresses). */
export interface OwnerMessage {
  message: OutgoingNotice;
  entry: TimelineEntry;
}

/**
 * The messages of an owner notice: email, plus SMS for a high-severity complaint, each under
 * an id that is the same on every attempt (the workflow and the follow-up job send the same ids).
 */
export function ownerMessages(
  complaint: Complaint,
  purpose: OwnerPurpose,
  recipient: OwnerRecipient,
  input: { timeZone: string; now: Date; actor: string; milestone?: MilestoneName },
): OwnerMessage[] {
  const notice = ownerNotice(complaint, purpose, recipient, input.timeZone, input.milestone);
  const entry = (channel: 'email' | 'sms', messageId: string): TimelineEntry => ({
    at: input.now.toISOString(),
    type: 'owner_notified',
    actor: input.actor,
    detail: {
      role: recipient.role,
      channel,
      template: purpose,
      messageId,
      round: complaint.round,
      ...(input.milestone && (purpose === 'deadline_warning' || purpose === 'missed')
        ? { milestone: input.milestone }
        : {}),
    },
  });
  const out: OwnerMessage[] = [];
  if (recipient.contact.email) {
    const id = ownerMessageId(complaint, purpose, input.milestone, 'email');
    out.push({
      message: {
        channel: 'email',
        id,
        to: [recipient.contact.email],
        subject: notice.subject,
        text: notice.text,
        html: notice.html,
      },
      entry: entry('email', id),
    });
  }
  // Email is the owner's channel; a high-severity complaint is worth a text message too (or instead, without email).
  if (recipient.contact.phone && (complaint.severity === 'high' || !recipient.contact.email)) {
    const id = ownerMessageId(complaint, purpose, input.milestone, 'sms');
    out.push({
      message: { channel: 'sms', id, to: recipient.contact.phone, text: notice.sms },
      entry: entry('sms', id),
    });
  }
  return out;
}

/**
 * Who hears an owner notice: for a deadline warning the assignee when the staff directory has
 * their contact, else the complaint's current owner; at registration the tier's first owner;
 * after an agent's escalation the owner at the new `level`. Team contacts win over the organisation's.
 */
export function ownerRecipientFor(
  complaint: Complaint,
  purpose: OwnerPurpose,
  escalation: Pick<Settings['escalation'], 'contacts' | 'teamContacts'>,
  options: { level?: number | undefined; assigneeContact?: Contact | undefined } = {},
): OwnerRecipient {
  const assignee = options.assigneeContact;
  if (purpose === 'deadline_warning' && complaint.assigneeId && (assignee?.email || assignee?.phone))
    return { role: 'assignee', contact: assignee };
  const level = purpose === 'registered' ? 0 : (options.level ?? complaint.escalationLevel);
  const role = defined(
    complaint.escalation.ladder.at(Math.min(level, complaint.escalation.ladder.length - 1)),
    'the escalation ladder',
  );
  return { role, contact: roleContact(escalation, role, complaint.team) };
}
