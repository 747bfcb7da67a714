/**
 * Recurring campaigns (issue 22, contract "Campaigns (v1.2)": "a recurring campaign launches its
 * next wave itself") against the local runtime and DynamoDB Local. The wave job (schedule
 * `campaignWaves`) is run at chosen instants — the clock advanced, no real-time waits: inside the
 * first wave's window nothing new; after it, the wave is finished; once the next month begins,
 * two runs create and invite exactly one wave whose "active last month" audience is the month
 * before it; the month after, the next wave; a cancelled wave launches none after it.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpNeeds } from '../../functions/composition.js';
import { runFollowUps } from '../../functions/followups/service.js';
import { runCampaignWaves } from '../../functions/surveys/campaign-waves.js';
import { drawKey, shiftRange } from '../../shared/domain/campaigns.js';
import { audienceMarkerItems } from '../../shared/store/audience.js';
import { dynamo } from '../../shared/store/client.js';
import { MAIN_TABLE, tableName } from '../../shared/store/table.js';
import { anInteraction } from '../support/builders/interactions.js';
import { aCustomer } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

// 10:00 in Shanghai on 1 December: outside quiet hours, November is "last month".
const START = new Date('2026-12-01T02:00:00Z');
/** 10:00 in Shanghai on a local date. */
const at = (day: string) => new Date(`${day}T02:00:00Z`);

