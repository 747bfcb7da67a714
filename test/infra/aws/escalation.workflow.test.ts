/**
 * The escalation workflow exactly as CDK synthesizes it, executed on this machine by
 * aws-local-stepfunctions with the real task handlers and DynamoDB Local, one test per path.
 * The clock runs 3600× (short 60/120/180-minute policies), so each path takes a few seconds.
 * No assertion rests on a window of real time: where a test needs a check inside the 15-minute
 * warning window (250 ms at 3600×) or before quiet hours end, it runs that check on a stopped
 * clock (harness.checkAt) or holds it until the test has acted (harness.hold).
 * State transitions are counted per path: Standard workflows bill per transition.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpNeeds } from '../../../functions/composition.js';
import { escalate as realEscalate, recordFailure as realRecordFailure } from '../../../functions/escalation/handler.js';
import { NOTICE_RETRY_DELAY_MS } from '../../../functions/escalation/service.js';
import { runFollowUps } from '../../../functions/followups/service.js';
import { realSpan } from '../../../shared/domain/clock.js';
import { DeliveryFailed, type EmailMessage, type Transport } from '../../../shared/notify/ports.js';
import { startWorkflowHarness, type WorkflowHarness } from '../../support/workflow.js';

const types = (timeline: Array<{ type: string }>) => timeline.map((entry) => entry.type);
const of = <E extends { type: string }>(timeline: E[], type: string) => timeline.filter((entry) => entry.type === type);

/** Transitions per path, gathered for the summary at the end. */
const transitions: Record<string, number> = {};

let harness: WorkflowHarness;
beforeAll(async () => {
  harness = await startWorkflowHarness();
});
afterAll(async () => {
  await harness?.stop();
  console.info('escalation workflow transitions per path:', transitions);
});

