/**
 * The demo data set: a few months of a plausible service operation, built by the same code
 * the API runs, so every derived figure is what the API would have made. Customers,
 * interactions and surveys (thousands) are built in memory by the use cases' pure functions
 * and written in bulk with their counters summed once (./bulk.ts); complaints (a hundred)
 * are lived through the use cases and workflow tasks, event by event, and those still open
 * are handed to a real workflow execution.
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { newInteraction, toInteraction } from '../../../functions/interactions/service.js';
import type { Actor } from '../../../shared/domain/access.js';
import { DAY } from '../../../shared/domain/time.js';
import type { ContactChannel } from '../../../shared/schemas/common.js';
import type { PutCustomerBody } from '../../../shared/schemas/customers.js';
import type { CreateInteractionBody, Interaction } from '../../../shared/schemas/interactions.js';
import { dynamo } from '../../../shared/store/client.js';
import { customerProfileItem } from '../../../shared/store/customers.js';
import { dynamoFollowUpStore } from '../../../shared/store/followups.js';
import { contributionsOf, interactionItem } from '../../../shared/store/interactions.js';
import { dynamoSettingsStore } from '../../../shared/store/settings.js';
import { MAIN_TABLE, tableName } from '../../../shared/store/table.js';
import { BulkLoad, itemOfPut } from './bulk.js';
import { planDemoCampaign } from './campaign.js';
import { currentComplaints, planComplaints, seedComplaint } from './complaints.js';
import { type Random, seededRandom } from './random.js';
import { seedDemoSettings } from './settings.js';
import { seedStaff } from './staff.js';
import { demoCustomer, seedSurveys } from './surveys.js';

export type SeedProgress = (stage: string, done: number, total: number) => void;

const CHANNEL_MIX: Record<ContactChannel, number> = { phone: 30, chat: 24, app: 14, wechat: 16, email: 6, store: 10 };
const TEAM_OF: Record<ContactChannel, string> = {
  phone: 'hotline',
  chat: 'online',
  app: 'online',
  wechat: 'online',
  email: 'online',
  store: 'stores',
};
const CATEGORIES = { billing: 22, delivery: 20, product: 18, technical: 16, account: 12, 'after-sales': 12 } as const;
/** Typical first-response medians per channel (seconds): most within target, a tail that is not. */
const RESPONSE_MEDIAN: Record<ContactChannel, number> = {
  phone: 9,
  chat: 11,
  app: 12,
  wechat: 12,
  email: 1500,
  store: 70,
};

export const DEMO_CUSTOMERS = 400;
/** Complaints are lived through the use cases one event at a time; this many at once. */
const COMPLAINT_CONCURRENCY = 12;
export const demoCustomerId = (n: number) => `C-${String(1001 + n).padStart(5, '0')}`;

function anInteraction(random: Random, startedAt: Date, now: Date): CreateInteractionBody {
  const channel = random.weighted(CHANNEL_MIX);
  const complexity = random.chance(0.18) ? 'complex' : 'simple';
  const firstResponse = new Date(
    startedAt.getTime() +
      random.duration(complexity === 'complex' ? Math.max(RESPONSE_MEDIAN[channel], 900) : RESPONSE_MEDIAN[channel]) *
        1000,
  );
  const resolutionMedian = complexity === 'complex' ? 30 * 3600 : channel === 'email' ? 2.5 * 3600 : 20 * 60;
  const resolvedAt = new Date(firstResponse.getTime() + random.duration(resolutionMedian, 1.1) * 1000);
  const resolved = resolvedAt <= now && !random.chance(0.03);
  const body: CreateInteractionBody = {
    customerId: demoCustomerId(random.int(0, DEMO_CUSTOMERS - 1)),
    channel,
    complexity,
    startedAt: startedAt.toISOString(),
    agentId: `A-${String(random.int(1, 24)).padStart(2, '0')}`,
    team: TEAM_OF[channel],
    category: random.weighted(CATEGORIES),
    ...(firstResponse <= now ? { firstResponseAt: firstResponse.toISOString() } : {}),
    ...(resolved
      ? { resolvedAt: resolvedAt.toISOString(), resolvedOnFirstContact: complexity === 'simple' && random.chance(0.82) }
      : {}),
  };
  const late =
    resolved && (resolvedAt.getTime() - startedAt.getTime()) / 1000 > (complexity === 'complex' ? 72 * 3600 : 4 * 3600);
  if (late) body.overdueReason = random.weighted({ staffing: 4, process: 3, tooling: 1, customer: 3, other: 1 });
  return body;
}

/**
 * Contacts in progress at `now`, so the agent's and supervisor's queues have work in them: chats
 * and calls of the last minutes not answered yet (their first-response target passed: overdue),
 * and simple contacts answered an hour or three ago, unresolved, their 4 h target close (at risk).
 * Their own draws, so the rest of the data set does not move.
 */