let api: TestApi;
const phoneOf = (n: number) => `+86139100${String(n).padStart(5, '0')}`;
const idOf = (n: number) => `C-wave-${n}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** Who was active when: November through the API; December and January as the markers a contact writes. */
const NOVEMBER = range(1, 8);
const DECEMBER = range(5, 14);
const JANUARY = range(11, 16);

/** The audience marker a contact on `day` writes for its customer (the index a campaign's audience is read from). */
async function activeOn(n: number, day: string) {
  for (const item of audienceMarkerItems([{ customerId: idOf(n), kind: 'active', day, team: 'north' }]))
    await dynamo().send(new PutCommand({ TableName: tableName(MAIN_TABLE), Item: item }));
}

beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  for (const n of range(1, 16)) {
    const put = await api.call('PUT', `/customers/${idOf(n)}`, { body: aCustomer({ phone: phoneOf(n) }) });
    expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
  }
  for (const n of NOVEMBER) {
    const contact = await api.call('POST', '/interactions', {
      body: anInteraction({ customerId: idOf(n), team: 'north', startedAt: `2026-11-${10 + n}T03:00:00Z` }),
    });
    expect(contact.status).toBe(201);
  }
  for (const n of DECEMBER) await activeOn(n, `2026-12-${String(n + 5).padStart(2, '0')}`);
  for (const n of JANUARY) await activeOn(n, `2027-01-${String(n).padStart(2, '0')}`);
});
afterAll(() => api?.runtime.stop());

const campaign = async (id: string) => {
  const read = await api.call('GET', `/campaigns/${id}`, { as: 'supervisor' });
  expect(read.status).toBe(200);
  return read.body;
};
const allCampaigns = async () =>
  (await api.call('GET', '/campaigns?limit=100', { as: 'supervisor' })).body.items as Array<Record<string, any>>;
/** Customers of `members` a campaign's draw picks first (the sample of `size`). */
const drawn = (id: string, members: number[], size: number) =>
  [...members]
    .sort((a, b) => drawKey(id, idOf(a)).localeCompare(drawKey(id, idOf(b))))
    .slice(0, size)
    .sort((a, b) => a - b);

describe('moving a period', () => {
  it('keeps whole months whole and moves other dates by the months, the 31st to a shorter month’s end', () => {
    expect(shiftRange({ from: '2026-11-01', to: '2026-11-30' }, 1)).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(shiftRange({ from: '2026-10-01', to: '2026-12-31' }, 3)).toEqual({ from: '2027-01-01', to: '2027-03-31' });
    expect(shiftRange({ from: '2027-01-01', to: '2027-01-31' }, 1)).toEqual({ from: '2027-02-01', to: '2027-02-28' });
    expect(shiftRange({ from: '2026-12-01', to: '2026-12-05' }, 1)).toEqual({ from: '2027-01-01', to: '2027-01-05' });
    expect(shiftRange({ from: '2027-01-25', to: '2027-01-31' }, 1)).toEqual({ from: '2027-02-25', to: '2027-02-28' });
  });
});

describe('a monthly campaign', () => {
  let first: string;
  let second: string;
  let third: string;

  it('launches as created, and the wave job starts nothing new inside its window', async () => {
    const created = await api.call('POST', '/campaigns', {
      as: 'manager',
      body: {
        name: '月度 NPS 抽样 / Monthly NPS sample',
        questionnaireId: 'service-transaction',
        audience: { activeBetween: { from: '2026-11-01', to: '2026-11-30' } },
        sample: { share: 0.5 },
        window: { from: '2026-12-01', to: '2026-12-05' },
        recurrence: 'monthly',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    first = created.body.id;
    expect(created.body).toMatchObject({ wave: 1, estimate: { audience: 8, sample: 4 } });
    expect((await api.call('POST', `/campaigns/${first}/launch`, { as: 'manager' })).status).toBe(200);
    await api.runtime.jobsSettled();

    // Wave 1's invitations and reminders go out within its window.
    for (const day of ['2026-12-01', '2026-12-03', '2026-12-05']) await runFollowUps(at(day), followUpNeeds);
    const during = await runCampaignWaves(at('2026-12-03'));
    expect(during).toEqual({ finished: [], waves: [], launched: [], estimates: [] });
    expect(await campaign(first)).toMatchObject({ status: 'running', progress: { invited: 4 } });
    expect((await campaign(first)).nextWave).toBeUndefined();
  });

  it('is finished once its window has closed, and no wave starts before the next month', async () => {
    const after = await runCampaignWaves(at('2026-12-06'));
    expect(after).toEqual({ finished: [first], waves: [], launched: [], estimates: [] });
    expect(await campaign(first)).toMatchObject({ status: 'finished' });
    expect(await allCampaigns()).toHaveLength(1);
  });

  it('launches exactly one next wave when the month begins, however often the job runs', async () => {
    const jan1 = at('2027-01-01');
    const [one, two] = [await runCampaignWaves(jan1), await runCampaignWaves(jan1)];
    expect(one.waves).toHaveLength(1);
    second = one.waves[0]!;
    expect(one.launched).toEqual([second]);
    // The second run finds the wave linked and launched: nothing more.
    expect(two).toEqual({ finished: [], waves: [], launched: [], estimates: [] });

    const wave = await campaign(second);
    expect(wave).toMatchObject({
      name: '月度 NPS 抽样 / Monthly NPS sample',
      status: 'running',
      wave: 2,
      previousWave: first,
      recurrence: 'monthly',
      // "Active last month": December for the January wave.
      audience: { activeBetween: { from: '2026-12-01', to: '2026-12-31' } },
      window: { from: '2027-01-01', to: '2027-01-05' },
      estimate: { audience: DECEMBER.length, sample: DECEMBER.length / 2 },
      progress: { invited: DECEMBER.length / 2 },
    });
    expect(await campaign(first)).toMatchObject({ status: 'finished', nextWave: second, wave: 1 });
    expect((await allCampaigns()).map((c) => c.id).sort()).toEqual([first, second].sort());

    // The follow-up job sends the wave's invitations once each, to the sample drawn from the wave's id.
    const before = api.runtime.outbox.list().length;
    await runFollowUps(jan1, followUpNeeds);
    await runFollowUps(jan1, followUpNeeds);
    const sent = api.runtime.outbox.list().slice(before);
    const to = (n: number) => sent.filter((m) => m.to.includes(phoneOf(n)) && m.text?.includes('/s/'));
    const invited = range(1, 16).filter((n) => to(n).length > 0);
    expect(invited).toEqual(drawn(second, DECEMBER, DECEMBER.length / 2));
    for (const n of invited) expect(to(n), `customer ${n}`).toHaveLength(1);
    expect((await campaign(second)).progress).toMatchObject({ invited: 5, delivered: 5, answered: 0 });
    const results = await api.call('GET', `/campaigns/${second}/results`, { as: 'supervisor' });
    expect(results.status).toBe(200);
    expect(results.body).toMatchObject({ campaignId: second, progress: { invited: 5 } });
  });

  it('launches the wave after it in the following month, from that month’s audience', async () => {
    const feb1 = at('2027-02-01');
    const run = await runCampaignWaves(feb1);
    // January's wave closed on the 5th; February's begins.
    expect(run.finished).toEqual([second]);
    expect(run.waves).toHaveLength(1);
    third = run.waves[0]!;
    expect(third).not.toBe(second);
    expect(await campaign(third)).toMatchObject({
      status: 'running',
      wave: 3,
      previousWave: second,
      audience: { activeBetween: { from: '2027-01-01', to: '2027-01-31' } },
      window: { from: '2027-02-01', to: '2027-02-05' },
      estimate: { audience: JANUARY.length, sample: JANUARY.length / 2 },
      progress: { invited: JANUARY.length / 2 },
    });
    expect(await campaign(second)).toMatchObject({ nextWave: third });
  });

  it('launches no further wave once a wave is cancelled', async () => {
    const cancelled = await api.call('POST', `/campaigns/${third}/cancel`, { as: 'manager' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    for (const day of ['2027-03-01', '2027-04-01']) expect((await runCampaignWaves(at(day))).waves).toEqual([]);
    expect(await allCampaigns()).toHaveLength(3);
    expect((await campaign(third)).nextWave).toBeUndefined();
  });
});

describe('a finished wave of a quarterly campaign', () => {
  it('can be cancelled to stop the waves to come, and stays finished', async () => {
    const created = await api.call('POST', '/campaigns', {
      as: 'manager',
      body: {
        name: '季度关系调查 / Quarterly relationship survey',
        questionnaireId: 'relationship',
        audience: { activeBetween: { from: '2026-11-01', to: '2026-11-30' } },
        sample: { size: 2 },
        window: { from: '2026-12-01', to: '2026-12-10' },
        recurrence: 'quarterly',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    expect((await api.call('POST', `/campaigns/${id}/launch`, { as: 'manager' })).status).toBe(200);
    await api.runtime.jobsSettled();
    // After its window, before the quarter's next wave (1 March).
    expect((await runCampaignWaves(at('2026-12-20'))).finished).toContain(id);
    const stopped = await api.call('POST', `/campaigns/${id}/cancel`, { as: 'manager' });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ status: 'finished', cancelledAt: expect.any(String) });
    expect((await runCampaignWaves(at('2027-03-01'))).waves).toEqual([]);
    expect((await campaign(id)).nextWave).toBeUndefined();
    // Cancelling again changes nothing.
    expect((await api.call('POST', `/campaigns/${id}/cancel`, { as: 'manager' })).status).toBe(200);
  });
});
