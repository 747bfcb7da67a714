/**
 * The survey page (`/s/{token}`) in headless Chromium: completed by keyboard only in zh and en
 * at 375 px, by mouse with JavaScript off, a form missing answers coming back with messages and
 * answers kept, used / expired / unknown links, safe headers, axe-core, screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSurveyToken } from '../../shared/domain/survey-token.js';
import { localDate } from '../../shared/domain/time.js';
import { DEV_SURVEY_SIGNING_KEY } from '../../shared/secrets/survey-signing-key.js';
import { artifacts, launchChromium, seriousA11yViolations } from '../support/browser.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { aSurveyAfterContact } from '../support/surveys.js';

let api: TestApi;
let browser: Browser;
let mobile: Page;
let sequence = 0;

/** A survey of a chat resolved an hour ago, for a customer who speaks `language`. */
async function aSurvey(language: 'zh' | 'en'): Promise<{ id: string; token: string; url: string; day: string }> {
  const { survey, startedAt } = await aSurveyAfterContact(api, {
    customerId: `C-P${++sequence}`,
    language,
    as: 'agent',
  });
  return { ...survey, day: localDate(startedAt, 'Asia/Shanghai') } as {
    id: string;
    token: string;
    url: string;
    day: string;
  };
}

async function validResponses(day: string): Promise<number> {
  const metrics = await api.call('GET', `/metrics?from=${day}&to=${day}`, { as: 'supervisor' });
  expect(metrics.status).toBe(200);
  return metrics.body.satisfaction.validResponses;
}

/** Tab to the next radio group and choose `score` there with the arrow keys (Space picks the first). */
async function chooseByKeyboard(page: Page, score: number, lowest: number) {
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  for (let i = lowest; i < score; i += 1) await page.keyboard.press('ArrowRight');
}

async function expectNoSeriousViolations(page: Page) {
  const violations = await seriousA11yViolations(page);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}

