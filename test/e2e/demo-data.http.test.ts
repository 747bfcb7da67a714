/**
 * The demo data set (`npm start`) is something a screen can be built on: everything it seeds is
 * listed by the API's own lists. Every alert it wrote is in `GET /alerts` under its status (the
 * bulk load once wrote alerts without the call-back queue's index, so the list answered nothing
 * while /metrics counted call-backs due); complaints are open in every stage with deadlines in
 * the coming hours, one overdue, one reopened in its second round; contacts are overdue and at risk.
 * Every new section has something to show: answers to the s001 standard (sub-indicators, drivers),
 * and last quarter's relationship campaign, finished, its progress and results adding up to the
 * answers /metrics counts for the relationship questionnaire.
 *
 * It is loaded as `npm start` loads it (`startDemoLoad`), on a clock held at the load's instant:
 * the server may answer once the figures are stored, and the rest loads in the background (lists,
 * complaints lived event by event, open ones handed to their executions). That background part
 * changes no figure of contacts and surveys, completes every list and leaves every open complaint
 * watched by a running execution; its past's notices are history (recorded as sent, never in the
 * outbox) and the jobs wait for it, so the outbox holds only what happens after the load began.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDemoLoad } from '../../infra/local/seed/demo.js';
import { dynamo } from '../../shared/store/client.js';
import { MAIN_TABLE, tableName } from '../../shared/store/table.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
let now: Date;
/** GET /metrics of the demo's weeks when the server could first answer (the figures stored, the rest still loading). */
let atFirstAnswer: Record<string, any>;
/** A follow-up job run asked for while the background load was going on, and whether the load had ended when it answered. */
let jobDuringLoad: Promise<{ status: number; body: any; answeredAfterLoad: boolean }>;
const DAYS = 42;
/** The instant the demo is loaded at (any fixed one whose queue holds open and claimed alerts). */
const DEMO_NOW = new Date('2026-12-08T05:00:00Z');
const metricsOfTheDemo = async () => {
  const from = new Date(now.getTime() - DAYS * 86400_000).toISOString().slice(0, 10);
  const to = new Date(now.getTime() + 86400_000).toISOString().slice(0, 10);
  const metrics = await api.call('GET', `/metrics?from=${from}&to=${to}`, { as: 'supervisor' });
  expect(metrics.status).toBe(200);
  return metrics.body;
};

