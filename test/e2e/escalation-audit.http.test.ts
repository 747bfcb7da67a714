/**
 * The escalation auditor (contract "For screens (v1.2)"): from a complaint to each round's
 * workflow execution, with its status and the states it entered, and from an execution's name
 * back to its complaint and round. Round n runs as `<complaintId>-r<n>`; a complaint registered
 * before round 1 was named so keeps its `<complaintId>` execution findable. The executions are the CDK-synthesized state machine run by
 * the local interpreter at 900× (the 1 h response deadline passes in four seconds).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationInput } from '../../shared/domain/complaints/workflow.js';
import { defined } from '../../shared/domain/errors.js';
import { dynamo } from '../../shared/store/client.js';
import { dynamoComplaintStore } from '../../shared/store/complaints.js';
import { complaintKeys } from '../../shared/store/keys.js';
import { MAIN_TABLE, tableName } from '../../shared/store/table.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { configureDemoContacts } from '../support/contacts.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { until } from '../support/wait.js';

type Execution = {
  round: number;
  executionArn: string;
  name: string;
  status: string;
  startedAt: string;
  stoppedAt?: string;
  states: Array<{ name: string; enteredAt: string }>;
};

const expectProblem = (reply: { status: number; headers: Headers; body: any }, status: number) => {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
};

let api: TestApi;
let id: string;
const as = async (sub: string, roles: Array<'agent' | 'supervisor'>, team?: string) => ({
  authorization: `Bearer ${await api.runtime.token(sub, roles, team)}`,
});
const escalations = async (complaintId: string) =>
  (await api.call('GET', `/complaints/${complaintId}/escalations`, { as: 'supervisor' })).body.items as Execution[];

beforeAll(async () => {
  // 10:00 in Shanghai, far from quiet hours.
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), timeScale: 900, schedules: false });
  await configureDemoContacts(api);
  await api.runtime.workflows.prepare();

  // A complaint of team north that nobody answers: the workflow escalates it on its own …
  const registered = await api.call('POST', '/complaints', {
    as: 'agent',
    body: aComplaintBody({ customerId: 'C-audit', team: 'north' }),
  });
  expect(registered.status).toBe(201);
  id = registered.body.id;
  await until(
    async () => {
      const items = (await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' })).body.items;
      return items.some((e: { type: string }) => e.type === 'escalated') ? true : undefined;
    },
    { timeoutMs: 60_000 },
  );
  // … then it is resolved, closed and reopened: a second round with its own execution.
  for (const body of [
    { type: 'assign', assigneeId: 'agent-audit' },
    { type: 'respond' },
    { type: 'propose_solution', solution: 'A new parcel goes out today.' },
    { type: 'resolve', cause: { kind: 'process' } },
    { type: 'close' },
    { type: 'reopen', note: 'The second parcel never came either.' },
  ]) {
    const reply = await api.call('POST', `/complaints/${id}/events`, { as: 'agent', body });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  }
}, 90_000);
afterAll(() => api?.runtime.stop());

describe('GET /complaints/{id}/escalations', () => {
  it('lists one execution per round, oldest first, each with the states it entered in order', async () => {
    // The second round's execution has entered its first states.
    const items = await until(async () => {
      const found = await escalations(id);
      return found[1]?.states.length ? found : undefined;
    });
    expect(items.map(({ round, name, executionArn }) => ({ round, name, executionArn }))).toEqual([
      { round: 1, name: `${id}-r1`, executionArn: expect.stringMatching(new RegExp(`:execution:[^:]+:${id}-r1$`)) },
      { round: 2, name: `${id}-r2`, executionArn: expect.stringMatching(new RegExp(`:execution:[^:]+:${id}-r2$`)) },
    ]);
    const [first, second] = items as [Execution, Execution];

    // Round 1: announced, warned, missed and escalated, in that order, at non-decreasing times.
    const names = first.states.map((state) => state.name);
    expect(names[0]).toBe('Tell the customer and the owner');
    const escalatedAt = names.indexOf('Escalate: response overdue');
    expect(escalatedAt).toBeGreaterThan(0);
    expect(names.slice(0, escalatedAt).some((name) => name.startsWith('Wait until'))).toBe(true);
    const times = first.states.map((state) => state.enteredAt);
    expect([...times].sort()).toEqual(times);
    expect(times[0]! >= first.startedAt).toBe(true);
    expect(['RUNNING', 'SUCCEEDED']).toContain(first.status);
    if (first.status === 'SUCCEEDED') expect(first.stoppedAt).toBeDefined();

    // Round 2 starts over from the announcement, after round 1 began, and runs.
    expect(second.status).toBe('RUNNING');
    expect(second.stoppedAt).toBeUndefined();
    expect(second.states[0]?.name).toBe('Tell the customer and the owner');
    expect(second.startedAt > first.startedAt).toBe(true);

    // What the interpreter itself recorded (/_local/executions) is what the audit view shows.
    const local = (await api.call('GET', '/_local/executions', { as: 'admin' })).body.items as Array<{
      name: string;
      path: string[];
    }>;
    const recorded = local
      .find((execution) => execution.name === `${id}-r1`)
      ?.path.filter((p) => !p.endsWith('(retry)'));
    expect(recorded?.slice(0, names.length)).toEqual(names);
  });

  it('keeps every round’s execution on the complaint, appended as each round starts', async () => {
    const complaint = (await api.call('GET', `/complaints/${id}`, { as: 'agent' })).body;
    expect(complaint.round).toBe(2);
    expect(complaint.escalation.executionName).toBe(`${id}-r2`);
    expect(complaint.escalation.rounds).toEqual([
      { round: 1, executionName: `${id}-r1`, executionArn: expect.any(String), startedAt: complaint.registeredAt },
      {
        round: 2,
        executionName: `${id}-r2`,
        executionArn: complaint.escalation.executionArn,
        startedAt: complaint.reopenedAt,
      },
    ]);
  });

  it('is for supervisors of any team (every member of staff reads any complaint), not for agents', async () => {
    const elsewhere = await api.call('GET', `/complaints/${id}/escalations`, {
      as: null,
      headers: await as('supervisor-south', ['supervisor'], 'south'),
    });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.items).toHaveLength(2);
    expectProblem(
      await api.call('GET', `/complaints/${id}/escalations`, {
        as: null,
        headers: await as('agent-north', ['agent'], 'north'),
      }),
      403,
    );
    expectProblem(await api.call('GET', `/complaints/${id}/escalations`, { as: null }), 401);
    expectProblem(
      await api.call('GET', '/complaints/01JC0ZQ8M3Y7D5T2N4K6P8R0SV/escalations', { as: 'supervisor' }),
      404,
    );
    expectProblem(await api.call('GET', '/complaints/not-an-id/escalations', { as: 'supervisor' }), 400);
  });
});

describe('GET /escalations/{name}', () => {
  it('leads from each execution name back to its complaint and round', async () => {
    for (const execution of await escalations(id)) {
      const found = await api.call('GET', `/escalations/${execution.name}`, { as: 'supervisor' });
      expect(found.status).toBe(200);
      expect(found.body).toEqual({ complaintId: id, round: execution.round });
    }
  });

  it('is a 404 for a name that is not one of ours', async () => {
    for (const name of [
      `${id}-r3`, // a round the complaint never had
      id, // its round 1 is `-r1`: the id alone names only a complaint registered before that (below)
      `${id}-r0`,
      `${id}-x2`,
      '01JC0ZQ8M3Y7D5T2N4K6P8R0SV-r2', // no such complaint
      'careloop-nightly-export',
    ]) {
      const reply = await api.call('GET', `/escalations/${name}`, { as: 'supervisor' });
      expectProblem(reply, 404);
      expect(reply.body.detail, name).toMatch(/escalation execution|no execution|No complaint/);
    }
    expectProblem(await api.call('GET', `/escalations/${id}-r1`, { as: 'agent' }), 403);
  });
});

describe('a complaint registered before round 1 was named `-r1`', () => {
  /**
   * Deployed accounts hold complaints stored before v1.2 (no `escalation.rounds`) whose round 1 runs
   * as `<complaintId>` alone. Made here from a fresh complaint: its record rewritten to that shape and
   * an execution started under the old name, as the code of that time did.
   */
  let legacy: string;
  beforeAll(async () => {
    const registered = await api.call('POST', '/complaints', {
      as: 'agent',
      body: aComplaintBody({ customerId: 'C-audit-legacy', team: 'north', severity: 'low' }),
    });
    expect(registered.status).toBe(201);
    legacy = registered.body.id;
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(MAIN_TABLE),
        Key: complaintKeys.item(legacy),
        UpdateExpression:
          'SET escalation.executionName = :name, escalation.executionArn = :arn REMOVE escalation.rounds',
        ExpressionAttributeValues: { ':name': legacy, ':arn': api.runtime.workflows.executionArn(legacy) },
      }),
    );
    const stored = await dynamoComplaintStore.get(legacy);
    expect(stored?.escalation).not.toHaveProperty('rounds');
    await api.runtime.workflows.start(legacy, escalationInput(defined(stored, legacy)));
  });

  it('still finds its first execution by the id alone, in the audit view and by name', async () => {
    const items = await until(async () => {
      const found = await escalations(legacy);
      return found[0]?.states.length ? found : undefined;
    });
    expect(items).toEqual([
      expect.objectContaining({
        round: 1,
        name: legacy,
        executionArn: api.runtime.workflows.executionArn(legacy),
        status: expect.stringMatching(/^(RUNNING|SUCCEEDED)$/),
      }),
    ]);
    expect(items[0]?.states[0]?.name).toBe('Tell the customer and the owner');
    expect((await api.call('GET', `/escalations/${legacy}`, { as: 'supervisor' })).body).toEqual({
      complaintId: legacy,
      round: 1,
    });
    const r1 = await api.call('GET', `/escalations/${legacy}-r1`, { as: 'supervisor' });
    expectProblem(r1, 404);
    expect(r1.body.detail).toContain(`ran as ${legacy}`);
  });

  it('keeps the old name for round 1 once reopened, and names round 2 `-r2`', async () => {
    for (const body of [
      { type: 'assign', assigneeId: 'agent-audit' },
      { type: 'respond' },
      { type: 'propose_solution', solution: 'A refund today.' },
      { type: 'resolve', cause: { kind: 'process' } },
      { type: 'close' },
      { type: 'reopen', note: 'The refund never arrived.' },
    ]) {
      const reply = await api.call('POST', `/complaints/${legacy}/events`, { as: 'agent', body });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    }
    const complaint = (await api.call('GET', `/complaints/${legacy}`, { as: 'agent' })).body;
    expect(complaint.escalation.rounds.map((r: { round: number; executionName: string }) => r)).toEqual([
      {
        round: 1,
        executionName: legacy,
        executionArn: api.runtime.workflows.executionArn(legacy),
        startedAt: complaint.registeredAt,
      },
      {
        round: 2,
        executionName: `${legacy}-r2`,
        executionArn: api.runtime.workflows.executionArn(`${legacy}-r2`),
        startedAt: complaint.reopenedAt,
      },
    ]);
    expect((await escalations(legacy)).map(({ round, name }) => ({ round, name }))).toEqual([
      { round: 1, name: legacy },
      { round: 2, name: `${legacy}-r2` },
    ]);
    for (const [name, round] of [
      [legacy, 1],
      [`${legacy}-r2`, 2],
    ] as const)
      expect((await api.call('GET', `/escalations/${name}`, { as: 'supervisor' })).body).toEqual({
        complaintId: legacy,
        round,
      });
    expectProblem(await api.call('GET', `/escalations/${legacy}-r1`, { as: 'supervisor' }), 404);
  });
});
