/**
 * Segment lists (issue 14 D): GET /customers?segment=&tier= lists at-risk customers, detractors and
 * frequent complainers from their member items (no Scan), contact data masked, kept up to date as
 * complaints are registered, surveys answered, tiers changed and customers erased.
 *
 *  customer  tier     what happens                           segments
 *  C-seg-1   gold     3 complaints                           frequent_complainer, at_risk (not a promoter)
 *  C-seg-2   silver   answers a survey with NPS 3            detractor, at_risk (detractor + negative feedback)
 *  C-seg-3   gold     1 complaint                            none
 *  C-seg-4   diamond  answers a survey with NPS 10           none (promoter)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/domain/settings.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { aCustomer } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
const clock = () => api.runtime.clock;
async function clockReaches(at: Date): Promise<void> {
  while (clock().now() < at)
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, clock().realDelayUntil(at))));
}

const scores = { responsiveness: 3, professionalism: 3, attitude: 4, resolution: 2, convenience: 3 };

/** A resolved contact of the customer, a survey about it, and an answer with `nps`. */
async function answerSurvey(customerId: string, nps: number) {
  const started = new Date(clock().now().getTime() - 3600_000).toISOString();
  const contact = await api.call('POST', '/interactions', {
    as: 'agent',
    body: {
      customerId,
      channel: 'chat',
      complexity: 'simple',
      startedAt: started,
      firstResponseAt: started,
      resolvedAt: started,
    },
  });
  expect(contact.status).toBe(201);
  const invited = await api.call('POST', '/surveys', {
    as: 'agent',
    body: { subject: { type: 'interaction', id: contact.body.id } },
  });
  expect(invited.status).toBe(201);
  expect((await api.call('GET', `/surveys/${invited.body.token}`, { as: null })).status).toBe(200);
  await clockReaches(new Date(clock().now().getTime() + (DEFAULT_SETTINGS.surveys.minAnswerSeconds + 1) * 1000));
  const answered = await api.call('POST', `/surveys/${invited.body.token}/responses`, {
    as: null,
    body: { scores, overall: nps >= 9 ? 5 : 2, nps },
  });
  expect(answered.status).toBe(201);
  expect(answered.body.valid).toBe(true);
}

const list = async (query: string) => {
  const reply = await api.call('GET', `/customers?${query}`, { as: 'supervisor' });
  expect(reply.status).toBe(200);
  return reply.body as { items: Array<{ id: string } & Record<string, any>>; nextCursor: string | null };
};
const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);

beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), timeScale: 100, schedules: false });
  await api.runtime.workflows.prepare();
  const tiers = { 'C-seg-1': 'gold', 'C-seg-2': 'silver', 'C-seg-3': 'gold', 'C-seg-4': 'diamond' } as const;
  for (const [id, tier] of Object.entries(tiers))
    expect((await api.call('PUT', `/customers/${id}`, { as: 'agent', body: aCustomer({ tier }) })).status).toBe(201);
  for (const category of ['logistics', 'price_billing', 'product_defect'])
    expect(
      (
        await api.call('POST', '/complaints', {
          as: 'agent',
          body: aComplaintBody({ customerId: 'C-seg-1', category }),
        })
      ).status,
    ).toBe(201);
  expect(
    (await api.call('POST', '/complaints', { as: 'agent', body: aComplaintBody({ customerId: 'C-seg-3' }) })).status,
  ).toBe(201);
  await answerSurvey('C-seg-2', 3);
  await answerSurvey('C-seg-4', 10);
}, 120_000);
afterAll(() => api?.runtime.stop());

describe('GET /customers?segment=', () => {
  it('lists each segment, by tier then id, and nobody who is in none', async () => {
    expect(ids(await list('segment=frequent_complainer'))).toEqual(['C-seg-1']);
    expect(ids(await list('segment=detractor'))).toEqual(['C-seg-2']);
    // gold#C-seg-1 before silver#C-seg-2
    expect(ids(await list('segment=at_risk'))).toEqual(['C-seg-1', 'C-seg-2']);
  });

  it('narrows to one tier and pages with a cursor', async () => {
    expect(ids(await list('segment=at_risk&tier=silver'))).toEqual(['C-seg-2']);
    expect(ids(await list('segment=at_risk&tier=diamond'))).toEqual([]);
    const first = await list('segment=at_risk&limit=1');
    expect(ids(first)).toEqual(['C-seg-1']);
    const second = await list(`segment=at_risk&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(ids(second)).toEqual(['C-seg-2']);
  });

  it('masks contact data and shows why the customer is listed', async () => {
    const member = (await list('segment=frequent_complainer')).items[0]!;
    expect(member).toEqual({
      id: 'C-seg-1',
      name: '王**',
      phone: '+86*******5678',
      email: 'w***@example.com',
      tier: 'gold',
      segment: { nps: null, frequentComplainer: true, atRisk: true, labels: ['frequent_complainer', 'at_risk'] },
      counts: expect.objectContaining({ complaints: 3, complaintsLast3Months: 3 }),
    });
    const detractor = (await list('segment=detractor')).items[0]!;
    expect(detractor.segment).toEqual({
      nps: 'detractor',
      frequentComplainer: false,
      atRisk: true,
      labels: ['detractor', 'at_risk'],
    });
    expect(detractor.latestNps.score).toBe(3);
  });

  it('follows a tier change', async () => {
    const moved = await api.call('PUT', '/customers/C-seg-1', { as: 'agent', body: aCustomer({ tier: 'diamond' }) });
    expect(moved.status).toBe(200);
    expect(ids(await list('segment=at_risk&tier=gold'))).toEqual([]);
    expect(ids(await list('segment=at_risk&tier=diamond'))).toEqual(['C-seg-1']);
  });

  it('forgets an erased customer', async () => {
    expect((await api.call('DELETE', '/customers/C-seg-2', { as: 'admin' })).status).toBe(204);
    expect(ids(await list('segment=detractor'))).toEqual([]);
    expect(ids(await list('segment=at_risk'))).toEqual(['C-seg-1']);
  });

  it('is for supervisors, and needs a known segment', async () => {
    expect((await api.call('GET', '/customers?segment=at_risk', { as: 'agent' })).status).toBe(403);
    const missing = await api.call('GET', '/customers', { as: 'supervisor' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toMatchObject([{ path: 'segment' }]);
    const unknown = await api.call('GET', '/customers?segment=promoter', { as: 'supervisor' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toMatchObject([{ path: 'segment', code: 'not_in_list' }]);
  });
});
