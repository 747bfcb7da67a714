/** Use cases of improvement actions and customer suggestions. */

import { ulid } from 'ulidx';
import type { Actor } from '../../shared/domain/access.js';
import { recordChange } from '../../shared/domain/audit.js';
import { defined, Invalid, NotFound, TooManyRequests } from '../../shared/domain/errors.js';
import type { ImprovementNoticePurpose } from '../../shared/domain/followups.js';
import {
  assertImprovementTransition,
  decideSuggestion,
  deliverSuggestion,
  isOverdue,
  overdueFrom,
  suggestionTimeliness,
  verificationWindows,
} from '../../shared/domain/improvements.js';
import { maskFreeText } from '../../shared/domain/masking.js';
import { taskIds } from '../../shared/domain/message-ids.js';
import { computeMetrics } from '../../shared/domain/metrics.js';
import type { ImprovementSummary } from '../../shared/domain/report/model.js';
import { reportPeriod } from '../../shared/domain/report/period.js';
import { localDate } from '../../shared/domain/time.js';
import { assertIfMatch, type IfMatch } from '../../shared/domain/versions.js';
import type {
  CreateImprovementBody,
  Improvement,
  PatchImprovementBody,
  Suggestion,
  SuggestionPublicationBody,
} from '../../shared/schemas/improvements.js';
import type { KpiName, Settings } from '../../shared/schemas/settings.js';
import { DIMENSIONS, type Dimension } from '../../shared/schemas/vocabulary.js';
import { type CounterReader, dynamoCounterReader } from '../../shared/store/aggregates.js';
import { assertActiveCategory } from '../../shared/store/categories.js';
import {
  dynamoFollowUpStore,
  type FollowUpStore,
  type NewTask,
  scheduleTaskItem,
} from '../../shared/store/followups.js';
import {
  dynamoImprovementStore,
  dynamoSuggestionStore,
  type ImprovementRecord,
  type ImprovementStore,
  type SuggestionRecord,
  type SuggestionStore,
} from '../../shared/store/improvements.js';
import { dynamoRateLimiter, type RateLimiter } from '../../shared/store/rate-limit.js';
import { type ClientRequest, claimItems } from '../../shared/store/requests.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';

export interface ImprovementDeps {
  improvements: ImprovementStore;
  suggestions: SuggestionStore;
  /** Where a verified fix schedules the "it is fixed" messages, and an action the notices to its owner and department. */
  followUps: Pick<FollowUpStore, 'scheduleTask' | 'rescheduleTask'>;
  settings: SettingsStore;
  /** The public board's per-address limit. */
  rateLimit: RateLimiter;
  /** The KPI counters a verification compares before and after the fix. */
  counters: Pick<CounterReader, 'readCounters'>;
}

const defaults: ImprovementDeps = {
  improvements: dynamoImprovementStore,
  suggestions: dynamoSuggestionStore,
  followUps: dynamoFollowUpStore,
  settings: dynamoSettingsStore,
  rateLimit: dynamoRateLimiter,
  counters: dynamoCounterReader,
};

const today = (now: Date, settings: Settings) => localDate(now, settings.timezone);

/**
 * The follow-up task of an improvement notice (functions/followups sends it, once per action and
 * purpose): `created` and `verified` at once, `overdue` when the action falls overdue — never
 * earlier than now, so the job's due index (which looks back a week) always finds it.
 */
function improvementNoticeTask(
  record: ImprovementRecord,
  purpose: ImprovementNoticePurpose,
  now: Date,
  settings: Settings,
): NewTask {
  const due = purpose === 'overdue' ? overdueFrom(record.dueDate, settings.timezone) : now;
  return {
    id: taskIds.improvementNotice(record.id, purpose),
    kind: 'improvement_notice',
    improvementId: record.id,
    improvementNotice: purpose,
    dueAt: new Date(Math.max(due.getTime(), now.getTime())).toISOString(),
  };
}

function toImprovement(record: ImprovementRecord, day: string): Improvement {
  return { ...record, overdue: isOverdue(record, day) };
}

