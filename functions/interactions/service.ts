/** Use cases of the interactions capability: record, amend, read and list contacts. */

import { createHash } from 'node:crypto';
import { type Actor, assertMayChange, hasRole, recordedFor } from '../../shared/domain/access.js';
import { recordChange } from '../../shared/domain/audit.js';
import { roleContact } from '../../shared/domain/complaints/notices.js';
import { Conflict, defined, Forbidden, Invalid, NotFound } from '../../shared/domain/errors.js';
import { invitationTask } from '../../shared/domain/followups.js';
import { newUlid } from '../../shared/domain/ids.js';
import {
  allowedInteractionEvents,
  deriveTiming,
  interactionDeadline,
  isAtRisk,
  isOpenOverdue,
  overdueFlags,
  targetsFor,
  timeOrderProblem,
  warnFlags,
} from '../../shared/domain/interactions.js';
import { messageIds } from '../../shared/domain/message-ids.js';
import { addDays, localDate, localMinute, startOfLocalDay } from '../../shared/domain/time.js';
import { assertIfMatch, type IfMatch } from '../../shared/domain/versions.js';
import { compose } from '../../shared/notify/channels.js';
import { failuresOf, sendEach } from '../../shared/notify/send.js';
import { logger } from '../../shared/observability/logger.js';
import type {
  CreateInteractionBody,
  Interaction,
  InteractionListItem,
  ListInteractionsQuery,
  PatchInteractionBody,
} from '../../shared/schemas/interactions.js';
import type { Settings } from '../../shared/schemas/settings.js';
import type { TransactItem } from '../../shared/store/aggregates.js';
import { type CustomerStore, dynamoCustomerStore } from '../../shared/store/customers.js';
import { addressFingerprint, scheduleTaskItem } from '../../shared/store/followups.js';
import {
  dynamoInteractionStore,
  type InteractionRecord,
  type InteractionStore,
  progressOf,
} from '../../shared/store/interactions.js';
import { type ClientRequest, dynamoRequestClaims, type RequestClaims } from '../../shared/store/requests.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';

export interface InteractionDeps {
  store: InteractionStore;
  settings: SettingsStore;
  /** Customers' names for list rows. */
  customers: Pick<CustomerStore, 'readCustomersBrief'>;
  /** The claims of keyed requests (idempotency inside the write). */
  requests: Pick<RequestClaims, 'claimItem'>;
}

/** What the interactions capability needs from another one: no default, always passed (functions/composition.ts). */
export interface InteractionNeeds {
  /**
   * What a new contact means to other capabilities (complaints awaiting this customer resume, their
   * SLA clock restarts).
   */
  customerContact: (customerId: string, interactionId: string, now: Date) => Promise<void>;
}

const defaults: InteractionDeps = {
  store: dynamoInteractionStore,
  settings: dynamoSettingsStore,
  customers: dynamoCustomerStore,
  requests: dynamoRequestClaims,
};

/** The default date window of a list without `from` (the same for every list). */
export const LIST_WINDOW_DAYS = 90;

/** A page of interactions as list rows: each with its customer's name (one BatchGetItem for the page). */
async function asRows(
  page: { items: InteractionRecord[]; nextCursor: string | null },
  now: Date,
  deps: Pick<InteractionDeps, 'customers'>,
): Promise<{ items: InteractionListItem[]; nextCursor: string | null }> {
  const customers = await deps.customers.readCustomersBrief(page.items.map((record) => record.customerId));
  return {
    items: page.items.map((record) => {
      const progress = progressOf(record);
      const deadline = interactionDeadline(progress);
      return {
        ...toInteraction(record, now),
        customer: { id: record.customerId, name: customers.get(record.customerId)?.profile?.name ?? null },
        nextDeadline: deadline
          ? {
              milestone: deadline.milestone,
              dueBy: deadline.dueBy.toISOString(),
              secondsLeft: Math.floor((deadline.dueBy.getTime() - now.getTime()) / 1000),
            }
          : null,
        allowedEvents: allowedInteractionEvents(progress),
      };
    }),
    nextCursor: page.nextCursor,
  };
}