function liveContacts(random: Random, now: Date): CreateInteractionBody[] {
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  const contact = (
    channel: ContactChannel,
    minutesAgo: number,
    answeredAfterSeconds?: number,
  ): CreateInteractionBody => ({
    customerId: demoCustomerId(random.int(0, DEMO_CUSTOMERS - 1)),
    channel,
    complexity: 'simple',
    startedAt: ago(minutesAgo).toISOString(),
    agentId: `A-${String(channel === 'phone' ? random.int(1, 8) : random.int(9, 18)).padStart(2, '0')}`,
    team: TEAM_OF[channel],
    category: random.weighted(CATEGORIES),
    ...(answeredAfterSeconds === undefined
      ? {}
      : { firstResponseAt: new Date(ago(minutesAgo).getTime() + answeredAfterSeconds * 1000).toISOString() }),
  });
  return [
    contact('chat', 4),
    contact('wechat', 9),
    contact('phone', 12),
    contact('chat', 75, 12),
    contact('phone', 140, 8),
    contact('app', 190, 15),
    contact('wechat', 215, 10),
    contact('chat', 228, 14),
  ];
}

/** When contacts start on one day: office-hours heavy, quieter at night and on Sundays. */
function startTimes(random: Random, dayStart: number, perDay: number): Date[] {
  const weekday = new Date(dayStart).getUTCDay();
  const count = Math.round(perDay * (weekday === 0 ? 0.6 : weekday === 6 ? 0.8 : 1) * (0.85 + random.next() * 0.3));
  return Array.from({ length: count }, () => {
    // 08:00–22:00 Beijing time is 00:00–14:00 UTC.
    const minute = random.chance(0.92) ? random.int(0, 14 * 60 - 1) : random.int(14 * 60, 24 * 60 - 1);
    return new Date(dayStart + minute * 60_000 + random.int(0, 59) * 1000);
  }).sort((a, b) => a.getTime() - b.getTime());
}

async function inBatches<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
  onDone: (done: number) => void,
) {
  // One iterator shared by the workers: each takes the next item.
  const queue = items.values();
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (const item of queue) {
        await work(item);
        onDone(++done);
      }
    }),
  );
}

/**
 * Loads the demo data set once: a marker item makes a restart with CARELOOP_DATA_DIR skip it.
 * Returns false when the data was already there (`figuresReady` is then not called).
 */
export async function seedDemo(
  now: Date,
  progress: SeedProgress,
  options: {
    days?: number;
    perDay?: number;
    /**
     * Called once the figures of every contact and survey are stored (counter cells, customers'
     * counts): from then on `GET /metrics` answers the demo's figures, while the records (lists)
     * and then the complaints, lived one event at a time, are still being written.
     */
    figuresReady?: () => void;
  } = {},
): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(MAIN_TABLE),
        Item: { pk: 'SEED#demo', sk: 'SEED', seededAt: now.toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
  const random = seededRandom(20261103);
  const days = options.days ?? 120;
  const perDay = options.perDay ?? 30;
  const firstDay = Math.floor(now.getTime() / DAY) * DAY - days * DAY;
  const bodies: CreateInteractionBody[] = [];
  for (let day = 0; day <= days; day += 1) {
    for (const startedAt of startTimes(random, firstDay + day * DAY, perDay)) {
      if (startedAt < now) bodies.push(anInteraction(random, startedAt, now));
    }
  }
  bodies.push(...liveContacts(seededRandom(20261106), now));
  const agent: Actor = { id: 'demo-seed', roles: ['admin'] };
  // The demo's escalation contacts and report recipients (a fresh installation has none), before anything is lived.
  await seedDemoSettings(now, agent.id);
  const { settings } = await dynamoSettingsStore.current();
  const customers = new Map<string, PutCustomerBody>(
    Array.from({ length: DEMO_CUSTOMERS }, (_, n) => [demoCustomerId(n), demoCustomer(random, n)]),
  );
  // Customers, interactions and surveys: built in memory by the use cases' own pure functions, written in bulk.
  const load = new BulkLoad();
  const customerStart = new Date(firstDay - 30 * DAY);
  // The directory is written while the rest is built and its figures are written (neither reads it).
  progress('staff', 0, 1);
  const staffing = seedStaff(customerStart, agent).then(() => progress('staff', 1, 1));
  staffing.catch(() => undefined); // awaited below; a failure there, not as an unhandled rejection
  for (const [id, body] of customers) load.put(customerProfileItem(id, body, customerStart, agent.id));
  progress('customers', customers.size, customers.size);
  const interactions: Interaction[] = bodies.map((body) => {
    const { record, alsoWrite } = newInteraction(body, agent, now, settings);
    load.put(interactionItem(record), ...alsoWrite.map(itemOfPut));
    load.count(contributionsOf(record));
    // What recordInteraction writes beside it: the customer's audience marker of the month (campaign estimates).
    load.audience({
      customerId: record.customerId,
      kind: 'active',
      day: record.serviceDay,
      team: record.team,
      channel: record.channel,
    });
    return toInteraction(record, now);
  });
  progress('interactions', bodies.length, bodies.length);
  // A stable order, so the survey draws are the same on every run.
  interactions.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.customerId.localeCompare(b.customerId));
  // Follow-up surveys (today's form and the s001 standard) and last quarter's relationship campaign.
  const surveys = seedSurveys(
    random,
    interactions,
    customers,
    now,
    settings,
    load,
    planDemoCampaign(now, firstDay, settings),
  );
  progress('surveys', surveys.invitations, surveys.invitations);
  let figuresWritten = () => {};
  const figures = new Promise<void>((resolve) => {
    figuresWritten = resolve;
  });
  await Promise.all([
    load.write({ progress: (done, total) => progress('writing', done, total), figuresWritten }),
    Promise.all([staffing, figures]).then(() => options.figuresReady?.()),
  ]);
  // Complaints come from those contacts, decided by their own seeded sequence (the data above stays as it was).
  const sources = interactions.map((i) => ({
    interactionId: i.id,
    customerId: i.customerId,
    channel: i.channel,
    team: i.team ?? TEAM_OF[i.channel],
    category: i.category ?? 'other',
    startedAt: new Date(i.startedAt),
  }));
  const plans = planComplaints(seededRandom(20261104), sources, now);
  // Returning customers last, so the complaint they come back about is already closed (recurrence).
  const first = plans.filter((plan) => !plan.followUp);
  // Last, the complaints being worked on now (every open stage, one overdue, one reopened in round 2).
  const followUps = [
    ...plans.filter((plan) => plan.followUp),
    ...currentComplaints(
      seededRandom(20261107),
      sources.filter((s) => s.startedAt.getTime() > now.getTime() - 30 * DAY),
      now,
    ),
  ];
  const handOvers: Array<() => Promise<void>> = [];
  const live = async (plan: (typeof plans)[number]) => {
    const handOver = await seedComplaint(plan, now);
    if (handOver) handOvers.push(handOver);
  };
  await inBatches(first, COMPLAINT_CONCURRENCY, live, (done) =>
    progress('complaints', done, first.length + followUps.length),
  );
  await inBatches(followUps, COMPLAINT_CONCURRENCY, live, (done) =>
    progress('complaints', first.length + done, first.length + followUps.length),
  );
  // The past's follow-ups are history: closed before the open complaints' executions start (their
  // first step would send the registration notices) and before the follow-up job runs again.
  await closePastTasks(now);
  await inBatches(
    handOvers,
    COMPLAINT_CONCURRENCY,
    (handOver) => handOver(),
    () => undefined,
  );
  return true;
}

