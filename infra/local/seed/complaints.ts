/**
 * Demo complaints over the demo months: most handled on time, some paused, some late and
 * escalated, a few reopened. Each is registered and moved through the loop with the same use
 * cases the API and the workflow tasks call, at the times they would have happened. Old
 * complaints get no workflow execution: their milestone checks and escalations are made here,
 * in time order, by the task use cases themselves. A complaint still open at `now` is handed to
 * a real execution, which takes it from there.
 *
 * The past is history, not news: the notices it gives rise to (deadline warnings, missed
 * deadlines, escalations) are recorded as sent, in the message ledger and on the timeline, but
 * delivered to nobody (`pastSenders`), and the follow-up tasks it leaves due before the load
 * began are closed as history (`closePastTasks`, in demo.ts). The outbox then holds what happens
 * from the load on: the open complaints' coming deadlines, and whatever the user does.
 */

import { applyEvent, registerComplaint } from '../../../functions/complaints/service.js';
import { complaintNeeds } from '../../../functions/composition.js';
import { checkMilestoneTask, escalateTask } from '../../../functions/escalation/service.js';
import type { Actor } from '../../../shared/domain/access.js';
import { MILESTONES } from '../../../shared/domain/complaints/milestones.js';
import { escalationInput } from '../../../shared/domain/complaints/workflow.js';
import { defined } from '../../../shared/domain/errors.js';
import { MESSAGE_CHANNELS } from '../../../shared/domain/message-ids.js';
import { MINUTE } from '../../../shared/domain/time.js';
import { onceSender } from '../../../shared/notify/once.js';
import type { ChannelMessages, Senders, Transport } from '../../../shared/notify/ports.js';
import { ports } from '../../../shared/ports.js';
import type { ContactChannel } from '../../../shared/schemas/common.js';
import type { ComplaintEventBody, Severity } from '../../../shared/schemas/complaints.js';
import { dynamoComplaintStore } from '../../../shared/store/complaints.js';
import { dynamoMessageLedger } from '../../../shared/store/messages.js';
import type { WorkflowStarter } from '../../../shared/workflow/escalation.js';
import type { Random } from './random.js';

/** An interaction a complaint can come from. */
export interface ComplaintSource {
  /** Absent for a customer who comes back without a recorded contact. */
  interactionId?: string;
  customerId: string;
  channel: ContactChannel;
  team: string;
  category: string;
  startedAt: Date;
}

type Timed = { at: Date; event: ComplaintEventBody; agent: string };

/** Delivers nothing: the demo's past happened before the outbox existed. */
const NO_DELIVERY: Transport<ChannelMessages[keyof ChannelMessages]> = { deliver: async () => ({}) };

/**
 * The senders of a notice of the demo's past, at `at`: each message id is claimed and marked sent
 * in the message ledger (so a handed-over execution or the follow-up job finds it sent and never
 * sends it), the timeline records it as the workflow would have, nothing is delivered (no outbox
 * file) and no cost is counted (it was never sent).
 */
const pastSenders = (at: Date): Senders =>
  Object.fromEntries(
    MESSAGE_CHANNELS.map((channel) => [
      channel,
      onceSender(
        channel,
        NO_DELIVERY,
        dynamoMessageLedger,
        () => ({ now: () => at }),
        async () => undefined,
      ),
    ]),
  ) as Senders;
/** Old complaints are registered without starting an execution; `handOver` starts one for those still open. */
const NO_START: WorkflowStarter = {
  executionArn: (name) => ports().workflows.executionArn(name),
  start: async () => undefined,
};

const COMPLAINT_CATEGORY: Record<string, string> = {
  billing: 'price_billing',
  delivery: 'logistics',
  product: 'product_defect',
  technical: 'app_website',
  account: 'process_policy',
  'after-sales': 'after_sales_repair',
};
/** Why a seeded complaint arose (s000 原因分析): a Pareto with process and people in front. */
const seedCause = (random: { weighted: <K extends string>(weights: Record<K, number>) => K }) => ({
  kind: random.weighted({ process: 35, people: 25, product: 18, tools: 10, external: 8, policy: 4 }),
});