/** A contact may be logged a little ahead of the server clock (device skew), not more. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
/** The widest date range one list call may walk. */
const MAX_RANGE_DAYS = 366;

const iso = (value: string | undefined) => (value === undefined ? undefined : new Date(value).toISOString());
const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

function assertTimesPlausible(
  record: Pick<InteractionRecord, 'startedAt' | 'firstResponseAt' | 'resolvedAt' | 'abandonedAt'>,
  now: Date,
) {
  if (record.abandonedAt) {
    if (record.firstResponseAt)
      throw Invalid.field('abandonedAt', 'an answered contact was not abandoned (it has firstResponseAt)');
    if (new Date(record.abandonedAt) < new Date(record.startedAt))
      throw Invalid.field('abandonedAt', 'must not be before startedAt');
  }
  const problem = timeOrderProblem({
    startedAt: new Date(record.startedAt),
    firstResponseAt: date(record.firstResponseAt),
    resolvedAt: date(record.resolvedAt),
  });
  if (problem) throw new Invalid(`Times must be ordered: ${problem.path} ${problem.message}.`, [problem]);
  for (const field of ['startedAt', 'firstResponseAt', 'resolvedAt', 'abandonedAt'] as const) {
    const value = record[field];
    if (value && new Date(value).getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
      throw Invalid.field(field, 'must not be in the future', 'out_of_range');
  }
}

/** The API view of a stored interaction: its facts plus timing derived at `now`. */
export function toInteraction(record: InteractionRecord, now: Date): Interaction {
  const timing = deriveTiming(
    {
      startedAt: new Date(record.startedAt),
      firstResponseAt: date(record.firstResponseAt),
      resolvedAt: date(record.resolvedAt),
    },
    record, // the targets in force when the contact was recorded, not today's
    now,
  );
  const progress = progressOf(record);
  return { ...record, ...timing, overdue: isOpenOverdue(progress), atRisk: isAtRisk(progress) };
}

/** The record with its overdue flags as of `now` (set once a target has passed without its milestone). */
function withOverdueFlags(record: InteractionRecord, now: Date): InteractionRecord {
  const flags = overdueFlags(progressOf(record), now);
  const next = { ...record };
  if (flags.responseOverdue) next.responseOverdue = true;
  if (flags.resolutionOverdue) next.resolutionOverdue = true;
  return next;
}

/**
 * A contact that has just been resolved gets its satisfaction survey (sent by the follow-up job):
 * the task is written in the interaction's own transaction, so it exists exactly when the
 * resolution does. Resolution happens once per interaction, so the task cannot exist yet.
 */
function invitationIfResolved(
  record: InteractionRecord,
  before: InteractionRecord | undefined,
  now: Date,
): TransactItem[] {
  if (!record.resolvedAt || before?.resolvedAt) return [];
  const task = invitationTask(
    { type: 'interaction', id: record.id },
    new Date(record.resolvedAt),
    now,
    record.customerId,
  );
  return task ? [scheduleTaskItem(task, now)] : [];
}

/**
 * A new interaction as it is stored, with the items written in its transaction (its survey
 * task). Pure; 400 when its times are out of order or in the future. `recordInteraction`
 * stores it, the demo data set loads many at once.
 */
export function newInteraction(
  body: CreateInteractionBody,
  actor: Actor,
  now: Date,
  settings: Settings,
): { record: InteractionRecord; alsoWrite: TransactItem[] } {
  const record: InteractionRecord = withOverdueFlags(
    withoutUndefined({
      ...body,
      // Who it is recorded as and for: from the token; naming someone else is checked here (403).
      ...recordedFor(actor, body),
      id: newUlid(now.getTime()),
      startedAt: new Date(body.startedAt).toISOString(),
      serviceDay: localDate(new Date(body.startedAt), settings.timezone),
      firstResponseAt: iso(body.firstResponseAt),
      resolvedAt: iso(body.resolvedAt),
      abandonedAt: iso(body.abandonedAt),
      ...targetsFor(body.channel, body.complexity, settings.targets),
      warnAtShare: settings.targets.warnAtShare,
      createdAt: now.toISOString(),
      createdBy: actor.id,
      ...recordChange({}, { at: now.toISOString(), actor: actor.id, action: 'created' }),
      version: 1,
    }),
    now,
  );
  assertTimesPlausible(record, now);
  return { record, alsoWrite: invitationIfResolved(record, undefined, now) };
}

/**
 * Records a contact. With `request` (a keyed POST), the request's claim is written in the
 * contact's own transaction: a retry finds it (shared/store/requests.ts) and never records twice.
 */
export async function recordInteraction(
  body: CreateInteractionBody,
  actor: Actor,
  now: Date,
  request: ClientRequest | undefined,
  deps: InteractionNeeds & Partial<InteractionDeps>,
): Promise<Interaction> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const { record, alsoWrite } = newInteraction(body, actor, now, settings);
  const claim = request ? [all.requests.claimItem(request, record.id, now)] : [];
  // The customer got in touch whether or not this write succeeds: resuming their paused complaints runs beside it.
  await Promise.all([
    all.store.create(record, [...alsoWrite, ...claim]),
    all.customerContact(record.customerId, record.id, now),
  ]);
  return toInteraction(record, now);
}

