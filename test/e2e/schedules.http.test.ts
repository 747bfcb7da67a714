/** The declared schedules fire from the local runtime's clock, as EventBridge Scheduler would. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextFireTime } from '../../infra/local/scheduler.js';
import { seedDemoSettings } from '../../infra/local/seed/settings.js';
import { SCHEDULES } from '../../shared/schedules.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

describe('reading EventBridge expressions', () => {
  it('fires the monthly report at 08:00 Beijing time on the 1st', () => {
    const monthly = SCHEDULES.find((s) => s.id === 'monthlyReport')!;
    expect(nextFireTime(monthly.expression, monthly.timezone, new Date('2026-11-26T03:00:00Z')).toISOString()).toBe(
      '2026-12-01T00:00:00.000Z',
    );
  });

  it('counts day-of-week from Sunday = 1, as EventBridge does', () => {
    expect(nextFireTime('cron(30 9 ? * 2 *)', 'Asia/Shanghai', new Date('2026-11-26T03:00:00Z')).toISOString()).toBe(
      '2026-11-30T01:30:00.000Z',
    );
  });

  it('fires the weekly complaint summary at 08:00 Beijing time on Mondays', () => {
    const weekly = SCHEDULES.find((s) => s.id === 'weeklyComplaintSummary')!;
    // Thursday 26 November → Monday 30 November, 08:00 in Shanghai.
    expect(nextFireTime(weekly.expression, weekly.timezone, new Date('2026-11-26T03:00:00Z')).toISOString()).toBe(
      '2026-11-30T00:00:00.000Z',
    );
  });

  it('reads rate expressions on their period boundary', () => {
    expect(nextFireTime('rate(15 minutes)', 'UTC', new Date('2026-11-26T03:07:00Z')).toISOString()).toBe(
      '2026-11-26T03:15:00.000Z',
    );
  });
});

describe('the local scheduler', () => {
  let api: TestApi;
  // Two seconds before 08:00 on 1 December in Shanghai.
  beforeAll(async () => {
    // The report goes to the demo's recipients, stored before the first scheduled run (a fresh stack has none).
    api = await startTestRuntime({
      startAt: new Date('2026-11-30T23:59:58Z'),
      beforeSchedules: (now) => seedDemoSettings(now),
    });
  });
  afterAll(() => api?.runtime.stop());

  it("runs the monthly report job when the clock reaches the 1st and emails November's report", {
    timeout: 90_000,
  }, async () => {
    // Generous for a busy machine: building and emailing the report takes well under a second when quiet.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !api.runtime.outbox.list().some((m) => m.id === 'report-2026-11@careloop'))
      await new Promise((r) => setTimeout(r, 200));
    expect(api.runtime.outbox.list().map((m) => m.id)).toContain('report-2026-11@careloop');
    // The report records its email as sent just after the message is handed over: wait for that write too.
    const status = async () => (await api.call('GET', '/reports/2026-11', { as: 'manager' })).body.email?.status;
    while (Date.now() < deadline && (await status()) !== 'sent') await new Promise((r) => setTimeout(r, 200));
    expect(await status()).toBe('sent');
  });
});

describe('the local scheduler on a Monday', () => {
  let api: TestApi;
  // Two seconds before 08:00 on Monday 30 November in Shanghai: week 48 (23–29 November) has just ended.
  beforeAll(async () => {
    // The summary goes to the demo's complaints desk, stored before the first scheduled run (a fresh stack has none).
    api = await startTestRuntime({
      startAt: new Date('2026-11-29T23:59:58Z'),
      beforeSchedules: (now) => seedDemoSettings(now),
    });
  });
  afterAll(() => api?.runtime.stop());

  it('emails the weekly complaint summary of the week that just ended to the complaints desk', {
    timeout: 90_000,
  }, async () => {
    const wanted = 'complaint-summary-2026-W48@careloop';
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !api.runtime.outbox.list().some((m) => m.id === wanted))
      await new Promise((r) => setTimeout(r, 200));
    const sent = api.runtime.outbox.list().filter((m) => m.id === wanted);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'email', to: ['complaints-desk@example.com'] });
  });
});

describe('the local scheduler at a quarter end', () => {
  let api: TestApi;
  // Two seconds before 08:00 on 1 October in Shanghai: September and the third quarter have just ended.
  beforeAll(async () => {
    // The report goes to the demo's recipients, stored before the first scheduled run (a fresh stack has none).
    api = await startTestRuntime({
      startAt: new Date('2026-09-30T23:59:58Z'),
      beforeSchedules: (now) => seedDemoSettings(now),
    });
  });
  afterAll(() => api?.runtime.stop());

  it("emails September's report and the third quarter's from the same run", { timeout: 90_000 }, async () => {
    const wanted = ['report-2026-09@careloop', 'report-2026-Q3@careloop'];
    const deadline = Date.now() + 60_000;
    const sent = () => api.runtime.outbox.list().map((m) => m.id);
    while (Date.now() < deadline && !wanted.every((id) => sent().includes(id)))
      await new Promise((r) => setTimeout(r, 200));
    expect(sent()).toEqual(expect.arrayContaining(wanted));
    expect(sent()).not.toContain('report-2026@careloop'); // the year has not ended
    const quarter = await api.call('GET', '/reports/2026-Q3', { as: 'manager' });
    expect(quarter.body).toMatchObject({ kind: 'quarter', period: { from: '2026-07-01', to: '2026-09-30' } });
    // As for the month: the report records `sent` just after the message reaches the outbox.
    const status = async () => (await api.call('GET', '/reports/2026-Q3', { as: 'manager' })).body.email?.status;
    while (Date.now() < deadline && (await status()) !== 'sent') await new Promise((r) => setTimeout(r, 200));
    expect(await status()).toBe('sent');
  });
});
