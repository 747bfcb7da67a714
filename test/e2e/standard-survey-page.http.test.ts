/**
 * A follow-up survey asking s001's standard (`service-standard`, chosen by `surveys.questionnaireFor`)
 * on its `/s` page in headless Chromium (@sparticuz/chromium + playwright-core), zh and en: the
 * items grouped under their five dimensions, a verbal label on every scale point, no serious axe-core
 * violation, usable at 320 px (nothing wider than the screen), and a missing answer coming back as
 * a 422 page that names the question and keeps every answer given. Screenshots go to test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIMENSIONS } from '../../shared/schemas/vocabulary.js';
import { artifacts, launchChromium, seriousA11yViolations } from '../support/browser.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { aSurveyAfterContact } from '../support/surveys.js';

let api: TestApi;
let browser: Browser;
let narrow: Page;
let sequence = 0;
type Item = { id: string; type: string; required: boolean; dimension?: string; text: { zh: string; en: string } };
let standard: Item[];

/** A follow-up survey of a resolved chat, for a customer who speaks `language`. */
async function aSurvey(language: 'zh' | 'en'): Promise<{ url: string; token: string }> {
  // No questionnaire named: the settings choose it for a contact's survey.
  const { survey } = await aSurveyAfterContact(api, { customerId: `C-STD${++sequence}`, language, as: 'agent' });
  return survey as { url: string; token: string };
}

async function expectUsable(page: Page, name: string) {
  const violations = await seriousA11yViolations(page);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  // Usable at 320 px: nothing scrolls sideways.
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
  await page.screenshot({ path: `${artifacts()}/${name}-320.png`, fullPage: true });
}

/** Chooses an answer to every question the page shows but `skip`: 4 on a scale, 8 for NPS. */
async function answerAll(page: Page, skip: string) {
  for (const q of standard) {
    if (q.id === skip) continue;
    if (q.type === 'scale') await page.check(`fieldset#q-${q.id} input[value="4"]`);
    else if (q.type === 'nps') await page.check(`fieldset#q-${q.id} input[value="8"]`);
  }
}

async function submit(page: Page) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.click('form button[type=submit]'),
  ]);
  await page.waitForLoadState('load');
  return response.status();
}

beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), schedules: false });
  const patched = await api.call('PATCH', '/settings', {
    as: 'admin',
    body: {
      surveys: {
        questionnaireFor: { interaction: 'service-standard' },
        // Answered at browser speed: the too-fast rule has its own tests.
        minAnswerSeconds: 0,
        minSecondsPerQuestion: 0,
      },
    },
  });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  standard = (await api.call('GET', '/questionnaires/service-standard', { as: 'supervisor' })).body.questions;
  browser = await launchChromium();
  narrow = await browser.newPage({ viewport: { width: 320, height: 800 } });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await api?.runtime.stop();
});