async function screenshots(page: Page, name: string) {
  const viewport = page.viewportSize();
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${artifacts()}/${name}-${width}.png`, fullPage: true });
  }
  if (viewport) await page.setViewportSize(viewport);
}

beforeAll(async () => {
  // Sixty times real time: a customer taking a few real seconds has read the form (not "too fast").
  api = await startTestRuntime({ timeScale: 60, schedules: false });
  browser = await launchChromium();
  mobile = await browser.newPage({ viewport: { width: 375, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  await api?.runtime.stop();
});

describe('the survey page', () => {
  it('is completed by keyboard only in Chinese at 375 px, and the answer counts in GET /metrics', async () => {
    const survey = await aSurvey('zh');
    expect(survey.url).toBe(`${api.runtime.url}/s/${survey.token}`);
    const before = await validResponses(survey.day);

    const response = await mobile.goto(survey.url);
    expect(response?.status()).toBe(200);
    expect(await mobile.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await mobile.locator('h1').textContent()).toBe('请评价本次服务');
    expect(await mobile.locator('.lead').textContent()).toContain('在线客服服务');
    // Every point of the 1–5 scale has its words; five dimensions and overall are fieldsets with legends.
    expect(await mobile.locator('fieldset').count()).toBe(7);
    expect(await mobile.locator('fieldset#q-attitude label').allTextContents()).toEqual([
      '1非常不满意',
      '2不满意',
      '3一般',
      '4满意',
      '5非常满意',
    ]);
    expect(await mobile.locator('fieldset#q-nps legend').textContent()).toBe('您有多大可能向朋友或同事推荐我们?');
    await expectNoSeriousViolations(mobile);
    await screenshots(mobile, 'survey-zh');

    await mobile.keyboard.press('Tab'); // the language switch comes first
    expect(await mobile.evaluate('document.activeElement.textContent')).toBe('English');
    for (const score of [5, 4, 5, 4, 4, 4]) await chooseByKeyboard(mobile, score, 1);
    await chooseByKeyboard(mobile, 9, 0);
    expect(await mobile.locator('input[name=nps]:checked').getAttribute('value')).toBe('9');
    expect(await mobile.locator('input[name=professionalism]:checked').getAttribute('value')).toBe('4');
    await mobile.keyboard.press('Tab');
    await mobile.keyboard.type('回复很快，谢谢');
    await mobile.keyboard.press('Tab');
    await Promise.all([mobile.waitForEvent('load'), mobile.keyboard.press('Enter')]);

    expect(await mobile.locator('h1').textContent()).toBe('感谢您的评价！');
    await expectNoSeriousViolations(mobile);
    await screenshots(mobile, 'survey-thanks-zh');
    expect(await validResponses(survey.day)).toBe(before + 1);
    // One code path with the JSON route: the link is used now.
    expect((await api.call('GET', `/surveys/${survey.token}`, { as: null })).status).toBe(410);
  });

  it('is completed by keyboard only in English at 375 px', async () => {
    const survey = await aSurvey('en');
    await mobile.goto(survey.url);
    expect(await mobile.getAttribute('html', 'lang')).toBe('en');
    expect(await mobile.locator('.lead').textContent()).toMatch(/^About your chat on \d{1,2} [A-Z][a-z]+\./);
    expect(await mobile.locator('fieldset#q-overall label').allTextContents()).toEqual([
      '1Very dissatisfied',
      '2Dissatisfied',
      '3Neutral',
      '4Satisfied',
      '5Very satisfied',
    ]);
    await expectNoSeriousViolations(mobile);
    await screenshots(mobile, 'survey-en');
    await mobile.keyboard.press('Tab');
    for (const score of [3, 4, 4, 3, 5, 4]) await chooseByKeyboard(mobile, score, 1);
    await chooseByKeyboard(mobile, 7, 0);
    await mobile.keyboard.press('Tab');
    await mobile.keyboard.press('Tab');
    await Promise.all([mobile.waitForEvent('load'), mobile.keyboard.press('Enter')]);
    expect(await mobile.locator('h1').textContent()).toBe('Thank you for your feedback!');
    await expectNoSeriousViolations(mobile);
    await screenshots(mobile, 'survey-thanks-en');
  });

  it('works with JavaScript off: answered by mouse, the thank-you page', async () => {
    const survey = await aSurvey('en');
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(survey.url);
      for (const [field, value] of [
        ['responsiveness', 5],
        ['professionalism', 5],
        ['attitude', 4],
        ['resolution', 5],
        ['convenience', 4],
        ['overall', 5],
        ['nps', 10],
      ] as const) {
        await page
          .locator(`fieldset#q-${field} label.opt`)
          .nth(field === 'nps' ? value : value - 1)
          .click();
      }
      await page.getByRole('button').click();
      await page.waitForLoadState('load');
      expect(await page.locator('h1').textContent()).toBe('Thank you for your feedback!');
    } finally {
      await context.close();
    }
  });

  it('comes back with a message beside each missing answer and every given answer kept', async () => {
    const survey = await aSurvey('zh');
    await mobile.goto(`${survey.url}?lang=en`);
    expect(await mobile.getAttribute('html', 'lang')).toBe('en');
    await mobile.locator('fieldset#q-responsiveness label.opt').nth(1).click();
    await mobile.locator('fieldset#q-nps label.opt').nth(3).click();
    await mobile.locator('#comment').fill('Too slow on the phone');
    const [response] = await Promise.all([
      mobile.waitForResponse((r) => r.request().method() === 'POST'),
      mobile.getByRole('button').click(),
    ]);
    expect(response.status()).toBe(422);
    await mobile.waitForLoadState('load');
    expect(await mobile.locator('.summary h2').textContent()).toBe('5 questions still need an answer');
    for (const field of ['professionalism', 'attitude', 'resolution', 'convenience', 'overall']) {
      expect(await mobile.locator(`#e-${field}`).textContent()).toBe('Please choose a score.');
      expect(await mobile.locator(`fieldset#q-${field}`).getAttribute('aria-describedby')).toBe(`e-${field}`);
    }
    expect(await mobile.locator('#e-responsiveness').count()).toBe(0);
    expect(await mobile.locator('input[name=responsiveness]:checked').getAttribute('value')).toBe('2');
    expect(await mobile.locator('input[name=nps]:checked').getAttribute('value')).toBe('3');
    expect(await mobile.locator('#comment').inputValue()).toBe('Too slow on the phone');
    await expectNoSeriousViolations(mobile);
    await screenshots(mobile, 'survey-missing-en');
    // Nothing was stored: the link still opens.
    expect((await api.call('GET', `/surveys/${survey.token}`, { as: null })).status).toBe(200);
  });

  it('says so when the link was used or has expired, and is a 404 page for a link that does not verify', async () => {
    const survey = await aSurvey('zh');
    const answer = {
      scores: { responsiveness: 4, professionalism: 4, attitude: 4, resolution: 4, convenience: 4 },
      overall: 4,
      nps: 8,
    };
    expect((await api.call('POST', `/surveys/${survey.token}/responses`, { as: null, body: answer })).status).toBe(201);
    for (const lang of ['zh', 'en'] as const) {
      const used = await mobile.goto(`${survey.url}?lang=${lang}`);
      expect(used?.status()).toBe(410);
      expect(await mobile.locator('h1').textContent()).toBe(
        lang === 'zh' ? '这份问卷已经提交过了' : 'This survey has already been answered',
      );
      await expectNoSeriousViolations(mobile);
      await screenshots(mobile, `survey-used-${lang}`);
    }

    const expired = signSurveyToken(
      { surveyId: survey.id, expiresAt: new Date(api.runtime.clock.now().getTime() - 60_000) },
      [DEV_SURVEY_SIGNING_KEY],
    );
    const gone = await mobile.goto(`${api.runtime.url}/s/${expired}`);
    expect(gone?.status()).toBe(410);
    expect(await mobile.locator('h1').textContent()).toBe('这个评价链接已过期');
    await screenshots(mobile, 'survey-expired-zh');

    const forged = `${survey.token.slice(0, -2)}${survey.token.endsWith('AA') ? 'AB' : 'AA'}`;
    for (const lang of ['zh', 'en'] as const) {
      const missing = await mobile.goto(`${api.runtime.url}/s/${forged}?lang=${lang}`);
      expect(missing?.status()).toBe(404);
      expect(missing?.headers()['content-type']).toContain('text/html');
      expect(await mobile.locator('h1').textContent()).toBe(
        lang === 'zh' ? '找不到这个页面' : 'We could not find this page',
      );
      await expectNoSeriousViolations(mobile);
      await screenshots(mobile, `not-found-${lang}`);
    }
  });

  it('is a small page without script, with the headers that keep its token private', async () => {
    const survey = await aSurvey('zh');
    const reply = await api.call('GET', `/s/${survey.token}`, { as: null });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = reply.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.byteLength(reply.text)).toBeLessThan(30 * 1024);
    expect(reply.text).not.toContain('<script');
    expect(reply.text).not.toMatch(/https?:\/\//); // no third-party (or any absolute) asset
    expect(reply.text).not.toContain(survey.token); // not in a hidden field, not in the form's action
    expect(reply.text).not.toContain('type="hidden"');
    // A form post of another type is refused with a page, not problem+json.
    const json = await api.call('POST', `/s/${survey.token}`, { as: null, body: { overall: 5 } });
    expect(json.status).toBe(415);
    expect(json.headers.get('content-type')).toContain('text/html');
  });
});