export async function planImprovement(
  body: CreateImprovementBody,
  actor: Actor,
  now: Date,
  /** A keyed POST: its claim is written with the action (shared/store/requests.ts). */
  request?: ClientRequest,
  deps: Partial<ImprovementDeps> = {},
): Promise<Improvement> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  if (body.category !== undefined) await assertActiveCategory(body.category, 'category');
  const record: ImprovementRecord = {
    ...body,
    id: ulid(now.getTime()),
    status: 'planned',
    createdAt: now.toISOString(),
    createdBy: actor.id,
    ...recordChange({}, { at: now.toISOString(), actor: actor.id, action: 'created' }),
    version: 1,
  };
  // Stored with its notices to the owner: that it is theirs now, and (once) when it falls overdue.
  await all.improvements.save(record, [
    scheduleTaskItem(improvementNoticeTask(record, 'created', now, settings), now),
    scheduleTaskItem(improvementNoticeTask(record, 'overdue', now, settings), now),
    ...claimItems(request, record.id, now),
  ]);
  return toImprovement(record, today(now, settings));
}

export async function readImprovement(
  id: string,
  now: Date,
  deps: Partial<ImprovementDeps> = {},
): Promise<Improvement> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const record = await all.improvements.get(id);
  if (!record) throw new NotFound(`No improvement action ${id}.`);
  return toImprovement(record, today(now, settings));
}

/** The value of the action's linked metric over a window: a KPI, or a dimension's satisfied share. */
async function metricOver(
  metric: string,
  window: { from: string; to: string },
  channel: string | undefined,
  settings: Settings,
  counters: Pick<CounterReader, 'readCounters'>,
): Promise<number | null> {
  if (window.from > window.to) return null;
  const metrics = computeMetrics(
    await counters.readCounters(window.from, window.to, { channel }),
    { ...window, timezone: settings.timezone },
    settings,
  );
  if ((DIMENSIONS as readonly string[]).includes(metric))
    return metrics.satisfaction.dimensions[metric as Dimension].satisfiedShare;
  return metrics.values[metric as KpiName] ?? null;
}

/** Verification (s002 对比改进前后数据): the linked metric in the 30 days before work started vs after it was done. */
async function verify(
  record: ImprovementRecord,
  day: string,
  settings: Settings,
  counters: Pick<CounterReader, 'readCounters'>,
): Promise<ImprovementRecord['verification']> {
  const metric = record.expectedEffect?.metric ?? record.dimension ?? 'satisfiedShare';
  const windows = verificationWindows(record.startedOn ?? record.createdAt.slice(0, 10), record.doneOn ?? day, day);
  const [before, after] = await Promise.all([
    metricOver(metric, windows.before, record.channel, settings, counters),
    metricOver(metric, windows.after, record.channel, settings, counters),
  ]);
  const lowerIsBetter =
    (settings.kpis as unknown as Record<string, { direction?: string } | undefined>)[metric]?.direction === 'lower';
  return {
    metric,
    before,
    after,
    beforeWindow: windows.before,
    afterWindow: windows.after,
    improved: before === null || after === null ? null : lowerIsBetter ? after < before : after > before,
    targetMet:
      after === null || !record.expectedEffect
        ? null
        : lowerIsBetter
          ? after <= record.expectedEffect.target
          : after >= record.expectedEffect.target,
  };
}

