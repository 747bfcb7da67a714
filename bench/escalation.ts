/**
 * Cost of the escalation workflow: Step Functions Standard bills per state transition, so
 * the figure is transitions per complaint, counted on the CDK-synthesized definition run
 * locally (infra/local/workflow.ts) for the on-time path and the fully escalated path.
 * Targets: ≤ 15 on time, ≤ 30 fully escalated.
 */

import { applyEvent, registerComplaint } from '../functions/complaints/service.js';
import { complaintNeeds } from '../functions/composition.js';
import { check } from '../functions/escalation/handler.js';
import type { LocalRuntime } from '../infra/local/runtime.js';
import { LocalWorkflowRunner } from '../infra/local/workflow.js';
import { scaledClock } from '../shared/domain/clock.js';
import { executionNameFor } from '../shared/domain/complaints/workflow.js';
import { MINUTE } from '../shared/domain/time.js';
import type { EmailSender, SmsSender } from '../shared/notify/ports.js';
import { usePorts } from '../shared/ports.js';
import type { ComplaintEventBody } from '../shared/schemas/complaints.js';
import { dynamoSettingsStore, forgetCachedSettings } from '../shared/store/settings.js';
import { table } from './stats.js';
import type { Section } from './summary.js';

/** Standard workflow price per state transition (us-east-1, beyond the free tier). */
const USD_PER_TRANSITION = 0.025 / 1000;
const TARGETS = { onTime: 15, fullyEscalated: 30 };

export interface PathCost {
  transitions: number;
  states: string[];
  /** Emails and SMS sent on the path (escalation notices). */
  messages: { email: number; sms: number };
}

/** Called as each priced path starts, so a caller can attribute what it measures (e.g. capacity units). */
export type PathHook = (path: 'onTime' | 'fullyEscalated' | 'done') => void;

/**
 * Runs the two priced paths of the escalation workflow and returns their state transitions.
 * Needs a started runtime (it uses its DynamoDB and tables) but not its clock: it runs with a
 * clock of its own (3600×) and short SLA policies (60/120/180 min), and restores the settings
 * and ports it changed.
 */
