/** Use cases of the complaints capability: register, move through the loop, read, list, timeline, pause report. */

import { ulid } from 'ulidx';
import { type Actor, assertMayChange } from '../../shared/domain/access.js';
import { realSpan } from '../../shared/domain/clock.js';
import {
  applyComplaintEvent,
  findRecurrence,
  RECURRENCE_WINDOW_DAYS,
  registerComplaint as register,
  roundsOf,
} from '../../shared/domain/complaints/complaint.js';
import { allowedEvents } from '../../shared/domain/complaints/loop.js';
import { nextDeadline } from '../../shared/domain/complaints/milestones.js';
import { escalationInput, executionNameFor } from '../../shared/domain/complaints/workflow.js';
import { signConfirmationToken, verifyConfirmationToken } from '../../shared/domain/confirmation-token.js';
import { deriveSegment } from '../../shared/domain/customers.js';
import { Conflict, defined, Gone, Invalid, NotFound } from '../../shared/domain/errors.js';
import { type CustomerNoticeStage, invitationTask } from '../../shared/domain/followups.js';
import { taskIds } from '../../shared/domain/message-ids.js';
import { addDays, DAY, localDate, startOfLocalDay } from '../../shared/domain/time.js';
import { assertIfMatch, type IfMatch } from '../../shared/domain/versions.js';
import { confirmationPageUrl } from '../../shared/links.js';
import { logger } from '../../shared/observability/logger.js';
import { countEvent } from '../../shared/observability/metrics.js';
import { ports } from '../../shared/ports.js';
import type {
  Complaint,
  ComplaintEventBody,
  ComplaintListItem,
  ComplaintView,
  CreateComplaintBody,
  EscalationExecution,
  EscalationExecutions,
  EscalationLookup,
  ListComplaintsQuery,
  TimelineItem,
} from '../../shared/schemas/complaints.js';
import type { Language } from '../../shared/schemas/customers.js';
import { assertActiveCategory, type CategoryStore, dynamoCategoryStore } from '../../shared/store/categories.js';
import { complaintWatchItem } from '../../shared/store/complaint-watch.js';
import { type ComplaintStore, dynamoComplaintStore } from '../../shared/store/complaints.js';
import { type CustomerStore, dynamoCustomerStore } from '../../shared/store/customers.js';
import {
  dynamoFollowUpStore,
  type FollowUpStore,
  type NewTask,
  scheduleTaskItem,
} from '../../shared/store/followups.js';
import { dynamoInteractionStore } from '../../shared/store/interactions.js';
import {
  type ClientRequest,
  dynamoRequestClaims,
  RequestAlreadyApplied,
  type RequestClaims,
} from '../../shared/store/requests.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';
import { dynamoStaffStore, type StaffStore } from '../../shared/store/staff.js';
import { dynamoSurgeStore, type SurgeStore, surgeCountUpdate } from '../../shared/store/surges.js';
import type { ExecutionReader, WorkflowStarter } from '../../shared/workflow/escalation.js';
import { checkSurge } from './surges.js';

/** What the complaints capability needs from another one (customers), passed in by functions/composition.ts. */
export interface ComplaintNeeds {
  /** Re-derives the customer's segment lists after their complaint counts changed. */
  segments: (customerId: string, now: Date) => Promise<void>;
}

export interface ComplaintDeps extends ComplaintNeeds {
  store: ComplaintStore;
  settings: SettingsStore;
  workflows: () => WorkflowStarter;
  /** Reads an execution's status and states for the audit view. */
  executions: () => ExecutionReader;
  interactionExists: (id: string) => Promise<boolean>;
  requests: RequestClaims;
  /** Where a closed complaint schedules its closing survey. */
  followUps: Pick<FollowUpStore, 'scheduleTask'>;
  /** Customers' names, tiers and segments for list rows. */
  customers: Pick<CustomerStore, 'readCustomersBrief'>;
  /** Assignees' names for list rows. */
  staff: Pick<StaffStore, 'getStaffMembers'>;
  /** The managed category list a complaint's category must be an active code of. */
  categories: Pick<CategoryStore, 'get'>;
  /** The categories' hour counters and surge openings (functions/complaints/surges.ts). */
  surges: SurgeStore;
}

