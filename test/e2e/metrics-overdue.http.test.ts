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
 *  a7   chat     complex     tech    now − 30 min          600 s (in 1 h, not 20 s) —          inside 72 h
 * (s000: the first-response rate holds every contact to its channel's target — a5's email hour, a7's
 * 20 s chat — and complexFeedbackWithinHourShare holds complex ones again to 1 h.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/domain/settings.js';
import type { CreateInteractionBody } from '../../shared/schemas/interactions.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { aCustomer } from '../support/builders/surveys.js';
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
const AGENT_OF: Record<string, { agent: string; team: string }> = {
  a1: { agent: 'agent-ann', team: 'online' },
  a2: { agent: 'agent-ann', team: 'online' },
  a3: { agent: 'agent-bob', team: 'online' },
  a4: { agent: 'agent-bob', team: 'online' },
  a5: { agent: 'agent-cy', team: 'tech' },
  a6: { agent: 'agent-cy', team: 'tech' },
  a7: { agent: 'agent-cy', team: 'tech' },
};
/** A call with a token for `sub` in `groups` (and `team`). */
const callAs = async (
  who: { sub: string; groups: Array<'agent' | 'supervisor' | 'manager'>; team?: string },
  method: string,
  path: string,
  body?: unknown,
) =>
  call(method, path, {
    as: null,
    ...(body === undefined ? {} : { body }),
    headers: { authorization: `Bearer ${await runtime.runtime.token(who.sub, who.groups, who.team)}` },
  });
let recentStart = '';

const metrics = async (query = PERIOD) => {
  const reply = await call('GET', `/metrics?${query}`, { as: 'supervisor' });
  expect(reply.status).toBe(200);
  return reply.body;
};
const runOverdueJob = async () => {
  const reply = await call('POST', '/_local/jobs/overdue', { as: 'admin' });
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
    const { agent, team } = AGENT_OF[key]!;
    const reply = await callAs({ sub: agent, groups: ['agent'], team }, 'POST', '/interactions', {
      ...bodies[key],
      agentId: agent,
    });
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

  // Survey answers about a1 (ann) and a6 (cy): invite, open, wait out the minimum reading time, answer.
  const tokens: Record<string, string> = {};
  for (const key of ['a1', 'a6']) {
    expect((await call('PUT', `/customers/C-due-${key}`, { as: 'agent', body: aCustomer() })).status).toBe(201);
    const invited = await call('POST', '/surveys', {
      as: 'agent',
      body: { subject: { type: 'interaction', id: ids[key] } },
    });
    expect(invited.status).toBe(201);
    tokens[key] = invited.body.token;
    expect((await call('GET', `/surveys/${tokens[key]}`, { as: null })).status).toBe(200);
  }
  const readUntil = new Date(clock().now().getTime() + (DEFAULT_SETTINGS.surveys.minAnswerSeconds + 1) * 1000);
  // One complaint, assigned to bob.
  await runtime.runtime.workflows.prepare();
  const complaint = await call('POST', '/complaints', {
    as: 'agent',
    body: aComplaintBody({ customerId: 'C-due-k1', channel: 'chat', category: 'logistics', severity: 'low' }),
  });
  expect(complaint.status).toBe(201);
  const assigned = await call('POST', `/complaints/${complaint.body.id}/events`, {
    as: 'agent',
    body: { type: 'assign', assigneeId: 'agent-bob' },
  });
  expect(assigned.status).toBe(200);
  await clockReaches(readUntil);
  const scores = (n: number) => ({ responsiveness: n, professionalism: n, attitude: n, resolution: n, convenience: n });
  for (const [key, overall, nps] of [
    ['a1', 4, 9],
    ['a6', 2, 5],
  ] as const) {
    const answered = await call('POST', `/surveys/${tokens[key]}/responses`, {
      as: null,
      body: { scores: { ...scores(overall), convenience: overall === 4 ? 5 : 3 }, overall, nps },
    });
    expect(answered.status).toBe(201);
    expect(answered.body.valid).toBe(true);
  }

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
}, 180_000);
afterAll(() => runtime?.runtime.stop());

