/**
 * The agent home and the other list screens in one call each (contract "For screens (v1.1)"):
 * filters by assignee (`me`), team and open status, nearest deadline first, and rows that carry
 * the customer's name, tier and segment, the assignee's name, the next deadline and the allowed
 * events; interactions by agent, team and status with the customer's name; one default window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/schemas/common.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
const START = new Date('2026-11-10T02:00:00Z');
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
});
afterAll(() => api?.runtime.stop());

/** Calls as a named member of staff, with a team in the token like Cognito's `custom:team`. */
const as = async (sub: string, team?: string, roles: Role[] = ['agent']) => ({
  authorization: `Bearer ${await api.runtime.token(sub, roles, team)}`,
});
const call = async (
  method: string,
  path: string,
  who: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: any }> => api.call(method, path, { as: null, headers: who, body });

type Row = {
  id: string;
  status: string;
  customer: { id: string; name: string | null; tier: string | null; segment: { labels: string[] } };
  assignee: { id: string; name: string | null } | null;
  nextDeadline: { milestone: string; dueBy: string; secondsLeft: number } | null;
  allowedEvents: string[];
};

describe('the agent home: my open complaints, nearest deadline first, in one call', () => {
  it('filters by assignee (me), team and open status, sorts by the next deadline and names customers and assignees', async () => {
    const ana = await as('agent-ana', 'north');
    const bo = await as('agent-bo', 'north');
    const cy = await as('agent-cy', 'south');
    await api.call('PUT', '/staff/agent-ana', {
      as: 'admin',
      body: { name: '李娜', team: 'north', roles: ['agent'], active: true },
    });
    const customer = (id: string, name: string, tier?: string) =>
      api.call('PUT', `/customers/${id}`, {
        as: 'agent',
        body: {
          name,
          preferredChannel: 'sms',
          language: 'zh',
          ...(tier ? { tier } : {}),
          consent: { sms: true, email: false },
        },
      });
    await customer('C-home-1', '王小明', 'gold');
    await customer('C-home-2', 'Mary Chen');

    const register = async (who: Record<string, string>, customerId: string) => {
      const reply = await call('POST', '/complaints', who, aComplaintBody({ customerId }));
      expect(reply.status).toBe(201);
      return reply.body.id as string;
    };
    const event = async (who: Record<string, string>, id: string, body: Record<string, unknown>) => {
      const reply = await call('POST', `/complaints/${id}/events`, who, body);
      expect(reply.status).toBe(200);
    };
    // Registered one after another: each later one's 1 h response deadline is later.
    const responded = await register(ana, 'C-home-1');
    const assigned = await register(ana, 'C-home-2');
    const closed = await register(ana, 'C-home-1');
    const othersOwn = await register(bo, 'C-home-2');
    const unassigned = await register(bo, 'C-home-unknown');
    const southern = await register(cy, 'C-home-2');
    await event(ana, responded, { type: 'assign', assigneeId: 'agent-ana' });
    await event(ana, responded, { type: 'respond' });
    await event(ana, assigned, { type: 'assign', assigneeId: 'agent-ana' });
    await event(ana, closed, { type: 'assign', assigneeId: 'agent-ana' });
    for (const type of ['respond', 'propose_solution', 'resolve', 'close'])
      await event(ana, closed, { type, ...(type === 'propose_solution' ? { solution: 'Refunded' } : {}) });
    await event(bo, othersOwn, { type: 'assign', assigneeId: 'agent-bo' });
    await event(cy, southern, { type: 'assign', assigneeId: 'agent-cy' });

    // The agent home: one call.
    const home = await call('GET', '/complaints?assigneeId=me&open=true&sort=nextDeadline', ana);
    expect(home.status).toBe(200);
    const rows = home.body.items as Row[];
    // The one due for a response within the hour comes before the one whose next milestone is the 24 h solution.
    expect(rows.map((r) => r.id)).toEqual([assigned, responded]);
    expect(rows[0]).toMatchObject({
      status: 'assigned',
      customer: { id: 'C-home-2', name: 'Mary Chen', tier: null },
      assignee: { id: 'agent-ana', name: '李娜' },
      nextDeadline: { milestone: 'respond' },
      allowedEvents: expect.arrayContaining(['respond', 'assign', 'await_customer']),
    });
    expect(rows[0]!.allowedEvents).not.toContain('close');
    expect(rows[0]!.nextDeadline!.secondsLeft).toBeGreaterThan(50 * 60);
    expect(rows[0]!.nextDeadline!.secondsLeft).toBeLessThanOrEqual(3600);
    expect(rows[1]).toMatchObject({
      status: 'responded',
      customer: { id: 'C-home-1', name: '王小明', tier: 'gold', segment: { labels: expect.any(Array) } },
      nextDeadline: { milestone: 'solution' },
    });
    expect(new Date(rows[1]!.nextDeadline!.dueBy).getTime() - START.getTime()).toBeGreaterThan(23 * 3600_000);

    // The team's open work (the supervisor's view): the unassigned one too, nearest deadline first, nothing of another team.
    const team = await call('GET', '/complaints?team=north&open=true', await as('sup-north', 'north', ['supervisor']));
    const teamRows = team.body.items as Row[];
    expect(teamRows.map((r) => r.id).sort()).toEqual([assigned, othersOwn, responded, unassigned].sort());
    const dues = teamRows.map((r) => r.nextDeadline!.dueBy);
    expect(dues).toEqual([...dues].sort());
    expect(teamRows.find((r) => r.id === unassigned)).toMatchObject({
      assignee: null,
      customer: { id: 'C-home-unknown', name: null },
      allowedEvents: expect.arrayContaining(['assign']),
    });
    expect(teamRows.find((r) => r.id === unassigned)!.allowedEvents).not.toContain('respond');
    // Everyone's open work, and the closed one on its own.
    const all = (await call('GET', '/complaints?open=true&limit=100', await as('head', undefined, ['manager']))).body
      .items as Row[];
    expect(all.map((r) => r.id)).toEqual(
      expect.arrayContaining([assigned, othersOwn, responded, unassigned, southern]),
    );
    expect(all.map((r) => r.id)).not.toContain(closed);
    const done = (await call('GET', '/complaints?assigneeId=agent-ana&open=false', ana)).body.items as Row[];
    expect(done.map((r) => r.id)).toEqual([closed]);
    expect(done[0]).toMatchObject({ nextDeadline: null, allowedEvents: ['reopen'] });
    // Newest first when asked, with the same filters.
    const newest = (await call('GET', '/complaints?assigneeId=me&open=true&sort=newest', ana)).body.items as Row[];
    expect(newest.map((r) => r.id)).toEqual([assigned, responded]);
    // Six complaints walked through ~20 calls first: slow on a loaded machine, not a timing assertion.
  }, 90_000);

  it('pages the sorted list with a cursor, and refuses what it cannot answer with a coded 400', async () => {
    const dee = await as('agent-dee', 'east');
    const ids: string[] = [];
    for (let n = 0; n < 3; n += 1) {
      const id = (await call('POST', '/complaints', dee, aComplaintBody({ customerId: `C-page-${n}` }))).body.id;
      await call('POST', `/complaints/${id}/events`, dee, { type: 'assign', assigneeId: 'agent-dee' });
      ids.push(id);
    }
    const first = await call('GET', '/complaints?assigneeId=me&open=true&limit=2', dee);
    const second = await call(
      'GET',
      `/complaints?assigneeId=me&open=true&limit=2&cursor=${first.body.nextCursor}`,
      dee,
    );
    expect([...first.body.items, ...second.body.items].map((r: Row) => r.id)).toEqual(ids);
    expect(second.body.nextCursor).toBeNull();

    const bad = await call('GET', '/complaints?sort=nextDeadline&customerId=C-page-0', dee);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'sort', code: 'not_in_list' })]);
    const contradiction = await call('GET', '/complaints?open=true&status=closed', dee);
    expect(contradiction.body.errors).toEqual([expect.objectContaining({ path: 'status' })]);
    const unknownSort = await call('GET', '/complaints?sort=oldest', dee);
    expect(unknownSort.body.errors).toEqual([expect.objectContaining({ path: 'sort', code: 'not_in_list' })]);
  });
});

