/**
 * Use cases of goals (api-contract.md "Analysis (v1.2)"): set one (manager), change its target, date,
 * owner or name (If-Match), and read them with their progress. Figures come from the counter cells
 * of the periods (never records), so a goal costs the same whatever the volume.
 */
import { ulid } from 'ulidx';
import type { Actor } from '../../shared/domain/access.js';
import { recordChange } from '../../shared/domain/audit.js';
import { Invalid, NotFound, PreconditionFailed } from '../../shared/domain/errors.js';
import { atRiskStep, type GoalRecord, goalProgress, targetValueOf } from '../../shared/domain/goals.js';
import { maskFreeText } from '../../shared/domain/masking.js';
import { taskIds } from '../../shared/domain/message-ids.js';
import { computeMetrics } from '../../shared/domain/metrics.js';
import type { GoalSummary } from '../../shared/domain/report/model.js';
import { addDays, localDate } from '../../shared/domain/time.js';
import { assertIfMatch, type IfMatch } from '../../shared/domain/versions.js';
import type { CreateGoalBody, Goal, GoalListQuery, PatchGoalBody } from '../../shared/schemas/goals.js';
import type { KpiName, Settings } from '../../shared/schemas/settings.js';
import { type CounterReader, dynamoCounterReader } from '../../shared/store/aggregates.js';
import { dynamoFollowUpStore, type FollowUpStore } from '../../shared/store/followups.js';
import { dynamoGoalStore, type GoalStore } from '../../shared/store/goals.js';
import { type ClientRequest, claimItems } from '../../shared/store/requests.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';

export interface GoalDeps {
  goals: GoalStore;
  settings: SettingsStore;
  counters: Pick<CounterReader, 'readCounters'>;
  /** Where a goal falling behind schedules its notice (the follow-ups capability's task store). */
  tasks: Pick<FollowUpStore, 'scheduleTask'>;
}

const defaults: GoalDeps = {
  goals: dynamoGoalStore,
  settings: dynamoSettingsStore,
  counters: dynamoCounterReader,
  tasks: dynamoFollowUpStore,
};

/** The longest period a goal's figures span (baseline, or baseline end to `by`), as /metrics allows. */
const MAX_DAYS = 400;

/** A KPI's value over a period of a scope, from its counter cells. */
function kpiValue(deps: Pick<GoalDeps, 'counters'>, settings: Settings, kpi: KpiName, scope: GoalRecord['scope']) {
  return async (period: { from: string; to: string }) => {
    const rows = await deps.counters.readCounters(period.from, period.to, scope);
    return computeMetrics(rows, { ...period, timezone: settings.timezone }, settings).values[kpi];
  };
}

const viewOf = async (
  goal: GoalRecord,
  deps: Pick<GoalDeps, 'counters'>,
  settings: Settings,
  today: string,
): Promise<Goal> =>
  (await goalProgress(
    goal,
    settings.kpis[goal.kpi as KpiName].direction,
    today,
    kpiValue(deps, settings, goal.kpi as KpiName, goal.scope),
  )) as Goal;

/** `by` not before today and not more than MAX_DAYS after the baseline; a relative change needs a baseline. */
function checkTarget(goal: Pick<GoalRecord, 'baseline' | 'by' | 'target' | 'baselineValue'>, today: string) {
  if (goal.by < today)
    throw Invalid.field('by', `must not be before today (${today})`, 'out_of_range', { minimum: today });
  if (addDays(goal.baseline.to, MAX_DAYS) < goal.by)
    throw Invalid.field('by', `must be at most ${MAX_DAYS} days after the baseline ends`, 'out_of_range');
  if ('change' in goal.target && 'relative' in goal.target.change && !goal.baselineValue)
    throw Invalid.field(
      'target.change.relative',
      `needs a baseline value that is neither 0 nor null (it is ${goal.baselineValue}): set an absolute target`,
      'invalid',
    );
}

/**
 * Sets a goal: its baseline value (and so its target) is measured now and kept. With `request` (a
 * keyed POST) its claim is written in the goal's own transaction (shared/store/requests.ts).
 */