const SOLUTIONS = [
  'Refund issued to the original payment method',
  'Replacement shipped by express courier',
  'Technician visit booked',
  'Account corrected and fee waived',
  'Apology and service voucher',
] as const;

/** The steps of one complaint's life, at the times they happen (some late, some paused, a few reopened). */
function lifeOf(random: Random, registered: Date, assignee: string): Timed[] {
  const steps: Timed[] = [];
  let t = registered.getTime();
  const step = (minutes: number, event: ComplaintEventBody) => {
    t += minutes * MINUTE;
    steps.push({ at: new Date(t), event, agent: assignee });
  };
  const neglected = random.chance(0.07);
  step(random.int(3, 25), { type: 'assign', assigneeId: assignee });
  step(neglected ? random.int(70, 240) : random.int(5, 40), { type: 'respond' });
  if (random.chance(0.12)) {
    step(random.int(20, 120), {
      type: 'await_customer',
      reason: random.weighted({
        information_requested: 5,
        customer_unreachable: 3,
        site_visit_scheduled: 2,
        customer_requested_delay: 1,
      }),
    });
    step(random.int(2 * 60, 30 * 60), { type: 'resume' });
  }
  const lateSolution = neglected ? random.chance(0.5) : random.chance(0.04);
  step(lateSolution ? random.int(24 * 60, 40 * 60) : random.int(2 * 60, 20 * 60), {
    type: 'propose_solution',
    solution: random.pick(SOLUTIONS),
  });
  step(random.int(60, 12 * 60), { type: 'resolve', cause: seedCause(random) });
  if (random.chance(0.8)) step(random.int(2 * 60, 20 * 60), { type: 'confirm', satisfied: random.chance(0.85) });
  step(random.chance(0.05) ? random.int(40 * 60, 60 * 60) : random.int(30, 8 * 60), { type: 'close' });
  if (random.chance(0.05)) {
    step(random.int(2 * 24 * 60, 10 * 24 * 60), {
      type: 'reopen',
      note: 'The customer reports the same problem again.',
    });
    step(random.int(5, 30), { type: 'respond' });
    step(random.int(60, 10 * 60), { type: 'propose_solution', solution: random.pick(SOLUTIONS) });
    step(random.int(60, 6 * 60), { type: 'resolve', cause: seedCause(random) });
    step(random.int(60, 12 * 60), { type: 'close' });
  }
  return steps;
}

/**
 * What the workflow would have done for one round, until `now`: check each milestone at its
 * warning time and deadline (applying the complaint's events as their times come), escalate a
 * miss. Returns the events of later rounds, and whether a milestone of this round is still open.
 */
async function replayRound(
  id: string,
  round: number,
  events: Timed[],
  now: Date,
): Promise<{ rest: Timed[]; open: boolean }> {
  const pending = [...events];
  const applyUntil = async (until: Date) => {
    for (let next = pending[0]; next && next.at <= until && next.event.type !== 'reopen'; next = pending[0]) {
      pending.shift();
      await applyEvent(id, next.event, next.agent, next.at);
    }
  };
  for (const milestone of MILESTONES) {
    let wake = new Date(defined(await dynamoComplaintStore.get(id), `complaint ${id}`).milestones[milestone].warnAt);
    for (;;) {
      if (wake > now) {
        await applyUntil(now);
        return { rest: pending, open: true };
      }
      await applyUntil(wake);
      const result = await checkMilestoneTask({ complaintId: id, round, milestone }, wake, {
        senders: () => pastSenders(wake),
      });
      if (result.outcome === 'closed' || result.outcome === 'superseded') return { rest: pending, open: false };
      if (result.outcome === 'wait') {
        wake = new Date(defined(result.wakeAt, `wakeAt of the wait for ${id} ${milestone}`));
        continue;
      }
      if (result.outcome === 'overdue')
        await escalateTask({ complaintId: id, round, milestone }, wake, { senders: () => pastSenders(wake) });
      break;
    }
  }
  await applyUntil(now);
  return { rest: pending, open: false };
}