const defaults: Omit<ComplaintDeps, keyof ComplaintNeeds> = {
  store: dynamoComplaintStore,
  settings: dynamoSettingsStore,
  workflows: () => ports().workflows,
  executions: () => ports().executions,
  interactionExists: async (id) => (await dynamoInteractionStore.get(id)) !== undefined,
  requests: dynamoRequestClaims,
  followUps: dynamoFollowUpStore,
  customers: dynamoCustomerStore,
  staff: dynamoStaffStore,
  categories: dynamoCategoryStore,
  surges: dynamoSurgeStore,
};

/**
 * How long the follow-up job leaves a complaint's registration notices to its escalation workflow,
 * which sends them as it starts (real time): the job sends them only if the workflow could not,
 * so it never races the workflow and the customer's acknowledgement goes out before the owner's notice.
 */
export const REGISTRATION_NOTICE_GRACE_MS = 2 * 60 * 1000;

/** A registration notice's task: due to the job after the grace; the workflow sends it before (performTasksNow). */
const registrationNotice = (task: NewTask, now: Date): NewTask => ({
  ...task,
  dueAt: new Date(now.getTime() + realSpan(ports().clock, REGISTRATION_NOTICE_GRACE_MS)).toISOString(),
});

/** How long after storing a complaint's round the follow-up job checks that its workflow was started (real time). */
export const WATCH_RECOVERY_DELAY_MS = 5 * 60 * 1000;

/** Lost races on one complaint are retried this often before the caller gets a 409. */
const MAX_ATTEMPTS = 10;
/** A short, growing, random pause after a lost race, so racing writers do not collide again in lockstep. */
const backOff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
/** The widest registration range one list call walks when it names no customer. */
const MAX_RANGE_DAYS = 400;
/** The actor of a resume caused by the customer getting in touch. */
export const CUSTOMER_CONTACT_ACTOR = 'system:customer-contact';

/** Who may have registered this complaint before: a retry of the same request (same caller and Idempotency-Key). */
async function alreadyRegistered(
  request: ClientRequest | undefined,
  { store, requests }: Pick<ComplaintDeps, 'store' | 'requests'>,
): Promise<Complaint | undefined> {
  if (!request) return undefined;
  const id = await requests.find(request);
  return id ? store.get(id) : undefined;
}

/** Watches a stored complaint: starts its escalation execution (idempotent by name, so a retry is harmless). */
async function watch(complaint: Complaint, starter: WorkflowStarter): Promise<void> {
  await starter.start(complaint.escalation.executionName, escalationInput(complaint));
}

/**
 * Registers a complaint, then starts its escalation workflow (named after the complaint and its
 * round). Stored first, in one transaction with everything that belongs to it (the category
 * watch, the request's claim and the task that recovers a watch whose start was lost), so a
 * workflow never looks for a complaint that is not there yet, and a complaint never goes
 * unwatched: a retry of the same request starts the same execution again, and so does the
 * follow-up job if nobody retries.
 */