/** Every item of a list, following nextCursor. */
async function all(path: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api.call(
      'GET',
      `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

/** What the seed stored, read straight from the table (a test may scan; the API never does). */
async function storedOfType(type: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({
        TableName: tableName(MAIN_TABLE),
        FilterExpression: '#type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': type },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

beforeAll(async () => {
  // One instant, so the data set is the same in every run: the demo draws its history back from
  // `now`, and how many alerts fall in the last four days (the queue) depends on the hour. At some
  // hours the six weeks this test loads hold no recent alert at all (a fresh clone at 06:03 UTC on
  // 2026-12-08 found an empty queue).
  api = await startTestRuntime({ schedules: false, startAt: DEMO_NOW });
  now = api.runtime.clock.now();
  // Nothing happens after the load began but what the test does: whatever the outbox holds came after it.
  api.runtime.clock.hold(now);
  // Six weeks of contacts (the full demo has 120 days; the shape is the same).
  const load = startDemoLoad(api.runtime, () => {}, { days: DAYS });
  expect(await load.ready).toBe('figures');
  atFirstAnswer = await metricsOfTheDemo();
  let loaded = false;
  jobDuringLoad = api
    .call('POST', '/_local/jobs/follow-ups')
    .then(({ status, body }) => ({ status, body, answeredAfterLoad: loaded }));
  expect(await load.loaded).toBe(true);
  loaded = true;
}, 240_000);
afterAll(() => api?.runtime.stop());

describe('the demo data set', () => {
  it('lists every alert it seeded in GET /alerts under its status, open and claimed ones among them', async () => {
    const seeded = await storedOfType('alert');
    expect(seeded.length).toBeGreaterThan(5);
    const queue = await all('/alerts');
    const done = await all('/alerts?status=done&months=3');
    const byStatus = (status: string) =>
      seeded
        .filter((a) => a.status === status)
        .map((a) => a.id)
        .sort();
    expect(
      queue
        .filter((a) => a.status === 'open')
        .map((a) => a.id)
        .sort(),
    ).toEqual(byStatus('open'));
    expect(
      queue
        .filter((a) => a.status === 'claimed')
        .map((a) => a.id)
        .sort(),
    ).toEqual(byStatus('claimed'));
    expect(done.map((a) => a.id).sort()).toEqual(byStatus('done'));
    expect(byStatus('open').length).toBeGreaterThan(0);
    expect(byStatus('claimed').length).toBeGreaterThan(0);
    expect(byStatus('done').length).toBeGreaterThan(0);
    // The queue's figure in /metrics and its list agree: an open alert is one a supervisor can claim.
    const first = queue.find((a) => a.status === 'open')!;
    const claimed = await api.call('POST', `/alerts/${first.id}/claim`, { as: 'supervisor' });
    expect(claimed.status).toBe(200);
    expect(claimed.body.status).toBe('claimed');
  });

  it('has open complaints in every stage, deadlines in the coming hours, one overdue and escalated', async () => {
    const open = await all('/complaints?open=true&sort=nextDeadline');
    const statuses = new Set(open.map((c) => c.status));
    for (const status of [
      'registered',
      'assigned',
      'responded',
      'awaiting_customer',
      'solution_proposed',
      'resolved',
      'confirmed',
      'reopened',
    ])
      expect(statuses, status).toContain(status);
    const soon = open.filter(
      (c) => c.nextDeadline && c.nextDeadline.secondsLeft > 0 && c.nextDeadline.secondsLeft < 24 * 3600,
    );
    expect(soon.length).toBeGreaterThanOrEqual(5);
    // Nearest deadline first.
    const seconds = open.filter((c) => c.nextDeadline).map((c) => c.nextDeadline.secondsLeft);
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
    const overdue = open.find((c) => c.status === 'registered' && c.breached);
    expect(overdue?.escalations.length).toBeGreaterThan(0);
    expect(overdue?.milestones.respond.outcome).toBe('missed');
  });

  it('has a complaint reopened into its second round, with its own execution', async () => {
    const reopened = (await all('/complaints?open=true')).find((c) => c.status === 'reopened');
    expect(reopened.round).toBe(2);
    expect(reopened.escalation.executionName).toBe(`${reopened.id}-r2`);
    const timeline = await api.call('GET', `/complaints/${reopened.id}/timeline`);
    expect(timeline.status).toBe(200);
    const types = timeline.body.items.map((e: any) => e.type);
    expect(types).toEqual(expect.arrayContaining(['close', 'reopen']));
  });

  it('has contacts overdue and contacts at risk in the queues', async () => {
    const overdue = await all('/interactions?overdue=true');
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.every((i) => i.overdue && i.status === 'open')).toBe(true);
    const from = new Date(now.getTime() - 2 * 86400_000).toISOString().slice(0, 10);
    const openNow = await all(`/interactions?status=open&from=${from}`);
    // Answered, unresolved, within the 4 h target: what a screen marks as at risk.
    const atRisk = openNow.filter((i) => !i.overdue && i.firstResponseAt && i.complexity === 'simple');
    expect(atRisk.length).toBeGreaterThanOrEqual(3);
  });

  it('finds an audience for a campaign estimate: the contacts wrote their audience markers', async () => {
    const today = now.toISOString().slice(0, 10);
    const monthAgo = new Date(now.getTime() - 30 * 86400_000).toISOString().slice(0, 10);
    const estimate = await api.call('POST', '/campaigns', {
      as: 'manager',
      body: {
        name: 'Demo NPS sample',
        questionnaireId: 'service-transaction',
        audience: { activeBetween: { from: monthAgo, to: today } },
        sample: { share: 0.05 },
        // Local days (Shanghai) may be ahead of UTC: a window from tomorrow on.
        window: {
          from: new Date(now.getTime() + 86400_000).toISOString().slice(0, 10),
          to: new Date(now.getTime() + 7 * 86400_000).toISOString().slice(0, 10),
        },
      },
    });
    expect(estimate.status, JSON.stringify(estimate.body)).toBe(201);
    expect(estimate.body.estimate.audience).toBeGreaterThan(20);
    expect(estimate.body.estimate.sample).toBe(Math.ceil(estimate.body.estimate.audience * 0.05));
  });

  it('has answers to the s001 standard: every sub-indicator in /metrics, drivers ranked', async () => {
    const from = new Date(now.getTime() - 42 * 86400_000).toISOString().slice(0, 10);
    const to = new Date(now.getTime() + 86400_000).toISOString().slice(0, 10);
    const metrics = await api.call('GET', `/metrics?from=${from}&to=${to}`, { as: 'supervisor' });
    expect(metrics.status).toBe(200);
    const subs = metrics.body.satisfaction.subIndicators;
    // Every scale item of service-standard has answers (the store and online items where they apply).
    const standard = await api.call('GET', '/questionnaires/service-standard?version=1', { as: 'supervisor' });
    const items = standard.body.questions.filter((q: any) => q.type === 'scale' && q.subIndicator);
    expect(items.length).toBeGreaterThanOrEqual(15);
    const unanswered = items
      .map((q: any) => `${q.dimension}.${q.subIndicator}`)
      .filter((key: string) => !(subs[key]?.n > 0));
    expect(unanswered).toEqual([]);
    expect(metrics.body.satisfaction.lowestSubIndicator).not.toBeNull();
    // Relationship answers feed their own dimensions.
    for (const d of ['product', 'price', 'logistics', 'brand'])
      expect(metrics.body.satisfaction.dimensions[d]?.n, d).toBeGreaterThan(0);
    const grouped = await api.call('GET', `/metrics?from=${from}&to=${to}&groupBy=questionnaire`, {
      as: 'supervisor',
    });
    expect(grouped.status).toBe(200);
    const byQuestionnaire = Object.fromEntries(grouped.body.groups.map((g: any) => [g.key, g]));
    expect(byQuestionnaire['service-standard'].n).toBeGreaterThanOrEqual(15);
    expect(byQuestionnaire['service-transaction'].n).toBeGreaterThan(byQuestionnaire['service-standard'].n);
    // The drivers have enough answers to rank every service dimension.
    const drivers = await api.call('GET', `/metrics/drivers?from=${from}&to=${to}`, { as: 'supervisor' });
    expect(drivers.status).toBe(200);
    for (const d of ['responsiveness', 'professionalism', 'attitude', 'resolution', 'convenience']) {
      const row = drivers.body.items.find((item: any) => item.dimension === d);
      expect(row?.r, d).toEqual(expect.any(Number));
    }
  });

  it('has a finished relationship campaign: progress, margin of error and results that add up', async () => {
    const finished = await all('/campaigns?status=finished');
    expect(finished).toHaveLength(1);
    const campaign = finished[0];
    expect(campaign).toMatchObject({ status: 'finished', questionnaire: { id: 'relationship', version: 1 } });
    const read = await api.call('GET', `/campaigns/${campaign.id}`, { as: 'manager' });
    expect(read.status).toBe(200);
    const { estimate, progress } = read.body;
    // The sample, invited once each and delivered (every eligible customer has a channel).
    expect(progress.invited).toBe(estimate.sample);
    expect(progress.delivered).toBe(progress.invited);
    expect(estimate.eligible).toBeGreaterThanOrEqual(estimate.sample);
    expect(estimate.audience).toBeGreaterThan(estimate.sample);
    // About 18 % answer (s004 expects ≥ 15 %); the margin of error is the contract's formula.
    expect(progress.responseRate).toBeGreaterThan(0.08);
    expect(progress.responseRate).toBeLessThan(0.35);
    expect(progress.responseRate).toBe(Math.round((progress.answered / progress.invited) * 10_000) / 10_000);
    const n = progress.valid;
    const N = estimate.audience;
    expect(n).toBeGreaterThan(0);
    expect(progress.marginOfError).toBe(
      Math.round(1.96 * Math.sqrt((0.25 / n) * ((N - n) / (N - 1))) * 10_000) / 10_000,
    );
    // Its surveys are stored: one per invited customer, listed on the customer.
    const surveys = await storedOfType('survey');
    const ofCampaign = surveys.filter((survey) => survey.campaignId === campaign.id);
    expect(ofCampaign).toHaveLength(progress.invited);
    expect(new Set(ofCampaign.map((survey) => survey.customerId)).size).toBe(progress.invited);
    expect(ofCampaign.filter((survey) => survey.status === 'answered')).toHaveLength(progress.answered);

    const results = await api.call('GET', `/campaigns/${campaign.id}/results`, { as: 'supervisor' });
    expect(results.status).toBe(200);
    expect(results.body.satisfaction.validResponses).toBe(n);
    const question = (id: string) => results.body.questions.find((q: any) => q.questionId === id);
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    for (const id of ['product_quality', 'price_value', 'logistics_speed', 'brand_trust', 'overall', 'nps'])
      expect(sum(question(id).counts), id).toBe(n);
    // Two items under each of product, price, logistics and brand; one per service dimension.
    for (const d of ['product', 'price', 'logistics', 'brand']) expect(results.body.dimensions[d]?.n, d).toBe(2 * n);
    expect(results.body.dimensions.responsiveness.n).toBe(n);
    expect(results.body.nps.score).toEqual(expect.any(Number));
    // /metrics counts the same relationship answers (the campaign is the only one asking it).
    const day = campaign.window.from;
    const grouped = await api.call('GET', `/metrics?from=${day}&to=${day}&groupBy=questionnaire`, {
      as: 'supervisor',
    });
    const relationship = grouped.body.groups.find((g: any) => g.key === 'relationship');
    expect(relationship.n).toBe(n);
  });

  it('loads in the background without changing the first answer’s figures, and completes every list', async () => {
    const loaded = await metricsOfTheDemo();
    // What the banner promises at the first answer: every contact's and survey's figures, as they end.
    for (const part of ['service', 'satisfaction', 'nps', 'alerts'])
      expect(loaded[part], part).toEqual(atFirstAnswer[part]);
    expect(loaded.surveys.invited).toBe(atFirstAnswer.surveys.invited);
    // The subjects owed a survey are resolved contacts and closed complaints: the latter come with the background.
    expect(loaded.surveys.eligible).toBeGreaterThan(atFirstAnswer.surveys.eligible);
    // The complaints are what the background adds.
    const stored = await storedOfType('complaint');
    expect(stored.length).toBeGreaterThan(20);
    // Every list holds what was stored (both lists default to the last 90 days; the demo spans six weeks).
    expect((await all('/complaints')).map((c) => c.id).sort()).toEqual(stored.map((c) => c.id).sort());
    const interactions = await storedOfType('interaction');
    expect((await all('/interactions')).map((i) => i.id).sort()).toEqual(interactions.map((i) => i.id).sort());
  });

  it('hands every open complaint to a running execution', async () => {
    const open = await all('/complaints?open=true');
    expect(open.length).toBeGreaterThanOrEqual(9);
    const executions = await api.call('GET', '/_local/executions');
    const running = new Map<string, string>(executions.body.items.map((e: any) => [e.name, e.status]));
    for (const complaint of open) expect(running.get(complaint.escalation.executionName), complaint.id).toBe('RUNNING');
  });

  it('delivers none of its past: the jobs waited for the load, and the outbox has only what came after', async () => {
    const job = await jobDuringLoad;
    expect(job.status).toBe(200);
    expect(job.answeredAfterLoad).toBe(true);
    expect(job.body.sent).toBe(0);
    // The past's notices are on the timelines (the escalated complaint's owner heard of it back then)…
    const escalated = (await all('/complaints?open=true')).find((c) => c.status === 'registered' && c.breached);
    const timeline = await api.call('GET', `/complaints/${escalated.id}/timeline`);
    expect(timeline.body.items.map((e: any) => e.type)).toContain('escalated');
    // …and none of them reached the outbox.
    expect(api.runtime.outbox.list()).toEqual([]);
    // What the user does is delivered as ever: a new complaint's acknowledgement and owner notice.
    const created = await api.call('POST', '/complaints', {
      as: 'agent',
      body: {
        customerId: 'C-01001',
        channel: 'phone',
        category: 'logistics',
        severity: 'high',
        description: 'Parcel never arrived',
      },
    });
    expect(created.status).toBe(201);
    await vi.waitFor(() => expect(api.runtime.outbox.list().length).toBeGreaterThanOrEqual(2), { timeout: 60_000 });
    const outbox = api.runtime.outbox.list();
    expect(outbox.every((message) => message.id.includes(created.body.id))).toBe(true);
  });
});
