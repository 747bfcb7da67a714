/**
 * Runs the escalation workflow as synthesized by CDK on this machine, against DynamoDB Local,
 * with a scaled clock and short SLA policies (60 / 120 / 180 min, warning 15 min before), so a
 * whole complaint life takes about three real seconds.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEvent, registerComplaint } from '../../functions/complaints/service.js';
import { complaintNeeds } from '../../functions/composition.js';
import { check as realCheck, escalate as realEscalateHandler } from '../../functions/escalation/handler.js';
import { createOutbox } from '../../infra/local/outbox.js';
import { DEMO_CONTACTS, DEMO_REPORT_RECIPIENTS } from '../../infra/local/seed/settings.js';
import { type ExecutionRecord, type LocalWorkflowOptions, LocalWorkflowRunner } from '../../infra/local/workflow.js';
import { scaledClock } from '../../shared/domain/clock.js';
import { DEFAULT_SETTINGS } from '../../shared/domain/settings.js';
import { MINUTE } from '../../shared/domain/time.js';
import { emailSender, smsSender } from '../../shared/notify/once.js';
import { outboxEmailTransport, outboxSmsTransport } from '../../shared/notify/outbox.js';
import type { EmailMessage, Transport } from '../../shared/notify/ports.js';
import { usePorts } from '../../shared/ports.js';
import type { ComplaintEventBody, CreateComplaintBody } from '../../shared/schemas/complaints.js';
import type { Settings } from '../../shared/schemas/settings.js';
import { dynamoComplaintStore } from '../../shared/store/complaints.js';
import { dynamoMessageLedger } from '../../shared/store/messages.js';
import { dynamoSettingsStore, forgetCachedSettings } from '../../shared/store/settings.js';
import { aComplaintBody } from './builders/complaints.js';
import { useTestTables } from './dynamo.js';

/** Tuesday 10:00 in Shanghai: a working morning, far from quiet hours. */
export const WORKFLOW_START = new Date('2026-11-03T02:00:00Z');
export const TIME_SCALE = 3600;

/** Short policies so every path fits in seconds; the workflow is the same whatever the minutes. */
export function shortPolicySettings(change: (settings: Settings) => void = () => undefined): Settings {
  const settings = structuredClone(DEFAULT_SETTINGS);
  // The workflow tests are about notices: the demo's contacts stand in for an admin's configuration.
  settings.escalation.contacts = structuredClone(DEMO_CONTACTS);
  settings.reportRecipients = [...DEMO_REPORT_RECIPIENTS];
  for (const severity of ['high', 'medium', 'low'] as const) {
    settings.sla.policies[severity] = { respondMinutes: 60, solutionMinutes: 120, closeMinutes: 180, calendar: '24x7' };
  }
  change(settings);
  return settings;
}

/**
 * A scaled clock that a test can set back to a known morning, so every path starts at the same
 * virtual time, and can stop at a given instant while a milestone check runs (`freeze`), then
 * go on from there (`thaw`): what a check decides never depends on how busy the machine is.
 */
function resettableClock(start: Date) {
  let inner = scaledClock(TIME_SCALE, start);
  let frozenAt: Date | undefined;
  return {
    scale: TIME_SCALE,
    now: () => (frozenAt ? new Date(frozenAt) : inner.now()),
    realDelayUntil: (at: Date) =>
      frozenAt ? Math.max(0, (at.getTime() - frozenAt.getTime()) / TIME_SCALE) : inner.realDelayUntil(at),
    reset: (at: Date = start) => {
      frozenAt = undefined;
      inner = scaledClock(TIME_SCALE, at);
    },
    freeze: (at: Date) => {
      frozenAt = at;
    },
    thaw: () => {
      if (!frozenAt) return;
      inner = scaledClock(TIME_SCALE, frozenAt);
      frozenAt = undefined;
    },
  };
}

