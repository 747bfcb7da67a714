/**
 * Names where screens show them (contract "For screens (v1.2)"): alerts carry their customer's
 * name and tier; single reads of a complaint or interaction carry every field of their list row;
 * timeline items add the actor's name; /metrics/agents rows carry names and page with nextCursor;
 * `agentId=me` is the caller's own figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../support/builders/complaints.js';
import { anInteraction } from '../support/builders/interactions.js';
import { aCustomer, aSurveyResponse } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

const START = new Date('2026-11-10T02:00:00Z');
let api: TestApi;

beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  expect(
    (await api.call('PATCH', '/settings', { as: 'admin', body: { surveys: { minAnswerSeconds: 0 } } })).status,
  ).toBe(200);
  for (const [id, name] of [
    ['test-agent', '李娜'],
    ['A-names-2', '王芳'],
  ] as const)
    expect(
      (await api.call('PUT', `/staff/${id}`, { as: 'admin', body: { name, roles: ['agent'], active: true } })).status,
    ).toBeLessThan(300);
});
afterAll(() => api?.runtime.stop());

describe('alerts', () => {
  it('carry their customer’s id, name and tier; a refused claim carries the alert as it is now', async () => {
    const customerId = 'C-names-1';
    const put = await api.call('PUT', `/customers/${customerId}`, {
      body: { ...aCustomer({ language: 'en' }), tier: 'gold' },
    });
    expect(put.status).toBeLessThan(300);
    const interaction = await api.call('POST', '/interactions', {
      body: anInteraction({ customerId, startedAt: START.toISOString(), resolvedAt: START.toISOString() }),
    });
    const survey = await api.call('POST', '/surveys', {
      as: 'agent',
      body: { subject: { type: 'interaction', id: interaction.body.id } },
    });
    expect((await api.call('GET', `/surveys/${survey.body.token}`, { as: null })).status).toBe(200);
    const answered = await api.call('POST', `/surveys/${survey.body.token}/responses`, {
      as: null,
      body: aSurveyResponse({ nps: 2, overall: 2 }),
    });
    expect(answered.status).toBe(201);
    const queue = await api.call('GET', '/alerts', { as: 'supervisor' });
    const alert = queue.body.items.find((a: any) => a.responseId === answered.body.id);
    expect(alert.customer).toEqual({ id: customerId, name: put.body.name, tier: 'gold' });
    expect((await api.call('POST', `/alerts/${alert.id}/claim`, { as: 'supervisor' })).status).toBe(200);
    const other = await api.runtime.token('supervisor-2', ['supervisor']);
    const refused = await api.call('POST', `/alerts/${alert.id}/claim`, {
      as: null,
      headers: { authorization: `Bearer ${other}` },
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ alertStatus: 'claimed', claimedBy: 'test-supervisor' });
    expect(refused.body.current).toMatchObject({ id: alert.id, status: 'claimed', customer: { id: customerId } });
  });
});

describe('single reads carry what their list rows carry', () => {
  it('a complaint: customer, assignee, next deadline, allowed events — equal to its row', async () => {
    await api.call('PUT', '/customers/C-names-2', { body: aCustomer({ language: 'zh' }) });
    const created = await api.call('POST', '/complaints', {
      as: 'agent',
      body: aComplaintBody({ customerId: 'C-names-2' }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(
      (
        await api.call('POST', `/complaints/${id}/events`, {
          as: 'agent',
          body: { type: 'assign', assigneeId: 'A-names-2' },
        })
      ).status,
    ).toBe(200);
    const one = await api.call('GET', `/complaints/${id}`, { as: 'agent' });
    expect(one.status).toBe(200);
    expect(one.body.customer).toMatchObject({ id: 'C-names-2', name: expect.any(String) });
    expect(one.body.assignee).toEqual({ id: 'A-names-2', name: '王芳' });
    expect(one.body.nextDeadline).toMatchObject({ milestone: 'respond', dueBy: one.body.deadlines.respondBy });
    const row = (await api.call('GET', '/complaints?customerId=C-names-2', { as: 'agent' })).body.items[0];
    const { nextDeadline: a, ...oneRest } = one.body;
    const { nextDeadline: b, ...rowRest } = row;
    expect(oneRest).toEqual(rowRest);
    expect(Object.keys(one.body).sort()).toEqual(Object.keys(row).sort());
  });

  it('an interaction: its customer’s name, as its row', async () => {
    const created = await api.call('POST', '/interactions', {
      as: 'agent',
      body: anInteraction({ customerId: 'C-names-2' }),
    });
    const one = await api.call('GET', `/interactions/${created.body.id}`, { as: 'agent' });
    const row = (await api.call('GET', '/interactions?customerId=C-names-2', { as: 'agent' })).body.items.find(
      (i: any) => i.id === created.body.id,
    );
    expect(one.body.customer).toEqual({ id: 'C-names-2', name: expect.any(String) });
    // secondsLeft is counted at each read, and the clock runs between the two: all else is equal.
    const { nextDeadline: a, ...oneRest } = one.body;
    const { nextDeadline: b, ...rowRest } = row;
    expect(oneRest).toEqual(rowRest);
    expect({ ...a, secondsLeft: 0 }).toEqual({ ...b, secondsLeft: 0 });
    expect([a.secondsLeft, b.secondsLeft].map(Math.sign)).toEqual(one.body.overdue ? [-1, -1] : [1, 1]);
  });
});

describe('timeline', () => {
  it('keeps the actor’s id and adds the name from the staff directory (null for the workflow)', async () => {
    const created = await api.call('POST', '/complaints', {
      as: 'agent',
      body: aComplaintBody({ customerId: 'C-names-2' }),
    });
    const timeline = await api.call('GET', `/complaints/${created.body.id}/timeline`, { as: 'agent' });
    expect(timeline.status).toBe(200);
    const registered = timeline.body.items.find((e: any) => e.type === 'registered');
    expect(registered).toMatchObject({ actor: 'test-agent', actorName: '李娜' });
    for (const item of timeline.body.items) expect(item).toHaveProperty('actorName');
  });
});

describe('metrics', () => {
  it('agentId=me is the caller’s own figures (an agent no longer needs its id)', async () => {
    const mine = await api.call('GET', '/metrics?agentId=me', { as: 'agent' });
    expect(mine.status).toBe(200);
    const byId = await api.call('GET', '/metrics?agentId=test-agent', { as: 'agent' });
    expect(mine.body.kpis).toEqual(byId.body.kpis);
    expect((await api.call('GET', '/metrics?agentId=someone-else', { as: 'agent' })).status).toBe(403);
  });

  it('/metrics/agents rows carry names and page with a sealed nextCursor', async () => {
    const first = await api.call('GET', '/metrics/agents?from=2026-11-01&to=2026-11-30&limit=1', { as: 'manager' });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0]).toHaveProperty('name');
    const all = await api.call('GET', '/metrics/agents?from=2026-11-01&to=2026-11-30', { as: 'manager' });
    expect(all.body.items.length).toBeGreaterThanOrEqual(2);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items.find((r: any) => r.agentId === 'test-agent')?.name).toBe('李娜');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api.call(
        'GET',
        `/metrics/agents?from=2026-11-01&to=2026-11-30&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { as: 'manager' },
      );
      seen.push(...page.body.items.map((r: any) => r.agentId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((r: any) => r.agentId));
    // A cursor of other filters is not this list's.
    const other = await api.call(
      'GET',
      `/metrics/agents?from=2026-11-02&to=2026-11-30&limit=1&cursor=${first.body.nextCursor}`,
      { as: 'manager' },
    );
    expect(other.status).toBe(400);
    expect(other.body.errors[0]).toMatchObject({ path: 'cursor' });
  });
});