describe('the escalation workflow, as synthesized, run locally', () => {
  it('records every milestone as met when the complaint is handled on time, in at most 15 transitions', async () => {
    const { id, name } = await harness.register();
    const [respond, solution, close] = (['respond', 'solution', 'close'] as const).map((m) => harness.hold(id, m));
    await harness.event(id, { type: 'assign', assigneeId: 'agent-9' }, 2);
    await harness.event(id, { type: 'respond' }, 5);
    respond!.release();
    await harness.reached(name, 'Wait until 24h solution deadline warning');
    await harness.event(id, { type: 'propose_solution', solution: 'Replacement sent by courier' }, 60);
    solution!.release();
    await harness.reached(name, 'Wait until 72h closure deadline warning');
    await harness.event(id, { type: 'resolve', cause: { kind: 'process' } }, 110);
    await harness.event(id, { type: 'confirm', satisfied: true }, 120);
    await harness.event(id, { type: 'close' }, 130);
    close!.release();
    const execution = await harness.finished(name);

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.path.at(-1)).toBe('Complaint closed');
    const timeline = await harness.timeline(id);
    expect(of(timeline, 'milestone_met').map((e) => e.detail.milestone)).toEqual(['respond', 'solution', 'close']);
    expect(types(timeline)).not.toContain('escalated');
    expect(types(timeline)).not.toContain('breached');
    expect(await harness.complaint(id)).toMatchObject({
      kpi: { respond: 'met', solution: 'met', close: 'met' },
      escalationLevel: 0,
    });
    transitions.onTime = execution.transitions;
    expect(execution.transitions).toBeLessThanOrEqual(15);
  });

  it('escalates a missed response to the department head once, then follows the complaint caught up to the end', async () => {
    const { id, name } = await harness.register({ severity: 'medium' });
    // The warning check inside the warning window (45–60 min), the deadline check just after it.
    harness.checkAt(id, 'respond', 50, 61);
    const [solution, close] = (['solution', 'close'] as const).map((m) => harness.hold(id, m));
    await harness.reached(name, 'Escalate: response overdue');
    await harness.reached(name, 'Wait until 24h solution deadline warning');
    await harness.event(id, { type: 'assign', assigneeId: 'agent-9' }, 70);
    await harness.event(id, { type: 'respond' }, 75);
    await harness.event(id, { type: 'propose_solution', solution: 'Refund issued' }, 80);
    solution!.release();
    await harness.reached(name, 'Wait until 72h closure deadline warning');
    await harness.event(id, { type: 'resolve', cause: { kind: 'process' } }, 125);
    await harness.event(id, { type: 'close' }, 130);
    close!.release();
    const execution = await harness.finished(name);

    expect(execution.status).toBe('SUCCEEDED');
    const timeline = await harness.timeline(id);
    expect(of(timeline, 'deadline_warning').map((e) => e.detail.milestone)).toEqual(['respond']);
    expect(of(timeline, 'breached').map((e) => e.detail.milestone)).toEqual(['respond']);
    expect(of(timeline, 'escalated').map((e) => e.detail)).toEqual([
      expect.objectContaining({
        milestone: 'respond',
        fromLevel: 0,
        toLevel: 1,
        fromRole: 'supervisor',
        toRole: 'department_head',
      }),
    ]);
    expect(of(timeline, 'milestone_met').map((e) => e.detail.milestone)).toEqual(['solution', 'close']);
    expect(await harness.complaint(id)).toMatchObject({
      kpi: { respond: 'missed', solution: 'met', close: 'met' },
      ownerRole: 'department_head',
    });
    const sent = harness.outbox.list().filter((m) => m.id.startsWith(`escalation-${id}`));
    expect(sent.map((m) => `${m.kind} ${m.to.join()}`).sort()).toEqual([
      'email cs-head@example.com',
      'sms +8613800000002',
    ]);
    transitions.responseCaughtUp = execution.transitions;
  });

  it('escalates every missed milestone up the tier-2 ladder, stops at the executive, in at most 30 transitions', async () => {
    const { id, name } = await harness.register({ severity: 'low' });
    const execution = await harness.finished(name);

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.path.at(-1)).toBe('All milestones decided');
    const timeline = await harness.timeline(id);
    expect(of(timeline, 'breached').map((e) => e.detail.milestone)).toEqual(['respond', 'solution', 'close']);
    expect(of(timeline, 'escalated').map((e) => [e.detail.milestone, e.detail.toRole])).toEqual([
      ['respond', 'department_head'],
      ['solution', 'executive'],
    ]);
    expect(await harness.complaint(id)).toMatchObject({
      escalationLevel: 2,
      ownerRole: 'executive',
      breached: true,
      kpi: { respond: 'missed', solution: 'missed', close: 'missed' },
    });
    // Exactly one email and one SMS per level reached, none for the miss at the top.
    const sent = harness.outbox.list().filter((m) => m.id.startsWith(`escalation-${id}`));
    expect(sent.map((m) => m.id).sort()).toEqual([
      `escalation-${id}-respond-l1-email`,
      `escalation-${id}-respond-l1-sms`,
      `escalation-${id}-solution-l2-email`,
      `escalation-${id}-solution-l2-sms`,
    ]);
    transitions.fullyEscalated = execution.transitions;
    expect(execution.path).not.toContain('Wait for quiet hours to end: solution notice');
    expect(execution.transitions).toBeLessThanOrEqual(30);
  });

  it('moves the deadline while the clock is stopped, so a response after the original deadline is still on time', async () => {
    const { id, name } = await harness.register();
    const firstCheck = harness.hold(id, 'respond');
    const [solutionCheck, closeCheck] = (['solution', 'close'] as const).map((m) => harness.hold(id, m));
    await harness.event(id, { type: 'assign', assigneeId: 'agent-9' }, 1);
    await harness.event(id, { type: 'await_customer', reason: 'customer_unreachable' }, 5);
    firstCheck.release();
    // At the warning time the check finds the clock stopped and waits for the earliest the deadline can be.
    await harness.reached(name, 'Wait for 1h response deadline');
    const secondCheck = harness.hold(id, 'respond');
    // Resume and answer at fixed virtual times once the clock is past them, so the pause (35 min) and
    // the answer (after the original 60-minute deadline, before the moved one) never depend on how
    // long the machine took between the steps (a second of real time is an hour here); the solution
    // and close checks wait until the complaint is closed, as in the first path.
    const registeredAt = new Date((await harness.complaint(id))!.registeredAt).getTime();
    while (harness.clock.now().getTime() < registeredAt + 70 * 60_000) await new Promise((r) => setTimeout(r, 20));
    await harness.event(id, { type: 'resume' }, 40);
    const moved = (await harness.complaint(id))!;
    expect(new Date(moved.deadlines.respondBy).getTime()).toBeGreaterThan(registeredAt + 90 * 60_000);
    await harness.event(id, { type: 'respond' }, 65);
    await harness.event(id, { type: 'propose_solution', solution: 'Technician visit booked' }, 66);
    await harness.event(id, { type: 'resolve', cause: { kind: 'process' } }, 67);
    await harness.event(id, { type: 'close' }, 68);
    for (const check of [secondCheck, solutionCheck, closeCheck]) check?.release();
    const execution = await harness.finished(name);

    const timeline = await harness.timeline(id);
    expect(types(timeline)).not.toContain('escalated');
    expect(types(timeline)).not.toContain('breached');
    expect(of(timeline, 'resume')[0]!.detail).toMatchObject({
      pausedMinutes: expect.any(Number),
      deadlinesMoved: { respond: moved.deadlines.respondBy },
    });
    expect((await harness.complaint(id))!.kpi.respond).toBe('met');
    expect(execution.path).toContain('Wait for 1h response deadline');
    transitions.pausedClock = execution.transitions;
  });

  it('ends the execution at its next check once the complaint is closed early', async () => {
    const { id, name } = await harness.register();
    const check = harness.hold(id, 'respond');
    await harness.event(id, { type: 'assign', assigneeId: 'agent-9' }, 1);
    await harness.event(id, { type: 'respond' }, 2);
    await harness.event(id, { type: 'propose_solution', solution: 'Apology and voucher' }, 3);
    await harness.event(id, { type: 'resolve', cause: { kind: 'process' } }, 4);
    await harness.event(id, { type: 'close' }, 5);
    check.release();
    const execution = await harness.finished(name);

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.path).toEqual([
      'Tell the customer and the owner',
      'Wait until 1h response deadline warning',
      'Check response milestone',
      'Response: met, due or overdue?',
      'Complaint closed',
    ]);
    // Closing met every milestone; the one check recorded them all.
    expect(of(await harness.timeline(id), 'milestone_met').map((e) => e.detail.milestone)).toEqual([
      'respond',
      'solution',
      'close',
    ]);
    transitions.closedEarly = execution.transitions;
  });
});

