/**
 * Dates the service cannot mean (contract, "Conventions"): timestamps before 2000-01-01 and
 * periods outside 2000–2100 are a 400 naming the field, never a 500 or a record of year 143.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z'), schedules: false });
});
afterAll(() => api?.runtime.stop());

const expectProblem = (reply: { status: number; body: any }, path: string) => {
  expect(reply.status, JSON.stringify(reply.body)).toBe(400);
  expect(reply.body.errors?.map((e: { path: string }) => e.path)).toContain(path);
};

describe('report periods outside 2000–2100', () => {
  for (const period of ['0000', '0001', '0999', '1000', '1999-12', '1999-Q4', '2101', '2101-01', '9999-Q1']) {
    it(`POST /reports/${period}/generate is a 400 naming period`, async () => {
      const reply = await api.call('POST', `/reports/${period}/generate`, { body: {} });
      expectProblem(reply, 'period');
    });
  }

  it('GET /reports/0000 is a 400, not a 500', async () => {
    expectProblem(await api.call('GET', '/reports/0000'), 'period');
  });

  it('the monthly job refuses month 0000-01 with a 400', async () => {
    const reply = await api.call('POST', '/_local/jobs/monthly-report', { body: { month: '0000-01' } });
    expectProblem(reply, 'month');
  });

  it('still builds the report of 2000-01 (its comparison months reach back into 1999)', async () => {
    const reply = await api.call('POST', '/reports/2000-01/generate', { body: {} });
    expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
  });
});

describe('timestamps before 2000-01-01', () => {
  it('refuses startedAt 0143-05-05T08:04:00Z with out_of_range, stores nothing', async () => {
    const reply = await api.call('POST', '/interactions', {
      body: anInteraction({ customerId: 'C-DATES-1', startedAt: '0143-05-05T08:04:00Z' }),
    });
    expectProblem(reply, 'startedAt');
    expect(reply.body.errors.find((e: { path: string }) => e.path === 'startedAt').code).toBe('out_of_range');
    const list = await api.call('GET', '/interactions?customerId=C-DATES-1&from=2000-01-01');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  });

  it('refuses a timestamp just before 2000 (by its offset) and one after 2100', async () => {
    expectProblem(
      await api.call('POST', '/interactions', { body: anInteraction({ startedAt: '2000-01-01T07:59:59+08:00' }) }),
      'startedAt',
    );
    expectProblem(
      await api.call('POST', '/interactions', {
        body: anInteraction({ startedAt: '2026-11-03T08:00:00Z', resolvedAt: '2101-01-01T00:00:00Z' }),
      }),
      'resolvedAt',
    );
  });

  it('accepts 2000-01-01T00:00:00Z itself', async () => {
    const reply = await api.call('POST', '/interactions', {
      body: anInteraction({ customerId: 'C-DATES-2', startedAt: '2000-01-01T00:00:00Z' }),
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  });
});

describe('dates in filters', () => {
  for (const query of [
    'from=1999-12-31&to=2000-01-31',
    'from=2026-10-01&to=2101-01-01',
    'from=0000-01-01&to=2026-10-31',
  ])
    it(`GET /metrics?${query} is a 400`, async () => {
      const reply = await api.call('GET', `/metrics?${query}`, { as: 'supervisor' });
      expect(reply.status, JSON.stringify(reply.body)).toBe(400);
    });
});