export async function setGoal(
  body: CreateGoalBody,
  actor: Actor,
  now: Date,
  request?: ClientRequest,
  deps: Partial<GoalDeps> = {},
): Promise<Goal> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const today = localDate(now, settings.timezone);
  const { baseline } = body;
  if (baseline.from > baseline.to)
    throw Invalid.field('baseline.from', 'must not be after baseline.to', 'not_ordered', { before: 'baseline.to' });
  if (baseline.to > today)
    throw Invalid.field('baseline.to', `must not be after today (${today}): a baseline is measured`, 'out_of_range', {
      maximum: today,
    });
  if (addDays(baseline.from, MAX_DAYS) < baseline.to)
    throw Invalid.field('baseline.from', `the baseline may span at most ${MAX_DAYS} days`, 'out_of_range');
  const scope = {
    ...(body.scope?.team ? { team: body.scope.team } : {}),
    ...(body.scope?.channel ? { channel: body.scope.channel } : {}),
  };
  const baselineValue = await kpiValue(all, settings, body.kpi, scope)(baseline);
  const goal: GoalRecord = {
    id: ulid(now.getTime()),
    kpi: body.kpi,
    scope,
    baseline,
    target: body.target,
    by: body.by,
    owner: body.owner,
    ...(body.name ? { name: body.name } : {}),
    baselineValue,
    targetValue: targetValueOf(body.target, baselineValue),
    createdAt: now.toISOString(),
    createdBy: actor.id,
    ...recordChange({}, { at: now.toISOString(), actor: actor.id, action: 'created' }),
    version: 1,
  };
  checkTarget(goal, today);
  if (!(await all.goals.put(goal, undefined, claimItems(request, goal.id, now))))
    throw new Error(`goal id ${goal.id} taken`);
  return viewOf(goal, all, settings, today);
}

/** Changes a goal's target, date, owner or name at the version read (If-Match; 412 when it moved on). */
export async function changeGoal(
  id: string,
  body: PatchGoalBody,
  actor: Actor,
  now: Date,
  ifMatch: IfMatch,
  deps: Partial<GoalDeps> = {},
): Promise<Goal> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const today = localDate(now, settings.timezone);
  const current = await all.goals.get(id);
  if (!current) throw new NotFound(`No goal ${id}.`);
  assertIfMatch(ifMatch, current.version, `Goal ${id}`);
  const { name, ...rest } = body;
  const fields = Object.keys(body).filter((key) => body[key as keyof PatchGoalBody] !== undefined);
  const next: GoalRecord = {
    ...current,
    ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
    ...recordChange(current, { at: now.toISOString(), actor: actor.id, action: 'updated', fields }),
    version: current.version + 1,
  };
  if (name === null) delete next.name;
  else if (name !== undefined) next.name = name;
  next.targetValue = targetValueOf(next.target, next.baselineValue);
  // A new target or date starts the at_risk notice afresh.
  if (body.target || body.by) delete next.atRiskNotifiedAt;
  if (body.target || body.by) checkTarget(next, today);
  if (!(await all.goals.put(next, current.version)))
    throw new PreconditionFailed(`Goal ${id} was changed by someone else meanwhile; read it again and retry.`);
  return viewOf(next, all, settings, today);
}

export async function readGoal(id: string, now: Date, deps: Partial<GoalDeps> = {}): Promise<Goal> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const goal = await all.goals.get(id);
  if (!goal) throw new NotFound(`No goal ${id}.`);
  return viewOf(goal, all, settings, localDate(now, settings.timezone));
}

/** Every goal with its progress today, optionally of one status, KPI or owner. */
export async function listGoals(
  query: GoalListQuery,
  now: Date,
  deps: Partial<GoalDeps> = {},
): Promise<{ items: Goal[] }> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const today = localDate(now, settings.timezone);
  const goals = (await all.goals.list()).filter(
    (goal) => (!query.kpi || goal.kpi === query.kpi) && (!query.owner || goal.owner === query.owner),
  );
  const items = await Promise.all(goals.map((goal) => viewOf(goal, all, settings, today)));
  return { items: query.status ? items.filter((goal) => goal.status === query.status) : items };
}

/** Who writes the at_risk marks on a goal's history. */
const CHECK_ACTOR = 'system:goal-check';

export interface GoalCheckSummary {
  checked: number;
  atRisk: number;
  /** The notice tasks of goals that turned at_risk (to perform now; the follow-up job does it otherwise). */
  notices: string[];
  recovered: number;
}