describe('unanswered, abandoned and overdue contacts in GET /metrics', () => {
  it('leaves contacts inside their target pending, in no rate', () => {
    const { service } = snapshots.created;
    expect(service.interactions).toBe(7);
    expect(service.abandoned).toBe(1); // a2
    // a2 and a3 wait for their 20 s; a3 and a7 are inside their resolution targets (a2 was abandoned)
    expect(service.pending).toEqual({ firstResponse: 2, resolution: 2 });
    // answered a1 (in) a5 (in, email 1 h) a6 (out) a7 (out: 600 s of a chat's 20 s); a4 already past its 20 s
    // unanswered → 2 / (4 + 1)
    expect(service.firstResponse).toMatchObject({ answered: 4, unanswered: 1, withinTargetShare: 0.4 });
  });

  it('moves a late answer from unanswered to answered-late instead of counting it twice', () => {
    const { service } = snapshots.answeredLate;
    // a4 answered after 60 s: 5 answered, 2 in target, none unanswered → 2 / 5, the same denominator
    expect(service.firstResponse).toMatchObject({ answered: 5, unanswered: 0, withinTargetShare: 0.4 });
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
    // 2 in target of 5 answered + 2 unanswered (a2 abandoned, a3) = 2 / 7 = 0.285714… → 0.2857
    expect(service.firstResponse).toMatchObject({ answered: 5, unanswered: 2, withinTargetShare: 0.2857 });
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

describe('per-agent figures', () => {
  const ann = { sub: 'agent-ann', groups: ['agent' as const], team: 'online' };
  const onlineSupervisor = { sub: 'sup-online', groups: ['supervisor' as const], team: 'online' };
  const manager = { sub: 'boss', groups: ['manager' as const] };
  const EXPECTED = {
    // a1 in target, a2 abandoned unanswered → 1/2; a1 resolved on first contact → 1/1; one answer 4, NPS 9 (promoter)
    ann: {
      agentId: 'agent-ann',
      name: null,
      teams: ['online'],
      interactions: 2,
      firstResponseWithinTargetShare: 0.5,
      firstContactResolutionShare: 1,
      csat: 4,
      nps: 100,
      responses: 1,
      complaints: 0,
      pausedMinutes: 0,
      // a1 in 10 s (a2 abandoned: no time); the median from the histogram bucket (5, 10 s]
      averageFirstResponseSeconds: 10,
      p50FirstResponseSeconds: 8,
      // s004 scorecard (defaults): NPS 100 → 100, csat 4 = its amber → 0, first response 0.5 → 0, FCR 1 → 100,
      // no complaints (weight left out): (0.3·100 + 0.125·100) / 0.8 = 53.125 → 53.1
      score: 53.1,
      attainment: { nps: 100, csat: 0, firstAttemptResolution: null, firstResponse: 0, firstContactResolution: 100 },
    },
    // a3 unanswered, a4 answered late → 0/2; nothing resolved; no answers; the complaint assigned to bob
    // (registered by a team-less token, so it counts under team none)
    bob: {
      agentId: 'agent-bob',
      name: null,
      teams: ['none', 'online'],
      interactions: 2,
      firstResponseWithinTargetShare: 0,
      firstContactResolutionShare: null,
      csat: null,
      nps: null,
      responses: 0,
      complaints: 1,
      pausedMinutes: 0,
      averageFirstResponseSeconds: 60,
      p50FirstResponseSeconds: 53,
      // its complaint not resolved (0 of 1 → 0) and first response 0 → 0: score 0
      score: 0,
      attainment: { nps: null, csat: null, firstAttemptResolution: 0, firstResponse: 0, firstContactResolution: null },
    },
    // a5 in target (email 1 h), a7 past a chat's 20 s, a6 late → 1/3; a6 resolved, not on first contact → 0/1; one answer 2, NPS 5 (detractor)
    cy: {
      agentId: 'agent-cy',
      name: null,
      teams: ['tech'],
      interactions: 3,
      firstResponseWithinTargetShare: 0.3333,
      firstContactResolutionShare: 0,
      csat: 2,
      nps: -100,
      responses: 1,
      complaints: 0,
      pausedMinutes: 0,
      // (1800 + 5400 + 600) / 3
      averageFirstResponseSeconds: 2600,
      p50FirstResponseSeconds: 1500,
      score: 0,
      attainment: { nps: 0, csat: 0, firstAttemptResolution: null, firstResponse: 0, firstContactResolution: 0 },
    },
  };

  it('lists every agent for a manager, and one team when asked', async () => {
    const all = await callAs(manager, 'GET', `/metrics/agents?${PERIOD}`);
    expect(all.status).toBe(200);
    expect(all.body.items).toEqual([EXPECTED.ann, EXPECTED.bob, EXPECTED.cy]);
    const tech = await callAs(manager, 'GET', `/metrics/agents?${PERIOD}&team=tech`);
    expect(tech.body.items).toEqual([EXPECTED.cy]);
  });

  it("gives a supervisor their own team's agents only, and 403 for another team", async () => {
    const own = await callAs(onlineSupervisor, 'GET', `/metrics/agents?${PERIOD}`);
    expect(own.status).toBe(200);
    // bob's complaint was registered without a team: it is not the online team's, so not in this view
    expect(own.body.items).toEqual([
      EXPECTED.ann,
      {
        ...EXPECTED.bob,
        teams: ['online'],
        complaints: 0,
        // without the complaint, only the first response (0) is weighed
        attainment: { ...EXPECTED.bob.attainment, firstAttemptResolution: null },
      },
    ]);
    expect((await callAs(onlineSupervisor, 'GET', `/metrics/agents?${PERIOD}&team=tech`)).status).toBe(403);
    // another team's agent: only the figures they earned in the supervisor's team, here none
    const cy = await callAs(onlineSupervisor, 'GET', `/metrics?${PERIOD}&agentId=agent-cy`);
    expect(cy.status).toBe(200);
    expect(cy.body.service.interactions).toBe(0);
  });

  it('lets an agent read their own figures in the full /metrics shape, and nobody else’s', async () => {
    const own = await callAs(ann, 'GET', `/metrics?${PERIOD}&agentId=agent-ann`);
    expect(own.status).toBe(200);
    expect(own.body.period.agentId).toBe('agent-ann');
    expect(own.body.service).toMatchObject({
      interactions: 2,
      abandoned: 1,
      firstResponse: { withinTargetShare: 0.5, unanswered: 1 },
      firstContactResolutionShare: 1,
    });
    expect(own.body.satisfaction).toMatchObject({ validResponses: 1, csat: 4 });
    expect((await callAs(ann, 'GET', `/metrics?${PERIOD}&agentId=agent-bob`)).status).toBe(403);
    expect((await callAs(ann, 'GET', `/metrics?${PERIOD}`)).status).toBe(403);
    expect((await callAs(ann, 'GET', `/metrics/agents?${PERIOD}`)).status).toBe(403);
  });

  it("gives a supervisor their team's figures by default, and a manager every team side by side (groupBy=team)", async () => {
    const own = await callAs(onlineSupervisor, 'GET', `/metrics?${PERIOD}`);
    expect(own.status).toBe(200);
    // a1–a4: the online team's contacts only
    expect(own.body.period.team).toBe('online');
    expect(own.body.service.interactions).toBe(4);
    const teams = await callAs(manager, 'GET', `/metrics?${PERIOD}&groupBy=team`);
    expect(teams.status).toBe(200);
    // none: bob's complaint only (registered by a team-less token); online a1–a4; tech a5–a7
    expect(teams.body.groups.map((g: { key: string }) => g.key)).toEqual(['none', 'online', 'tech']);
    const of = (key: string) => teams.body.groups.find((g: { key: string }) => g.key === key).kpis;
    // online: a1 in 20 s; a2 abandoned, a3 unanswered, a4 answered late → 1/4
    expect(of('online').firstResponse).toMatchObject({ value: 0.25, status: 'red', target: 0.95 });
    // tech: a5 (30 min of email's 1 h) in; a7 (10 min of chat's 20 s) and a6 (90 min) late → 1/3
    expect(of('tech').firstResponse).toMatchObject({ value: 0.3333, status: 'red' });
    expect(of('none').firstResponse).toMatchObject({ value: null, status: null });
    // The team scorecard: tech has csat 2, NPS −100, first response 0.3333, FCR 0 → every attainment 0.
    const tech = teams.body.groups.find((g: { key: string }) => g.key === 'tech');
    expect(tech).toMatchObject({
      score: 0,
      attainment: { nps: 0, csat: 0, firstResponse: 0, firstContactResolution: 0 },
    });
    // a supervisor's groups stay inside their team
    const agents = await callAs(onlineSupervisor, 'GET', `/metrics?${PERIOD}&groupBy=agent`);
    expect(agents.body.groups.map((g: { key: string }) => g.key)).toEqual(['agent-ann', 'agent-bob']);
    const agent = (key: string) => agents.body.groups.find((g: { key: string }) => g.key === key).kpis;
    expect(agent('agent-ann').firstResponse.value).toBe(EXPECTED.ann.firstResponseWithinTargetShare);
    expect(agent('agent-bob').firstResponse.value).toBe(EXPECTED.bob.firstResponseWithinTargetShare);
    expect((await callAs(onlineSupervisor, 'GET', `/metrics?${PERIOD}&groupBy=team&team=tech`)).status).toBe(403);
  });

  it('sums to the team figures: the agent cells hold the same counters again', async () => {
    const online = await metrics(`${PERIOD}&team=online`);
    expect(online.service.interactions).toBe(EXPECTED.ann.interactions + EXPECTED.bob.interactions);
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