describe('quiet hours', () => {
  it('holds the notice of a medium complaint until quiet hours end, then sends it', async () => {
    // Quiet 10:30–13:00 in Shanghai; the 60-minute response deadline falls at about 11:00.
    await harness.changeSettings((s) => {
      s.quietHours = { start: '10:30', end: '13:00' };
    });
    const { id, name } = await harness.register({ severity: 'medium' });
    harness.checkAt(id, 'respond', 46, 61);
    await harness.reached(name, 'Wait until 24h solution deadline warning');
    const record = harness.runner.executions.get(name)!;
    expect(record.path).toContain('Wait for quiet hours to end: response notice');
    const sent = harness.outbox.list().filter((m) => m.id.startsWith(`escalation-${id}`));
    const quietEnd = new Date('2026-11-03T05:00:00Z').getTime();
    expect(sent).toHaveLength(2);
    for (const message of sent) expect(new Date(message.at).getTime() - quietEnd).toBeGreaterThanOrEqual(0);
    // The escalation itself is recorded when the deadline passes, not when quiet hours end.
    const { respondBy } = (await harness.complaint(id))!.deadlines;
    const [escalated] = of(await harness.timeline(id), 'escalated') as Array<{ at: string }>;
    expect(new Date(escalated!.at).getTime()).toBeGreaterThanOrEqual(new Date(respondBy).getTime());
    expect(new Date(escalated!.at).getTime()).toBeLessThan(quietEnd);
  });

  it('notifies at once for a high-severity complaint', async () => {
    const { id, name } = await harness.register({ severity: 'high' });
    harness.checkAt(id, 'respond', 46, 61);
    await harness.reached(name, 'Wait until 24h solution deadline warning');
    expect(harness.runner.executions.get(name)!.path).not.toContain('Wait for quiet hours to end: response notice');
    const sent = harness.outbox.list().filter((m) => m.id.startsWith(`escalation-${id}`));
    expect(sent).toHaveLength(2);
    // Sent when the deadline passed, inside quiet hours (10:30–13:00).
    for (const message of sent)
      expect(new Date(message.at).getTime()).toBeLessThan(new Date('2026-11-03T05:00:00Z').getTime());
    await harness.changeSettings((s) => {
      s.quietHours = { start: '21:00', end: '08:00' };
    });
  });
});