/** Why a follow-up task of the demo's past was closed without sending (the task's `outcome`). */
export const HISTORY_OUTCOME = 'demo history: due before the demo data was loaded';

/**
 * Closes, as skipped, every follow-up task the load wrote that fell due before it began (`loadedAt`):
 * customers' acknowledgements and stage notices, owners' notices, confirmation links and survey
 * invitations of complaints and contacts lived in the past. The follow-up job would otherwise send
 * them all at its next run, about events of days ago. A task due later (an open complaint's next
 * step) stays, and so does anything created after the load began: what the user does is never history.
 */
export async function closePastTasks(loadedAt: Date): Promise<number> {
  const began = loadedAt.toISOString();
  let closed = 0;
  for (;;) {
    // What the job would pick up: the due index of the last days (older tasks are never sent).
    const past = (await dynamoFollowUpStore.dueTasks(loadedAt)).filter((task) => task.createdAt <= began);
    if (!past.length) return closed;
    for (const task of past) {
      if (!(await dynamoFollowUpStore.claimTask(task, loadedAt))) continue;
      await dynamoFollowUpStore.finishTask(task, { status: 'skipped', reason: HISTORY_OUTCOME }, loadedAt);
      closed += 1;
    }
  }
}

/** What `npm start` waits for, and what goes on loading after it answers (`startDemoLoad`). */
export interface DemoLoad {
  /**
   * When the server may answer: `'figures'` once every contact's and survey's figures are stored
   * (the rest loads in the background), or the load's own result if it ended first (false: the
   * data was already there, CARELOOP_DATA_DIR).
   */
  ready: Promise<'figures' | boolean>;
  /** The whole load (the banner's "demo data loaded"): lists complete, complaints lived, open ones handed to their executions. */
  loaded: Promise<boolean>;
}

/**
 * The demo load as `npm start` runs it (main.ts; the end-to-end test runs the same): the data set as
 * of the runtime's clock now, the figures first, and the runtime's jobs held until the load is done.
 */
export function startDemoLoad(
  runtime: { clock: { now(): Date }; holdJobsUntil(until: Promise<unknown>): void },
  progress: SeedProgress,
  options: { days?: number; perDay?: number } = {},
): DemoLoad {
  let figuresReady = () => {};
  const figures = new Promise<'figures'>((resolve) => {
    figuresReady = () => resolve('figures');
  });
  const loaded = seedDemo(runtime.clock.now(), progress, { ...options, figuresReady });
  runtime.holdJobsUntil(loaded);
  return { ready: Promise.race([loaded, figures]), loaded };
}
