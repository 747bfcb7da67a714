/**
 * Every follow-up task id and message id is built here, and only here. Exactly-once delivery
 * rests on them: a task id is the key of the task's conditional put (scheduled once, however
 * often the write that makes it due is retried), a message id the key of the message ledger's
 * claim (`shared/store/messages.ts`: sent once, whoever sends it). The workflow and the
 * follow-up job build the same ids for the same notice, so a retry by either never sends twice.
 * Never change a shape: ids already stored (pending tasks, sent messages) must still match
 * after a deploy (test/shared/domain/message-ids.test.ts pins every one).
 *
 * Follow-up tasks (`taskIds`; scheduled by → performed by the follow-up job's performer):
 * | task                              | id                                                          | scheduled by                       |
 * |-----------------------------------|-------------------------------------------------------------|------------------------------------|
 * | survey invitation of a subject    | invite:<subject type>:<subject id>                          | interactions, complaints, surveys  |
 * | survey reminder n (1, 2)          | remind:<surveyId>:<n>                                       | the invitation's performer         |
 * | "fixed" fan-out of an improvement | fanout:<improvementId>                                      | improvements (verified)            |
 * | "fixed" to one customer           | fixed:<improvementId>:<customerId>                          | the fan-out's performer            |
 * | start a round's workflow if lost  | watch:complaint:<complaintId>:r<round>                      | complaints (register, reopen)      |
 * | confirmation link of a round      | confirm:<complaintId>:<round>                               | complaints (resolve)               |
 * | customer notice of a stage        | notify:customer:<complaintId>:<stage>:r<round>              | complaints                         |
 * | owner notice                      | notify:owner:<complaintId>:<purpose>[:<milestone>][:l<level>]:r<round> | complaints, escalation  |
 * |   (milestone for deadline_warning and missed; level for escalated)                                                        |
 * | escalation notice, sent again     | notice:complaint:<complaintId>:<milestone>:r<round>:l<level>| escalation (a failed notice)       |
 * | decision on a suggestion          | notify:suggestion:<suggestionId>:decision                   | improvements (decide)              |
 * | improvement notice                | notify:improvement:<improvementId>:<purpose>                | improvements                       |
 * | the day's call-back digest        | digest:alerts:<local day>                                   | the digest schedule                |
 * | a surge, to the complaints desk   | notify:surge:<category>:<local day>                         | complaints (register)              |
 * | a goal turned at_risk, to owner   | notify:goal:<goalId>:at_risk:<n> (n-th time it turned)      | the goal check (morning job)       |
 *
 * Messages (`messageIds`; the ledger's key, `MESSAGE#<id>`):
 * | message                           | id                                                          | sent by                            |
 * |-----------------------------------|-------------------------------------------------------------|------------------------------------|
 * | a follow-up task's one message    | followup:<taskId>                                           | the follow-up job                  |
 * | escalation notice, per channel    | escalation-<complaintId>-<milestone>-l<level>-<channel>     | escalation workflow, follow-up job |
 * | owner notice, per channel         | owner-<complaintId>-<purpose>[-<milestone>][-l<level>]-r<round>-<channel> | workflow, follow-up job |
 * | call-back digest, per supervisor  | alert-digest-<local day>-<address fingerprint>              | the follow-up job                  |
 * | at-risk digest, per supervisor    | at-risk-digest-<address fingerprint>-<hash of the contact ids> | the overdue sweep               |
 * | the monthly report                | report-<period>@careloop                                    | the report job                     |
 * | the weekly complaint summary      | complaint-summary-<ISO week>@careloop                       | the summary job                    |
 *
 * Timeline entries that record a notice once (`noticeRecords`; `ONCE#<name>` of the complaint):
 * | entry                             | name                                                        |
 * |-----------------------------------|-------------------------------------------------------------|
 * | owner told, per message           | owner_notified#<messageId>                                  |
 * | owner not reachable, per task     | owner_notified#<taskId>                                     |
 * | customer told (or not), per task  | customer_notified#<taskId>                                  |
 */
import type { MilestoneName } from '../schemas/complaints.js';