/**
 * The daily goal check (run by the morning job, functions/followups/handler.ts): each goal whose
 * owner has not been told since it turned at_risk gets its notice task — id `notify:goal:<id>:at_risk:<n>`,
 * n the turn — then the goal records the turn (atRiskNotifiedAt, atRiskNotices = n) at the version
 * read. A crash between the two, a second run, a run racing this one: each builds the same task id,
 * whose conditional put makes it once. A goal back on track (or achieved) after a notice loses its
 * mark, so falling behind again is turn n + 1, told anew. A lost race on the goal's version (a
 * manager's PATCH) leaves the goal to the next run: the task id still holds the turn.
 */
export async function checkGoalsAtRisk(now: Date, deps: Partial<GoalDeps> = {}): Promise<GoalCheckSummary> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const today = localDate(now, settings.timezone);
  const summary: GoalCheckSummary = { checked: 0, atRisk: 0, notices: [], recovered: 0 };
  for (const goal of await all.goals.list()) {
    if (goal.by < today) continue; // finished: missed or achieved for good
    summary.checked += 1;
    const view = await viewOf(goal, all, settings, today);
    if (view.status === 'at_risk') summary.atRisk += 1;
    const step = atRiskStep(goal, view.status);
    if (step === 'none') continue;
    const at = now.toISOString();
    if (step === 'recovered') {
      const { atRiskNotifiedAt: _, ...rest } = goal;
      const next: GoalRecord = {
        ...rest,
        ...recordChange(goal, { at, actor: CHECK_ACTOR, action: 'recovered', fields: ['atRiskNotifiedAt'] }),
        version: goal.version + 1,
      };
      if (await all.goals.put(next, goal.version)) summary.recovered += 1;
      continue;
    }
    const turn = (goal.atRiskNotices ?? 0) + 1;
    const id = taskIds.goalAtRisk(goal.id, turn);
    await all.tasks.scheduleTask(
      {
        id,
        kind: 'goal_notice',
        goalId: goal.id,
        goalFigures: {
          today,
          baselineValue: view.baselineValue,
          targetValue: view.targetValue,
          current: view.current,
          expectedNow: view.expectedNow,
        },
        dueAt: at,
      },
      now,
    );
    const next: GoalRecord = {
      ...goal,
      atRiskNotifiedAt: at,
      atRiskNotices: turn,
      ...recordChange(goal, {
        at,
        actor: CHECK_ACTOR,
        action: 'at_risk',
        fields: ['atRiskNotifiedAt', 'atRiskNotices'],
      }),
      version: goal.version + 1,
    };
    await all.goals.put(next, goal.version);
    summary.notices.push(id);
  }
  return summary;
}

/** What the report's goal list reads: its own defaults, so the report functions bundle no follow-up task store. */
type ReportGoalDeps = Pick<GoalDeps, 'goals' | 'settings' | 'counters'>;
const reportDefaults: ReportGoalDeps = {
  goals: dynamoGoalStore,
  settings: dynamoSettingsStore,
  counters: dynamoCounterReader,
};

/**
 * The goals a report of `period` shows: set by its end, with the baseline ended by then and `by`
 * not before its start; their progress as of `asOf` (the period's last day, or today while it runs).
 */
export async function goalsForReport(
  period: { from: string; to: string },
  asOf: string,
  deps: Partial<ReportGoalDeps> = {},
): Promise<GoalSummary[]> {
  const all = { ...reportDefaults, ...deps };
  const { settings } = await all.settings.current();
  const alive = (await all.goals.list()).filter(
    (goal) =>
      localDate(new Date(goal.createdAt), settings.timezone) <= period.to &&
      goal.baseline.to <= period.to &&
      goal.by >= period.from,
  );
  return Promise.all(
    alive.map(async (goal) => {
      const view = await viewOf(goal, all, settings, asOf);
      return {
        id: view.id,
        ...(view.name ? { name: maskFreeText(view.name) } : {}),
        kpi: view.kpi,
        scope: view.scope,
        owner: view.owner,
        by: view.by,
        baselineValue: view.baselineValue,
        targetValue: view.targetValue,
        expectedNow: view.expectedNow,
        current: view.current,
        status: view.status,
        asOf,
      };
    }),
  );
}
