/**
 * Goals over HTTP (issue 23): a KPI from its baseline period's value to a target by a date, with
 * expectedNow on the straight line and a status on either side of it, computed by hand.
 *
 * Today is 2026-11-16 (Shanghai). First-response KPI (answered within the channel's 20 s ÷ answered):
 *   baseline October: 4 chats, 2 within 20 s → 0.5; current 1–16 November: 4 chats, 3 within → 0.75.
 * Goal "0.9 by 2026-11-30": expectedNow = 0.5 + 0.4 × 16/30 = 0.7133; 0.75 ≥ it → on_track.
 * Goal "1 by 2026-11-20":    expectedNow = 0.5 + 0.5 × 16/20 = 0.9;    0.75 < it → at_risk.
 * Goal "+0.2 (absolute)":    target 0.7; 0.75 meets it → achieved.
 * Goal "+10 % (relative)":   target 0.55 → achieved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

const START = new Date('2026-11-16T04:00:00Z'); // 12:00 in Shanghai
let api: TestApi;

const chat = (day: string, i: number, frt: number) => ({
  customerId: `C-goal-${day}-${i}`,
  channel: 'chat',
  complexity: 'simple',
  team: 'online',
  startedAt: `${day}T02:00:0${i}Z`,
  firstResponseAt: new Date(Date.parse(`${day}T02:00:0${i}Z`) + frt * 1000).toISOString(),
  resolvedAt: `${day}T03:00:00Z`,
});

beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  const contacts = [
    chat('2026-10-10', 1, 10),
    chat('2026-10-10', 2, 15),
    chat('2026-10-20', 3, 40),
    chat('2026-10-20', 4, 60),
    chat('2026-11-03', 1, 5),
    chat('2026-11-03', 2, 12),
    chat('2026-11-10', 3, 18),
    chat('2026-11-10', 4, 90),
  ];
  for (const body of contacts) {
    const reply = await api.call('POST', '/interactions', { as: 'agent', body });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  }
}, 60_000);
afterAll(() => api?.runtime.stop());

const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };
const setGoal = (body: Record<string, unknown>) =>
  api.call('POST', '/goals', {
    as: 'manager',
    body: { kpi: 'firstResponse', baseline: OCTOBER, owner: 'manager-1', ...body },
  });

describe('POST /goals and GET /goals', () => {
  it('measures the baseline, and is on track at or past expectedNow, at risk behind it', async () => {
    const onTrack = await setGoal({ target: { value: 0.9 }, by: '2026-11-30', name: 'FRT to 90 % this month' });
    expect(onTrack.status, JSON.stringify(onTrack.body)).toBe(201);
    expect(onTrack.headers.get('etag')).toBe('"1"');
    expect(onTrack.body).toMatchObject({
      kpi: 'firstResponse',
      scope: {},
      direction: 'higher',
      baselineValue: 0.5,
      targetValue: 0.9,
      current: 0.75,
      currentPeriod: { from: '2026-11-01', to: '2026-11-16' },
      expectedNow: 0.7133,
      status: 'on_track',
      owner: 'manager-1',
      createdBy: 'test-manager',
      version: 1,
    });
    const atRisk = await setGoal({ target: { value: 1 }, by: '2026-11-20' });
    expect(atRisk.body).toMatchObject({ targetValue: 1, current: 0.75, expectedNow: 0.9, status: 'at_risk' });
    const absolute = await setGoal({ target: { change: { absolute: 0.2 } }, by: '2026-12-31' });
    expect(absolute.body).toMatchObject({ targetValue: 0.7, status: 'achieved' });
    const relative = await setGoal({
      target: { change: { relative: 0.1 } },
      by: '2026-12-31',
      scope: { team: 'online' },
    });
    expect(relative.body).toMatchObject({
      scope: { team: 'online' },
      baselineValue: 0.5,
      targetValue: 0.55,
      status: 'achieved',
    });

    const list = await api.call('GET', '/goals', { as: 'supervisor' });
    expect(list.status).toBe(200);
    expect(list.body.items.map((g: { id: string; status: string }) => [g.id, g.status])).toEqual([
      [onTrack.body.id, 'on_track'],
      [atRisk.body.id, 'at_risk'],
      [absolute.body.id, 'achieved'],
      [relative.body.id, 'achieved'],
    ]);
    const risky = await api.call('GET', '/goals?status=at_risk', { as: 'supervisor' });
    expect(risky.body.items.map((g: { id: string }) => g.id)).toEqual([atRisk.body.id]);

    // The same goals in /metrics, beside the figures they are about (the whole organisation's here).
    const metrics = await api.call('GET', '/metrics', { as: 'supervisor' });
    expect(metrics.body.goals.map((g: { id: string }) => g.id)).toEqual([
      onTrack.body.id,
      atRisk.body.id,
      absolute.body.id,
    ]);
    const team = await api.call('GET', '/metrics?team=online', { as: 'supervisor' });
    expect(team.body.goals.map((g: { id: string }) => g.id)).toEqual([relative.body.id]);
  });

  it('reports a KPI with no data in its baseline as baselineValue null and at_risk', async () => {
    const reply = await setGoal({ kpi: 'csi', target: { value: 8 }, by: '2026-12-31' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      baselineValue: null,
      targetValue: 8,
      current: null,
      expectedNow: null,
      status: 'at_risk',
    });
  });

  it('refuses bad goals with a 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ kpi: 'happiness', target: { value: 1 }, by: '2026-12-31' }, 'kpi'],
      [{ baseline: { from: '2026-11-01', to: '2026-11-30' }, target: { value: 1 }, by: '2026-12-31' }, 'baseline.to'],
      [{ baseline: { from: '2026-10-31', to: '2026-10-01' }, target: { value: 1 }, by: '2026-12-31' }, 'baseline.from'],
      [{ target: { value: 1 }, by: '2026-11-15' }, 'by'],
      [{ kpi: 'nps', target: { change: { relative: 0.1 } }, by: '2026-12-31' }, 'target.change.relative'],
      [{ target: { value: 1 }, by: '2026-12-31', owner: undefined }, 'owner'],
    ];
    for (const [body, path] of cases) {
      const reply = await setGoal(body);
      expect(reply.status, `${path}: ${JSON.stringify(reply.body)}`).toBe(400);
      expect(reply.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect((await api.call('POST', '/goals', { as: 'supervisor', body: {} })).status).toBe(403);
  });
});

describe('PATCH /goals/{id}', () => {
  it('changes the target at the version read, and refuses a stale If-Match with 412', async () => {
    const goal = await setGoal({ target: { value: 1 }, by: '2026-11-20' });
    const changed = await api.call('PATCH', `/goals/${goal.body.id}`, {
      as: 'manager',
      headers: { 'if-match': '"1"' },
      body: { target: { value: 0.8 }, by: '2026-12-16' },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    // 0.5 + 0.3 × 16/46 = 0.6043; 0.75 is past it.
    expect(changed.body).toMatchObject({ version: 2, targetValue: 0.8, expectedNow: 0.6043, status: 'on_track' });
    expect(changed.body.history.at(-1)).toMatchObject({ action: 'updated', fields: ['by', 'target'] });
    const stale = await api.call('PATCH', `/goals/${goal.body.id}`, {
      as: 'manager',
      headers: { 'if-match': '"1"' },
      body: { owner: 'manager-2' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.current).toMatchObject({ version: 2 });
    const past = await api.call('PATCH', `/goals/${goal.body.id}`, { as: 'manager', body: { by: '2026-11-01' } });
    expect(past.status).toBe(400);
    expect(past.body.errors).toMatchObject([{ path: 'by' }]);
    const read = await api.call('GET', `/goals/${goal.body.id}`, { as: 'supervisor' });
    expect(read.headers.get('etag')).toBe('"2"');
  });
});
