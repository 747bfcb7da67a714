/**
 * The monthly report end to end: built from counters, served as JSON, HTML (rendered in
 * headless Chromium) and CSV, emailed once by the job with the CSV attached.
 */
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ports, usePorts } from '../../shared/ports.js';
import { writeWithCounters } from '../../shared/store/aggregates.js';
import { artifacts, launchChromium } from '../support/browser.js';
import { anInteraction } from '../support/builders/interactions.js';
import { configureDemoContacts } from '../support/contacts.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;

/** Survey and complaint counters of a day, as those capabilities record them. */
async function recordCounters(day: string, channel: string, counters: Record<string, number>, source: string) {
  await writeWithCounters(
    [],
    [{ cell: { day, channel, team: 'none' }, counters }],
    source,
    () => new Error('unexpected'),
  );
}

beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z'), schedules: false });
  // The notices go to the demo's contacts, configured as an admin would (a fresh stack has none).
  await configureDemoContacts(api);
  const interactions = [
    anInteraction({
      channel: 'chat',
      startedAt: '2026-10-05T02:00:00Z',
      firstResponseAt: '2026-10-05T02:00:10Z',
      resolvedAt: '2026-10-05T02:30:00Z',
      resolvedOnFirstContact: true,
    }),
    anInteraction({
      channel: 'phone',
      startedAt: '2026-10-07T03:00:00Z',
      firstResponseAt: '2026-10-07T03:00:25Z',
      resolvedAt: '2026-10-07T04:00:00Z',
    }),
    anInteraction({ channel: 'chat', startedAt: '2026-09-15T03:00:00Z', firstResponseAt: '2026-09-15T03:00:05Z' }),
  ];
  for (const body of interactions) expect((await api.call('POST', '/interactions', { body })).status).toBe(201);
  // October: 4 valid responses (overall 5, 4, 4, 2), NPS 10, 9, 7, 3; two comments on slow response, one on price.
  await recordCounters(
    '2026-10-05',
    'chat',
    {
      responses: 5,
      invalid_responses: 1,
      valid_responses: 4,
      invitations: 10,
      overall_sum: 15,
      overall_satisfied: 3,
      dim_responsiveness_sum: 13,
      dim_responsiveness_satisfied: 2,
      nps_promoters: 2,
      nps_passives: 1,
      nps_detractors: 1,
      comment_cat_slow_response: 2,
      comment_cat_price: 1,
      complaints: 1,
      respond_met: 1,
      solution_missed: 1,
      escalations: 1,
    },
    'survey-oct',
  );
  // September: 2 valid responses, both satisfied.
  await recordCounters(
    '2026-09-15',
    'chat',
    {
      responses: 2,
      valid_responses: 2,
      overall_sum: 9,
      overall_satisfied: 2,
      dim_responsiveness_sum: 10,
      dim_responsiveness_satisfied: 2,
      nps_promoters: 1,
      nps_passives: 1,
    },
    'survey-sep',
  );
});
afterAll(() => api?.runtime.stop());

describe('building the report of a month', () => {
  it('is 404 before it is built', async () => {
    expect((await api.call('GET', '/reports/2026-10', { as: 'manager' })).status).toBe(404);
  });

  it('builds October with the s002 sections, compared with September', async () => {
    const { status, body } = await api.call('POST', '/reports/2026-10/generate', { as: 'manager', body: {} });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      month: '2026-10',
      version: 1,
      email: null,
      period: { from: '2026-10-01', to: '2026-10-31', timezone: 'Asia/Shanghai' },
      overview: { interactions: 2, complaints: 1, responses: 5, validResponses: 4, responseRate: 0.5 },
      satisfaction: { csat: 3.75, previousCsat: 4.5, satisfiedShare: 0.75, previousSatisfiedShare: 1, change: 'down' },
      nps: { score: 25, promoters: 2, passives: 1, detractors: 1, previousScore: 50, change: 'down' },
      complaints: { count: 1, respondedInTimeShare: 1, solutionInTimeShare: 0, escalations: 1 },
      topProblems: [
        { category: 'slow_response', count: 2, share: 0.667 },
        { category: 'price', count: 1, share: 0.333 },
      ],
    });
    expect(
      body.satisfaction.dimensions.find((d: { dimension: string }) => d.dimension === 'responsiveness'),
    ).toMatchObject({ average: 3.25, satisfiedShare: 0.5, change: 'down' });
    expect(body.trend.map((t: { month: string }) => t.month)).toEqual([
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
    ]);
    expect(body.shortfalls.find((k: { name: string }) => k.name === 'solutionInTime')).toMatchObject({
      status: 'red',
      owner: 'Complaints desk',
    });
    expect(body.improvements).toEqual([]);
    // every contact and answer of the data set was recorded without a team: one row, the month's figures
    expect(body.teams).toEqual([
      {
        team: 'none',
        interactions: 2,
        firstResponseWithinTargetShare: body.service.firstResponseWithinTargetShare,
        firstContactResolutionShare: body.service.firstContactResolutionShare,
        csat: 3.75,
        nps: 25,
        complaints: 1,
      },
    ]);
    expect(body.findings.filter((f: { kind: string }) => f.kind === 'red').length).toBeGreaterThan(0);
  });

  it('rebuilds on a second run (version 2) and serves the same figures', async () => {
    const again = await api.call('POST', '/reports/2026-10/generate', { as: 'manager', body: {} });
    expect(again.body.version).toBe(2);
    const read = await api.call('GET', '/reports/2026-10', { as: 'manager' });
    expect(read.body.overview).toEqual(again.body.overview);
  });

  it('refuses a month in the future and a malformed month, and agents', async () => {
    expect((await api.call('POST', '/reports/2027-01/generate', { as: 'manager', body: {} })).status).toBe(400);
    expect((await api.call('GET', '/reports/2026-13', { as: 'manager' })).status).toBe(400);
    expect((await api.call('GET', '/reports/2026-10', { as: 'supervisor' })).status).toBe(403);
  });
});

