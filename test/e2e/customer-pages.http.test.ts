/**
 * The complaint confirmation page (`/c/{token}`, s003: the customer confirms) and the suggestion
 * board, in headless Chromium: the link arrives in the outbox when a complaint is resolved, `yes`
 * closes the loop as the customer's own act, `no` reopens with fresh deadlines, each link once;
 * the board publishes masked text, takes a suggestion and limits submissions per address.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, launchChromium, seriousA11yViolations } from '../support/browser.js';
import { aCustomer } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
let browser: Browser;
let page: Page;
let sequence = 0;

async function expectNoSeriousViolations() {
  const violations = await seriousA11yViolations(page);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}

async function screenshots(name: string) {
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${artifacts()}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 375, height: 800 });
}

/** A complaint taken to `resolved`, and the confirmation link the follow-up job sent its customer. */
async function aResolvedComplaint(language: 'zh' | 'en'): Promise<{ id: string; link: string }> {
  const customerId = `C-CF${++sequence}`;
  const phone = `+861380000${String(1000 + sequence).slice(-4)}`;
  expect(
    (await api.call('PUT', `/customers/${customerId}`, { as: 'agent', body: aCustomer({ language, phone }) })).status,
  ).toBe(201);
  const created = await api.call('POST', '/complaints', {
    as: 'agent',
    body: {
      customerId,
      channel: 'phone',
      category: 'logistics',
      severity: 'medium',
      description: 'Parcel never arrived',
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  for (const event of [
    { type: 'assign', assigneeId: 'agent-7' },
    { type: 'respond' },
    { type: 'propose_solution', solution: 'A replacement parcel goes out today by express courier.' },
    { type: 'resolve' },
  ]) {
    const reply = await api.call('POST', `/complaints/${id}/events`, { as: 'agent', body: event });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  }
  expect((await api.call('POST', '/_local/jobs/follow-ups', { as: 'admin' })).status).toBe(200);
  const message = api.runtime.outbox.list().find((m) => m.to.includes(phone) && m.text?.includes('/c/'));
  expect(message, 'the confirmation link was sent').toBeDefined();
  const link = /(https?:\/\/\S+\/c\/[A-Za-z0-9_-]+)/.exec(message!.text!)![1]!;
  expect(link.startsWith(`${api.runtime.url}/c/`)).toBe(true);
  return { id, link };
}

async function timeline(id: string) {
  const reply = await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' });
  expect(reply.status).toBe(200);
  return reply.body.items as { type: string; actor: string }[];
}

beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-03T02:00:00Z'), schedules: false });
  await api.runtime.workflows.prepare(); // the escalation state machine is synthesized once, before the first complaint
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 375, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  await api?.runtime.stop();
});

describe('the confirmation page', () => {
  it('yes: the customer confirms, the timeline shows it as theirs, and the link is used', async () => {
    const complaint = await aResolvedComplaint('zh');
    const opened = await page.goto(complaint.link);
    expect(opened?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('您的问题解决了吗？');
    expect(await page.locator('blockquote').textContent()).toBe(
      'A replacement parcel goes out today by express courier.',
    );
    await expectNoSeriousViolations();
    await screenshots('confirmation-zh');
    await page.goto(`${complaint.link}?lang=en`);
    expect(await page.locator('h1').textContent()).toBe('Did this solve your problem?');
    await expectNoSeriousViolations();
    await screenshots('confirmation-en');

    await page.locator('#comment').fill('Arrived, thanks');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Yes, it is solved' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Thank you for confirming!');
    await expectNoSeriousViolations();
    await screenshots('confirmation-yes-en');

    const complaintNow = await api.call('GET', `/complaints/${complaint.id}`, { as: 'agent' });
    expect(complaintNow.body.status).toBe('confirmed');
    const confirm = (await timeline(complaint.id)).find((entry) => entry.type === 'confirm');
    expect(confirm).toMatchObject({ actor: 'customer' });

    const again = await page.goto(complaint.link);
    expect(again?.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe('这个问题已经回答过了');
    await expectNoSeriousViolations();
    await screenshots('confirmation-used-zh');
  }, 60_000);

  it('no: the complaint reopens by the customer with fresh deadlines; without an answer the page asks again', async () => {
    const complaint = await aResolvedComplaint('en');
    const before = await api.call('GET', `/complaints/${complaint.id}`, { as: 'agent' });
    await page.goto(complaint.link);
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // A post without an answer (e.g. a stale form) comes back asking for one, the comment kept.
    const missing = await api.call('POST', new URL(complaint.link).pathname, {
      as: null,
      rawBody: 'comment=still+waiting',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Please choose “solved” or “not solved”.');
    expect(missing.text).toContain('still waiting');

    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'No, it is not solved' }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe('We will keep working on it');
    const after = await api.call('GET', `/complaints/${complaint.id}`, { as: 'agent' });
    expect(after.body).toMatchObject({ status: 'reopened', round: before.body.round + 1 });
    expect(after.body.deadlines.respondBy > before.body.deadlines.respondBy).toBe(true);
    const reopen = (await timeline(complaint.id)).find((entry) => entry.type === 'reopen');
    expect(reopen).toMatchObject({ actor: 'customer' });
    expect((await page.goto(complaint.link))?.status()).toBe(410);
  });
});

describe('the suggestion board', () => {
  it('publishes suggestions masked, takes one from the form, and limits submissions per address', async () => {
    const suggested = await api.call('POST', '/suggestions', {
      as: 'agent',
      body: { text: 'Call me on 13812345678 or mail li.wei@example.com about longer opening hours' },
    });
    expect(suggested.status).toBe(201);
    // Only what a manager approved is published (issue 10.11).
    expect(
      (
        await api.call('POST', `/suggestions/${suggested.body.id}/publication`, {
          as: 'manager',
          body: { publish: true },
        })
      ).status,
    ).toBe(200);
    for (const lang of ['zh', 'en'] as const) {
      const opened = await page.goto(`${api.runtime.url}/suggestions/board?lang=${lang}`);
      expect(opened?.status()).toBe(200);
      const content = await page.content();
      expect(content).toContain('about longer opening hours');
      expect(content).not.toContain('13812345678');
      expect(content).not.toContain('li.wei@example.com');
      await expectNoSeriousViolations();
      await screenshots(`board-${lang}`);
    }

    // An empty form comes back with the message.
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Send suggestion' }).click()]);
    expect(await page.locator('#e-text').textContent()).toBe('Please write your suggestion.');
    await expectNoSeriousViolations();

    await page.locator('#text').fill('Please add a WeChat channel for complaints');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Send suggestion' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Thank you for your suggestion!');
    await expectNoSeriousViolations();
    await screenshots('board-thanks-en');
    const staff = await api.call('GET', '/suggestions', { as: 'supervisor' });
    expect(staff.body.items.map((s: { text: string }) => s.text)).toContain(
      'Please add a WeChat channel for complaints',
    );

    // Five a window from one address (one was taken above), then the 429 page.
    const post = () =>
      api.call('POST', '/suggestions/board?lang=en', {
        as: null,
        rawBody: 'text=more+ideas',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await post()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many submissions');
  });
});
