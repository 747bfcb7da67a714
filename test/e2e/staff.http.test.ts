/**
 * `GET /me` and the staff directory over real HTTP (contract "For screens (v1.1)"): who is calling
 * and the business clock without settings access; names by team for everyone, contacts for managers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), schedules: false });
});
afterAll(() => api?.runtime.stop());

const entry = (name: string, team: string | undefined, roles: string[] = ['agent']) => ({
  name,
  ...(team ? { team } : {}),
  roles,
  email: `${name.toLowerCase().replace(/\s/g, '.')}@example.com`,
  phone: '+8613900000017',
  active: true,
});

describe('GET /me', () => {
  it('tells any member of staff who they are, the business time zone, quiet hours and the server clock', async () => {
    const reply = await api.call('GET', '/me', { as: 'agent' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      sub: 'test-agent',
      roles: ['agent'],
      team: null,
      name: null,
      timezone: 'Asia/Shanghai',
      quietHours: { start: '21:00', end: '08:00' },
    });
    // The runtime's clock (started at 2026-11-10T02:00Z), not the machine's.
    expect(reply.body.serverNow.slice(0, 13)).toBe('2026-11-10T02');
    // An agent has no settings access, and needs none for this.
    expect((await api.call('GET', '/settings', { as: 'agent' })).status).toBe(403);
    expect((await api.call('GET', '/me', { as: null })).status).toBe(401);
  });

  it('names the caller’s team from the token and their name from the directory, and follows a settings change', async () => {
    await api.call('PUT', '/staff/agent-me', { as: 'admin', body: entry('Mei Lin', 'east') });
    const token = await api.runtime.token('agent-me', ['agent'], 'east');
    const before = await api.call('GET', '/me', { as: null, headers: { authorization: `Bearer ${token}` } });
    expect(before.body).toMatchObject({ sub: 'agent-me', team: 'east', name: 'Mei Lin' });

    const settings = await api.call('GET', '/settings', { as: 'admin' });
    const patched = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { timezone: 'Europe/Berlin', quietHours: { start: '22:00', end: '07:00' } },
      headers: { 'if-match': settings.headers.get('etag')! },
    });
    expect(patched.status).toBe(200);
    const after = await api.call('GET', '/me', { as: 'agent' });
    expect(after.body).toMatchObject({ timezone: 'Europe/Berlin', quietHours: { start: '22:00', end: '07:00' } });
    await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { timezone: 'Asia/Shanghai', quietHours: { start: '21:00', end: '08:00' } },
    });
  });
});

describe('the staff directory', () => {
  it('lets an admin keep entries; shows names, teams and roles to agents and contacts only to managers', async () => {
    const made = await api.call('PUT', '/staff/agent-ana', { as: 'admin', body: entry('Ana', 'north') });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      id: 'agent-ana',
      name: 'Ana',
      team: 'north',
      version: 1,
      updatedBy: 'test-admin',
    });
    expect(made.headers.get('etag')).toBe('"1"');
    expect((await api.call('PUT', '/staff/agent-bo', { as: 'admin', body: entry('Bo', 'south') })).status).toBe(201);
    expect(
      (await api.call('PUT', '/staff/head', { as: 'admin', body: entry('Hu', undefined, ['manager']) })).status,
    ).toBe(201);
    const replaced = await api.call('PUT', '/staff/agent-ana', {
      as: 'admin',
      body: { name: 'Ana Li', team: 'north', roles: ['agent', 'supervisor'], active: true },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    expect(replaced.body.createdAt).toBe(made.body.createdAt);
    // A PUT replaces the whole entry: the contact left out is gone.
    expect(replaced.body).not.toHaveProperty('email');
    expect((await api.call('PUT', '/staff/agent-cy', { as: 'manager', body: entry('Cy', 'north') })).status).toBe(403);
    expect((await api.call('GET', '/staff', { as: null })).status).toBe(401);

    const north = await api.call('GET', '/staff?team=north', { as: 'agent' });
    expect(north.status).toBe(200);
    expect(north.body.items).toEqual([
      expect.objectContaining({ id: 'agent-ana', name: 'Ana Li', team: 'north', roles: ['agent', 'supervisor'] }),
    ]);
    const asSupervisor = await api.call('GET', '/staff', { as: 'supervisor' });
    for (const member of asSupervisor.body.items) {
      expect(member).not.toHaveProperty('email');
      expect(member).not.toHaveProperty('phone');
    }
    const asManager = await api.call('GET', '/staff', { as: 'manager' });
    const ids = asManager.body.items.map((m: { id: string }) => m.id);
    // By team then id; members without a team last.
    expect(ids.indexOf('agent-ana')).toBeLessThan(ids.indexOf('agent-bo'));
    expect(ids.at(-1)).toBe('head');
    expect(asManager.body.items.find((m: { id: string }) => m.id === 'agent-bo')).toMatchObject({
      email: 'bo@example.com',
      phone: '+8613900000017',
    });
  });

  it('pages with an opaque cursor and moves a member between teams', async () => {
    for (const n of [1, 2, 3]) await api.call('PUT', `/staff/w-${n}`, { as: 'admin', body: entry(`W${n}`, 'west') });
    const first = await api.call('GET', '/staff?team=west&limit=2', { as: 'agent' });
    expect(first.body.items.map((m: { id: string }) => m.id)).toEqual(['w-1', 'w-2']);
    const second = await api.call('GET', `/staff?team=west&limit=2&cursor=${first.body.nextCursor}`, { as: 'agent' });
    expect(second.body).toMatchObject({ items: [expect.objectContaining({ id: 'w-3' })], nextCursor: null });
    const foreign = await api.call('GET', `/staff?team=east&limit=2&cursor=${first.body.nextCursor}`, { as: 'agent' });
    expect(foreign.status).toBe(400);

    await api.call('PUT', '/staff/w-3', { as: 'admin', body: entry('W3', 'south') });
    const west = await api.call('GET', '/staff?team=west', { as: 'agent' });
    expect(west.body.items.map((m: { id: string }) => m.id)).toEqual(['w-1', 'w-2']);
    const south = await api.call('GET', '/staff?team=south', { as: 'agent' });
    expect(south.body.items.map((m: { id: string }) => m.id)).toContain('w-3');
  });

  it('refuses a stale If-Match (412, nothing changed) and names bad fields with codes', async () => {
    const made = await api.call('PUT', '/staff/agent-dee', { as: 'admin', body: entry('Dee', 'east') });
    const stale = await api.call('PUT', '/staff/agent-dee', {
      as: 'admin',
      body: entry('Dee', 'west'),
      headers: { 'if-match': '"7"' },
    });
    expect(stale.status).toBe(412);
    const current = await api.call('PUT', '/staff/agent-dee', {
      as: 'admin',
      body: entry('Dee', 'north'),
      headers: { 'if-match': made.headers.get('etag')! },
    });
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ team: 'north', version: 2 });

    const bad = await api.call('PUT', '/staff/agent-dee', {
      as: 'admin',
      body: { name: '', roles: ['wizard'], active: 'yes', phone: '0139', email: 'nope', boss: 'me' },
    });
    expect(bad.status).toBe(400);
    const codes = Object.fromEntries(bad.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]));
    expect(codes).toMatchObject({
      name: 'required',
      'roles.0': 'not_in_list',
      active: 'invalid_type',
      phone: 'invalid_format',
      email: 'invalid_format',
      boss: 'unknown_field',
    });
    expect((await api.call('PUT', '/staff/bad%23id', { as: 'admin', body: entry('X', 'east') })).status).toBe(400);
    const unchanged = await api.call('GET', '/staff?team=north', { as: 'manager' });
    expect(unchanged.body.items.find((m: { id: string }) => m.id === 'agent-dee')).toMatchObject({ version: 2 });
  });
});
