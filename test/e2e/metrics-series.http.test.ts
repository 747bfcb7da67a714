/**
 * A trend in one call (contract "For screens (v1.2)"): `/metrics?interval=day|week|month` answers
 * the KPIs of every interval of the period from the counter cells already read for it, and
 * `compare=previous` on a month to date compares the same days of the previous month.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-12-07T04:00:00Z'), schedules: false });
  // Chats in the series team: answered in 5 s (within the 20 s target) in the week of 2 November,
  // in 60 s (missed) in the week of 9 November; none in the week of 16 November.
  const chat = (day: string, answeredAfter: number) =>
    api.call('POST', '/interactions', {
      as: 'manager',
      body: anInteraction({
        team: 'series',
        channel: 'chat',
        startedAt: `${day}T02:00:00Z`,
        firstResponseAt: new Date(Date.parse(`${day}T02:00:00Z`) + answeredAfter * 1000).toISOString(),
        resolvedAt: `${day}T02:10:00Z`,
      }),
    });
  for (const day of ['2026-11-03', '2026-11-04']) expect((await chat(day, 5)).status).toBe(201);
  for (const day of ['2026-11-10', '2026-11-11', '2026-11-12']) expect((await chat(day, 60)).status).toBe(201);
  // The first days of December and November, for the month-to-date comparison.
  expect((await chat('2026-12-02', 5)).status).toBe(201);
  expect((await chat('2026-11-02', 60)).status).toBe(201);
  expect((await chat('2026-11-20', 5)).status).toBe(201); // after Nov 7: outside the same days
});
afterAll(() => api?.runtime.stop());

const firstResponse = (kpis: Record<string, { value: number | null }>) => kpis.firstResponse?.value ?? null;

describe('interval series', () => {
  it('answers the KPIs of each week of the period, cut at its ends, oldest first', async () => {
    const reply = await api.call('GET', '/metrics?from=2026-11-03&to=2026-11-17&team=series&interval=week', {
      as: 'manager',
    });
    expect(reply.status).toBe(200);
    expect(reply.body.series.map((s: { from: string; to: string }) => [s.from, s.to])).toEqual([
      ['2026-11-03', '2026-11-08'],
      ['2026-11-09', '2026-11-15'],
      ['2026-11-16', '2026-11-17'],
    ]);
    expect(reply.body.series.map((s: { kpis: never }) => firstResponse(s.kpis))).toEqual([1, 0, null]);
    // The period's own figures are those of all its intervals together.
    expect(firstResponse(reply.body.kpis)).toBeCloseTo(2 / 5, 6);
    const monthly = await api.call('GET', '/metrics?from=2026-10-15&to=2026-12-07&team=series&interval=month', {
      as: 'manager',
    });
    expect(monthly.body.series.map((s: { from: string }) => s.from)).toEqual([
      '2026-10-15',
      '2026-11-01',
      '2026-12-01',
    ]);
  });

  it('refuses a daily series over more than 366 days and an unknown interval', async () => {
    const long = await api.call('GET', '/metrics?from=2025-01-01&to=2026-01-05&interval=day', { as: 'manager' });
    expect(long.status).toBe(400);
    expect(long.body.errors).toEqual([expect.objectContaining({ path: 'interval', code: 'out_of_range' })]);
    const unknown = await api.call('GET', '/metrics?interval=hour', { as: 'manager' });
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'interval', code: 'not_in_list' })]);
  });

  it('compares a month to date with the same days of the previous month', async () => {
    const reply = await api.call('GET', '/metrics?from=2026-12-01&to=2026-12-07&team=series&compare=previous', {
      as: 'manager',
    });
    expect(reply.body.period.previous).toEqual({ from: '2026-11-01', to: '2026-11-07' });
    // Nov 1–7: one miss (Nov 2) and two in target (Nov 3, 4); Nov 20 is not among the same days.
    expect(reply.body.kpis.firstResponse.previous).toBeCloseTo(2 / 3, 3);
    expect(reply.body.kpis.firstResponse.value).toBe(1);
  });
});