export async function escalationTransitions(
  _runtime: LocalRuntime,
  onPath: PathHook = () => undefined,
): Promise<{ onTime: PathCost; fullyEscalated: PathCost }> {
  const start = new Date('2026-11-03T02:00:00Z'); // 10:00 in Shanghai, outside quiet hours
  const clock = scaledClock(3600, start);
  const gates = new Map<string, Promise<void>>();
  const gatedCheck = async (event: { complaintId: string; milestone: string }, context: unknown) => {
    // The on-time path acts before each check looks, whatever the machine's speed.
    await gates.get(`${event.complaintId}:${event.milestone}`);
    return (check as unknown as (e: unknown, c: unknown) => Promise<unknown>)(event, context);
  };
  const runner = new LocalWorkflowRunner({ clock, handlers: { check: gatedCheck as never } });
  let sent = { email: 0, sms: 0 };
  const quiet: { email: EmailSender; sms: SmsSender } = {
    email: {
      send: async (m) => {
        sent.email += 1;
        return { messageId: m.id, status: 'sent' };
      },
    },
    sms: {
      send: async (m) => {
        sent.sms += 1;
        return { messageId: m.id, status: 'sent' };
      },
    },
  };
  const previousPorts = usePorts({ clock, workflows: runner, ...quiet });
  const previousSettings = await dynamoSettingsStore.current({ fresh: true });
  const settings = structuredClone(previousSettings.settings);
  for (const severity of ['high', 'medium', 'low'] as const)
    settings.sla.policies[severity] = { respondMinutes: 60, solutionMinutes: 120, closeMinutes: 180, calendar: '24x7' };
  await dynamoSettingsStore.save(settings, previousSettings.version, 'bench', start);
  forgetCachedSettings();
  try {
    await runner.prepare();
    const actor = { id: 'bench-agent', roles: ['agent' as const] };
    const at = (minutes: number) => new Date(Math.min(clock.now().getTime(), start.getTime() + minutes * MINUTE));
    const act = (id: string, event: ComplaintEventBody, minutes: number) =>
      applyEvent(id, event, actor.id, at(minutes));
    const hold = (id: string, milestone: string) => {
      let release!: () => void;
      gates.set(`${id}:${milestone}`, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        gates.delete(`${id}:${milestone}`);
        release();
      };
    };
    /** Waits until the complaint's first-round execution (`<id>-r1`) has entered `state`. */
    const reached = async (id: string, state: string) => {
      const name = executionNameFor(id, 1);
      while (!runner.executions.get(name)?.path.includes(state)) await new Promise((resolve) => setTimeout(resolve, 5));
    };

    // On time: each milestone met before its warning.
    onPath('onTime');
    const onTime = await registerComplaint(
      { customerId: 'C-bench', channel: 'phone', category: 'logistics', severity: 'medium', description: 'bench' },
      actor,
      clock.now(),
      undefined,
      complaintNeeds,
    );
    const respond = hold(onTime.id, 'respond');
    const solution = hold(onTime.id, 'solution');
    const close = hold(onTime.id, 'close');
    await act(onTime.id, { type: 'assign', assigneeId: 'bench-agent' }, 2);
    await act(onTime.id, { type: 'respond' }, 5);
    respond();
    await reached(onTime.id, 'Wait until 24h solution deadline warning');
    await act(onTime.id, { type: 'propose_solution', solution: 'Replacement' }, 60);
    solution();
    await reached(onTime.id, 'Wait until 72h closure deadline warning');
    await act(onTime.id, { type: 'resolve', cause: { kind: 'process' } }, 110);
    await act(onTime.id, { type: 'close' }, 120);
    close();
    const onTimeRun = await runner.finished(onTime.escalation.executionName);
    const onTimeMessages = sent;
    sent = { email: 0, sms: 0 };
    onPath('fullyEscalated');

    // Fully escalated: nobody acts; tier 2 climbs supervisor → department head → executive, then stops.
    const neglected = await registerComplaint(
      { customerId: 'C-bench', channel: 'phone', category: 'logistics', severity: 'low', description: 'bench' },
      actor,
      clock.now(),
      undefined,
      complaintNeeds,
    );
    const escalatedRun = await runner.finished(neglected.escalation.executionName);
    onPath('done');
    return {
      onTime: { transitions: onTimeRun.transitions, states: onTimeRun.path, messages: onTimeMessages },
      fullyEscalated: { transitions: escalatedRun.transitions, states: escalatedRun.path, messages: sent },
    };
  } finally {
    await runner.stop();
    const latest = await dynamoSettingsStore.current({ fresh: true });
    await dynamoSettingsStore.save(previousSettings.settings, latest.version, 'bench', new Date());
    forgetCachedSettings();
    usePorts(previousPorts);
  }
}

/** The benchmark section: transitions and cost per complaint, beside the targets. */
export async function benchEscalation(runtime: LocalRuntime): Promise<Section> {
  const { onTime, fullyEscalated } = await escalationTransitions(runtime);
  const row = (path: string, cost: PathCost, target: number) => ({
    path,
    transitions: cost.transitions,
    target: `≤ ${target}`,
    within: cost.transitions <= target ? 'yes' : 'NO',
    'USD per 1,000 complaints': `$${(cost.transitions * USD_PER_TRANSITION * 1000).toFixed(3)}`,
  });
  const text = [
    '## Escalation workflow: state transitions per complaint (Standard bills per transition)',
    '',
    table([
      row('all milestones met on time', onTime, TARGETS.onTime),
      row('every milestone missed (escalated to the top)', fullyEscalated, TARGETS.fullyEscalated),
    ]),
    '',
    `Counted on the CDK-synthesized definition run locally. On time: ${onTime.states.join(' → ')}.`,
  ].join('\n');
  const transitions = (figure: string, cost: PathCost, target: number) => ({
    figure,
    value: String(cost.transitions),
    target: `≤ ${target}`,
    met: cost.transitions <= target,
  });
  return {
    text,
    rows: [
      transitions('state transitions, a complaint met on time', onTime, TARGETS.onTime),
      transitions('state transitions, a complaint escalated to the top', fullyEscalated, TARGETS.fullyEscalated),
    ],
  };
}
