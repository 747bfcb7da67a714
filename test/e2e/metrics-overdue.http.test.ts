/**
 * GET /metrics to the last digit for contacts that are not (yet) answered or resolved (issue #14),
 * an extension of metrics-exact.http.test.ts on its own runtime: its contacts start "now", so the
 * clock runs at real speed and the overdue job runs only when this test calls it.
 *
 * Clock: the runtime starts at 2026-11-20 10:00 Shanghai (02:00 UTC) at 1× real time.
 * Targets (DEFAULT_SETTINGS): first response chat/phone 20 s, complex max(channel, 1 h);
 * resolution simple 4 h, complex 72 h.
 *
 *  key  channel  complexity  team    started               first response      resolved        note
 *  a1   chat     simple      online  11-19 02:00Z          10 s (in)           600 s (in), FCR
 *  a2   phone    simple      online  now (first)           — abandoned at +4 s  —              abandoned
 *  a3   chat     simple      online  now (first)           —                   —               unanswered
 *
 * a2 and a3 are recorded first, and the overdue job runs right away, well inside their 20 s;
 * then the others are recorded, a4 is answered late, and once 21 s have passed the job runs again.
 *  a4   chat     simple      online  11-19 03:00Z          — (later: 60 s, late) —             past 4 h
 *  a5   email    complex     tech    11-17 01:00Z          1800 s (in, 1 h)    —               past 72 h, staffing
 *  a6   phone    complex     tech    11-17 02:00Z          5400 s (out)        50 h (in)       reason process
 *  a7   chat     complex     tech    now − 30 min          600 s (in)          —               inside 72 h
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateInteractionBody } from '../../shared/schemas/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

const START = new Date('2026-11-20T02:00:00Z');
const PERIOD = 'from=2026-11-16&to=2026-11-20';

let runtime: TestApi;
const call = (...[method, path, options = {}]: Parameters<TestApi['call']>) =>
  runtime.call(method, path, { ...options, headers: { connection: 'close', ...options.headers } });
const clock = () => runtime.runtime.clock;
const plus = (iso: string, seconds: number) => new Date(new Date(iso).getTime() + seconds * 1000).toISOString();

async function clockReaches(at: Date): Promise<void> {
  while (clock().now() < at)
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, clock().realDelayUntil(at))));
}

const ids: Record<string, string> = {};
let recentStart = '';

const metrics = async (query = PERIOD) => {
  const reply = await call('GET', `/metrics?${query}`, { as: 'supervisor' });
  expect(reply.status).toBe(200);
  return reply.body;
};
const runOverdueJob = async () => {
  const reply = await call('POST', '/_local/jobs/overdue', { as: null });
  expect(reply.status).toBe(200);
  return reply.body as { processed: number; flagged: number };
};

const snapshots: Record<string, any> = {};

beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: START, timeScale: 1, schedules: false });
  recentStart = clock().now().toISOString();
  const base = (key: string) => ({ customerId: `C-due-${key}` });
  const bodies: Record<string, CreateInteractionBody> = {
    a1: {
      ...base('a1'),
      channel: 'chat',
      complexity: 'simple',
      team: 'online',
      startedAt: '2026-11-19T02:00:00Z',
      firstResponseAt: plus('2026-11-19T02:00:00Z', 10),
      resolvedAt: plus('2026-11-19T02:00:00Z', 600),
      resolvedOnFirstContact: true,
    },
    a2: {
      ...base('a2'),
      channel: 'phone',
      complexity: 'simple',
      team: 'online',
      startedAt: recentStart,
      abandonedAt: plus(recentStart, 4),
    },
    a3: { ...base('a3'), channel: 'chat', complexity: 'simple', team: 'online', startedAt: recentStart },
    a4: { ...base('a4'), channel: 'chat', complexity: 'simple', team: 'online', startedAt: '2026-11-19T03:00:00Z' },
    a5: {
      ...base('a5'),
      channel: 'email',
      complexity: 'complex',
      team: 'tech',
      startedAt: '2026-11-17T01:00:00Z',
      firstResponseAt: plus('2026-11-17T01:00:00Z', 1800),
      overdueReason: 'staffing',
    },
    a6: {
      ...base('a6'),
      channel: 'phone',
      complexity: 'complex',
      team: 'tech',
      startedAt: '2026-11-17T02:00:00Z',
      firstResponseAt: plus('2026-11-17T02:00:00Z', 5400),
      resolvedAt: plus('2026-11-17T02:00:00Z', 50 * 3600),
      resolvedOnFirstContact: false,
      overdueReason: 'process',
    },
    a7: {
      ...base('a7'),
      channel: 'chat',
      complexity: 'complex',
      team: 'tech',
      startedAt: new Date(START.getTime() - 30 * 60_000).toISOString(),
      firstResponseAt: new Date(START.getTime() - 20 * 60_000).toISOString(),
    },
  };
  const record = async (key: string) => {
    const reply = await call('POST', '/interactions', { as: 'agent', body: bodies[key] });
    expect(reply.status).toBe(201);
    ids[key] = reply.body.id;
  };
  await record('a2');
  await record('a3');
  // The job before a2's and a3's 20 s have passed: nothing to flag yet.
  snapshots.earlyJob = await runOverdueJob();
  snapshots.beforeTarget = await metrics();
  expect(clock().now().getTime()).toBeLessThan(new Date(plus(recentStart, 20)).getTime());

  for (const key of ['a1', 'a4', 'a5', 'a6', 'a7']) await record(key);
  snapshots.created = await metrics();

  // a4 is answered late, a day after it started: its contribution moves from unanswered to answered-late.
  const patched = await call('PATCH', `/interactions/${ids.a4}`, {
    as: 'agent',
    body: { firstResponseAt: plus('2026-11-19T03:00:00Z', 60) },
  });
  expect(patched.status).toBe(200);
  snapshots.answeredLate = await metrics();

  await clockReaches(new Date(plus(recentStart, 21)));
  snapshots.job = await runOverdueJob();
  snapshots.afterTarget = await metrics();
  snapshots.secondJob = await runOverdueJob();
  snapshots.afterSecondJob = await metrics();
}, 120_000);
afterAll(() => runtime?.runtime.stop());

describe('unanswered, abandoned and overdue contacts in GET /metrics', () => {
  it('leaves contacts inside their target pending, in no rate', () => {
    const { service } = snapshots.created;
    expect(service.interactions).toBe(7);
    expect(service.abandoned).toBe(1); // a2
    // a2 and a3 wait for their 20 s; a3 and a7 are inside their resolution targets (a2 was abandoned)
    expect(service.pending).toEqual({ firstResponse: 2, resolution: 2 });
    // answered a1 (in) a5 (in, 1 h) a6 (out) a7 (in); a4 already past its 20 s unanswered → 3 / (4 + 1)
    expect(service.firstResponse).toMatchObject({ answered: 4, unanswered: 1, withinTargetShare: 0.6 });
  });

  it('moves a late answer from unanswered to answered-late instead of counting it twice', () => {
    const { service } = snapshots.answeredLate;
    // a4 answered after 60 s: 5 answered, 3 in target, none unanswered → 3 / 5, the same denominator
    expect(service.firstResponse).toMatchObject({ answered: 5, unanswered: 0, withinTargetShare: 0.6 });
    expect(service.interactions).toBe(7);
  });

  it('does not count an abandoned call or an unanswered chat before their target has passed', () => {
    expect(snapshots.earlyJob.flagged).toBe(0);
    // only a2 and a3 exist yet: both pending, in no rate (a3 also pending its 4 h; a2 has nothing to resolve)
    expect(snapshots.beforeTarget.service).toMatchObject({
      interactions: 2,
      abandoned: 1,
      pending: { firstResponse: 2, resolution: 1 },
      firstResponse: { answered: 0, unanswered: 0, withinTargetShare: null },
    });
  });

  it('lowers the 20 s rate by the abandoned call and the unanswered chat once their target has passed', () => {
    expect(snapshots.job.flagged).toBe(2);
    const { service } = snapshots.afterTarget;
    expect(service.pending).toEqual({ firstResponse: 0, resolution: 2 });
    // 3 in target of 5 answered + 2 unanswered (a2 abandoned, a3) = 3 / 7 = 0.428571… → 0.4286
    expect(service.firstResponse).toMatchObject({ answered: 5, unanswered: 2, withinTargetShare: 0.4286 });
    // phone: a2 unanswered, a6 answered late → 0 / 2
    expect(service.firstResponse.byChannel.phone).toMatchObject({ unanswered: 1, withinTargetShare: 0 });
  });

  it('counts each contact exactly once however often the job runs', () => {
    expect(snapshots.secondJob.flagged).toBe(0);
    expect(snapshots.afterSecondJob.service).toEqual(snapshots.afterTarget.service);
  });

  it('lowers the 4 h and 72 h rates by open contacts past their target', () => {
    const { service } = snapshots.afterTarget;
    // simple: a1 resolved in 10 min; a4 open a day past 4 h → 1 / 2 (a3 is still inside its 4 h, a2 abandoned)
    expect(service.resolution.simpleWithinTargetShare).toBe(0.5);
    // complex: a6 resolved in 50 h; a5 open 73+ h → 1 / 2 (a7 inside its 72 h)
    expect(service.resolution.complexWithinTargetShare).toBe(0.5);
    expect(service.resolution.overdue).toBe(2);
    // resolved a1 (first contact) and a6 (not) → 1 / 2
    expect(service.firstContactResolutionShare).toBe(0.5);
  });

  it('reports the complex-contact 1 h first-feedback rate as its own KPI', () => {
    const { service, values, status } = snapshots.afterTarget;
    // complex: a5 1800 s in, a6 5400 s out, a7 600 s in → 2 / 3
    expect(service.complexFeedbackWithinHourShare).toBe(0.6667);
    expect(values.complexFeedback).toBe(0.6667);
    expect(status.complexFeedback).toBe('red'); // < amber 0.85
  });

  it('counts overdue contacts by reason, unexplained ones too', () => {
    // missed a target: a2 a3 (unanswered), a4 (late answer, past 4 h), a5 (past 72 h, staffing), a6 (late feedback, process)
    expect(snapshots.afterTarget.service.overdueByReason).toEqual({
      contacts: 5,
      staffing: 1,
      process: 1,
      tooling: 0,
      customer: 0,
      other: 0,
      unexplained: 3,
    });
    // before the job: a4, a5, a6
    expect(snapshots.created.service.overdueByReason).toMatchObject({ contacts: 3, unexplained: 1 });
  });
});

describe('GET /interactions?overdue=true', () => {
  const overdue = async (query: string, as: 'supervisor' | 'manager' | 'agent' = 'supervisor') =>
    call('GET', `/interactions?overdue=true${query}`, { as });

  it('lists open contacts past a target, oldest first, without abandoned or resolved ones', async () => {
    const reply = await overdue('');
    expect(reply.status).toBe(200);
    // a5 (11-17), a4 (11-19), a3 (now); not a2 (abandoned), a6 (resolved), a7 (inside its targets)
    expect(reply.body.items.map((i: { id: string }) => i.id)).toEqual([ids.a5, ids.a4, ids.a3]);
    expect(reply.body.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
  });

  it('narrows to one team and pages with a cursor', async () => {
    const first = await overdue('&team=online&limit=1');
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([ids.a4]);
    const second = await overdue(`&team=online&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([ids.a3]);
    expect((await overdue('&team=tech')).body.items.map((i: { id: string }) => i.id)).toEqual([ids.a5]);
  });

  it('drops a contact from the list once it is resolved', async () => {
    const resolved = await call('PATCH', `/interactions/${ids.a5}`, {
      as: 'agent',
      body: { resolvedAt: clock().now().toISOString() },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', overdue: false, resolutionTargetMet: false });
    expect((await overdue('&team=tech')).body.items).toEqual([]);
    // resolved late: the miss stays a miss, now a resolved one (1 in target of 2 complex)
    const { service } = await metrics();
    expect(service.resolution).toMatchObject({ complexWithinTargetShare: 0.5, overdue: 1 });
  });

  it('is for supervisors and up', async () => {
    expect((await overdue('', 'agent')).status).toBe(403);
  });
});
