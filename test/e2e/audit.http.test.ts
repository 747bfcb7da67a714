/**
 * Who changed what (issue 10.15; contract "Auth": every write stores who made it and when):
 * interaction patches, improvement and suggestion decisions, customer changes and erasure, and
 * settings each record their actor and time, and a manager can read them back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/schemas/common.js';
import { anInteraction } from '../support/builders/interactions.js';
import { aCustomer } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z'), schedules: false });
});
afterAll(() => api?.runtime.stop());

/** Calls as a named member of staff (the token's `sub` is the actor the records must name). */
async function as(sub: string, roles: Role[]) {
  const token = await api.runtime.token(sub, roles);
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

const change = (actor: string, action: string, fields?: string[]) => ({
  at: expect.any(String),
  actor,
  action,
  ...(fields ? { fields } : {}),
});

describe('every write stores its actor and time, readable by a manager', () => {
  it('interaction patches', async () => {
    const ann = await as('agent-ann', ['agent']);
    const sue = await as('sup-sue', ['supervisor']);
    const created = await ann('POST', '/interactions', anInteraction({ startedAt: '2026-11-10T02:00:00Z' }));
    expect(created.status).toBe(201);
    const patched = await sue('PATCH', `/interactions/${created.body.id}`, {
      category: 'billing',
      overdueReason: 'staffing',
    });
    expect(patched.status).toBe(200);
    const read = await (await as('mgr-max', ['manager']))('GET', `/interactions/${created.body.id}`);
    expect(read.body).toMatchObject({ createdBy: 'agent-ann', updatedBy: 'sup-sue' });
    expect(read.body.history).toEqual([
      change('agent-ann', 'created'),
      change('sup-sue', 'updated', ['category', 'overdueReason']),
    ]);
  });

  it('improvement and suggestion decisions', async () => {
    const max = await as('mgr-max', ['manager']);
    const mia = await as('mgr-mia', ['manager']);
    const action = await max('POST', '/improvements', {
      problem: 'Long hold times',
      measure: 'Call-back option',
      department: 'Service',
      ownerId: 'M-1',
      dueDate: '2026-11-30',
    });
    await mia('PATCH', `/improvements/${action.body.id}`, { status: 'in_progress' });
    const improvement = await max('GET', `/improvements/${action.body.id}`);
    expect(improvement.body).toMatchObject({ createdBy: 'mgr-max', updatedBy: 'mgr-mia' });
    expect(improvement.body.history).toEqual([
      change('mgr-max', 'created'),
      change('mgr-mia', 'status:in_progress', ['status']),
    ]);

    const ann = await as('agent-ann', ['agent']);
    const suggestion = await ann('POST', '/suggestions', { text: 'Open on Sundays' });
    await max('POST', `/suggestions/${suggestion.body.id}/decision`, { decision: 'adopted' });
    await mia('POST', `/suggestions/${suggestion.body.id}/publication`, { publish: true });
    await max('POST', `/suggestions/${suggestion.body.id}/delivery`);
    const listed = await max('GET', '/suggestions?status=delivered');
    const read = listed.body.items.find((s: { id: string }) => s.id === suggestion.body.id);
    expect(read).toMatchObject({ createdBy: 'agent-ann', updatedBy: 'mgr-max' });
    expect(read.history).toEqual([
      change('agent-ann', 'created'),
      change('mgr-max', 'decided:adopted', ['decision']),
      change('mgr-mia', 'published'),
      change('mgr-max', 'delivered'),
    ]);
  });

  it('customer changes and erasure', async () => {
    const ann = await as('agent-ann', ['agent']);
    const bob = await as('agent-bob', ['agent']);
    const max = await as('mgr-max', ['manager']);
    await ann('PUT', '/customers/C-audit-1', aCustomer());
    const { email: _email, ...withoutEmail } = aCustomer();
    await bob('PUT', '/customers/C-audit-1', withoutEmail);
    const read = await max('GET', '/customers/C-audit-1');
    expect(read.body.updatedBy).toBe('agent-bob');
    expect(read.body.history).toEqual([
      change('agent-ann', 'put', ['consent', 'email', 'language', 'name', 'phone', 'preferredChannel', 'tier']),
      change('agent-bob', 'put', ['consent', 'language', 'name', 'phone', 'preferredChannel', 'tier']),
    ]);

    expect((await max('GET', '/customers/C-audit-1/erasure')).status).toBe(404);
    const ada = await as('admin-ada', ['admin']);
    expect((await ada('DELETE', '/customers/C-audit-1')).status).toBe(204);
    const erasure = await max('GET', '/customers/C-audit-1/erasure');
    expect(erasure.status).toBe(200);
    expect(erasure.body).toEqual({ erasedAt: expect.any(String), erasedBy: 'admin-ada' });
    expect((await (await as('sup-sue', ['supervisor']))('GET', '/customers/C-audit-1/erasure')).status).toBe(403);
  });

  it('settings', async () => {
    const ada = await as('admin-ada', ['admin']);
    expect((await ada('PATCH', '/settings', { surveyThrottleDays: 20, kpis: { csat: { target: 4.6 } } })).status).toBe(
      200,
    );
    const max = await as('mgr-max', ['manager']);
    const history = await max('GET', '/settings/history');
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toEqual({
      version: expect.any(Number),
      updatedAt: expect.any(String),
      updatedBy: 'admin-ada',
      fields: ['surveyThrottleDays', 'kpis.csat.target'],
    });
    expect((await (await as('sup-sue', ['supervisor']))('GET', '/settings/history')).status).toBe(403);
  });
});