export async function registerComplaint(
  body: CreateComplaintBody,
  actor: Actor,
  now: Date,
  request: ClientRequest | undefined,
  deps: ComplaintNeeds & Partial<ComplaintDeps>,
): Promise<Complaint> {
  const all = { ...defaults, ...deps };
  const { store, settings: settingsStore, workflows, interactionExists, requests } = all;
  // Staff register complaints for their own team (the team defaults from the token).
  if (body.team !== undefined)
    assertMayChange(actor, { team: body.team, people: [] }, `A complaint of team ${body.team}`);
  const starter = workflows();
  const replayed = await alreadyRegistered(request, all);
  if (replayed) {
    await watch(replayed, starter);
    await all.segments(replayed.customerId, now);
    return replayed;
  }
  const { settings } = await settingsStore.current();
  await assertActiveCategory(body.category, 'category', all.categories);
  if (body.interactionId && !(await interactionExists(body.interactionId)))
    throw Invalid.field('interactionId', 'names no recorded interaction', 'not_found');
  const id = ulid(now.getTime());
  const earlier = await store.closedOfCustomer(
    body.customerId,
    body.category,
    new Date(now.getTime() - RECURRENCE_WINDOW_DAYS * DAY).toISOString(),
  );
  const name = executionNameFor(id, 1);
  const { complaint, timeline } = register({
    id,
    body,
    actor,
    now,
    settings,
    execution: { name, arn: starter.executionArn(name) },
    recurrenceOf: findRecurrence(earlier, body.category, now),
  });
  try {
    await store.create(complaint, timeline, [
      // Who complained about what, to tell them when an improvement on it is verified.
      complaintWatchItem(complaint.category, complaint.customerId, complaint.registeredAt),
      // The category's complaints of this hour (the surge check reads them back, never the complaints).
      surgeCountUpdate(complaint.category, new Date(complaint.registeredAt), complaint.id),
      scheduleTaskItem(watchRecoveryTask(complaint, now), now),
      // The customer's acknowledgement (number, when to expect a response) and the owner's notice: sent by
      // the escalation workflow as it starts (at once), or by the follow-up job if the workflow could not.
      scheduleTaskItem(registrationNotice(customerNoticeTask(complaint, 'acknowledged', now), now), now),
      // The tier's owner (department head or supervisor) hears of it with its deadlines.
      scheduleTaskItem(registrationNotice(ownerNoticeTask(complaint, 'registered', now), now), now),
      ...(request ? [requests.claimItem(request, complaint.id, now)] : []),
    ]);
  } catch (error) {
    // A racing retry of the same request stored it first (its claim is taken): answer with that one.
    const raced =
      error instanceof Conflict || error instanceof RequestAlreadyApplied
        ? await alreadyRegistered(request, all)
        : undefined;
    if (!raced) throw error;
    await watch(raced, starter);
    return raced;
  }
  countEvent('ComplaintRegistered');
  await watch(complaint, starter);
  await all.segments(complaint.customerId, now);
  try {
    await checkSurge(complaint, settings, now, all.surges);
  } catch (error) {
    // The complaint stands; the next registration of the category checks again (a surge stays reached).
    logger.error('surge check failed', { complaintId: complaint.id, category: complaint.category, error });
  }
  return complaint;
}

/**
 * A follow-up task that makes sure a complaint's round is watched, due a little after the start
 * should have happened: if the process died between storing and starting, the job starts it.
 */
export function watchRecoveryTask(complaint: Complaint, now: Date): NewTask {
  return {
    id: taskIds.ensureWatch(complaint.id, complaint.round),
    kind: 'ensure_watch',
    subject: { type: 'complaint', id: complaint.id },
    customerId: complaint.customerId,
    dueAt: new Date(now.getTime() + realSpan(ports().clock, WATCH_RECOVERY_DELAY_MS)).toISOString(),
  };
}

/**
 * Applies one event of the closed loop with optimistic locking: a lost race re-reads and
 * re-applies (so concurrent events never lose an update), and an event the loop refuses is a 409.
 * A reopen starts the workflow execution of the new round.
 */
