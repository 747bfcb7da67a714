/**
 * Satisfaction by customer group and the key drivers (issue 23), over HTTP on 32 answers worked out
 * by hand: `/metrics?groupBy=tier|customerType|newOrReturning|segment|questionnaire` from the group
 * counters written with each answer (small groups suppressed), and `/metrics/drivers` ranking the
 * dimensions from the pre-aggregated Pearson sums.
 *
 * Answer i (0–31), one customer and one resolved chat each, all on 2026-11-10:
 *   overall o = i mod 5 + 1, NPS = 2·o; responsiveness = o (r = 1 with overall); professionalism = 6 − o
 *   (r = −1); attitude = 2 when o ≤ 2, else 4; resolution = 2i mod 5 + 1; convenience = 4 (constant: r null).
 * Customers: tier diamond for i < 2, gold for 2 ≤ i < 8, silver after (2 / 6 / 24); customerType
 *   business for even i, individual for odd (16 / 16); customerSince none for i < 4 (unknown), 2026-06-01
 *   for 4 ≤ i < 12 (new), 2020-01-01 after (returning) (4 / 8 / 20).
 *
 * Business (even i, 16 answers): overall 1 ×4, 2 ×3, 3 ×3, 4 ×3, 5 ×3 → Σ 46, csat 46/16 = 2.875 → 2.88;
 *   satisfied (4–5) 6/16 = 0.375; NPS 2·o: detractors (o ≤ 3) 10, passives 3, promoters 3 → (3−10)/16 = −43.75 %;
 *   negative (overall ≤ 2) 7/16 = 0.4375. Dimensions (score = (mean − 1)/4·10): responsiveness 46/16 → 4.6875,
 *   professionalism (96 − 46)/16 → 5.3125, attitude (7·2 + 9·4)/16 → 5.3125, resolution (1·4 + 5·3 + 4·3 + 3·3 + 2·3)/16
 *   = 46/16 → 4.6875, convenience 4 → 7.5; CSI = 27.5/5 = 5.5; lowest: resolution (4.69, ties by name).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

const START = new Date('2026-11-10T06:00:00Z'); // 14:00 in Shanghai
const DAY = '2026-11-10';
const ANSWERS = 32;
let api: TestApi;

const answerOf = (i: number) => {
  const o = (i % 5) + 1;
  return {
    scores: {
      responsiveness: o,
      professionalism: 6 - o,
      attitude: o <= 2 ? 2 : 4,
      resolution: ((2 * i) % 5) + 1,
      convenience: 4,
    },
    overall: o,
    nps: 2 * o,
  };
};

beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  const patch = { surveys: { minAnswerSeconds: 0 } };
  expect((await api.call('PATCH', '/settings', { as: 'admin', body: patch })).status).toBe(200);
  for (let i = 0; i < ANSWERS; i += 1) {
    const customerId = `C-grp-${i}`;
    const customer = aCustomer({
      phone: `+86138000100${String(i).padStart(2, '0')}`,
      tier: i < 2 ? 'diamond' : i < 8 ? 'gold' : 'silver',
      customerType: i % 2 === 0 ? 'business' : 'individual',
      ...(i < 4 ? {} : { customerSince: i < 12 ? '2026-06-01' : '2020-01-01' }),
    });
    const put = await api.call('PUT', `/customers/${customerId}`, { as: 'agent', body: customer });
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    const contact = await api.call('POST', '/interactions', {
      as: 'agent',
      body: {
        customerId,
        channel: 'chat',
        complexity: 'simple',
        startedAt: '2026-11-10T05:00:00Z',
        firstResponseAt: '2026-11-10T05:00:10Z',
        resolvedAt: '2026-11-10T05:10:00Z',
      },
    });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const survey = await api.call('POST', '/surveys', {
      as: 'agent',
      body: { subject: { type: 'interaction', id: contact.body.id } },
    });
    expect(survey.status, JSON.stringify(survey.body)).toBe(201);
    expect((await api.call('GET', `/surveys/${survey.body.token}`, { as: null })).status).toBe(200);
    const reply = await api.call('POST', `/surveys/${survey.body.token}/responses`, { as: null, body: answerOf(i) });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body, JSON.stringify(reply.body)).toMatchObject({ valid: true });
  }
}, 180_000);
afterAll(() => api?.runtime.stop());

const grouped = async (by: string) => {
  const reply = await api.call('GET', `/metrics?from=${DAY}&to=${DAY}&groupBy=${by}`, { as: 'supervisor' });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
};

const SUPPRESSED = {
  suppressed: true,
  csat: null,
  satisfiedShare: null,
  nps: null,
  csi: null,
  negativeShare: null,
  dimensions: {},
  lowestDimension: null,
};

describe('GET /metrics?groupBy= a customer group', () => {
  it('gives each customer type its figures, computed by hand', async () => {
    const body = await grouped('customerType');
    expect(body.satisfaction.validResponses).toBe(ANSWERS);
    expect(body.period).toMatchObject({ groupBy: 'customerType', minGroupSize: 5 });
    expect(body.groups.map((g: { key: string; n: number }) => [g.key, g.n])).toEqual([
      ['business', 16],
      ['individual', 16],
    ]);
    expect(body.groups[0]).toEqual({
      key: 'business',
      n: 16,
      suppressed: false,
      csat: 2.88,
      satisfiedShare: 0.375,
      nps: -43.7,
      csi: 5.5,
      negativeShare: 0.4375,
      dimensions: {
        attitude: { n: 16, average: 3.13, csi: 5.31 },
        convenience: { n: 16, average: 4, csi: 7.5 },
        professionalism: { n: 16, average: 3.13, csi: 5.31 },
        resolution: { n: 16, average: 2.88, csi: 4.69 },
        responsiveness: { n: 16, average: 2.88, csi: 4.69 },
      },
      lowestDimension: { dimension: 'resolution', csi: 4.69 },
    });
  });

  it('suppresses a group under kpis.minGroupSize, and the next smallest so the total cannot give it away', async () => {
    const tiers = await grouped('tier');
    expect(tiers.groups).toEqual([
      { key: 'diamond', n: 2, ...SUPPRESSED },
      { key: 'gold', n: 6, ...SUPPRESSED },
      expect.objectContaining({ key: 'silver', n: 24, suppressed: false, csat: expect.any(Number) }),
    ]);
    const tenure = await grouped('newOrReturning');
    expect(tenure.groups).toEqual([
      { key: 'new', n: 8, ...SUPPRESSED },
      expect.objectContaining({ key: 'returning', n: 20, suppressed: false }),
      { key: 'unknown', n: 4, ...SUPPRESSED },
    ]);
    // The group counters themselves never appear among the counters a caller sees.
    expect(Object.keys(tiers.counters).filter((name) => name.startsWith('grp_'))).toEqual([]);
  });

  it('shows a group once kpis.minGroupSize allows it', async () => {
    const patch = { kpis: { minGroupSize: 2 } };
    expect((await api.call('PATCH', '/settings', { as: 'admin', body: patch })).status).toBe(200);
    try {
      const tiers = await grouped('tier');
      // diamond: i = 0 (overall 1) and 1 (overall 2) → csat 1.5, both negative.
      expect(tiers.groups[0]).toMatchObject({ key: 'diamond', n: 2, suppressed: false, csat: 1.5, negativeShare: 1 });
      expect(tiers.groups.every((g: { suppressed: boolean }) => !g.suppressed)).toBe(true);
    } finally {
      const reset = { kpis: { minGroupSize: null } };
      expect((await api.call('PATCH', '/settings', { as: 'admin', body: reset })).status).toBe(200);
    }
  });

  it('groups by segment before the answer and by questionnaire', async () => {
    // Nobody had answered before: every answer arrived from a customer without a segment.
    expect((await grouped('segment')).groups).toMatchObject([{ key: 'none', n: ANSWERS, suppressed: false }]);
    // Overall Σ = 7·1 + 7·2 + 6·3 + 6·4 + 6·5 = 93 → 93/32 = 2.906 → 2.91.
    expect((await grouped('questionnaire')).groups).toMatchObject([
      { key: 'service-transaction', n: ANSWERS, suppressed: false, csat: 2.91 },
    ]);
  });

  it('refuses an unknown key, and a customer group with agentId, naming groupBy', async () => {
    const unknown = await api.call('GET', '/metrics?groupBy=region', { as: 'supervisor' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toMatchObject([{ path: 'groupBy' }]);
    const withAgent = await api.call('GET', '/metrics?groupBy=tier&agentId=agent-7', { as: 'supervisor' });
    expect(withAgent.status).toBe(400);
    expect(withAgent.body.errors).toMatchObject([{ path: 'groupBy' }]);
  });

  it('keeps customerType and customerSince on the profile, refusing an unknown type or a date after today', async () => {
    const read = await api.call('GET', '/customers/C-grp-4', { as: 'agent' });
    expect(read.body).toMatchObject({ customerType: 'business', customerSince: '2026-06-01', tier: 'gold' });
    const type = await api.call('PUT', '/customers/C-grp-x', {
      as: 'agent',
      body: aCustomer({ customerType: 'vip' as never }),
    });
    expect(type.status).toBe(400);
    expect(type.body.errors).toMatchObject([{ path: 'customerType' }]);
    const later = await api.call('PUT', '/customers/C-grp-x', {
      as: 'agent',
      body: aCustomer({ customerSince: '2026-11-11' }),
    });
    expect(later.status).toBe(400);
    expect(later.body.errors).toMatchObject([{ path: 'customerSince', code: 'out_of_range' }]);
    expect((await api.call('GET', '/customers/C-grp-x', { as: 'agent' })).status).toBe(404);
  });
});

describe('GET /metrics/drivers on enough answers to rank', () => {
  it('finds r = 1 for the dimension equal to overall, null for the constant one, and ranks what to fix first', async () => {
    const reply = await api.call('GET', `/metrics/drivers?from=${DAY}&to=${DAY}`, { as: 'supervisor' });
    expect(reply.status).toBe(200);
    const byDimension = Object.fromEntries(
      reply.body.items.map((item: { dimension: string }) => [item.dimension, item]),
    );
    // Overall Σ 93 over 32 answers: responsiveness mean 2.90625 → score 4.77.
    expect(byDimension.responsiveness).toEqual({
      dimension: 'responsiveness',
      n: ANSWERS,
      r: 1,
      csi: 4.77,
      priority: 1,
      quadrant: 'fix_first',
    });
    expect(byDimension.convenience).toMatchObject({ n: ANSWERS, r: null, priority: null, quadrant: null });
    expect(byDimension.professionalism).toMatchObject({ r: -1 });
    // Four dimensions ranked (convenience has no r): the inverse one last.
    expect(byDimension.professionalism.priority).toBe(4);
    expect(byDimension.attitude.r).toBeGreaterThan(0.8);
  });

  it("puts the same drivers in the month's report, fix first first: a quadrant chart with a table, and CSV rows", async () => {
    const drivers = await api.call('GET', '/metrics/drivers?from=2026-11-01&to=2026-11-30', { as: 'supervisor' });
    const report = await api.call('POST', '/reports/2026-11/generate', { as: 'manager', body: {} });
    expect(report.status).toBe(200);
    const byPriority = [...drivers.body.items].sort(
      (a, b) => (a.priority ?? 99) - (b.priority ?? 99) || a.dimension.localeCompare(b.dimension),
    );
    expect(report.body.drivers).toEqual({ target: 'overall', minAnswers: 30, items: byPriority });
    expect(report.body.drivers.items[0]).toEqual({
      dimension: 'responsiveness',
      n: ANSWERS,
      r: 1,
      csi: 4.77,
      priority: 1,
      quadrant: 'fix_first',
    });
    expect(report.body.drivers.items.at(-1)).toMatchObject({ dimension: 'convenience', r: null, priority: null });

    const html = (await api.call('GET', '/reports/2026-11/html?lang=en', { as: 'manager' })).text;
    // The chart names what to fix first for those who cannot see it; the table carries every figure.
    expect(html).toContain('data-chart="drivers"');
    expect(html).toMatch(
      /<svg role="img" aria-label="Key drivers quadrant: [^"]*fix first: Responsiveness[^"]*" data-chart="drivers"/i,
    );
    expect(html).toMatch(
      /<td[^>]*>1<\/td><td[^>]*>Responsiveness and timeliness<\/td><td[^>]*>1\.000<\/td><td[^>]*>4\.77<\/td><td[^>]*>32<\/td><td[^>]*><span[^>]*><strong>fix first<\/strong>/i,
    );
    const csv = (await api.call('GET', '/reports/2026-11/csv?lang=en', { as: 'manager' })).text;
    expect(csv).toContain('priority,dimension,r,csi,n,quadrant\r\n1,responsiveness,1,4.77,32,fix_first\r\n');
    expect(csv).toContain(',convenience,,7.5,32,\r\n');
  });

  it('is the same against NPS (NPS = 2 × overall)', async () => {
    const reply = await api.call('GET', `/metrics/drivers?from=${DAY}&to=${DAY}&target=nps`, { as: 'supervisor' });
    const responsiveness = reply.body.items.find((item: { dimension: string }) => item.dimension === 'responsiveness');
    expect(responsiveness).toMatchObject({ r: 1, priority: 1 });
  });
});