export async function readInteraction(
  id: string,
  now: Date,
  deps: Partial<InteractionDeps> = {},
): Promise<Interaction> {
  const all = { ...defaults, ...deps };
  const record = await all.store.get(id);
  if (!record) throw new NotFound(`No interaction ${id}.`);
  return toInteraction(record, now);
}

/** One interaction as a list row shows it (the record and its customer's name): what `GET /interactions/{id}` answers. */
export async function readInteractionRow(
  id: string,
  now: Date,
  deps: Partial<InteractionDeps> = {},
): Promise<InteractionListItem> {
  const all = { ...defaults, ...deps };
  const record = await all.store.get(id);
  if (!record) throw new NotFound(`No interaction ${id}.`);
  const [row] = (await asRows({ items: [record], nextCursor: null }, now, all)).items;
  return defined(row, `the row of interaction ${id}`);
}

/** Applies a patch with optimistic locking; a lost race re-reads and re-applies, so no update is lost. */
export async function amendInteraction(
  id: string,
  patch: PatchInteractionBody,
  actor: Actor,
  now: Date,
  ifMatch: IfMatch = undefined,
  deps: Partial<InteractionDeps> = {},
): Promise<Interaction> {
  const all = { ...defaults, ...deps };
  for (let attempt = 1; ; attempt += 1) {
    const current = await all.store.get(id);
    if (!current) throw new NotFound(`No interaction ${id}.`);
    assertMayChange(actor, { team: current.team, people: [current.agentId, current.createdBy] }, `Interaction ${id}`);
    assertIfMatch(ifMatch, current.version, `Interaction ${id}`);
    const next: InteractionRecord = withOverdueFlags(
      withoutUndefined({
        ...current,
        ...patch,
        firstResponseAt: iso(patch.firstResponseAt) ?? current.firstResponseAt,
        resolvedAt: iso(patch.resolvedAt) ?? current.resolvedAt,
        abandonedAt: iso(patch.abandonedAt) ?? current.abandonedAt,
        ...recordChange(current, {
          at: now.toISOString(),
          actor: actor.id,
          action: 'updated',
          fields: Object.keys(patch),
        }),
        version: current.version + 1,
      }),
      now,
    );
    assertTimesPlausible(next, now);
    try {
      await all.store.replace(next, current, invitationIfResolved(next, current, now));
      return toInteraction(next, now);
    } catch (error) {
      if (!(error instanceof Conflict) || attempt >= 5) throw error;
    }
  }
}

/** Drops keys whose value is undefined, so stored items carry no empty attributes. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Open contacts past a target, oldest first, from the sparse overdue index (supervisor and up).
 * A supervisor of a team sees their team; `team` names another team only for managers.
 */
