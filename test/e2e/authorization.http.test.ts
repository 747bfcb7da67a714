/**
 * Authorization as the contract states it ("Auth"), written out as data: every route × role
 * → what the caller gets, independent of the route declarations (a route whose declared role
 * drifts from the contract fails here). Then the object-level rules: an agent changes only
 * interactions and complaints of their own team or assigned to them, and records contacts
 * only as themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/schemas/common.js';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;

/** `pass`: the caller gets past authorization (whatever the request then deserves, never 401/403 or 5xx). */
type Outcome = 401 | 403 | 'pass';
type Caller = 'none' | Role;
const CALLERS: Caller[] = ['none', 'agent', 'supervisor', 'manager', 'admin'];

const ID = '01KA0000000000000000000000';
const staff = (lowest: Role): Record<Caller, Outcome> => {
  const order: Role[] = ['agent', 'supervisor', 'manager', 'admin'];
  return {
    none: 401,
    ...(Object.fromEntries(
      order.map((role) => [role, order.indexOf(role) >= order.indexOf(lowest) ? 'pass' : 403]),
    ) as Record<Role, Outcome>),
  };
};
const PUBLIC: Record<Caller, Outcome> = {
  none: 'pass',
  agent: 'pass',
  supervisor: 'pass',
  manager: 'pass',
  admin: 'pass',
};

/** The contract's role table, route by route: [method, path, body, who may call it]. */
const ROLE_TABLE: Array<[string, string, unknown, Record<Caller, Outcome>]> = [
  // agent: interactions, complaints and their events, customers (read/write contact data), surveys, suggestions (create)
  ['POST', '/interactions', {}, staff('agent')],
  ['GET', '/interactions', undefined, staff('agent')],
  ['GET', `/interactions/${ID}`, undefined, staff('agent')],
  ['PATCH', `/interactions/${ID}`, { category: 'billing' }, staff('agent')],
  ['POST', '/complaints', {}, staff('agent')],
  ['GET', '/complaints', undefined, staff('agent')],
  ['GET', `/complaints/${ID}`, undefined, staff('agent')],
  ['POST', `/complaints/${ID}/events`, { type: 'respond' }, staff('agent')],
  ['GET', `/complaints/${ID}/timeline`, undefined, staff('agent')],
  [
    'PUT',
    '/customers/C-auth',
    { preferredChannel: 'sms', language: 'zh', consent: { sms: true, email: false } },
    staff('agent'),
  ],
  ['GET', '/customers/C-auth', undefined, staff('agent')],
  ['GET', '/customers/C-auth/responses', undefined, staff('agent')],
  ['GET', '/customers/C-auth?include=responses', undefined, staff('agent')],
  ['POST', '/surveys', { subject: { type: 'interaction', id: ID } }, staff('agent')],
  ['POST', '/suggestions', { text: 'Longer opening hours on Sundays' }, staff('agent')],
  // for screens: who am I, and the staff directory (kept by admins)
  ['GET', '/me', undefined, staff('agent')],
  ['GET', '/staff', undefined, staff('agent')],
  ['PUT', '/staff/agent-auth', { name: 'Ana', roles: ['agent'], active: true }, staff('admin')],
  // supervisor: + all reads, metrics
  ['GET', '/suggestions', undefined, staff('supervisor')],
  ['GET', '/improvements', undefined, staff('supervisor')],
  ['GET', `/improvements/${ID}`, undefined, staff('supervisor')],
  ['GET', '/complaints/pauses', undefined, staff('supervisor')],
  ['GET', '/followups', undefined, staff('supervisor')],
  ['GET', '/metrics', undefined, staff('supervisor')],
  ['GET', '/metrics/agents', undefined, staff('supervisor')],
  ['GET', '/customers?segment=at_risk', undefined, staff('supervisor')],
  // manager: + improvements, suggestion decisions, reports, settings (read)
  ['POST', '/improvements', {}, staff('manager')],
  ['PATCH', `/improvements/${ID}`, { status: 'in_progress' }, staff('manager')],
  ['POST', `/suggestions/${ID}/decision`, { decision: 'adopted' }, staff('manager')],
  ['POST', `/suggestions/${ID}/publication`, { publish: true }, staff('manager')],
  ['GET', '/reports/2025-01', undefined, staff('manager')],
  ['GET', '/reports/2025-01/html', undefined, staff('manager')],
  ['GET', '/reports/2025-01/csv', undefined, staff('manager')],
  ['GET', '/settings', undefined, staff('manager')],
  ['GET', '/settings/history', undefined, staff('manager')],
  ['GET', '/customers/C-auth/erasure', undefined, staff('manager')],
  // admin: + settings (write), customer erasure
  ['PATCH', '/settings', { surveyThrottleDays: 30 }, staff('admin')],
  ['DELETE', '/customers/C-auth-erase', undefined, staff('admin')],
  // public
  ['GET', '/health', undefined, PUBLIC],
  ['GET', '/openapi.json', undefined, PUBLIC],
  ['GET', '/suggestions/published', undefined, PUBLIC],
  ['GET', '/surveys/not-a-token', undefined, PUBLIC],
  ['POST', '/surveys/not-a-token/responses', {}, PUBLIC],
];

beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z') });
});
afterAll(() => api?.runtime.stop());

