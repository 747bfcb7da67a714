/**
 * The demo data set (`npm start`) is something a screen can be built on: everything it seeds is
 * listed by the API's own lists. Every alert it wrote is in `GET /alerts` under its status (the
 * bulk load once wrote alerts without the call-back queue's index, so the list answered nothing
 * while /metrics counted call-backs due); complaints are open in every stage with deadlines in
 * the coming hours, one overdue, one reopened in its second round; contacts are overdue and at risk.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../infra/local/seed/demo.js';
import { dynamo } from '../../shared/store/client.js';
import { MAIN_TABLE, tableName } from '../../shared/store/table.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
let now: Date;

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
  api = await startTestRuntime({ schedules: false });
  now = api.runtime.clock.now();
  // Six weeks of contacts (the full demo has 120 days; the shape is the same).
  expect(await seedDemo(now, () => {}, { days: 42 })).toBe(true);
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
});