describe('interactions by agent, team and status, with the customer’s name', () => {
  it('lists my open contacts and a team’s resolved ones, each naming its customer', async () => {
    const eve = await as('agent-eve', 'west');
    const fay = await as('agent-fay', 'west');
    await api.call('PUT', '/customers/C-int-1', {
      as: 'agent',
      body: { name: 'Zhao Lei', preferredChannel: 'sms', language: 'en', consent: { sms: true, email: false } },
    });
    const record = async (who: Record<string, string>, overrides: Record<string, unknown>) => {
      const reply = await call('POST', '/interactions', who, anInteraction({ customerId: 'C-int-1', ...overrides }));
      expect(reply.status).toBe(201);
      return reply.body.id as string;
    };
    const startedAt = new Date(START.getTime() - 3600_000).toISOString();
    const answered = new Date(START.getTime() - 3590_000).toISOString();
    const solved = new Date(START.getTime() - 3000_000).toISOString();
    const open = await record(eve, { startedAt, firstResponseAt: answered });
    const resolved = await record(eve, { startedAt, firstResponseAt: answered, resolvedAt: solved });
    const fays = await record(fay, { startedAt, firstResponseAt: answered, resolvedAt: solved });

    const mine = await call('GET', '/interactions?agentId=me&status=open', eve);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([open]);
    expect(mine.body.items[0]).toMatchObject({ status: 'open', customer: { id: 'C-int-1', name: 'Zhao Lei' } });
    const teamResolved = await call('GET', '/interactions?team=west&status=resolved', eve);
    expect(teamResolved.body.items.map((i: { id: string }) => i.id).sort()).toEqual([resolved, fays].sort());
  });

  it('narrows the overdue queue to one agent, and refuses status=resolved there', async () => {
    const sup = await as('sup-over', 'over', ['supervisor']);
    const other = await as('agent-over', 'over');
    const late = { customerId: 'C-int-1', startedAt: new Date(START.getTime() - 3600_000).toISOString() };
    const mine = (await call('POST', '/interactions', sup, anInteraction(late))).body.id;
    const theirs = (await call('POST', '/interactions', other, anInteraction(late))).body.id;
    expect((await api.call('POST', '/_local/jobs/overdue', { as: 'admin' })).status).toBe(200);
    const all = await call('GET', '/interactions?overdue=true&team=over', sup);
    expect(all.body.items.map((i: { id: string }) => i.id).sort()).toEqual([mine, theirs].sort());
    const own = await call('GET', '/interactions?overdue=true&agentId=me', sup);
    expect(own.body.items.map((i: { id: string }) => i.id)).toEqual([mine]);
    expect(own.body.items[0].customer).toEqual({ id: 'C-int-1', name: 'Zhao Lei' });
    const bad = await call('GET', '/interactions?overdue=true&status=resolved', sup);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'status', code: 'not_in_list' })]);
  });

  it('uses the same default window, the last 90 days, for interactions and complaints', async () => {
    const gus = await as('agent-gus', 'far');
    const day = 24 * 3600_000;
    const old = await call(
      'POST',
      '/interactions',
      gus,
      anInteraction({ customerId: 'C-window', startedAt: new Date(START.getTime() - 80 * day).toISOString() }),
    );
    const older = await call(
      'POST',
      '/interactions',
      gus,
      anInteraction({ customerId: 'C-window', startedAt: new Date(START.getTime() - 100 * day).toISOString() }),
    );
    const listed = (await call('GET', '/interactions?customerId=C-window', gus)).body.items.map(
      (i: { id: string }) => i.id,
    );
    expect(listed).toContain(old.body.id);
    expect(listed).not.toContain(older.body.id);
    const document = (await api.call('GET', '/openapi.json', { as: null })).body;
    const fromOf = (path: string) =>
      document.paths[path].get.parameters.find((p: { name: string }) => p.name === 'from').description;
    expect(fromOf('/interactions')).toMatch(/90 days/);
    expect(fromOf('/complaints')).toMatch(/90 days/);
  });
});