describe('when notifying fails', () => {
  let flaky: WorkflowHarness;
  let failures = 0;
  let alwaysFailing = false;
  beforeAll(async () => {
    await harness.stop();
    flaky = await startWorkflowHarness({
      emailTransport: (outbox): Transport<EmailMessage> => ({
        async deliver(message) {
          // The escalation notice is what fails here (owner notices: test/e2e/notices-escalation.http.test.ts).
          if (message.id.startsWith('escalation-') && (alwaysFailing || failures > 0)) {
            failures -= 1;
            throw new DeliveryFailed('SES: Maximum sending rate exceeded', true);
          }
          return outbox.deliver(message);
        },
      }),
    });
  });
  afterAll(() => flaky?.stop());

  it('retries the escalation with backoff and sends the notice exactly once when the email service recovers', async () => {
    failures = 2;
    const { id, name } = await flaky.register({ severity: 'high' });
    await flaky.reached(name, 'Wait until 24h solution deadline warning');
    const record = flaky.runner.executions.get(name)!;
    expect(record.path.filter((state) => state === 'Escalate: response overdue (retry)')).toHaveLength(2);
    const sent = flaky.outbox.list().filter((m) => m.id.startsWith(`escalation-${id}`));
    expect(sent.map((m) => m.id).sort()).toEqual([
      `escalation-${id}-respond-l1-email`,
      `escalation-${id}-respond-l1-sms`,
    ]);
    expect(types(await flaky.timeline(id))).not.toContain('notification_failed');
  });

  it('records a notice that still fails after every retry on the timeline and goes on watching the next milestone', async () => {
    alwaysFailing = true;
    const { id, name } = await flaky.register({ severity: 'high' });
    await flaky.reached(name, 'Record failure: response milestone');
    await flaky.reached(name, 'Wait until 24h solution deadline warning');
    const timeline = await flaky.timeline(id);
    expect(of(timeline, 'notification_failed')).toEqual([
      expect.objectContaining({
        actor: 'system:escalation',
        detail: expect.objectContaining({ milestone: 'respond', error: 'NotificationFailed' }),
      }),
    ]);
    // The escalation itself stands; only the email is missing (the SMS went out).
    expect(await flaky.complaint(id)).toMatchObject({ escalationLevel: 1, ownerRole: 'executive' });
    expect(
      flaky.outbox
        .list()
        .filter((m) => m.id.startsWith(`escalation-${id}`))
        .map((m) => m.kind),
    ).toEqual(['sms']);
    const record = flaky.runner.executions.get(name)!;
    expect(record.path.filter((state) => state === 'Escalate: response overdue (retry)')).toHaveLength(4);
  });

  it('hands the notice the workflow gave up on to the follow-up job, which sends the missing channel once', async () => {
    alwaysFailing = true;
    const { id, name } = await flaky.register({ severity: 'high' });
    await flaky.reached(name, 'Wait until 24h solution deadline warning');
    alwaysFailing = false;
    const later = new Date(flaky.clock.now().getTime() + realSpan(flaky.clock, NOTICE_RETRY_DELAY_MS) + 60_000);
    await runFollowUps(later, followUpNeeds);
    await runFollowUps(new Date(later.getTime() + 60_000), followUpNeeds);
    const sent = flaky.outbox.list().filter((m) => m.id.startsWith(`escalation-${id}`));
    expect(sent.map((m) => m.id).sort()).toEqual([
      `escalation-${id}-respond-l1-email`,
      `escalation-${id}-respond-l1-sms`,
    ]);
  });
});

describe('when even recording a failure fails', () => {
  let broken: WorkflowHarness;
  beforeAll(async () => {
    broken = await startWorkflowHarness({
      handlers: {
        escalate: (async () => {
          throw Object.assign(new Error('the notice could not be built'), { name: 'TypeError' });
        }) as never,
        recordFailure: (async () => {
          throw Object.assign(new Error('the table is gone'), { name: 'ResourceNotFoundException' });
        }) as never,
      },
    });
  });
  afterAll(() => broken?.stop());

  it('still goes on watching the next milestone (the failure-recording step has a Catch of its own), through the state that alarms', async () => {
    const { name } = await broken.register({ severity: 'high' });
    await broken.reached(name, 'Record failure: response milestone');
    await broken.reached(name, 'Wait until 24h solution deadline warning');
    const record = broken.runner.executions.get(name)!;
    expect(record.status).toBe('RUNNING');
    // The milestone passes only through the state whose log entry raises UnrecordedEscalationFailures.
    const at = record.path.indexOf('Unrecorded failure: response milestone');
    expect(at).toBeGreaterThan(record.path.indexOf('Record failure: response milestone'));
    expect(at).toBeLessThan(record.path.indexOf('Wait until 24h solution deadline warning'));
  });
});

