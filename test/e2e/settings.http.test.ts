/**
 * PATCH /settings refuses anything that would break later requests or jobs, naming the field,
 * and stores nothing: zones, numbers, calendars, merge-patch depth, prototype keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ schedules: false });
});
afterAll(() => api?.runtime.stop());

const patch = (body: unknown) => api.call('PATCH', '/settings', { as: 'admin', rawBody: JSON.stringify(body) });

/** A refused patch: 400 problem+json naming `field`, the version unchanged, and the API still answering. */
async function expectRefused(body: unknown, field: string | RegExp) {
  const before = (await api.call('GET', '/settings', { as: 'admin' })).body.version;
  const reply = await patch(body);
  expect(reply.status, reply.text).toBe(400);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  const paths = (reply.body.errors ?? []).map((e: { path: string }) => e.path);
  if (typeof field === 'string') expect(paths).toContain(field);
  else
    expect(
      paths.some((p: string) => field.test(p)),
      paths.join(', '),
    ).toBe(true);
  const after = await api.call('GET', '/settings', { as: 'admin' });
  expect(after.status).toBe(200);
  expect(after.body.version).toBe(before);
  const list = await api.call('GET', '/interactions?limit=1', { as: 'admin' });
  expect(list.status).toBe(200);
}

describe('PATCH /settings: time zones', () => {
  it('refuses a zone that is not an IANA zone, and keeps routes and jobs working', async () => {
    await expectRefused({ timezone: 'Mars/Olympus_Mons' }, 'timezone');
    const job = await api.call('POST', '/_local/jobs/follow-ups', { as: 'admin', body: {} });
    expect(job.status).toBe(200);
  });

  it('refuses a calendar in an unknown zone', async () => {
    await expectRefused(
      { calendars: { office: { timezone: 'Europe/Atlantis', workingHours: {}, holidays: [] } } },
      'calendars.office.timezone',
    );
  });

  it('accepts real zones', async () => {
    const reply = await patch({
      timezone: 'Europe/Berlin',
      calendars: { utc: { timezone: 'UTC', workingHours: {}, holidays: [] } },
    });
    expect(reply.status, reply.text).toBe(200);
    expect((await patch({ timezone: 'Asia/Shanghai', calendars: { utc: null } })).status).toBe(200);
  });
});

describe('PATCH /settings: every number bounded', () => {
  const huge = 2 ** 53;
  it.each([
    [{ sla: { policies: { high: { respondMinutes: huge } } } }, 'sla.policies.high.respondMinutes'],
    [{ sla: { policies: { low: { closeMinutes: 1e300 } } } }, 'sla.policies.low.closeMinutes'],
    [{ sla: { warningMinutes: huge } }, 'sla.warningMinutes'],
    [{ kpis: { csat: { target: huge } } }, 'kpis.csat.target'],
    [{ kpis: { nps: { amber: -huge } } }, 'kpis.nps.amber'],
    [{ targets: { resolutionSeconds: { simple: huge } } }, 'targets.resolutionSeconds.simple'],
    [{ targets: { firstResponseSeconds: { chat: 1e300 } } }, 'targets.firstResponseSeconds.chat'],
    [{ targets: { complexFirstFeedbackSeconds: huge } }, 'targets.complexFirstFeedbackSeconds'],
  ])('refuses %j naming the field', async (body, field) => {
    await expectRefused(body, field);
  });

  it('refuses an improvement whose expected effect is out of range (2^53 gave a 500)', async () => {
    const reply = await api.call('POST', '/improvements', {
      as: 'manager',
      body: {
        problem: 'Hotline waits',
        measure: 'More agents',
        department: 'Service operations',
        ownerId: 'M-07',
        dueDate: '2026-11-30',
        expectedEffect: { metric: 'firstResponse', target: huge },
      },
    });
    expect(reply.status, reply.text).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body.errors.map((e: { path: string }) => e.path)).toContain('expectedEffect.target');
  });
});

describe('PATCH /settings: calendars must have working time', () => {
  it('refuses working hours that list no open time', async () => {
    await expectRefused(
      { calendars: { closed: { timezone: 'Asia/Shanghai', workingHours: { '1': [] }, holidays: [] } } },
      /^calendars\.closed\.workingHours/,
    );
  });

  it('refuses a period that ends before it starts', async () => {
    await expectRefused(
      {
        calendars: {
          backwards: {
            timezone: 'Asia/Shanghai',
            workingHours: { '1': [{ start: '17:00', end: '09:00' }] },
            holidays: [],
          },
        },
      },
      /^calendars\.backwards\.workingHours\.1\.0/,
    );
  });
});

describe('PATCH /settings: the shape of the patch', () => {
  it('refuses a merge patch nested deeper than settings go, without overflowing the stack', async () => {
    const depth = 10_000;
    const body = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const reply = await api.call('PATCH', '/settings', { as: 'admin', rawBody: body });
    expect(reply.status, reply.text).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
  });

  it.each([
    ['{"__proto__":{"timezone":"Mars/Olympus_Mons"}}', '__proto__'],
    ['{"sla":{"__proto__":{"warningMinutes":5}}}', 'sla.__proto__'],
    ['{"calendars":{"__proto__":{"timezone":"UTC","workingHours":{},"holidays":[]}}}', 'calendars.__proto__'],
    ['{"constructor":{"name":"x"}}', 'constructor'],
  ])('refuses %s like any unknown field', async (raw, field) => {
    const reply = await api.call('PATCH', '/settings', { as: 'admin', rawBody: raw });
    expect(reply.status, reply.text).toBe(400);
    expect(reply.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });
});