/** The channels a message goes out on (each has an adapter in shared/notify/channels.ts). */
export const MESSAGE_CHANNELS = ['email', 'sms', 'wechat'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** Why a complaint's owner is told: registered to them, a deadline close, escalated to them by an agent, missed by them. */
export type OwnerNoticePurpose = 'registered' | 'deadline_warning' | 'escalated' | 'missed';
/** The stages of a complaint its customer hears about (the resolution's confirmation link is `complaint_confirmation`). */
export type CustomerNoticeStage = 'acknowledged' | 'awaiting_customer' | 'solution_proposed';
/** Why an improvement action's people are told: its owner that it was created or is overdue, its department that it was verified. */
export type ImprovementNoticePurpose = 'created' | 'overdue' | 'verified';

/** An owner notice's named parts: the milestone of a warning or a miss, the level of an agent's escalation. */
interface OwnerNoticeParts {
  complaintId: string;
  purpose: OwnerNoticePurpose;
  round: number;
  milestone?: MilestoneName | undefined;
  level?: number | undefined;
}

/** The parts that tell one owner notice from another, in order: purpose, milestone (warning, miss), level (escalated). */
const ownerNoticeParts = ({ purpose, milestone, level }: OwnerNoticeParts): string[] => [
  purpose,
  ...(purpose === 'deadline_warning' || purpose === 'missed' ? [`${milestone}`] : []),
  ...(purpose === 'escalated' ? [`l${level}`] : []),
];

const task = (...parts: Array<string | number>) => parts.join(':');
const message = (...parts: Array<string | number>) => parts.join('-');

export const taskIds = {
  surveyInvitation: (subject: { type: string; id: string }) => task('invite', subject.type, subject.id),
  surveyReminder: (surveyId: string, reminder: number) => task('remind', surveyId, reminder),
  fixedFanout: (improvementId: string) => task('fanout', improvementId),
  problemFixed: (improvementId: string, customerId: string) => task('fixed', improvementId, customerId),
  ensureWatch: (complaintId: string, round: number) => task('watch', 'complaint', complaintId, `r${round}`),
  complaintConfirmation: (complaintId: string, round: number) => task('confirm', complaintId, round),
  customerNotice: (complaintId: string, stage: CustomerNoticeStage, round: number) =>
    task('notify', 'customer', complaintId, stage, `r${round}`),
  ownerNotice: (parts: OwnerNoticeParts) =>
    task('notify', 'owner', parts.complaintId, ...ownerNoticeParts(parts), `r${parts.round}`),
  escalationNotice: (complaintId: string, milestone: MilestoneName, round: number, level: number) =>
    task('notice', 'complaint', complaintId, milestone, `r${round}`, `l${level}`),
  suggestionDecision: (suggestionId: string) => task('notify', 'suggestion', suggestionId, 'decision'),
  improvementNotice: (improvementId: string, purpose: ImprovementNoticePurpose) =>
    task('notify', 'improvement', improvementId, purpose),
  alertDigest: (localDay: string) => task('digest', 'alerts', localDay),
  surgeNotice: (category: string, localDay: string) => task('notify', 'surge', category, localDay),
  /** The n-th time a goal turned at_risk (n counts from 1; a recovery and a new turn make the next one). */
  goalAtRisk: (goalId: string, turn: number) => task('notify', 'goal', goalId, 'at_risk', turn),
};

export const messageIds = {
  /** The one message a follow-up task sends (`followup:` keeps the task id's own colons). */
  followUp: (taskId: string) => `followup:${taskId}`,
  escalationNotice: (complaintId: string, milestone: MilestoneName, level: number, channel: MessageChannel) =>
    message('escalation', complaintId, milestone, `l${level}`, channel),
  ownerNotice: (parts: OwnerNoticeParts, channel: MessageChannel) =>
    message('owner', parts.complaintId, ...ownerNoticeParts(parts), `r${parts.round}`, channel),
  alertDigest: (localDay: string, addressFingerprint: string) => message('alert-digest', localDay, addressFingerprint),
  /** One sweep's contacts newly at risk, to one supervisor: each contact is warned once, so each is in one digest. */
  atRiskDigest: (addressFingerprint: string, contactsHash: string) =>
    message('at-risk-digest', addressFingerprint, contactsHash),
  monthlyReport: (period: string) => `report-${period}@careloop`,
  complaintSummary: (isoWeek: string) => `complaint-summary-${isoWeek}@careloop`,
};

/** The follow-up task whose one message this is (`followup:<taskId>`), else undefined (a staff notice, a report). */
export function followUpTaskOf(messageId: string): string | undefined {
  const prefix = messageIds.followUp('');
  return messageId.startsWith(prefix) && messageId.length > prefix.length ? messageId.slice(prefix.length) : undefined;
}

/** A survey's own message (a follow-up task's, by its task id): its invitation or a reminder, for the cost per survey. */
export function surveyMessageOf(messageId: string): 'invitation' | 'reminder' | undefined {
  if (messageId.startsWith(messageIds.followUp('invite:'))) return 'invitation';
  if (messageId.startsWith(messageIds.followUp('remind:'))) return 'reminder';
  return undefined;
}

export const noticeRecords = {
  ownerNotified: (messageId: string) => `owner_notified#${messageId}`,
  ownerNotReached: (taskId: string) => `owner_notified#${taskId}`,
  customerNotified: (taskId: string) => `customer_notified#${taskId}`,
};

/**
 * The notices a complaint's registration schedules, in the order they go out: the customer's
 * acknowledgement, then the owner's notice. The escalation workflow sends them as it starts,
 * the follow-up job if it could not.
 */
export const registrationNoticeTaskIds = (complaintId: string, round: number): string[] => [
  taskIds.customerNotice(complaintId, 'acknowledged', round),
  taskIds.ownerNotice({ complaintId, purpose: 'registered', round }),
];
