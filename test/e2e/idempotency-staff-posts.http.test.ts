/**
 * Idempotency inside the write for the staff POSTs of goals, campaigns, questionnaires and reports
 * (shared/store/requests.ts): each keyed POST writes its claim in the write that makes its record
 * or change — or alone, when the use case finds its work done already — so, per route:
 * - a request that dies at any write (before it reaches the table, or after it was written and the
 *   answer lost) leaves nothing or exactly one record or change, and a retry with the same key
 *   answers it (a replay, `Idempotent-Replayed: true`, when the first copy got as far as its claim);
 * - a copy that reaches its write after another copy committed (held there until the other ran)
 *   makes nothing more and answers the same record, with the same status;
 * - the same key with another body is a 422 and writes nothing.
 * `POST /reports/{period}/generate` is idempotent by itself (one report per period): a retry after a
 * crash before its claim runs it again instead of replaying, and emails at most once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCampaignWaves } from '../../functions/surveys/campaign-waves.js';
import { requestKeys } from '../../shared/store/keys.js';
import { anInteraction } from '../support/builders/interactions.js';
import { aCustomer } from '../support/builders/surveys.js';
import { crashAtWrite, holdFirstWrite } from '../support/crashes.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

// 12:00 in Shanghai.
const START = new Date('2026-11-10T04:00:00Z');
const PERIOD = { from: '2026-11-01', to: '2026-11-09' };
const CUSTOMERS = 4;

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  // Campaigns of one sample each, many in a row: nobody is throttled by the one before.
  expect((await api.call('PATCH', '/settings', { body: { surveyThrottleDays: 0 } })).status).toBe(200);
  for (let n = 1; n <= CUSTOMERS; n += 1) {
    const customerId = `C-idem-staff-${n}`;
    const phone = `+86139100000${n}`;
    expect((await api.call('PUT', `/customers/${customerId}`, { body: aCustomer({ phone }) })).status).toBeLessThan(
      300,
    );
    const contact = anInteraction({ customerId, startedAt: `2026-11-0${n + 1}T03:00:00Z` });
    expect((await api.call('POST', '/interactions', { body: contact })).status).toBe(201);
  }
}, 60_000);
afterAll(() => api?.runtime.stop());

const post = (path: string, key: string, body?: unknown) =>
  api.call('POST', path, { as: 'manager', body, headers: { 'idempotency-key': key } });

/** The crashed request: its 500 is what an injected crash answers (not a documented answer, so not checked as one). */
async function postRaw(path: string, key: string, body?: unknown): Promise<number> {
  const response = await fetch(`${api.runtime.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await api.runtime.token('test-manager', ['manager'])}`,
      'idempotency-key': key,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

const ok = async <T>(reply: Promise<{ status: number; body: T; text: string }>, status = 200) => {
  const answered = await reply;
  expect(answered.status, answered.text).toBe(status);
  return answered.body;
};

/** Each case gets months of its own (a report, an export), counted back from October 2026. */
let monthsUsed = 0;
const freshMonth = () => {
  const at = new Date(Date.UTC(2026, 9 - monthsUsed++, 1));
  return at.toISOString().slice(0, 7);
};

const campaignBody = (name: string) => ({
  name,
  questionnaireId: 'service-transaction',
  audience: { activeBetween: PERIOD },
  window: { from: '2026-11-10', to: '2026-11-20' },
  sample: { size: 1 },
});
const aCampaign = async (tag: string) =>
  (await ok(api.call('POST', '/campaigns', { as: 'manager', body: campaignBody(`prepared ${tag}`) }), 201))
    .id as string;
const campaign = async (id: string) => ok(api.call('GET', `/campaigns/${id}`, { as: 'manager' }));

const aQuestionnaire = async (tag: string) => {
  const id = `qk-${tag}`;
  const body = { id, copyOf: { id: 'service-transaction' } };
  await ok(api.call('POST', '/questionnaires', { as: 'manager', body }), 201);
  return id;
};
const questionnaire = async (id: string) => ok(api.call('GET', `/questionnaires/${id}`, { as: 'manager' }));

const aReport = async () => {
  const month = freshMonth();
  await ok(api.call('POST', `/reports/${month}/generate`, { as: 'manager', body: {} }));
  return month;
};
/** The export a request in this hour starts for the report as it stands (its id is deterministic). */
const exportId = async (month: string) => {
  const { version } = await ok(api.call('GET', `/reports/${month}`, { as: 'manager' }));
  return `v${version}-${api.runtime.clock.now().toISOString().slice(0, 13).replace(/\D/g, '')}`;
};

interface Family {
  what: string;
  status: number;
  /** What the request acts on, made fresh for a case (a campaign to launch, a month to export). */
  prepare(tag: string): Promise<string>;
  path(subject: string): string;
  body?(tag: string): unknown;
  /** Another body under the same key (the 422); none for a POST without a body. */
  other?(tag: string): unknown;
  /** How many records (or changes) the request made: 0 or 1 whatever happened. */
  made(subject: string, tag: string): Promise<number>;
  /** What the request's own writes name (besides its claim), to tell them from the jobs' beside it. */
  marker?(subject: string, tag: string): string;
  /** The writes of a clean run, in order. */
  writes: string[];
}

const goalName = (tag: string) => `goal ${tag}`;
const campaignName = (tag: string) => `campaign ${tag}`;
const questionnaireName = (tag: string) => ({ zh: `问卷 ${tag}`, en: `questionnaire ${tag}` });

const families: Family[] = [
  {
    what: 'POST /goals',
    status: 201,
    prepare: async (tag) => tag,
    path: () => '/goals',
    body: (tag) => ({
      kpi: 'firstResponse',
      baseline: { from: '2026-10-01', to: '2026-10-31' },
      target: { value: 0.9 },
      by: '2026-12-31',
      owner: 'manager-1',
      name: goalName(tag),
    }),
    other: (tag) => ({
      kpi: 'firstResponse',
      baseline: { from: '2026-10-01', to: '2026-10-31' },
      target: { value: 0.8 },
      by: '2026-12-31',
      owner: 'manager-1',
      name: goalName(tag),
    }),
    made: async (_, tag) =>
      ((await ok(api.call('GET', '/goals', { as: 'manager' }))).items as Array<{ name?: string }>).filter(
        (goal) => goal.name === goalName(tag),
      ).length,
    marker: (_, tag) => goalName(tag),
    writes: ['TransactWriteItemsCommand'],
  },
  {
    what: 'POST /campaigns',
    status: 201,
    prepare: async (tag) => tag,
    path: () => '/campaigns',
    body: (tag) => campaignBody(campaignName(tag)),
    other: (tag) => ({ ...campaignBody(campaignName(tag)), window: { from: '2026-11-11', to: '2026-11-20' } }),
    made: async (_, tag) =>
      (
        (await ok(api.call('GET', '/campaigns?status=draft&limit=100', { as: 'manager' }))).items as Array<{
          name: string;
        }>
      ).filter((c) => c.name === campaignName(tag)).length,
    marker: (_, tag) => campaignName(tag),
    writes: ['TransactWriteItemsCommand'],
  },
  {
    what: 'POST /campaigns/{id}/launch',
    status: 200,
    prepare: aCampaign,
    path: (id) => `/campaigns/${id}/launch`,
    made: async (id) => ((await campaign(id)).status === 'draft' ? 0 : 1),
    writes: ['TransactWriteItemsCommand'],
  },
  {
    what: 'POST /campaigns/{id}/cancel',
    status: 200,
    prepare: aCampaign,
    path: (id) => `/campaigns/${id}/cancel`,
    made: async (id) => ((await campaign(id)).status === 'cancelled' ? 1 : 0),
    writes: ['TransactWriteItemsCommand'],
  },
  {
    what: 'POST /questionnaires',
    status: 201,
    prepare: async (tag) => tag,
    path: () => '/questionnaires',
    body: (tag) => ({ name: questionnaireName(tag) }),
    other: (tag) => ({ name: { ...questionnaireName(tag), zh: '另一个' } }),
    made: async (_, tag) =>
      (
        (await ok(api.call('GET', '/questionnaires', { as: 'manager' }))).items as Array<{ name: { en: string } }>
      ).filter((q) => q.name.en === questionnaireName(tag).en).length,
    marker: (_, tag) => questionnaireName(tag).en,
    writes: ['TransactWriteItemsCommand'],
  },
  {
    what: 'POST /questionnaires/{id}/publish',
    status: 200,
    prepare: aQuestionnaire,
    path: (id) => `/questionnaires/${id}/publish`,
    made: async (id) => {
      const { status, version } = await questionnaire(id);
      if (status === 'published') expect(version).toBe(1); // never a version 2 from a retry
      return status === 'published' ? 1 : 0;
    },
    marker: (id) => id,
    writes: ['TransactWriteItemsCommand'],
  },
  {
    what: 'POST /questionnaires/{id}/retire',
    status: 200,
    prepare: async (tag) => {
      const id = await aQuestionnaire(tag);
      await ok(api.call('POST', `/questionnaires/${id}/publish`, { as: 'manager' }));
      return id;
    },
    path: (id) => `/questionnaires/${id}/retire`,
    made: async (id) => ((await questionnaire(id)).status === 'retired' ? 1 : 0),
    marker: (id) => id,
    writes: ['TransactWriteItemsCommand'],
  },
  {
    what: 'POST /reports/{period}/exports',
    status: 202,
    prepare: aReport,
    path: (month) => `/reports/${month}/exports`,
    made: async (month) =>
      (await api.call('GET', `/reports/${month}/exports/${await exportId(month)}`, { as: 'manager' })).status === 200
        ? 1
        : 0,
    // No marker: the export job (run beside the request, in this process) writes the same item; the request's write holds the claim.
    writes: ['TransactWriteItemsCommand'],
  },
];

/** The writes of a request: its claim and what `marker` names. */
const writesOf = (marker: string | undefined) => (input: unknown) => {
  const text = JSON.stringify(input);
  return text.includes(requestKeys.prefix) || (marker !== undefined && text.includes(marker));
};

describe.each(families)('$what with an Idempotency-Key', (family) => {
  const run = async (tag: string) => {
    const subject = await family.prepare(tag);
    return { subject, path: family.path(subject), body: family.body?.(tag) };
  };

  it('writes its claim in the write that makes its record: one write', async () => {
    const { subject, path, body } = await run('once');
    const writes = crashAtWrite(undefined, writesOf(family.marker?.(subject, 'once')));
    try {
      expect((await post(path, 'once', body)).status).toBe(family.status);
    } finally {
      writes.remove();
    }
    expect(writes.writes).toEqual(family.writes);
  });

  it('leaves nothing or exactly one record after a crash at any write, and a retry answers it', async () => {
    for (let write = 1; write <= family.writes.length; write += 1)
      for (const moment of ['before', 'after'] as const) {
        const tag = `crash-${write}-${moment}`;
        const { subject, path, body } = await run(tag);
        // Dead from the crash on, as a Lambda that timed out: nothing of the request runs after it.
        const crash = crashAtWrite({ write, moment, dead: true }, writesOf(family.marker?.(subject, tag)));
        let crashed: number;
        try {
          crashed = await postRaw(path, tag, body);
        } finally {
          crash.remove();
        }
        expect(crashed, `${moment} write ${write}`).toBe(500);
        const left = await family.made(subject, tag);
        expect(left, `${moment} write ${write}: records left`).toBe(moment === 'before' && write === 1 ? 0 : 1);

        const retry = await post(path, tag, body);
        expect(retry.status, retry.text).toBe(family.status);
        expect(await family.made(subject, tag)).toBe(1);
        expect(retry.headers.get('idempotent-replayed')).toBe(left ? 'true' : null);
        const again = await post(path, tag, body);
        expect(again.status).toBe(family.status);
        expect(again.body.id).toEqual(retry.body.id);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
      }
  });

  it('makes one record of a copy that reaches its write after the other copy committed', async () => {
    const { subject, path, body } = await run('copies');
    const held = holdFirstWrite(writesOf(family.marker?.(subject, 'copies')), () => post(path, 'copies', body));
    let late: Awaited<ReturnType<typeof post>>;
    try {
      late = await post(path, 'copies', body);
    } finally {
      held.remove();
    }
    const first = await held.meanwhile;
    expect(first?.status, first?.text).toBe(family.status);
    expect(first?.headers.get('idempotent-replayed')).toBeNull();
    expect(late.status, late.text).toBe(family.status);
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    expect(late.body.id).toBe(first?.body.id);
    expect(await family.made(subject, 'copies')).toBe(1);
  });

  it.runIf(!!family.other)('refuses the same key with another body (422) and writes nothing for it', async () => {
    const { subject, path, body } = await run('other-body');
    expect((await post(path, 'other-body', body)).status).toBe(family.status);
    const reused = await post(path, 'other-body', family.other?.('other-body'));
    expect(reused.status, reused.text).toBe(422);
    expect(reused.body.type).toContain('idempotency-key-reused');
    expect(await family.made(subject, 'other-body')).toBe(1);
  });
});

describe('a keyed POST that finds its work done already', () => {
  it('answers as it stands and claims the request, so its retry is a replay', async () => {
    const id = await aCampaign('done-already');
    await ok(api.call('POST', `/campaigns/${id}/cancel`, { as: 'manager' }));
    const keyed = await post(`/campaigns/${id}/cancel`, 'cancel-again');
    expect(keyed.status).toBe(200);
    expect(keyed.headers.get('idempotent-replayed')).toBeNull();
    const retry = await post(`/campaigns/${id}/cancel`, 'cancel-again');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(keyed.body);

    const month = await aReport();
    const started = await ok(api.call('POST', `/reports/${month}/exports`, { as: 'manager' }), 202);
    const found = await post(`/reports/${month}/exports`, 'export-again');
    expect(found.status).toBe(202);
    expect(found.body.id).toBe(started.id);
    expect(found.headers.get('idempotent-replayed')).toBeNull();
    expect((await post(`/reports/${month}/exports`, 'export-again')).headers.get('idempotent-replayed')).toBe('true');
  });

  it('invites a launched campaign’s sample once across a crash, its retry and the hourly resume', async () => {
    const id = await aCampaign('launch-resume');
    const crash = crashAtWrite({ write: 1, moment: 'after', dead: true }, writesOf(undefined));
    try {
      expect(await postRaw(`/campaigns/${id}/launch`, 'launch-resume')).toBe(500);
    } finally {
      crash.remove();
    }
    // Launched, but the job was never started (the request died first): the retry answers the launch.
    const retry = await post(`/campaigns/${id}/launch`, 'launch-resume');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.status).toBe('launching');
    // The hourly wave job resumes a launch left `launching`; twice is the same.
    await runCampaignWaves(api.runtime.clock.now());
    await runCampaignWaves(api.runtime.clock.now());
    await api.runtime.jobsSettled();
    expect((await campaign(id)).progress.invited).toBe(1);
  });
});

describe('POST /reports/{period}/generate with an Idempotency-Key', () => {
  const generate = (month: string, key: string, body: unknown) => post(`/reports/${month}/generate`, key, body);
  const reportEmails = (month: string) =>
    api.runtime.outbox.list().filter((m) => m.kind === 'email' && (m.subject ?? '').includes(month)).length;

  it('answers a retry from the report without building it again, and refuses another body (422)', async () => {
    const month = freshMonth();
    const first = await generate(month, 'generate-1', { email: false });
    expect(first.status).toBe(200);
    const retry = await generate(month, 'generate-1', { email: false });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.version).toBe(first.body.version);
    expect((await generate(month, 'generate-1', { email: true })).status).toBe(422);
    expect((await ok(api.call('GET', `/reports/${month}`, { as: 'manager' }))).version).toBe(first.body.version);
  });

  it('emails at most once and answers the report after a crash at any write', async () => {
    await ok(api.call('PATCH', '/settings', { body: { reportRecipients: ['director@example.com'] } }));
    const marker = (month: string) => `REPORT#${month}`;
    const clean = freshMonth();
    const counting = crashAtWrite(undefined, writesOf(marker(clean)));
    try {
      await ok(generate(clean, 'generate-clean', { email: true }));
    } finally {
      counting.remove();
    }
    expect(reportEmails(clean)).toBe(1);
    // The report, its email claim and outcome, then the request's claim.
    expect(counting.writes.length).toBeGreaterThanOrEqual(4);
    for (let write = 1; write <= counting.writes.length; write += 1)
      for (const moment of ['before', 'after'] as const) {
        const month = freshMonth();
        const key = `generate-${write}-${moment}`;
        const crash = crashAtWrite({ write, moment, dead: true }, writesOf(marker(month)));
        try {
          expect(await postRaw(`/reports/${month}/generate`, key, { email: true })).toBe(500);
        } finally {
          crash.remove();
        }
        const retry = await generate(month, key, { email: true });
        expect(retry.status, `${moment} write ${write}: ${retry.text}`).toBe(200);
        expect(retry.body.month).toBe(month);
        const again = await generate(month, key, { email: true });
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expect(again.body.version).toBe(retry.body.version);
        expect(reportEmails(month), `${moment} write ${write}`).toBeLessThanOrEqual(1);
        // Died before its email was claimed: the retry sent it.
        if (write === 1) expect(reportEmails(month)).toBe(1);
      }
  });
});