interface Plan {
  source: ComplaintSource;
  registered: Date;
  severity: Severity;
  agent: Actor;
  life: Timed[];
  /** A customer coming back after an earlier complaint closed: written after all first complaints. */
  followUp: boolean;
}

/** Decides every complaint first (the random sequence, hence the data set, is the same on every machine), then writes them. */
export function planComplaints(random: Random, sources: ComplaintSource[], now: Date): Plan[] {
  const plans: Plan[] = [];
  for (const source of sources) {
    // About one contact in forty turns into a complaint.
    if (!random.chance(0.025)) continue;
    const registered = new Date(source.startedAt.getTime() + random.int(5, 90) * MINUTE);
    const severity: Severity = random.weighted({ high: 15, medium: 50, low: 35 });
    const agent: Actor = { id: `A-${String(random.int(1, 24)).padStart(2, '0')}`, roles: ['agent'], team: source.team };
    const life = lifeOf(random, registered, agent.id);
    if (registered <= now) plans.push({ source, registered, severity, agent, life, followUp: false });
    // Some customers come back with the same problem a few days after it was closed (a recurrence).
    const closed = life.findLast((step) => step.event.type === 'close')?.at;
    if (closed && random.chance(0.12)) {
      const again = new Date(closed.getTime() + random.int(2 * 24 * 60, 20 * 24 * 60) * MINUTE);
      const { interactionId: _, ...sameCustomer } = source;
      if (again <= now)
        plans.push({
          source: { ...sameCustomer, startedAt: again },
          registered: again,
          severity,
          agent,
          life: lifeOf(random, again, agent.id),
          followUp: true,
        });
    }
  }
  return plans.sort((a, b) => a.registered.getTime() - b.registered.getTime());
}

type Step = [minutesAfterRegistration: number, event: ComplaintEventBody];

/**
 * What a console shows first: complaints being worked on right now, one in every open stage,
 * with their next deadline in the coming hours; one that nobody answered (its 1 h response
 * missed and escalated); one reopened half an hour ago, in its second round. Each is lived
 * like the others (use cases, then a real execution), on customers of the given contacts.
 */
const CURRENT: Array<{ minutesAgo: number; steps: Step[]; severity: Severity }> = [
  // registered: the response is due in 40 minutes.
  { minutesAgo: 20, steps: [], severity: 'high' },
  // registered 100 minutes ago and never answered: the response deadline passed, escalated.
  { minutesAgo: 100, steps: [], severity: 'medium' },
  // assigned: the response is due in half an hour.
  { minutesAgo: 30, steps: [[4, { type: 'assign', assigneeId: '' }]], severity: 'medium' },
  // responded: the solution is due in two hours.
  {
    minutesAgo: 22 * 60,
    steps: [
      [5, { type: 'assign', assigneeId: '' }],
      [30, { type: 'respond' }],
    ],
    severity: 'high',
  },
  // awaiting the customer: the SLA clock stopped.
  {
    minutesAgo: 6 * 60,
    steps: [
      [5, { type: 'assign', assigneeId: '' }],
      [25, { type: 'respond' }],
      [120, { type: 'await_customer', reason: 'information_requested' }],
    ],
    severity: 'low',
  },
  // solution proposed: the closure is due in two hours.
  {
    minutesAgo: 70 * 60,
    steps: [
      [5, { type: 'assign', assigneeId: '' }],
      [20, { type: 'respond' }],
      [600, { type: 'propose_solution', solution: SOLUTIONS[0] }],
    ],
    severity: 'medium',
  },
  // resolved, waiting for the customer's confirmation: the closure is due in twelve hours.
  {
    minutesAgo: 60 * 60,
    steps: [
      [5, { type: 'assign', assigneeId: '' }],
      [15, { type: 'respond' }],
      [500, { type: 'propose_solution', solution: SOLUTIONS[1] }],
      [1500, { type: 'resolve', cause: { kind: 'external', detail: 'Courier lost the parcel' } }],
    ],
    severity: 'low',
  },
  // confirmed by the customer, to be closed: the closure is due in six hours.
  {
    minutesAgo: 66 * 60,
    steps: [
      [8, { type: 'assign', assigneeId: '' }],
      [30, { type: 'respond' }],
      [700, { type: 'propose_solution', solution: SOLUTIONS[2] }],
      [2000, { type: 'resolve', cause: { kind: 'product' } }],
      [2300, { type: 'confirm', satisfied: true }],
    ],
    severity: 'medium',
  },
  // closed four days ago, reopened half an hour ago: round 2, its response due in 30 minutes.
  {
    minutesAgo: 6 * 24 * 60,
    steps: [
      [5, { type: 'assign', assigneeId: '' }],
      [20, { type: 'respond' }],
      [300, { type: 'propose_solution', solution: SOLUTIONS[3] }],
      [900, { type: 'resolve', cause: { kind: 'process' } }],
      [1200, { type: 'confirm', satisfied: true }],
      [1300, { type: 'close' }],
      [6 * 24 * 60 - 30, { type: 'reopen', note: 'The customer reports the same problem again.' }],
    ],
    severity: 'high',
  },
];