describe('when Lambda throttles a task (#27.10)', () => {
  let throttled: WorkflowHarness;
  let throttles = { escalate: 0, recordFailure: 0 };
  // Only the complaint a test registered is throttled: an earlier test's execution runs on to its
  // next milestones meanwhile, and under load its tasks would otherwise use up this test's throttles.
  let target = '';
  const aimed = (event: unknown) => (event as { complaintId?: string }).complaintId === target;
  const throttle = () => Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' });
  beforeAll(async () => {
    throttled = await startWorkflowHarness({
      handlers: {
        escalate: (async (event: unknown, context: unknown) => {
          if (aimed(event) && throttles.escalate-- > 0) throw throttle();
          return (realEscalate as unknown as (e: unknown, c: unknown) => Promise<unknown>)(event, context);
        }) as never,
        recordFailure: (async (event: unknown, context: unknown) => {
          if (aimed(event) && throttles.recordFailure-- > 0) throw throttle();
          return (realRecordFailure as unknown as (e: unknown, c: unknown) => Promise<unknown>)(event, context);
        }) as never,
      },
    });
  });
  afterAll(() => throttled?.stop());

  it('retries a throttled escalation until Lambda runs it: escalated once, nothing recorded as failed', async () => {
    target = '';
    throttles = { escalate: 6, recordFailure: 0 };
    const { id, name } = await throttled.register({ severity: 'high' });
    target = id;
    await throttled.reached(name, 'Wait until 24h solution deadline warning');
    const record = throttled.runner.executions.get(name)!;
    // More throttles in a row than the transient-error retrier would have allowed (4 tries).
    expect(record.path.filter((state) => state === 'Escalate: response overdue (retry)')).toHaveLength(6);
    expect(record.path).not.toContain('Record failure: response milestone');
    const timeline = await throttled.timeline(id);
    expect(of(timeline, 'escalated').map((e) => e.detail.milestone)).toEqual(['respond']);
    expect(types(timeline)).not.toContain('notification_failed');
  });

  it('retries a throttled failure record too, so the failure is on the timeline before the watch moves on', async () => {
    target = '';
    throttles = { escalate: 1_000, recordFailure: 5 };
    const { id, name } = await throttled.register({ severity: 'high' });
    target = id;
    await throttled.reached(name, 'Wait until 24h solution deadline warning');
    throttles = { escalate: 0, recordFailure: 0 };
    const record = throttled.runner.executions.get(name)!;
    // An escalation throttled past every retry (10 tries, about 14 minutes in AWS) is a failure, and recorded.
    expect(record.path.filter((state) => state === 'Escalate: response overdue (retry)')).toHaveLength(10);
    expect(record.path.filter((state) => state === 'Record failure: response milestone (retry)')).toHaveLength(5);
    expect(of(await throttled.timeline(id), 'workflow_failed')).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ milestone: 'respond' }) }),
    ]);
    // Recorded: the milestone did not pass through the alarming state.
    expect(record.path).not.toContain('Unrecorded failure: response milestone');
  });

  it('a failure record throttled past every retry is never passed silently: the state that alarms, then the next milestone', async () => {
    target = '';
    throttles = { escalate: 1_000, recordFailure: 1_000 };
    const { id, name } = await throttled.register({ severity: 'high' });
    target = id;
    await throttled.reached(name, 'Wait until 24h solution deadline warning');
    throttles = { escalate: 0, recordFailure: 0 };
    const record = throttled.runner.executions.get(name)!;
    expect(record.path.filter((state) => state === 'Record failure: response milestone (retry)')).toHaveLength(10);
    const unrecorded = record.path.indexOf('Unrecorded failure: response milestone');
    expect(unrecorded).toBeGreaterThan(record.path.lastIndexOf('Record failure: response milestone (retry)'));
    expect(unrecorded).toBeLessThan(record.path.indexOf('Wait until 24h solution deadline warning'));
    expect(of(await throttled.timeline(id), 'workflow_failed')).toEqual([]);
  });
});