export interface WorkflowHarness {
  clock: ReturnType<typeof resettableClock>;
  runner: LocalWorkflowRunner;
  outbox: ReturnType<typeof createOutbox>;
  /**
   * Sets the clock back to the start (each path begins at the same virtual morning) and registers a
   * complaint: its id and the name of the execution that watches it (`<id>-r1`).
   */
  register(overrides?: Partial<CreateComplaintBody>): Promise<{ id: string; name: string }>;
  /** Applies an event as an agent; `minutesAfterStart` backdates it to that virtual time (never later than now). */
  event(id: string, body: ComplaintEventBody, minutesAfterStart?: number): Promise<void>;
  /** Resolves once the execution has entered the named state (or rejects after `timeoutMs`). */
  reached(name: string, state: string, timeoutMs?: number): Promise<void>;
  finished(name: string): Promise<ExecutionRecord>;
  /**
   * Holds the next check of a complaint's milestone until `release()`: the test acts (responds,
   * proposes a solution…) without racing the scaled clock, then lets the workflow look.
   */
  hold(id: string, milestone: 'respond' | 'solution' | 'close'): { release(): void };
  /**
   * The next checks of a complaint's milestone run with the clock stopped at these virtual times
   * (minutes after the start), one each, and the escalation a check decides on runs at that time
   * too; the clock goes on from there. A test asserts on a warning window (15 virtual minutes,
   * 250 ms of real time at 3600×) without racing the machine's load.
   */
  checkAt(id: string, milestone: 'respond' | 'solution' | 'close', ...minutesAfterStart: number[]): void;
  timeline(id: string): Promise<Array<{ type: string; detail: Record<string, unknown>; at: string }>>;
  complaint(id: string): ReturnType<typeof dynamoComplaintStore.get>;
  /** Stores a changed copy of the settings in force (new complaints follow it). */
  changeSettings(change: (settings: Settings) => void): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorkflowHarness(
  options: {
    settings?: Settings;
    emailTransport?: (fallback: Transport<EmailMessage>) => Transport<EmailMessage>;
    handlers?: LocalWorkflowOptions['handlers'];
    startAt?: Date;
  } = {},
): Promise<WorkflowHarness> {
  await useTestTables();
  const start = options.startAt ?? WORKFLOW_START;
  await dynamoSettingsStore.save(options.settings ?? shortPolicySettings(), 0, 'test', start);
  forgetCachedSettings();
  const clock = resettableClock(start);
  const outbox = createOutbox(mkdtempSync(join(tmpdir(), 'careloop-workflow-outbox-')));
  const outboxEmail = outboxEmailTransport(outbox, () => clock);
  const gates = new Map<string, Promise<void>>();
  const checkTimes = new Map<string, Date[]>();
  const gatedCheck = async (
    event: { complaintId: string; milestone: string; announce?: boolean },
    context: unknown,
  ) => {
    // The first step (the registration notices) is not a milestone check: never held.
    const key = `${event.complaintId}:${event.milestone}`;
    if (!event.announce) await gates.get(key);
    const at = event.announce ? undefined : checkTimes.get(key)?.shift();
    if (at) clock.freeze(at);
    try {
      const result = (await (realCheck as unknown as (e: unknown, c: unknown) => Promise<unknown>)(event, context)) as {
        outcome?: string;
      };
      // An overdue milestone's escalation runs next, at the same stopped time.
      if (result?.outcome !== 'overdue') clock.thaw();
      return result;
    } catch (error) {
      clock.thaw();
      throw error;
    }
  };
  const realEscalate = options.handlers?.escalate ?? realEscalateHandler;
  const escalateAtCheckTime = async (event: unknown, context: unknown) => {
    try {
      return await (realEscalate as unknown as (e: unknown, c: unknown) => Promise<unknown>)(event, context);
    } finally {
      clock.thaw();
    }
  };
  const runner = new LocalWorkflowRunner({
    clock,
    handlers: { check: gatedCheck as never, ...options.handlers, escalate: escalateAtCheckTime as never },
  });
  usePorts({
    clock,
    email: emailSender(
      options.emailTransport ? options.emailTransport(outboxEmail) : outboxEmail,
      dynamoMessageLedger,
      () => clock,
    ),
    sms: smsSender(
      outboxSmsTransport(outbox, () => clock),
      dynamoMessageLedger,
      () => clock,
    ),
    workflows: runner,
  });
  await runner.prepare();
  clock.reset();
  const actor = { id: 'agent-7', roles: ['agent' as const], team: 'hotline' };
  return {
    clock,
    runner,
    outbox,
    async register(overrides = {}) {
      clock.reset();
      const complaint = await registerComplaint(
        aComplaintBody(overrides),
        actor,
        clock.now(),
        undefined,
        complaintNeeds,
      );
      return { id: complaint.id, name: complaint.escalation.executionName };
    },
    async event(id, body, minutesAfterStart) {
      const now = clock.now();
      const at =
        minutesAfterStart === undefined
          ? now
          : new Date(Math.min(now.getTime(), start.getTime() + minutesAfterStart * MINUTE));
      await applyEvent(id, body, actor.id, at);
    },
    async reached(name, state, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const record = runner.executions.get(name);
        if (record?.path.includes(state)) return;
        if (record && record.status !== 'RUNNING')
          throw new Error(
            `execution ${name} ended (${record.status}) without entering "${state}": ${record.path.join(' → ')}`,
          );
        if (Date.now() > deadline)
          throw new Error(
            `execution ${name} did not enter "${state}" within ${timeoutMs} ms: ${record?.path.join(' → ')}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    finished: (name) => runner.finished(name),
    checkAt(id, milestone, ...minutesAfterStart) {
      checkTimes.set(
        `${id}:${milestone}`,
        minutesAfterStart.map((minutes) => new Date(start.getTime() + minutes * MINUTE)),
      );
    },
    hold(id, milestone) {
      const key = `${id}:${milestone}`;
      let open!: () => void;
      gates.set(key, new Promise<void>((resolve) => (open = resolve)));
      return {
        release() {
          gates.delete(key);
          open();
        },
      };
    },
    async timeline(id) {
      return (await dynamoComplaintStore.timeline(id, { limit: 100 })).items;
    },
    complaint: (id) => dynamoComplaintStore.get(id),
    async changeSettings(change) {
      const { settings, version } = await dynamoSettingsStore.current({ fresh: true });
      const next = structuredClone(settings);
      change(next);
      await dynamoSettingsStore.save(next, version, 'test', clock.now());
      forgetCachedSettings();
    },
    stop: () => runner.stop(),
  };
}