export async function listOverdueInteractions(
  query: ListInteractionsQuery,
  actor: Actor,
  now: Date,
  deps: Partial<InteractionDeps> = {},
) {
  const all = { ...defaults, ...deps };
  const list = query.atRisk === 'true' ? 'at-risk' : 'overdue';
  if (query.atRisk === 'true' && query.overdue === 'true')
    throw Invalid.field('atRisk', 'an at-risk contact is not overdue yet: ask for one list', 'invalid');
  if (!hasRole(actor, 'supervisor')) throw new Forbidden(`The ${list} list needs the supervisor role or higher.`);
  if (query.team && actor.team && query.team !== actor.team && !hasRole(actor, 'manager'))
    throw new Forbidden(`A supervisor lists the ${list} work of their own team only.`);
  const team = query.team ?? (hasRole(actor, 'manager') ? undefined : actor.team);
  if (query.status === 'resolved')
    throw Invalid.field('status', `the ${list} list holds open contacts only`, 'not_in_list', { allowed: ['open'] });
  const agentId = query.agentId === 'me' ? actor.id : query.agentId;
  const page = await all.store.listOverdue({
    atRisk: query.atRisk === 'true',
    team,
    agentId,
    limit: query.limit,
    cursor: query.cursor,
  });
  return asRows(page, now, all);
}

/** How many days back the overdue job looks for target times it has not processed (outage margin). */
const DUE_LOOKBACK_DAYS = 2;
const DUE_BATCH = 500;

/**
 * The overdue job (every 5 minutes, shared/schedules.ts): every contact whose next target time has
 * passed without its milestone gets its overdue flag, which moves its contribution from pending to
 * missed in the record's own transaction (exactly once: the flag is set once, the delta is written
 * with the version check). Reads only the sparse due index, never the table.
 */
export async function sweepOverdueInteractions(now: Date, deps: Partial<InteractionDeps> = {}) {
  const all = { ...defaults, ...deps };
  let processed = 0;
  let flagged = 0;
  const nowAtRisk: InteractionRecord[] = [];
  for (;;) {
    const ids = await all.store.due(now, DUE_LOOKBACK_DAYS, DUE_BATCH);
    let changedThisRound = 0;
    for (const id of ids) {
      processed += 1;
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        const current = await all.store.get(id);
        if (!current) break;
        const next = withWarnFlags(withOverdueFlags(current, now), now);
        if (
          next.responseOverdue === current.responseOverdue &&
          next.resolutionOverdue === current.resolutionOverdue &&
          next.responseWarned === current.responseWarned &&
          next.resolutionWarned === current.resolutionWarned
        )
          break;
        try {
          await all.store.replace({ ...next, updatedAt: now.toISOString(), version: current.version + 1 }, current);
          flagged += 1;
          changedThisRound += 1;
          // Exactly one sweep's write turns a contact at risk (the version check): that sweep tells.
          if (isAtRisk(progressOf(next)) && !isAtRisk(progressOf(current))) nowAtRisk.push(next);
          break;
        } catch (error) {
          if (!(error instanceof Conflict)) throw error;
        }
      }
    }
    if (ids.length < DUE_BATCH || changedThisRound === 0) break;
  }
  const told = nowAtRisk.length ? await tellSupervisors(nowAtRisk, now, all) : 0;
  return { processed, flagged, atRisk: nowAtRisk.length, digests: told };
}

/** The record with its warning flags as of `now` (set once a target's warning share passed; see warnFlags). */
function withWarnFlags(record: InteractionRecord, now: Date): InteractionRecord {
  const flags = warnFlags(progressOf(record), now);
  const next = { ...record };
  if (flags.responseWarned) next.responseWarned = true;
  if (flags.resolutionWarned) next.resolutionWarned = true;
  return next;
}

/**
 * s000 预警: each team's supervisor hears of the contacts this sweep found at risk, in ONE digest
 * per supervisor (not one message per contact), through the message engine under an id made of
 * the contacts, so a digest is never sent twice. No customer data: ids, channels, deadlines.
 */