describe('a follow-up survey asking service-standard on its page', () => {
  it('groups the items by dimension with a verbal label on every point, in Chinese at 320 px', async () => {
    const survey = await aSurvey('zh');
    expect((await narrow.goto(survey.url))?.status()).toBe(200);
    expect(await narrow.getAttribute('html', 'lang')).toBe('zh-CN');
    // The five dimensions, each a section with its heading and its 3–4 sub-indicator items.
    const sections = narrow.locator('section.dimension');
    expect(await sections.count()).toBe(DIMENSIONS.length);
    // Headed as the JSON form names each dimension, in s001's order.
    const form = await api.call('GET', `/surveys/${survey.token}?lang=zh`, { as: null });
    const labels = [
      ...new Set(
        (form.body.questionnaire.questions as Array<{ dimensionLabel?: string; type: string }>)
          .filter((q) => q.type === 'scale' && q.dimensionLabel)
          .map((q) => q.dimensionLabel),
      ),
    ];
    expect(labels[0]).toBe('响应与及时性');
    expect(await narrow.locator('section.dimension h2').allTextContents()).toEqual(labels);
    for (const dimension of DIMENSIONS) {
      const items = standard.filter((q) => q.dimension === dimension).map((q) => `q-${q.id}`);
      expect(items.length, dimension).toBeGreaterThanOrEqual(3);
      expect(
        await narrow
          .locator(`section[aria-labelledby="d-${dimension}"] fieldset`)
          .evaluateAll((f) => f.map((e) => (e as { id: string }).id)),
      ).toEqual(items);
    }
    // Every scale point carries its words.
    for (const q of standard.filter((item) => item.type === 'scale'))
      expect(await narrow.locator(`fieldset#q-${q.id} label`).allTextContents(), q.id).toEqual([
        '1非常不满意',
        '2不满意',
        '3一般',
        '4满意',
        '5非常满意',
      ]);
    await expectUsable(narrow, 'standard-survey-zh');
  });

  it('comes back as 422 naming a missing answer, with every answer kept, then takes the complete one', async () => {
    const survey = await aSurvey('zh');
    await narrow.goto(survey.url);
    const missing = standard.find((q) => q.id === 'first_response');
    expect(missing?.required).toBe(true);
    await answerAll(narrow, 'first_response');
    await narrow.fill('textarea[name=comment]', '整体不错，首次回复稍慢');
    expect(await submit(narrow)).toBe(422);

    // The summary names the question and links to it; the question is marked; the rest is kept.
    expect(await narrow.locator('.summary li a').allTextContents()).toEqual([missing?.text.zh]);
    expect(await narrow.locator('.summary li a').getAttribute('href')).toBe('#q-first_response');
    expect(await narrow.locator('fieldset#q-first_response').getAttribute('class')).toBe('invalid');
    expect(await narrow.locator('fieldset#q-first_response input:checked').count()).toBe(0);
    for (const q of standard.filter((item) => item.type === 'scale' && item.id !== 'first_response'))
      expect(await narrow.locator(`fieldset#q-${q.id} input:checked`).getAttribute('value'), q.id).toBe('4');
    expect(await narrow.locator('fieldset#q-nps input:checked').getAttribute('value')).toBe('8');
    expect(await narrow.inputValue('textarea[name=comment]')).toBe('整体不错，首次回复稍慢');
    await expectUsable(narrow, 'standard-survey-zh-422');

    await narrow.check('fieldset#q-first_response input[value="3"]');
    expect(await submit(narrow)).toBe(200);
    expect(await narrow.locator('h1').textContent()).toBe('感谢您的评价！');
    // Counted under its dimension and sub-indicator.
    const metrics = await api.call('GET', '/metrics?from=2026-11-10&to=2026-11-10', { as: 'supervisor' });
    expect(metrics.body.satisfaction.subIndicators['responsiveness.first_response']).toMatchObject({
      n: 1,
      average: 3,
    });
  });

  it('reads in English for an English-speaking customer, grouped the same way', async () => {
    const survey = await aSurvey('en');
    expect((await narrow.goto(survey.url))?.status()).toBe(200);
    expect(await narrow.getAttribute('html', 'lang')).toBe('en');
    expect(await narrow.locator('section.dimension h2').count()).toBe(DIMENSIONS.length);
    const first = standard.find((q) => q.id === 'first_response');
    expect(await narrow.locator('fieldset#q-first_response legend').textContent()).toBe(first?.text.en);
    expect(await narrow.locator('fieldset#q-first_response label').allTextContents()).toEqual([
      '1Very dissatisfied',
      '2Dissatisfied',
      '3Neutral',
      '4Satisfied',
      '5Very satisfied',
    ]);
    await expectUsable(narrow, 'standard-survey-en');
    await answerAll(narrow, 'overall');
    expect(await submit(narrow)).toBe(422);
    expect(await narrow.locator('.summary li a').allTextContents()).toEqual([
      standard.find((q) => q.id === 'overall')?.text.en,
    ]);
  });
});