describe('the contract role table: route × role → status', () => {
  for (const [method, path, body, outcomes] of ROLE_TABLE) {
    it(`${method} ${path}`, async () => {
      const got: Record<string, number | string> = {};
      for (const caller of CALLERS) {
        const reply = await api.call(method, path, { as: caller === 'none' ? null : caller, body });
        const expected = outcomes[caller];
        const status = reply.status;
        got[caller] =
          expected === 'pass' ? (status === 401 || status === 403 || status >= 500 ? status : 'pass') : status;
      }
      expect(got).toEqual(outcomes);
    });
  }
});

describe('object-level rules', () => {
  const as = async (sub: string, roles: Role[], team?: string) => {
    const token = await api.runtime.token(sub, roles, team);
    return async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${api.runtime.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };
  };
  const contact = anInteraction({ customerId: 'C-objects', startedAt: '2026-11-09T02:00:00Z' });

  it('an agent records contacts as themselves, for their own team; naming another agent or team is a 403', async () => {
    const ann = await as('agent-ann', ['agent'], 'north');
    const mine = await ann('POST', '/interactions', contact);
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ agentId: 'agent-ann', team: 'north' });
    expect((await ann('POST', '/interactions', { ...contact, agentId: 'agent-bob' })).status).toBe(403);
    expect((await ann('POST', '/interactions', { ...contact, team: 'south' })).status).toBe(403);
    expect((await ann('POST', '/interactions', { ...contact, agentId: 'agent-ann', team: 'north' })).status).toBe(201);
    // A supervisor names an agent of their own team, not another team; a manager names anyone.
    const sue = await as('sup-sue', ['supervisor'], 'north');
    expect((await sue('POST', '/interactions', { ...contact, agentId: 'agent-ann' })).body.team).toBe('north');
    expect((await sue('POST', '/interactions', { ...contact, team: 'south' })).status).toBe(403);
    const max = await as('mgr-max', ['manager']);
    expect((await max('POST', '/interactions', { ...contact, agentId: 'agent-bob', team: 'south' })).status).toBe(201);
  });

  it('changes an interaction only from its own team, its agent, or a manager', async () => {
    const ann = await as('agent-ann', ['agent'], 'north');
    const { body } = await ann('POST', '/interactions', contact);
    const patch = { category: 'billing' };
    expect((await (await as('agent-bob', ['agent'], 'south'))('PATCH', `/interactions/${body.id}`, patch)).status).toBe(
      403,
    );
    expect(
      (await (await as('sup-sam', ['supervisor'], 'south'))('PATCH', `/interactions/${body.id}`, patch)).status,
    ).toBe(403);
    expect((await (await as('agent-cat', ['agent'], 'north'))('PATCH', `/interactions/${body.id}`, patch)).status).toBe(
      200,
    );
    expect((await ann('PATCH', `/interactions/${body.id}`, { category: 'delivery' })).status).toBe(200);
    expect((await (await as('mgr-max', ['manager'], 'south'))('PATCH', `/interactions/${body.id}`, patch)).status).toBe(
      200,
    );
    // Every member of staff may read it.
    expect((await (await as('agent-bob', ['agent'], 'south'))('GET', `/interactions/${body.id}`)).status).toBe(200);
  });

  it('changes a complaint only from its own team, its assignee, or a manager', async () => {
    const ann = await as('agent-ann', ['agent'], 'north');
    const complaint = {
      customerId: 'C-objects',
      channel: 'phone',
      category: 'price_billing',
      severity: 'low',
      description: 'Charged twice',
    };
    expect((await ann('POST', '/complaints', { ...complaint, team: 'south' })).status).toBe(403);
    const { status, body } = await ann('POST', '/complaints', complaint);
    expect(status).toBe(201);
    expect(body.team).toBe('north');
    const bob = await as('agent-bob', ['agent'], 'south');
    const events = `/complaints/${body.id}/events`;
    expect((await bob('POST', events, { type: 'assign', assigneeId: 'agent-bob' })).status).toBe(403);
    expect(
      (
        await (
          await as('sup-sam', ['supervisor'], 'south')
        )('POST', events, { type: 'assign', assigneeId: 'agent-bob' })
      ).status,
    ).toBe(403);
    // A manager assigns it across teams; the assignee may then work on it.
    const max = await as('mgr-max', ['manager']);
    expect((await max('POST', events, { type: 'assign', assigneeId: 'agent-bob' })).status).toBe(200);
    expect((await bob('POST', events, { type: 'respond', note: 'Called the customer' })).status).toBe(200);
    // Every member of staff may read it.
    expect((await (await as('agent-zoe', ['agent'], 'west'))('GET', `/complaints/${body.id}`)).status).toBe(200);
  });
  it("invites a survey only about a record the caller may change: team B cannot survey team A's contact", async () => {
    const ann = await as('agent-ann', ['agent'], 'north');
    const { body } = await ann('POST', '/interactions', {
      ...contact,
      firstResponseAt: '2026-11-09T02:00:10Z',
      resolvedAt: '2026-11-09T02:10:00Z',
    });
    const subject = { subject: { type: 'interaction', id: body.id } };
    const bob = await as('agent-bob', ['agent'], 'south');
    const refused = await bob('POST', '/surveys', subject);
    expect(refused.status).toBe(403);
    expect((await (await as('sup-sam', ['supervisor'], 'south'))('POST', '/surveys', subject)).status).toBe(403);
    expect((await (await as('agent-cat', ['agent'], 'north'))('POST', '/surveys', subject)).status).toBe(201);
  });
});