async function tellSupervisors(
  contacts: InteractionRecord[],
  now: Date,
  deps: Pick<InteractionDeps, 'settings'>,
): Promise<number> {
  const { settings } = await deps.settings.current();
  const byAddress = new Map<string, InteractionRecord[]>();
  for (const contact of contacts) {
    const address = roleContact(settings.escalation, 'supervisor', contact.team).email;
    if (address) byAddress.set(address, [...(byAddress.get(address) ?? []), contact]);
    else logger.warn('contact at risk, no supervisor email to tell', { interactionId: contact.id, team: contact.team });
  }
  const messages = [...byAddress].map(([address, list]) => {
    const lines = list.map((contact) => {
      const deadline = defined(interactionDeadline(progressOf(contact)), `the next deadline of ${contact.id}`);
      const minutes = Math.max(0, Math.floor((deadline.dueBy.getTime() - now.getTime()) / 60_000));
      return `- ${contact.id} · ${contact.channel} · team ${contact.team ?? '—'} · agent ${contact.agentId ?? '—'} · ${deadline.milestone} due ${localMinute(deadline.dueBy, settings.timezone)} (${minutes} min left / 剩余${minutes}分钟)`;
    });
    const ids = list.map((contact) => contact.id).sort();
    return compose(
      'email',
      messageIds.atRiskDigest(
        addressFingerprint(address),
        createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 16),
      ),
      address,
      {
        subject: `[CareLoop] ${list.length} contacts about to miss their target / ${list.length} 个服务即将超时`,
        text: [
          `${list.length} open contacts are past ${Math.round(settings.targets.warnAtShare * 100)} % of their target (GET /interactions?atRisk=true):`,
          `${list.length} 个未结服务已超过目标时限的${Math.round(settings.targets.warnAtShare * 100)}%，请及时处理：`,
          '',
          ...lines,
        ].join('\n'),
      },
    );
  });
  const failures = failuresOf(await sendEach(messages));
  for (const failure of failures) logger.error('at-risk digest not sent', { error: failure });
  return messages.length - failures.length;
}

/** Interactions newest first, by customer, channel, agent (`me`: the caller), team or status, as list rows. */
export async function listInteractions(
  query: ListInteractionsQuery,
  actor: Actor,
  now: Date,
  deps: Partial<InteractionDeps> = {},
) {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const to = query.to ?? localDate(now, settings.timezone);
  const from = query.from ?? addDays(to, -LIST_WINDOW_DAYS);
  if (from > to) throw Invalid.field('from', 'must not be after to', 'not_ordered', { before: 'to' });
  if (addDays(from, MAX_RANGE_DAYS) < to && !query.customerId)
    throw Invalid.field('from', `range may span at most ${MAX_RANGE_DAYS} days`, 'out_of_range', {
      maximumDays: MAX_RANGE_DAYS,
    });
  const byDeadline = query.sort === 'nextDeadline' || query.dueWithin !== undefined;
  if (byDeadline && query.sort === 'newest')
    throw Invalid.field('sort', 'dueWithin lists nearest deadline first', 'not_in_list', { allowed: ['nextDeadline'] });
  if (byDeadline && query.customerId)
    throw Invalid.field('sort', 'the deadline order lists a team’s open work; leave out customerId', 'not_in_list', {
      allowed: ['newest'],
    });
  if (byDeadline && query.status === 'resolved')
    throw Invalid.field('status', 'the deadline order lists open work only', 'not_in_list', { allowed: ['open'] });
  const team = query.team ?? actor.team;
  if (byDeadline && !team)
    throw Invalid.field('team', 'the deadline order lists one team’s open work: name the team', 'required');
  const page = await all.store.list({
    byDeadline:
      byDeadline && team
        ? {
            team,
            dueBefore:
              query.dueWithin === undefined
                ? undefined
                : new Date(now.getTime() + query.dueWithin * 60_000).toISOString(),
          }
        : undefined,
    customerId: query.customerId,
    channel: query.channel,
    agentId: query.agentId === 'me' ? actor.id : query.agentId,
    team: query.team,
    status: query.status,
    fromInstant: startOfLocalDay(from, settings.timezone).toISOString(),
    toInstant: new Date(startOfLocalDay(addDays(to, 1), settings.timezone).getTime() - 1).toISOString(),
    limit: query.limit,
    cursor: query.cursor,
  });
  return asRows(page, now, all);
}