export async function applyEvent(
  id: string,
  event: ComplaintEventBody,
  /** A member of staff (object-level rules apply), or the id of a trusted internal actor (`customer`, the seed). */
  actor: Actor | string,
  now: Date,
  ifMatch: IfMatch = undefined,
  /** A keyed POST: its claim is written with the event (a retry is answered from it, never applied twice). */
  request?: ClientRequest,
  deps: Partial<ComplaintDeps> = {},
): Promise<Complaint> {
  const { store, settings: settingsStore, workflows, followUps, requests } = { ...defaults, ...deps };
  const { settings } = await settingsStore.current();
  const actorId = typeof actor === 'string' ? actor : actor.id;
  for (let attempt = 1; ; attempt += 1) {
    const current = await store.get(id);
    if (!current) throw new NotFound(`No complaint ${id}.`);
    if (typeof actor !== 'string')
      assertMayChange(actor, { team: current.team, people: [current.assigneeId] }, `Complaint ${id}`);
    // Checked on every attempt: a lost race means the version the caller read is gone (412, not a silent retry).
    assertIfMatch(ifMatch, current.version, `Complaint ${id}`);
    const starter = event.type === 'reopen' ? workflows() : undefined;
    const nextName = executionNameFor(id, current.round + 1);
    const outcome = withScreenFields(current, now, () =>
      applyComplaintEvent(current, event, {
        actor: actorId,
        now,
        timezone: settings.timezone,
        ...(starter ? { nextExecution: { name: nextName, arn: starter.executionArn(nextName) } } : {}),
      }),
    );
    const reopened = outcome.complaint.round !== current.round;
    try {
      await store.replace(outcome.complaint, current, outcome.timeline, outcome.pauseCredit, [
        // The new round is stored with the task that recovers its watch, then its execution starts.
        ...(reopened ? [scheduleTaskItem(watchRecoveryTask(outcome.complaint, now), now)] : []),
        ...(request ? [requests.claimItem(request, id, now)] : []),
      ]);
      if (starter && reopened) await watch(outcome.complaint, starter);
      // An agent's escalation: the new owner hears of it now.
      if (event.type === 'escalate')
        await followUps.scheduleTask(ownerNoticeTask(outcome.complaint, 'escalated', now), now);
      // The customer hears what is needed from them, and the solution (once per stage and round).
      if (event.type === 'await_customer' || event.type === 'propose_solution') {
        const stage = event.type === 'await_customer' ? 'awaiting_customer' : 'solution_proposed';
        await followUps.scheduleTask(customerNoticeTask(outcome.complaint, stage, now), now);
      }
      if (outcome.complaint.status === 'resolved' && current.status !== 'resolved') {
        // "Did this solve your problem?" goes to the customer (idempotent by complaint and round).
        await followUps.scheduleTask(confirmationTask(outcome.complaint, now), now);
      }
      if (outcome.complaint.status === 'closed' && current.status !== 'closed') {
        // The closing survey (second-round satisfaction); idempotent by task id, exempt from the survey throttle.
        const task = invitationTask({ type: 'complaint', id }, now, now, outcome.complaint.customerId);
        if (task) await followUps.scheduleTask(task, now);
      }
      return outcome.complaint;
    } catch (error) {
      if (!(error instanceof Conflict) || attempt >= MAX_ATTEMPTS) throw error;
      await backOff(attempt);
    }
  }
}

/** A refused transition (409) also says what a row shows of the complaint now: its next deadline. */
function withScreenFields<T>(current: Complaint, now: Date, apply: () => T): T {
  try {
    return apply();
  } catch (error) {
    if (error instanceof Conflict && error.extensions?.currentStatus)
      error.extensions = { ...error.extensions, nextDeadline: nextDeadline(current, now) };
    throw error;
  }
}

/** The customer got in touch: every complaint of theirs awaiting them resumes (their deadlines move by the pause). */
export async function resumeOnCustomerContact(
  customerId: string,
  interactionId: string,
  now: Date,
  deps: Partial<ComplaintDeps> = {},
): Promise<string[]> {
  const { store } = { ...defaults, ...deps };
  const resumed: string[] = [];
  for (const id of await store.pausedOfCustomer(customerId)) {
    try {
      await applyEvent(
        id,
        { type: 'resume', note: `The customer got in touch (interaction ${interactionId}).` },
        CUSTOMER_CONTACT_ACTOR,
        now,
        undefined,
        undefined,
        deps,
      );
      resumed.push(id);
    } catch (error) {
      // Resumed by an agent meanwhile: nothing left to do.
      if (!(error instanceof Conflict)) throw error;
    }
  }
  return resumed;
}

/** Resumes paused complaints after a recorded contact; a failure here must not fail the contact that was already stored. */
export async function resumeAfterContact(customerId: string, interactionId: string, now: Date): Promise<void> {
  try {
    await resumeOnCustomerContact(customerId, interactionId, now);
  } catch (error) {
    logger.error('could not resume complaints after a customer contact', { error: error as Error });
  }
}

export async function readComplaint(id: string, deps: Partial<ComplaintDeps> = {}): Promise<Complaint> {
  const complaint = await (deps.store ?? defaults.store).get(id);
  if (!complaint) throw new NotFound(`No complaint ${id}.`);
  return complaint;
}

/** A complaint as served: with the events it accepts now (the same answer on every read of one version). */
export function complaintView(complaint: Complaint): ComplaintView {
  return { ...complaint, allowedEvents: allowedEvents(complaint.status) };
}

/** The default registration window of a list without `from` (the same for every list). */
export const LIST_WINDOW_DAYS = 90;