describe('reports of a quarter and a year (issue 14 E), from the same counters', () => {
  const generate = async (period: string) => {
    const reply = await api.call('POST', `/reports/${period}/generate`, { as: 'manager', body: {} });
    expect(reply.status).toBe(200);
    return reply.body;
  };
  const VOLUMES = ['interactions', 'complaints', 'responses', 'validResponses'] as const;

  it('builds 2026-Q4 against 2026-Q3, with a trend of six quarters', async () => {
    const q4 = await generate('2026-Q4');
    expect(q4).toMatchObject({
      month: '2026-Q4',
      kind: 'quarter',
      period: { from: '2026-10-01', to: '2026-12-31' },
      // October's figures (November has none yet), against Q3 = September's
      overview: { interactions: 2, complaints: 1, responses: 5, validResponses: 4 },
      satisfaction: { csat: 3.75, previousCsat: 4.5, change: 'down' },
      nps: { score: 25, previousScore: 50 },
    });
    expect(q4.trend.map((t: { month: string }) => t.month)).toEqual([
      '2025-Q3',
      '2025-Q4',
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
      '2026-Q4',
    ]);
  });

  it('makes a year the sum of its quarters, and each quarter the sum of its months (never an average of rates)', async () => {
    const [q3, q4, year] = [await generate('2026-Q3'), await generate('2026-Q4'), await generate('2026')];
    const months = await Promise.all(['2026-07', '2026-08', '2026-09'].map(generate));
    for (const volume of VOLUMES) {
      expect(year.overview[volume]).toBe(q3.overview[volume] + q4.overview[volume]);
      expect(q3.overview[volume]).toBe(months.reduce((sum, m) => sum + m.overview[volume], 0));
    }
    expect(year).toMatchObject({ kind: 'year', period: { from: '2026-01-01', to: '2026-12-31' } });
    // September 2 valid answers (overall 9 in all), October 4 (15): (9 + 15) / 6 = 4, not (4.5 + 3.75) / 2 = 4.125;
    // satisfied (2 + 3) / 6; promoters 1 + 2, passives 1 + 1, detractors 0 + 1: (3 − 1) / 6 × 100 = 33.3
    expect(year.overview).toEqual({
      interactions: 3,
      complaints: 1,
      responses: 7,
      validResponses: 6,
      responseRate: 0.7,
    });
    expect(year.satisfaction).toMatchObject({ csat: 4, satisfiedShare: 0.8333 });
    expect(year.nps).toMatchObject({ score: 33.3, promoters: 3, passives: 2, detractors: 1 });
    expect(year.trend.map((t: { month: string }) => t.month)).toEqual(['2021', '2022', '2023', '2024', '2025', '2026']);
  });

  it('serves a quarter as HTML and CSV (tables only: the row export is per month)', async () => {
    const html = await api.call('GET', '/reports/2026-Q4/html?lang=zh', { as: 'manager' });
    expect(html.status).toBe(200);
    expect(html.text).toContain('客户满意度季度报告 · 2026-Q4');
    expect((await api.call('GET', '/reports/2026/html?lang=zh', { as: 'manager' })).text).toContain(
      '客户满意度年度报告 · 2026',
    );
    const csv = await api.call('GET', '/reports/2026-Q4/csv?lang=en', { as: 'manager' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('careloop-report-2026-Q4.csv');
    expect(csv.text).not.toContain('# complaints');
  });

  it('refuses a quarter or year not yet begun, and malformed periods', async () => {
    expect((await api.call('POST', '/reports/2027-Q1/generate', { as: 'manager', body: {} })).status).toBe(400);
    expect((await api.call('POST', '/reports/2027/generate', { as: 'manager', body: {} })).status).toBe(400);
    for (const bad of ['2026-Q5', '2026-Q0', '26', '2026-q3']) {
      const reply = await api.call('GET', `/reports/${bad}`, { as: 'manager' });
      expect(reply.status).toBe(400);
      expect(reply.body.errors).toMatchObject([{ path: 'period' }]);
    }
  });
});

describe('the report as a web page', () => {
  let browser: Browser;
  // The first launch on a machine unpacks Chromium: in a hook, whose timeout is longer.
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('renders in Chromium with its tables and charts and no console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${await api.runtime.token('director', ['manager'])}` });
    const response = await page.goto(`${api.runtime.url}/reports/2026-10/html?lang=en`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    expect(await page.locator('h1').textContent()).toContain('2026-10');
    expect(await page.locator('table[role=table]').count()).toBeGreaterThanOrEqual(7);
    expect(await page.locator('svg[data-chart=trend] polyline').count()).toBe(2);
    expect(await page.locator('svg[data-chart=nps] rect').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('script').count()).toBe(0);
    await page.screenshot({ path: `${artifacts()}/report-2026-10-en.png`, fullPage: true });
    await page.goto(`${api.runtime.url}/reports/2026-10/html?lang=zh`);
    expect(await page.locator('h1').textContent()).toContain('客户满意度月度报告');
    await page.screenshot({ path: `${artifacts()}/report-2026-10-zh.png`, fullPage: true });
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('serves the tables as CSV for spreadsheets', async () => {
    const reply = await api.call('GET', '/reports/2026-10/csv?lang=en', { as: 'manager' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('text/csv');
    expect(reply.headers.get('content-disposition')).toContain('careloop-report-2026-10.csv');
    const lines = reply.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('# Overview');
    expect(lines[2]).toBe('2026-10,2026-10-01,2026-10-31,2,1,5,4,0.5,3.75,0.75,25');
    expect(lines).toContain('responsiveness,3.25,0.5,1,down');
  });
});

describe('the row-level export', () => {
  it("lists the month's complaints one per row, without personal data", async () => {
    const complaint = await api.call('POST', '/complaints', {
      as: 'agent',
      body: {
        customerId: 'C-csv',
        channel: 'phone',
        category: 'logistics',
        severity: 'low',
        description: 'Call me on +8613812345678, parcel lost',
      },
    });
    expect(complaint.status).toBe(201);
    await api.call('POST', '/reports/2026-11/generate', { as: 'manager', body: {} });
    const csv = (await api.call('GET', '/reports/2026-11/csv?lang=en', { as: 'manager' })).text;
    const block = csv.split('\r\n\r\n').find((b) => b.startsWith('# complaints'))!;
    expect(block.split('\r\n')[1]).toBe(
      'complaint_id,service_day,registered_at,channel,team,category,severity,tier,status,escalation_level,respond,solution,close,breached,recurrence,paused_minutes,closed_at',
    );
    expect(block).toContain(`${complaint.body.id},2026-11-10,`);
    expect(csv).toContain('# responses');
    expect(csv).not.toContain('8613812345678');
    expect(csv).not.toContain('parcel lost');
  });
});

describe('the monthly job', () => {
  it('emails the report once, as email-safe HTML with the CSV attached, however often it runs', async () => {
    const first = await api.call('POST', '/_local/jobs/monthly-report', { body: { month: '2026-10' } });
    expect(first.body.email).toMatchObject({ status: 'sent', recipients: 1 });
    await api.call('POST', '/_local/jobs/monthly-report', { body: { month: '2026-10' } });
    const emails = api.runtime.outbox.list().filter((m) => m.kind === 'email' && m.id === 'report-2026-10@careloop');
    expect(emails).toHaveLength(1);

    const mail = await simpleParser(readFileSync(emails[0]!.file));
    expect(mail.subject).toBe('客户满意度月度报告 · 2026-10');
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('cs-director@example.com');
    expect(mail.html).toContain('<table');
    expect(mail.html).not.toMatch(/<script|<svg/i);
    expect(mail.text).toContain('NPS: 25.0');
    expect(mail.attachments).toHaveLength(1);
    const csv = mail.attachments[0]!;
    expect(csv.filename).toBe('careloop-report-2026-10.csv');
    const served = await api.call('GET', '/reports/2026-10/csv', { as: 'manager' });
    const normalize = (text: string) => text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
    expect(normalize(csv.content.toString('utf8'))).toBe(normalize(served.text));
  });

  it('keeps the stored report when email fails, and sends it on the next run', async () => {
    let attempts = 0;
    const email = ports().email;
    onTestFinished(() => void usePorts({ email }));
    usePorts({
      email: {
        send: async (message) => {
          if (!message.id.startsWith('report-')) return email.send(message);
          attempts += 1;
          if (attempts === 1) throw new Error('SES throttled');
          return email.send(message);
        },
      },
    });
    const failed = await api.call('POST', '/_local/jobs/monthly-report', { body: { month: '2026-09' } });
    expect(failed.body).toMatchObject({ email: { status: 'failed' }, emailError: 'SES throttled' });
    expect((await api.call('GET', '/reports/2026-09', { as: 'manager' })).status).toBe(200);
    const retried = await api.call('POST', '/_local/jobs/monthly-report', { body: { month: '2026-09' } });
    expect(retried.body.email.status).toBe('sent');
    await api.call('POST', '/_local/jobs/monthly-report', { body: { month: '2026-09' } });
    expect(attempts).toBe(2);
    expect(api.runtime.outbox.list().filter((m) => m.id === 'report-2026-09@careloop')).toHaveLength(1);
  });
});