export async function changeImprovement(
  id: string,
  patch: PatchImprovementBody,
  actor: Actor,
  now: Date,
  ifMatch: IfMatch = undefined,
  deps: Partial<ImprovementDeps> = {},
): Promise<Improvement> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const day = today(now, settings);
  const current = await all.improvements.get(id);
  if (!current) throw new NotFound(`No improvement action ${id}.`);
  assertIfMatch(ifMatch, current.version, `Improvement action ${id}`);
  for (const field of ['startedOn', 'doneOn'] as const)
    if (patch[field] && patch[field] > day) throw Invalid.field(field, 'must not be in the future', 'out_of_range');
  const next: ImprovementRecord = {
    ...current,
    ...patch,
    status: current.status,
    ...recordChange(current, {
      at: now.toISOString(),
      actor: actor.id,
      action: patch.status && patch.status !== current.status ? `status:${patch.status}` : 'updated',
      fields: Object.keys(patch),
    }),
    version: current.version + 1,
  };
  if (patch.status && patch.status !== current.status) {
    assertImprovementTransition(current.status, patch.status);
    next.status = patch.status;
    if (patch.status === 'in_progress') next.startedOn = patch.startedOn ?? current.startedOn ?? day;
    if (patch.status === 'done') next.doneOn = patch.doneOn ?? day;
    if (patch.status === 'verified') {
      next.verifiedOn = day;
      next.verification = await verify(next, day, settings, all.counters);
    }
  }
  const verifiedNow = next.status === 'verified' && current.status !== 'verified';
  // A draft (a surge's assessment) planned by a manager: its owner hears of it as of a new action.
  const plannedNow = next.status === 'planned' && current.status === 'draft';
  // The department hears that its action was verified (with the figures), in the write that verifies it.
  await all.improvements.save(next, [
    ...(verifiedNow ? [scheduleTaskItem(improvementNoticeTask(next, 'verified', now, settings), now)] : []),
    ...(plannedNow
      ? [
          scheduleTaskItem(improvementNoticeTask(next, 'created', now, settings), now),
          scheduleTaskItem(improvementNoticeTask(next, 'overdue', now, settings), now),
        ]
      : []),
  ]);
  if (next.dueDate !== current.dueDate && (next.status === 'planned' || next.status === 'in_progress')) {
    // A new due date moves the overdue notice (still once: a notice sent is not sent again).
    const task = improvementNoticeTask(next, 'overdue', now, settings);
    if (!(await all.followUps.scheduleTask(task, now)))
      await all.followUps.rescheduleTask(task.id, new Date(task.dueAt), now);
  }
  if (verifiedNow && next.category) {
    // Tell the customers who complained about this category that it is fixed (s002 向客户反馈改进结果).
    await all.followUps.scheduleTask(
      {
        id: taskIds.fixedFanout(next.id),
        kind: 'fixed_fanout',
        improvementId: next.id,
        category: next.category,
        dueAt: now.toISOString(),
      },
      now,
    );
  }
  return toImprovement(next, day);
}

export async function listImprovements(
  query: {
    status?: ImprovementRecord['status'] | undefined;
    overdue?: 'true' | 'false' | undefined;
    limit: number;
    cursor?: string | undefined;
  },
  now: Date,
  deps: Partial<ImprovementDeps> = {},
) {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const day = today(now, settings);
  const overdueOnly = query.overdue === 'true';
  const statuses = query.status
    ? [query.status]
    : overdueOnly
      ? (['planned', 'in_progress'] as const)
      : (['draft', 'planned', 'in_progress', 'done', 'verified'] as const);
  const page = await all.improvements.list([...statuses], {
    limit: query.limit,
    cursor: query.cursor,
    ...(overdueOnly ? { dueBefore: day } : {}),
  });
  const items = page.items.map((r) => toImprovement(r, day)).filter((i) => query.overdue !== 'false' || !i.overdue);
  return { items, nextCursor: page.nextCursor };
}

/** What the report's action list reads: its own defaults, so the report functions bundle no suggestion, follow-up or rate-limit store. */
type ReportImprovementDeps = Pick<ImprovementDeps, 'improvements' | 'settings'>;
const reportDefaults: ReportImprovementDeps = { improvements: dynamoImprovementStore, settings: dynamoSettingsStore };