/**
 * A page of complaints with what a screen shows on each row: the customer's name, tier and segment,
 * the assignee's name, the next deadline and the events the complaint accepts, read for the whole
 * page at once (one BatchGetItem each for customers and staff). `assigneeId=me` is the caller.
 */
export async function listComplaints(
  query: ListComplaintsQuery,
  actor: Actor,
  now: Date,
  deps: Partial<ComplaintDeps> = {},
): Promise<{ items: ComplaintListItem[]; nextCursor: string | null }> {
  const { store, settings: settingsStore, customers, staff } = { ...defaults, ...deps };
  const { settings } = await settingsStore.current();
  const to = query.to ?? localDate(now, settings.timezone);
  const from = query.from ?? addDays(to, -LIST_WINDOW_DAYS);
  if (from > to) throw Invalid.field('from', 'must not be after to', 'not_ordered', { before: 'to' });
  if (addDays(from, MAX_RANGE_DAYS) < to && !query.customerId)
    throw Invalid.field('from', `range may span at most ${MAX_RANGE_DAYS} days`, 'out_of_range', {
      maximumDays: MAX_RANGE_DAYS,
    });
  const open = query.open === undefined ? undefined : query.open === 'true';
  const sort = query.sort ?? (open && !query.customerId ? 'nextDeadline' : 'newest');
  if (sort === 'nextDeadline' && (open === false || query.customerId))
    throw Invalid.field(
      'sort',
      'nextDeadline orders open complaints across customers; use it without open=false and customerId',
      'not_in_list',
      { allowed: ['newest'] },
    );
  if (open !== undefined && query.status && (query.status === 'closed') === open)
    throw Invalid.field('status', `contradicts open=${query.open}`, 'not_in_list');
  const page = await store.list({
    status: query.status,
    severity: query.severity,
    breached: query.breached === undefined ? undefined : query.breached === 'true',
    customerId: query.customerId,
    assigneeId: query.assigneeId === 'me' ? actor.id : query.assigneeId,
    team: query.team,
    open,
    sort,
    fromInstant: startOfLocalDay(from, settings.timezone).toISOString(),
    toInstant: new Date(startOfLocalDay(addDays(to, 1), settings.timezone).getTime() - 1).toISOString(),
    limit: query.limit,
    cursor: query.cursor,
  });
  return {
    items: await complaintRows(page.items, now, settings.timezone, { customers, staff }),
    nextCursor: page.nextCursor,
  };
}

/** One complaint as a list row shows it (customer, assignee, next deadline, allowed events): what `GET /complaints/{id}` answers. */
export async function readComplaintRow(
  id: string,
  now: Date,
  deps: Partial<ComplaintDeps> = {},
): Promise<ComplaintListItem> {
  const { store, settings: settingsStore, customers, staff } = { ...defaults, ...deps };
  const complaint = await readComplaint(id, { store });
  const { settings } = await settingsStore.current();
  const [row] = await complaintRows([complaint], now, settings.timezone, { customers, staff });
  return defined(row, `the row of complaint ${id}`);
}

/**
 * The escalation audit view: one item per round, oldest first, each with its execution's status and
 * the states it entered (Step Functions' history in AWS, the local runner's record locally). An
 * execution no longer known (history expired, or run before a local restart) is `NOT_FOUND` with the
 * round's start and no states.
 */
export async function escalationExecutions(
  id: string,
  deps: Partial<ComplaintDeps> = {},
): Promise<EscalationExecutions> {
  const { store, executions } = { ...defaults, ...deps };
  const complaint = await readComplaint(id, { store });
  const reader = executions();
  const items = await Promise.all(
    roundsOf(complaint).map(async (round): Promise<EscalationExecution> => {
      const known = { round: round.round, executionArn: round.executionArn, name: round.executionName };
      const history = await reader.describe(round.executionArn);
      return history
        ? { ...known, ...history }
        : { ...known, status: 'NOT_FOUND', startedAt: round.startedAt, states: [] };
    }),
  );
  return { items };
}

/** `<complaintId>-r<round>`, or `<complaintId>` alone (round 1 of a complaint registered before round 1 was `-r1`). */
const EXECUTION_NAME = /^([0-9A-HJKMNP-TV-Z]{26})(?:-r([1-9]\d{0,3}))?$/;

