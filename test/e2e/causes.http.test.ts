/**
 * Causes over real HTTP (contract "Categories and causes (v1.2)"; s000/s002 原因分析): a complaint's
 * resolve carries its cause (required once it missed a milestone), a missed contact's overdue reason
 * is a cause, an improvement names the cause it removes, and /metrics shows them as Paretos, per team too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../support/builders/complaints.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { until } from '../support/wait.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), timeScale: 100, schedules: false });
  await api.runtime.workflows.prepare();
});
afterAll(() => api?.runtime.stop());

const event = (id: string, body: Record<string, unknown>) =>
  api.call('POST', `/complaints/${id}/events`, { as: 'agent', body });
const register = async (overrides: Parameters<typeof aComplaintBody>[0]) => {
  const reply = await api.call('POST', '/complaints', { as: 'agent', body: aComplaintBody(overrides) });
  expect(reply.status).toBe(201);
  return reply.body.id as string;
};
async function upToResolve(id: string) {
  for (const body of [
    { type: 'assign', assigneeId: 'agent-7' },
    { type: 'respond' },
    { type: 'propose_solution', solution: 'Refund of the delivery fee' },
  ])
    expect((await event(id, body)).status).toBe(200);
}
const fieldErrors = (body: { errors?: Array<{ path: string; code: string }> }) =>
  (body.errors ?? []).map((e) => [e.path, e.code]);

describe('causes', () => {
  it('refuses to resolve a complaint that missed a milestone without a cause, and counts causes as a Pareto', async () => {
    const patched = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { sla: { policies: { high: { respondMinutes: 2 } } } },
    });
    expect(patched.status).toBe(200);
    const missed = await register({ customerId: 'C-cause-1', severity: 'high', team: undefined });
    await until(async () => {
      const { body } = await api.call('GET', `/complaints/${missed}`, { as: 'agent' });
      return body.kpi?.respond === 'missed' ? true : undefined;
    });
    await upToResolve(missed);
    const without = await event(missed, { type: 'resolve' });
    expect(without.status).toBe(400);
    expect(fieldErrors(without.body)).toEqual([['cause', 'required']]);
    const badKind = await event(missed, { type: 'resolve', cause: { kind: 'weather' } });
    expect(fieldErrors(badKind.body)).toEqual([['cause.kind', 'not_in_list']]);
    const tooLong = await event(missed, { type: 'resolve', cause: { kind: 'process', detail: 'x'.repeat(501) } });
    expect(fieldErrors(tooLong.body)).toEqual([['cause.detail', 'too_long']]);
    const resolved = await event(missed, {
      type: 'resolve',
      cause: { kind: 'process', detail: 'The hand-over between shifts dropped the call-back' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.cause).toEqual({
      kind: 'process',
      detail: 'The hand-over between shifts dropped the call-back',
    });

    // In time: the cause is optional, and counted when given.
    for (const [customerId, kind] of [
      ['C-cause-2', 'process'],
      ['C-cause-3', 'people'],
    ] as const) {
      const id = await register({ customerId, severity: 'low' });
      await upToResolve(id);
      expect((await event(id, { type: 'resolve', cause: { kind } })).status).toBe(200);
    }
    const quiet = await register({ customerId: 'C-cause-4', severity: 'low' });
    await upToResolve(quiet);
    expect((await event(quiet, { type: 'resolve' })).status).toBe(200);

    // Missed contacts: an overdue reason is a cause (staffing → people); an explicit cause wins.
    const late = (minute: number, extra: Record<string, unknown>) => ({
      customerId: 'C-cause-5',
      channel: 'phone',
      complexity: 'simple',
      team: 'hotline',
      startedAt: `2026-11-10T01:${String(minute).padStart(2, '0')}:00Z`,
      firstResponseAt: `2026-11-10T01:${String(minute + 1).padStart(2, '0')}:00Z`,
      ...extra,
    });
    for (const body of [
      late(10, { overdueReason: 'staffing' }),
      late(20, { overdueReason: 'other', cause: { kind: 'tools', detail: 'CTI queue froze' } }),
      late(30, {}),
      // answered in time: no miss, no cause (and complaints stay fewer than contacts)
      { ...late(40, {}), firstResponseAt: '2026-11-10T01:40:10Z' },
      { ...late(50, {}), firstResponseAt: '2026-11-10T01:50:10Z' },
    ])
      expect((await api.call('POST', '/interactions', { as: 'supervisor', body })).status).toBe(201);

    const { body: metrics } = await api.call('GET', '/metrics?from=2026-11-10&to=2026-11-10', { as: 'manager' });
    expect(metrics.causes.complaints).toEqual({
      total: 3,
      items: [
        { kind: 'process', count: 2, share: 0.6667, cumulativeShare: 0.6667 },
        { kind: 'people', count: 1, share: 0.3333, cumulativeShare: 1 },
      ],
    });
    expect(metrics.causes.misses).toEqual({
      total: 2,
      items: [
        { kind: 'people', count: 1, share: 0.5, cumulativeShare: 0.5 },
        { kind: 'tools', count: 1, share: 0.5, cumulativeShare: 1 },
      ],
    });
    expect(metrics.causes.byTeam.hotline.misses.total).toBe(2);

    // groupBy=team: each group carries its own Paretos, from the same cells as byTeam.
    const grouped = await api.call('GET', '/metrics?from=2026-11-10&to=2026-11-10&groupBy=team', { as: 'manager' });
    expect(grouped.status).toBe(200);
    const causesOf = Object.fromEntries(
      (grouped.body.groups as Array<{ key: string; causes: any }>).map((group) => [group.key, group.causes]),
    );
    expect(causesOf.hotline).toEqual(metrics.causes.byTeam.hotline);
    expect(causesOf.hotline.misses).toEqual(metrics.causes.misses);
    for (const [team, paretos] of Object.entries(metrics.causes.byTeam)) expect(causesOf[team]).toEqual(paretos);
    expect(Object.values(causesOf).reduce((sum: number, group: any) => sum + group.complaints.total, 0)).toBe(
      metrics.causes.complaints.total,
    );
  }, 120_000);

  it('takes a cause on an improvement and refuses a kind outside the list', async () => {
    const body = {
      problem: 'Call-backs dropped at shift change',
      measure: 'A shared call-back queue with owners',
      department: 'Service operations',
      ownerId: 'M-07',
      dueDate: '2026-11-30',
      category: 'response_speed',
    };
    const good = await api.call('POST', '/improvements', {
      as: 'manager',
      body: { ...body, cause: { kind: 'process', detail: 'hand-over' } },
    });
    expect(good.status).toBe(201);
    expect(good.body.cause).toEqual({ kind: 'process', detail: 'hand-over' });
    const bad = await api.call('POST', '/improvements', { as: 'manager', body: { ...body, cause: { kind: 'luck' } } });
    expect(bad.status).toBe(400);
    expect(fieldErrors(bad.body)).toEqual([['cause.kind', 'not_in_list']]);
  });

  it('shows the Paretos in the report, each large cause with the open improvement actions naming it', async () => {
    const generated = await api.call('POST', '/reports/2026-11/generate', { as: 'manager', body: { email: false } });
    expect([200, 202]).toContain(generated.status);
    const { body: report } = await api.call('GET', '/reports/2026-11', { as: 'manager' });
    expect(report.causes.complaints.items[0]).toMatchObject({
      kind: 'process',
      count: 2,
      large: true,
      improvements: [{ problem: 'Call-backs dropped at shift change' }],
    });
    // process covers 67 %: people is needed to reach 80 %, so it is large too, and has no action yet
    expect(report.causes.complaints.items[1]).toMatchObject({ kind: 'people', large: true, improvements: [] });
    expect(report.causes.misses.items.map((c: { kind: string }) => c.kind)).toEqual(['people', 'tools']);
    const html = await api.call('GET', '/reports/2026-11/html?lang=en', { as: 'manager' });
    expect(html.text).toContain('Causes of complaints');
    expect(html.text).toContain('Call-backs dropped at shift change');
    expect(html.text).toContain('no action yet');
  });
});
