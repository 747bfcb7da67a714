/**
 * A month with more rows than one answer holds (issue 15 item 6): the CSV route answers 202 with
 * an export job instead of a cut-short file; the job (the same code as in AWS, run by the local
 * runtime) reads every row, writes the file, and the job's record gives an expiring link to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_LINK_SECONDS, EXPORT_STALE_SECONDS } from '../../shared/jobs/declarations.js';
import { writeResponses } from '../support/bulk-responses.js';
import { crashAtWrite } from '../support/crashes.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
// The request's limit, lowered for this test (5,000 in service) so the seeding stays cheap; the benchmark runs the real one.
const INLINE_LIMIT = 300;
const ROWS = INLINE_LIMIT + 250;

beforeAll(async () => {
  process.env.CARELOOP_INLINE_EXPORT_MAX_ITEMS = String(INLINE_LIMIT);
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z'), schedules: false });
  await writeResponses('2026-10', ROWS, { prefix: 'exp' });
  for (const month of ['2026-10', '2026-09', '2026-08'])
    expect((await api.call('POST', `/reports/${month}/generate`, { as: 'manager', body: {} })).status).toBe(200);
}, 240_000);
afterAll(async () => {
  delete process.env.CARELOOP_INLINE_EXPORT_MAX_ITEMS;
  await api?.runtime.stop();
});

const responseRows = (csv: string) => {
  const block = csv.split('\r\n\r\n').find((b) => b.startsWith('# responses'))!;
  return block.split('\r\n').slice(2).filter(Boolean);
};

describe('a month too large for one answer', () => {
  let job: any;

  it('answers the CSV route with 202 and the export job, not a cut-short file', async () => {
    const reply = await api.call('GET', '/reports/2026-10/csv?lang=en', { as: 'manager' });
    expect(reply.status).toBe(202);
    job = reply.body;
    expect(job).toMatchObject({ period: '2026-10', status: 'running', url: null, rows: null });
    expect(reply.headers.get('location')).toBe(job.statusUrl);
    expect(job.statusUrl).toBe(`/reports/2026-10/exports/${job.id}`);
  });

  it('finds the same job when asked again within the hour (no second export)', async () => {
    const again = await api.call('POST', '/reports/2026-10/exports', { as: 'manager' });
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(job.id);
  });

  it('writes every row and gives a link that fetches the file without a token', async () => {
    await api.runtime.jobsSettled();
    const ready = await api.call('GET', job.statusUrl, { as: 'manager' });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', rows: { responses: ROWS, complaints: 0 }, error: null });
    const expiresIn = Date.parse(ready.body.expiresAt) - api.runtime.clock.now().getTime();
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(EXPORT_LINK_SECONDS * 1000);

    const file = await fetch(ready.body.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('text/csv');
    expect(file.headers.get('content-disposition')).toContain('careloop-report-2026-10.csv');
    const rows = responseRows((await file.text()).replace(/^\uFEFF/, ''));
    expect(rows).toHaveLength(ROWS);
    expect(new Set(rows.map((row) => row.split(',')[0])).size).toBe(ROWS);
  });

  it('refuses a link whose signature was changed, or an export nobody started', async () => {
    const ready = await api.call('GET', job.statusUrl, { as: 'manager' });
    const forged = new URL(ready.body.url);
    forged.searchParams.set('expires', String(Number(forged.searchParams.get('expires')) + 3_600_000));
    expect((await fetch(forged)).status).toBe(403);
    expect((await api.call('GET', '/reports/2026-10/exports/v9-2026111004', { as: 'manager' })).status).toBe(404);
  });

  it('is for managers: an agent may neither start nor read an export', async () => {
    expect((await api.call('POST', '/reports/2026-10/exports', { as: 'agent' })).status).toBe(403);
    expect((await api.call('GET', job.statusUrl, { as: 'agent' })).status).toBe(403);
  });
});

describe('a small month', () => {
  it('is still answered inline, and exports on request with the same rows', async () => {
    const inline = await api.call('GET', '/reports/2026-09/csv', { as: 'manager' });
    expect(inline.status).toBe(200);
    const started = await api.call('POST', '/reports/2026-09/exports', { as: 'manager' });
    expect(started.status).toBe(202);
    await api.runtime.jobsSettled();
    const ready = await api.call('GET', started.body.statusUrl, { as: 'manager' });
    expect(ready.body).toMatchObject({ status: 'ready', rows: { responses: 0, complaints: 0 } });
    expect((await (await fetch(ready.body.url)).text()).replace(/^\uFEFF/, '')).toBe(
      inline.text.replace(/^\uFEFF/, ''),
    );
  });
});

describe('an export whose job never started (the request died between its write and the start)', () => {
  it('shows failed once it can no longer finish, and starting it again restarts it', async () => {
    const t0 = api.runtime.clock.now();
    api.runtime.clock.hold(t0);
    try {
      const crash = crashAtWrite({ write: 1, moment: 'after', dead: true }, (input) =>
        JSON.stringify(input).includes('EXPORT#2026-08'),
      );
      // Dead from the crash on, as a Lambda that timed out: the request never hands the job over.
      let lost: Response;
      try {
        lost = await fetch(`${api.runtime.url}/reports/2026-08/exports`, {
          method: 'POST',
          headers: { authorization: `Bearer ${await api.runtime.token('test-manager', ['manager'])}` },
        });
        await lost.text();
      } finally {
        crash.remove();
      }
      expect(lost.status).toBe(500);

      // Asked again at once: the same job, still running (it may be on its way), not started twice.
      const again = await api.call('POST', '/reports/2026-08/exports', { as: 'manager' });
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ status: 'running', error: null });
      await api.runtime.jobsSettled();
      expect((await api.call('GET', again.body.statusUrl, { as: 'manager' })).body.status).toBe('running');

      // Past the time every attempt of a job would have taken: a read says it failed and what to do.
      api.runtime.clock.hold(new Date(t0.getTime() + EXPORT_STALE_SECONDS * 1000));
      const stale = await api.call('GET', again.body.statusUrl, { as: 'manager' });
      expect(stale.body).toMatchObject({ status: 'failed', url: null });
      expect(stale.body.error).toContain('start it again');

      // Starting it again restarts that job (the same id): it runs and the file is there.
      const restarted = await api.call('POST', '/reports/2026-08/exports', { as: 'manager' });
      expect(restarted.status).toBe(202);
      expect(restarted.body).toMatchObject({ id: again.body.id, status: 'running', error: null });
      await api.runtime.jobsSettled();
      const ready = await api.call('GET', again.body.statusUrl, { as: 'manager' });
      expect(ready.body).toMatchObject({ status: 'ready', rows: { responses: 0, complaints: 0 }, error: null });
      expect((await fetch(ready.body.url)).status).toBe(200);
    } finally {
      api.runtime.clock.release();
    }
  });
});