/**
 * From an execution name (what a Step Functions console or alarm shows) back to its complaint and
 * round. A name that is not one of ours — another form, or an execution the complaint never had
 * (a round it has not reached; its id alone when its round 1 is `-r1`) — is a 404.
 */
export async function lookupEscalation(name: string, deps: Partial<ComplaintDeps> = {}): Promise<EscalationLookup> {
  const { store } = { ...defaults, ...deps };
  const match = EXECUTION_NAME.exec(name);
  const complaintId = match?.[1];
  if (!match || !complaintId)
    throw new NotFound(
      `${name} is not the name of an escalation execution: names are <complaintId>-r<round> (<complaintId> alone for round 1 of a complaint registered before round 1 was named -r1).`,
    );
  const complaint = await store.get(complaintId);
  if (!complaint) throw new NotFound(`No complaint ${complaintId}: ${name} is not one of its escalation executions.`);
  const rounds = roundsOf(complaint);
  const found = rounds.find((r) => r.executionName === name);
  if (!found)
    throw new NotFound(
      `Complaint ${complaintId} has no execution ${name}: its ${complaint.round} round(s) ran as ${rounds.map((r) => r.executionName).join(', ')}.`,
    );
  return { complaintId, round: found.round };
}

/** Complaints with what a screen shows beside each, read for all of them at once (one BatchGetItem each for customers and staff). */
async function complaintRows(
  complaints: Complaint[],
  now: Date,
  timezone: string,
  { customers, staff }: Pick<ComplaintDeps, 'customers' | 'staff'>,
): Promise<ComplaintListItem[]> {
  const month = localDate(now, timezone).slice(0, 7);
  const [profiles, members] = await Promise.all([
    customers.readCustomersBrief(complaints.map((c) => c.customerId)),
    staff.getStaffMembers(complaints.flatMap((c) => (c.assigneeId ? [c.assigneeId] : []))),
  ]);
  return complaints.map((complaint): ComplaintListItem => {
    const found = profiles.get(complaint.customerId);
    return {
      ...complaintView(complaint),
      nextDeadline: nextDeadline(complaint, now),
      customer: {
        id: complaint.customerId,
        name: found?.profile?.name ?? null,
        tier: found?.profile?.tier ?? null,
        segment: deriveSegment(found?.activity ?? { counters: {} }, month),
      },
      assignee: complaint.assigneeId
        ? { id: complaint.assigneeId, name: members.get(complaint.assigneeId)?.name ?? null }
        : null,
    };
  });
}

export async function readTimeline(
  id: string,
  page: { limit: number; cursor?: string | undefined },
  deps: Partial<ComplaintDeps> = {},
) {
  const { store, staff } = { ...defaults, ...deps };
  await readComplaint(id, { store });
  const entries = await store.timeline(id, page);
  // Actors are shown by name: one BatchGetItem for the staff on the page (system and customer actors have none).
  const members = await staff.getStaffMembers([
    ...new Set(entries.items.map((e) => e.actor).filter((a) => !a.startsWith('system:') && a !== CUSTOMER_ACTOR)),
  ]);
  return {
    items: entries.items.map((e): TimelineItem => ({ ...e, actorName: members.get(e.actor)?.name ?? null })),
    nextCursor: entries.nextCursor,
  };
}

/** SLA clock stops per agent (who paused) for a month, longest first. */
export async function pausedTimeReport(month: string | undefined, now: Date, deps: Partial<ComplaintDeps> = {}) {
  const { store, settings: settingsStore } = { ...defaults, ...deps };
  const { settings } = await settingsStore.current();
  const wanted = month ?? localDate(now, settings.timezone).slice(0, 7);
  const totals = await store.pauseTotals(wanted);
  return {
    month: wanted,
    items: totals
      .map((t) => ({ agentId: t.agentId, pauses: t.pauses, pausedMinutes: Math.round(t.pausedSeconds / 60) }))
      .sort((a, b) => b.pausedMinutes - a.pausedMinutes || a.agentId.localeCompare(b.agentId)),
  };
}

/** The actor of what the customer does through a confirmation link. */
export const CUSTOMER_ACTOR = 'customer';

