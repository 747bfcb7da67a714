/**
 * GET /metrics and /settings over HTTP on a data set small enough to compute by hand.
 * Survey and complaint figures are covered where those capabilities record them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;

const october = [
  // chat: answered in 10 s, solved in 30 min on first contact
  anInteraction({
    channel: 'chat',
    team: 'online',
    startedAt: '2026-10-05T02:00:00Z',
    firstResponseAt: '2026-10-05T02:00:10Z',
    resolvedAt: '2026-10-05T02:30:00Z',
    resolvedOnFirstContact: true,
  }),
  // chat: answered in 15 s, solved in 5 h (simple target 4 h missed)
  anInteraction({
    channel: 'chat',
    team: 'online',
    startedAt: '2026-10-06T02:00:00Z',
    firstResponseAt: '2026-10-06T02:00:15Z',
    resolvedAt: '2026-10-06T07:00:00Z',
    resolvedOnFirstContact: false,
  }),
  // phone: answered in 25 s (20 s missed), solved in 1 h
  anInteraction({
    channel: 'phone',
    team: 'hotline',
    startedAt: '2026-10-07T03:00:00Z',
    firstResponseAt: '2026-10-07T03:00:25Z',
    resolvedAt: '2026-10-07T04:00:00Z',
    resolvedOnFirstContact: true,
  }),
  // store, complex: first feedback in 2 min (1 h target), solved in 80 h (72 h missed)
  anInteraction({
    channel: 'store',
    team: 'stores',
    complexity: 'complex',
    startedAt: '2026-10-08T01:00:00Z',
    firstResponseAt: '2026-10-08T01:02:00Z',
    resolvedAt: '2026-10-11T09:00:00Z',
  }),
  // email: answered in 50 min, still open
  anInteraction({
    channel: 'email',
    team: 'online',
    startedAt: '2026-10-09T01:00:00Z',
    firstResponseAt: '2026-10-09T01:50:00Z',
  }),
  // 2026-11-01 01:00 in Shanghai: November, not October
  anInteraction({
    channel: 'chat',
    team: 'online',
    startedAt: '2026-10-31T17:00:00Z',
    firstResponseAt: '2026-10-31T17:00:05Z',
  }),
];

beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z') });
  for (const body of october) expect((await api.call('POST', '/interactions', { body })).status).toBe(201);
});
afterAll(() => api?.runtime.stop());

describe('GET /metrics for a month of interactions', () => {
  it('computes every service KPI of the month exactly', async () => {
    const { status, body } = await api.call('GET', '/metrics?from=2026-10-01&to=2026-10-31', { as: 'supervisor' });
    expect(status).toBe(200);
    expect(body.service).toMatchObject({
      interactions: 5,
      firstResponse: { withinTargetShare: 0.8, p50Seconds: 25 },
      // simple: 2 of 3 resolved in 4 h, and the email still open a month later is past its 4 h too → 2 / 4
      resolution: { simpleWithinTargetShare: 0.5, complexWithinTargetShare: 0, overdue: 1 },
      firstContactResolutionShare: 0.5,
      averageHandlingSeconds: 77850,
    });
    // nearest-rank p90 is 3000 s; the histogram answers within its 2700–3600 s bucket
    expect(body.service.firstResponse.p90Seconds).toBeGreaterThanOrEqual(2700);
    expect(body.service.firstResponse.p90Seconds).toBeLessThanOrEqual(3600);
    expect(body.service.firstResponse.byChannel.chat).toMatchObject({ interactions: 2, withinTargetShare: 1 });
    expect(body.service.firstResponse.byChannel.phone).toMatchObject({ interactions: 1, withinTargetShare: 0 });
  });

  it('answers null, not 0, for shares with no data, and gives them no status', async () => {
    const { body } = await api.call('GET', '/metrics?from=2026-10-01&to=2026-10-31', { as: 'supervisor' });
    expect(body.satisfaction).toMatchObject({ responses: 0, csat: null, satisfiedShare: null });
    expect(body.nps.score).toBeNull();
    expect(body.status).not.toHaveProperty('csat');
    expect(body.complaints).toMatchObject({ count: 0, rate: 0, respondedInTimeShare: null });
  });

  it('rates each KPI red, amber or green against the targets in settings', async () => {
    const { body } = await api.call('GET', '/metrics?from=2026-10-01&to=2026-10-31', { as: 'supervisor' });
    expect(body.status).toMatchObject({
      firstResponse: 'red',
      simpleResolution: 'red',
      firstContactResolution: 'red',
      complaintRate: 'green',
    });
  });

  it('filters by channel and by team', async () => {
    const chat = await api.call('GET', '/metrics?from=2026-10-01&to=2026-10-31&channel=chat', { as: 'supervisor' });
    expect(chat.body.service).toMatchObject({
      interactions: 2,
      firstResponse: { withinTargetShare: 1 },
      resolution: { simpleWithinTargetShare: 0.5 },
    });
    const hotline = await api.call('GET', '/metrics?from=2026-10-01&to=2026-10-31&team=hotline', { as: 'supervisor' });
    expect(hotline.body.service.interactions).toBe(1);
  });

  it('counts a contact on its local date in the settings time zone', async () => {
    const november = await api.call('GET', '/metrics?from=2026-11-01&to=2026-11-01', { as: 'supervisor' });
    expect(november.body.service.interactions).toBe(1);
  });

  it('is for supervisors and above, and refuses a reversed range', async () => {
    expect((await api.call('GET', '/metrics', { as: 'agent' })).status).toBe(403);
    expect((await api.call('GET', '/metrics?from=2026-10-31&to=2026-10-01', { as: 'manager' })).status).toBe(400);
  });
});

describe('settings', () => {
  it('serves the defaults, version 0, to managers but not agents', async () => {
    const reply = await api.call('GET', '/settings', { as: 'manager' });
    expect(reply.body).toMatchObject({
      version: 0,
      timezone: 'Asia/Shanghai',
      targets: { firstResponseSeconds: { chat: 20, store: 180 } },
    });
    expect((await api.call('GET', '/settings', { as: 'agent' })).status).toBe(403);
  });

  it('applies a merge patch from an admin, versioned, and the KPI status follows the new target', async () => {
    expect((await api.call('PATCH', '/settings', { as: 'manager', body: { surveyThrottleDays: 10 } })).status).toBe(
      403,
    );
    const patched = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { kpis: { firstResponse: { target: 0.8, amber: 0.7 } }, surveyThrottleDays: 14 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      version: 1,
      surveyThrottleDays: 14,
      updatedBy: 'test-admin',
      kpis: { firstResponse: { target: 0.8, amber: 0.7, owner: 'Service operations' } },
    });
    const { body } = await api.call('GET', '/metrics?from=2026-10-01&to=2026-10-31', { as: 'supervisor' });
    expect(body.status.firstResponse).toBe('green');
  });

  it('refuses a patch that leaves invalid settings, naming the field, and keeps the old ones', async () => {
    const reply = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { kpis: { nps: { direction: 'sideways' }, csat: { amber: 4.9 } }, timezone: null },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'kpis.csat.amber',
      'kpis.nps.direction',
      'timezone',
    ]);
    expect((await api.call('GET', '/settings', { as: 'manager' })).body.version).toBe(1);
  });

  it('refuses an SLA policy that names a calendar that does not exist', async () => {
    const reply = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { sla: { policies: { high: { calendar: 'weekdays' } } } },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].path).toBe('sla.policies.high.calendar');
  });
});