export function currentComplaints(random: Random, sources: ComplaintSource[], now: Date): Plan[] {
  const teams = ['hotline', 'online', 'stores'];
  return CURRENT.map(({ minutesAgo, steps, severity }, n) => {
    const registered = new Date(now.getTime() - minutesAgo * MINUTE);
    const source = random.pick(sources);
    const team = defined(teams[n % teams.length], `team ${n}`);
    // An agent of that team (the demo directory: A-01–08 hotline, A-09–18 online, A-19–24 stores).
    const number = team === 'hotline' ? random.int(1, 8) : team === 'online' ? random.int(9, 18) : random.int(19, 24);
    const agent: Actor = { id: `A-${String(number).padStart(2, '0')}`, roles: ['agent'], team };
    const life: Timed[] = steps.map(([minutes, event]) => ({
      at: new Date(registered.getTime() + minutes * MINUTE),
      event: event.type === 'assign' ? { ...event, assigneeId: agent.id } : event,
      agent: agent.id,
    }));
    const { interactionId: _, ...customer } = source;
    return {
      source: { ...customer, team, startedAt: registered },
      registered,
      severity,
      agent,
      life,
      followUp: false,
    };
  });
}

/**
 * Registers one planned complaint and lives it until `now`. Returns the hand-over of a complaint
 * still open (its real execution, started once the past's follow-up tasks are closed), or undefined.
 */
export async function seedComplaint(plan: Plan, now: Date): Promise<(() => Promise<void>) | undefined> {
  const { source, registered, severity, agent } = plan;
  const complaint = await registerComplaint(
    {
      customerId: source.customerId,
      channel: source.channel,
      category: COMPLAINT_CATEGORY[source.category] ?? 'other',
      severity,
      description: 'Customer complaint recorded from the contact (demo data).',
      ...(source.interactionId ? { interactionId: source.interactionId } : {}),
      team: source.team,
    },
    agent,
    registered,
    undefined,
    { ...complaintNeeds, workflows: () => NO_START },
  );
  let events = plan.life;
  let round = 1;
  for (;;) {
    const { rest, open } = await replayRound(complaint.id, round, events, now);
    if (open) {
      // Still being worked on: a real execution watches the rest.
      return async () => {
        const current = defined(await dynamoComplaintStore.get(complaint.id), `complaint ${complaint.id}`);
        await ports().workflows.start(current.escalation.executionName, escalationInput(current));
      };
    }
    const reopen = rest[0];
    if (!reopen || reopen.at > now) return undefined;
    await applyEvent(complaint.id, reopen.event, reopen.agent, reopen.at, undefined, undefined, {
      workflows: () => NO_START,
    });
    events = rest.slice(1);
    round += 1;
  }
}