/** The follow-up that sends the confirmation link of a resolved round (in quiet hours too when high severity). */
export const confirmationTask = (complaint: Complaint, now: Date): NewTask => ({
  id: taskIds.complaintConfirmation(complaint.id, complaint.round),
  kind: 'complaint_confirmation' as const,
  subject: { type: 'complaint' as const, id: complaint.id },
  customerId: complaint.customerId,
  round: complaint.round,
  ...(complaint.severity === 'high' ? { urgent: true } : {}),
  dueAt: now.toISOString(),
});

/**
 * The follow-up that tells a complaint's customer about a stage of it, once per complaint, stage
 * and round; a high-severity complaint's goes out in quiet hours too.
 */
export const customerNoticeTask = (complaint: Complaint, stage: CustomerNoticeStage, now: Date): NewTask => ({
  id: taskIds.customerNotice(complaint.id, stage, complaint.round),
  kind: 'customer_notice',
  subject: { type: 'complaint', id: complaint.id },
  stage,
  round: complaint.round,
  ...(complaint.severity === 'high' ? { urgent: true } : {}),
  dueAt: now.toISOString(),
});

/**
 * The complaint behind a confirmation link that may still be answered: 404 when the link does
 * not verify, 410 when it expired, or its round is no longer awaiting the customer's answer
 * (answered, reopened, closed). Also the customer's language, for the page.
 */
export async function openConfirmation(
  token: string,
  now: Date,
  deps: Partial<ComplaintDeps> = {},
): Promise<{ complaint: Complaint; language: Language; day: string }> {
  const { complaintId, round } = verifyConfirmationToken(token, await ports().signingKeys(), now);
  const complaint = await (deps.store ?? defaults.store).get(complaintId);
  if (!complaint) throw new NotFound('No complaint for this link.');
  if (complaint.round !== round || complaint.status !== 'resolved')
    throw new Gone('This question has already been answered. Thank you!');
  const { profile } = await dynamoCustomerStore.readCustomer(complaint.customerId);
  const { settings } = await (deps.settings ?? defaults.settings).current();
  return {
    complaint,
    language: profile?.language ?? 'zh',
    day: localDate(new Date(complaint.registeredAt), settings.timezone),
  };
}

/**
 * The customer's own answer: `yes` records `confirm` (satisfied), `no` records `reopen` (a fresh
 * round of deadlines and its workflow), both by actor `customer`, through the same event path
 * as staff. Once: a second answer, or one racing it, is 410.
 */
export async function answerConfirmation(
  token: string,
  answer: 'yes' | 'no',
  comment: string | undefined,
  now: Date,
  deps: Partial<ComplaintDeps> = {},
): Promise<Complaint> {
  const { complaint } = await openConfirmation(token, now, deps);
  const note = comment?.trim() ? { note: comment.trim().slice(0, 2000) } : {};
  const event: ComplaintEventBody =
    answer === 'yes' ? { type: 'confirm', satisfied: true, ...note } : { type: 'reopen', ...note };
  try {
    return await applyEvent(complaint.id, event, CUSTOMER_ACTOR, now, undefined, undefined, deps);
  } catch (error) {
    if (error instanceof Conflict) throw new Gone('This question has already been answered. Thank you!');
    throw error;
  }
}

/** The link a customer gets when a round of their complaint is resolved: `<publicBaseUrl>/c/<token>`. */
export async function confirmationLink(complaint: Pick<Complaint, 'id' | 'round'>, expiresAt: Date): Promise<string> {
  return confirmationPageUrl(
    signConfirmationToken(
      { complaintId: complaint.id, round: complaint.round, expiresAt },
      await ports().signingKeys(),
    ),
  );
}

/**
 * The follow-up that tells a complaint's owner: registered to them, or escalated to them by an
 * agent (at the level reached), once per complaint, purpose, level and round.
 */
export const ownerNoticeTask = (complaint: Complaint, purpose: 'registered' | 'escalated', now: Date): NewTask => ({
  id: taskIds.ownerNotice({
    complaintId: complaint.id,
    purpose,
    round: complaint.round,
    level: complaint.escalationLevel,
  }),
  kind: 'owner_notice',
  subject: { type: 'complaint', id: complaint.id },
  purpose,
  round: complaint.round,
  ...(purpose === 'escalated' ? { level: complaint.escalationLevel } : {}),
  dueAt: now.toISOString(),
});