/** Every action for the monthly report: open ones, and those finished in or after the month. */
export async function improvementsForReport(
  month: string,
  now: Date,
  deps: Partial<ReportImprovementDeps> = {},
): Promise<ImprovementSummary[]> {
  const all = { ...reportDefaults, ...deps };
  const { settings } = await all.settings.current();
  const day = today(now, settings);
  // A monthly, quarterly or annual report: the actions alive at some time in its months.
  const months = reportPeriod(month)?.months ?? [month];
  const [first, last] = [defined(months[0], 'a first month'), defined(months.at(-1), 'a last month')];
  const summaries: ImprovementSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await all.improvements.list(['planned', 'in_progress', 'done', 'verified'], { limit: 100, cursor });
    for (const r of page.items) {
      const finishedBefore =
        (r.status === 'verified' && r.verifiedOn && r.verifiedOn < `${first}-01`) || r.createdAt.slice(0, 7) > last;
      if (!finishedBefore)
        summaries.push({
          id: r.id,
          problem: r.problem,
          measure: r.measure,
          department: r.department,
          ownerId: r.ownerId,
          dueDate: r.dueDate,
          status: r.status,
          overdue: isOverdue(r, day),
          ...(r.cause ? { cause: r.cause } : {}),
        });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return summaries;
}

function toSuggestion(record: SuggestionRecord, day: string): Suggestion {
  return { ...record, timeliness: suggestionTimeliness(record, day), maskedText: maskFreeText(record.text) };
}

export async function recordSuggestion(
  body: {
    text: string;
    customerId?: string | undefined;
    channel?: SuggestionRecord['channel'];
    contact?: string | undefined;
  },
  actor: Actor,
  now: Date,
  /** A keyed POST: its claim is written with the suggestion (shared/store/requests.ts). */
  request?: ClientRequest,
  deps: Partial<ImprovementDeps> = {},
) {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const day = today(now, settings);
  const record: SuggestionRecord = {
    ...body,
    id: ulid(now.getTime()),
    status: 'submitted',
    submittedOn: day,
    createdAt: now.toISOString(),
    createdBy: actor.id,
    ...recordChange({}, { at: now.toISOString(), actor: actor.id, action: 'created' }),
    version: 1,
  };
  await all.suggestions.save(record, claimItems(request, record.id, now));
  return toSuggestion(record, day);
}

/** One suggestion as served (404 when there is none). */
export async function readSuggestion(id: string, now: Date, deps: Partial<ImprovementDeps> = {}) {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const current = await all.suggestions.get(id);
  if (!current) throw new NotFound(`No suggestion ${id}.`);
  return toSuggestion(current, today(now, settings));
}

export async function decide(
  id: string,
  decision: Parameters<typeof decideSuggestion>[1],
  actor: Actor,
  now: Date,
  request?: ClientRequest,
  deps: Partial<ImprovementDeps> = {},
) {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const day = today(now, settings);
  const current = await all.suggestions.get(id);
  if (!current) throw new NotFound(`No suggestion ${id}.`);
  const outcome = decideSuggestion(current, decision, day);
  const next: SuggestionRecord = {
    ...current,
    ...outcome,
    ...(decision.reason ? { reason: decision.reason } : {}),
    ...recordChange(current, {
      at: now.toISOString(),
      actor: actor.id,
      action: `decided:${decision.decision}`,
      fields: Object.keys(decision),
    }),
    version: current.version + 1,
  };
  delete (next as { answeredInTime?: boolean }).answeredInTime;
  await all.suggestions.save(next, claimItems(request, id, now));
  // The customer behind it hears the decision (the follow-up job; once per suggestion).
  if (next.customerId || next.contact)
    await all.followUps.scheduleTask(
      {
        id: taskIds.suggestionDecision(id),
        kind: 'suggestion_decision',
        suggestionId: id,
        dueAt: now.toISOString(),
      },
      now,
    );
  return toSuggestion(next, day);
}

/**
 * A manager approves what the public board shows of a suggestion: its text (as written, or as
 * the manager edited it to remove what masking cannot recognise, such as a bare name), masked
 * again before it is stored; or takes it off the board. Nothing unapproved is ever published.
 */
export async function publishSuggestion(
  id: string,
  body: SuggestionPublicationBody,
  actor: Actor,
  now: Date,
  request?: ClientRequest,
  deps: Partial<ImprovementDeps> = {},
) {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const day = today(now, settings);
  const current = await all.suggestions.get(id);
  if (!current) throw new NotFound(`No suggestion ${id}.`);
  const { publication: _previous, ...rest } = current;
  const next: SuggestionRecord = {
    ...rest,
    ...(body.publish
      ? {
          publication: {
            text: maskFreeText(body.text ?? current.text),
            approvedBy: actor.id,
            approvedAt: now.toISOString(),
          },
        }
      : {}),
    ...recordChange(current, {
      at: now.toISOString(),
      actor: actor.id,
      action: body.publish ? 'published' : 'withdrawn',
      ...(body.text ? { fields: ['text'] } : {}),
    }),
    version: current.version + 1,
  };
  await all.suggestions.save(next, claimItems(request, id, now));
  return toSuggestion(next, day);
}

export async function deliver(
  id: string,
  actor: Actor,
  now: Date,
  request?: ClientRequest,
  deps: Partial<ImprovementDeps> = {},
) {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const day = today(now, settings);
  const current = await all.suggestions.get(id);
  if (!current) throw new NotFound(`No suggestion ${id}.`);
  const outcome = deliverSuggestion(current, day);
  const next: SuggestionRecord = {
    ...current,
    status: outcome.status,
    deliveredOn: outcome.deliveredOn,
    ...recordChange(current, { at: now.toISOString(), actor: actor.id, action: 'delivered' }),
    version: current.version + 1,
  };
  await all.suggestions.save(next, claimItems(request, id, now));
  return toSuggestion(next, day);
}

export async function listSuggestions(
  query: { status?: SuggestionRecord['status'] | undefined; limit: number; cursor?: string | undefined },
  now: Date,
  deps: Partial<ImprovementDeps> = {},
) {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const day = today(now, settings);
  const page = await all.suggestions.list({
    status: query.status,
    currentMonth: day.slice(0, 7),
    months: 12,
    limit: query.limit,
    cursor: query.cursor,
  });
  return { items: page.items.map((r) => toSuggestion(r, day)), nextCursor: page.nextCursor };
}

/**
 * The list fit to publish: only what a manager approved, as approved, with no customer or agent,
 * and personal data (phones, emails, ID numbers, recognisable names) masked in every text,
 * the rejection reason included.
 */
export async function listPublishedSuggestions(
  query: Parameters<typeof listSuggestions>[0],
  now: Date,
  deps: Partial<ImprovementDeps> = {},
) {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const day = today(now, settings);
  const page = await all.suggestions.list({
    status: query.status,
    currentMonth: day.slice(0, 7),
    months: 12,
    limit: query.limit,
    cursor: query.cursor,
    published: true,
  });
  return {
    items: page.items
      .filter((r): r is SuggestionRecord & Required<Pick<SuggestionRecord, 'publication'>> => !!r.publication)
      .map((r) => toSuggestion(r, day))
      .map((s) => ({
        id: s.id,
        text: maskFreeText(s.publication?.text ?? ''),
        status: s.status,
        submittedOn: s.submittedOn,
        timeliness: s.timeliness,
        ...(s.decidedOn ? { decidedOn: s.decidedOn } : {}),
        ...(s.reason ? { reason: maskFreeText(s.reason) } : {}),
        ...(s.plannedFor ? { plannedFor: s.plannedFor } : {}),
        ...(s.deliveredOn ? { deliveredOn: s.deliveredOn } : {}),
      })),
    nextCursor: page.nextCursor,
  };
}

/** Suggestions from the public board: this many per client address in a window, then a 429 page. */
export const BOARD_RATE_LIMIT = { limit: 5, windowSeconds: 600 };
/** Who recorded a suggestion made on the public board. */
export const BOARD_ACTOR: Actor = { id: 'customer:board', roles: [] };

/**
 * A suggestion from the public board: rate-limited per client address (429), then recorded like
 * one an agent takes down. Its text is published only masked (listPublishedSuggestions).
 */
export async function suggestFromBoard(
  input: { text: string; contact?: string | undefined },
  clientAddress: string,
  now: Date,
  deps: Partial<ImprovementDeps> = {},
) {
  const all = { ...defaults, ...deps };
  if (!(await all.rateLimit.takeRateToken('suggestion-board', clientAddress, BOARD_RATE_LIMIT, now)))
    throw new TooManyRequests('Too many suggestions from this address; please try again later.');
  const contact = input.contact?.trim();
  return recordSuggestion(
    { text: input.text.trim(), ...(contact ? { contact } : {}) },
    BOARD_ACTOR,
    now,
    undefined,
    all,
  );
}
