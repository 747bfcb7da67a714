/**
 * Profile questions (contract "Questionnaires (v1.2)": a question with `profileField` is skipped when
 * the profile already holds it, and fills it otherwise), through the JSON survey and the `/s` page,
 * against the local runtime and DynamoDB Local. The relationship questionnaire asks `customer_type`
 * (customerType) and `customer_since` (customerSince).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInteraction } from '../support/builders/interactions.js';
import { aCustomer } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
let sequence = 0;
// 10:00 in Shanghai on 10 November 2026.
const START = new Date('2026-11-10T02:00:00Z');

beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  const patched = await api.call('PATCH', '/settings', {
    as: 'admin',
    // Answered at once, and surveyed again the same day: the too-fast rule and the throttle have their own tests.
    body: { surveyThrottleDays: 0, surveys: { minAnswerSeconds: 0, minSecondsPerQuestion: 0 } },
  });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
});
afterAll(() => api?.runtime.stop());

/** A customer (with `profile` fields) and a relationship survey about a chat of theirs. */
async function aCustomerWithSurvey(profile: Record<string, unknown> = {}, customerId = `C-PF${++sequence}`) {
  const put = await api.call('PUT', `/customers/${customerId}`, { body: aCustomer({ language: 'en', ...profile }) });
  expect(put.status).toBeLessThan(300);
  return { customerId, token: await aSurveyOf(customerId) };
}

async function aSurveyOf(customerId: string) {
  const startedAt = new Date(api.runtime.clock.now().getTime() - 3600_000 + sequence++ * 1000);
  const interaction = await api.call('POST', '/interactions', {
    body: anInteraction({ customerId, team: 'north', startedAt: startedAt.toISOString() }),
  });
  expect(interaction.status).toBe(201);
  const survey = await api.call('POST', '/surveys', {
    as: 'agent',
    body: { subject: { type: 'interaction', id: interaction.body.id }, questionnaireId: 'relationship' },
  });
  expect(survey.status, JSON.stringify(survey.body)).toBe(201);
  return survey.body.token as string;
}

type FormQuestion = { id: string; type: string; required: boolean; choices?: Array<{ id: string }> };

/** A complete answer to the questions a form shows: 4 on scales, 8 for NPS, the first choice. */
function answersTo(questions: FormQuestion[], chosen: Record<string, string> = {}) {
  const answers: Record<string, unknown> = {};
  for (const q of questions) {
    if (chosen[q.id]) answers[q.id] = chosen[q.id];
    else if (q.type === 'scale') answers[q.id] = 4;
    else if (q.type === 'nps') answers[q.id] = 8;
    else if (q.type === 'single') answers[q.id] = q.choices?.[0]?.id;
    else if (q.type === 'multi') answers[q.id] = [q.choices?.[0]?.id];
  }
  return answers;
}

const profileOf = async (customerId: string) => (await api.call('GET', `/customers/${customerId}`)).body;

describe('profile questions through JSON', () => {
  it('asks what the profile lacks, and the answer fills the profile in the same write', async () => {
    const { customerId, token } = await aCustomerWithSurvey();
    const form = await api.call('GET', `/surveys/${token}`, { as: null });
    expect(form.status).toBe(200);
    const questions: FormQuestion[] = form.body.questionnaire.questions;
    expect(questions.slice(0, 2).map((q) => q.id)).toEqual(['customer_type', 'customer_since']);
    const before = await profileOf(customerId);
    expect(before.customerType).toBeUndefined();

    const reply = await api.call('POST', `/surveys/${token}/responses`, {
      as: null,
      body: { answers: answersTo(questions, { customer_type: 'business', customer_since: 'one_to_three_years' }) },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const after = await profileOf(customerId);
    // A customer "for 1 to 3 years" started a year before the answer at the latest: returning from now on.
    expect(after).toMatchObject({ customerType: 'business', customerSince: '2025-11-10' });
    expect(after.name).toBe(before.name);
  });

  it('does not ask what the profile holds, and ignores an answer to it sent anyway', async () => {
    const { customerId, token } = await aCustomerWithSurvey({
      customerType: 'individual',
      customerSince: '2020-03-01',
    });
    const form = await api.call('GET', `/surveys/${token}`, { as: null });
    const questions: FormQuestion[] = form.body.questionnaire.questions;
    const ids = questions.map((q) => q.id);
    expect(ids).not.toContain('customer_type');
    expect(ids).not.toContain('customer_since');
    expect(ids).toContain('purchase_channel');

    const reply = await api.call('POST', `/surveys/${token}/responses`, {
      as: null,
      body: { answers: { ...answersTo(questions), customer_type: 'business', customer_since: 'under_one_year' } },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(await profileOf(customerId)).toMatchObject({ customerType: 'individual', customerSince: '2020-03-01' });
  });

  it('asks only the field still missing, and a second survey of the same customer asks neither', async () => {
    const { customerId, token } = await aCustomerWithSurvey({ customerType: 'individual' });
    const first = (await api.call('GET', `/surveys/${token}`, { as: null })).body.questionnaire.questions;
    expect(first.map((q: FormQuestion) => q.id)).toContain('customer_since');
    expect(first.map((q: FormQuestion) => q.id)).not.toContain('customer_type');
    const reply = await api.call('POST', `/surveys/${token}/responses`, {
      as: null,
      body: { answers: answersTo(first, { customer_since: 'under_one_year' }) },
    });
    expect(reply.status).toBe(201);
    expect(await profileOf(customerId)).toMatchObject({ customerType: 'individual', customerSince: '2026-11-10' });

    const again = await aSurveyOf(customerId);
    const second = (await api.call('GET', `/surveys/${again}`, { as: null })).body.questionnaire.questions;
    expect(second.map((q: FormQuestion) => q.id).filter((id: string) => id.startsWith('customer_'))).toEqual([]);
  });

  it('still names a bad value of a profile question it asks', async () => {
    const { token } = await aCustomerWithSurvey();
    const questions = (await api.call('GET', `/surveys/${token}`, { as: null })).body.questionnaire.questions;
    const reply = await api.call('POST', `/surveys/${token}/responses`, {
      as: null,
      body: { answers: answersTo(questions, { customer_type: 'government' }) },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errors.map((e: { path: string }) => e.path)).toEqual(['answers.customer_type']);
  });
});

describe('profile questions on the /s page', () => {
  /** The form fields of a complete answer, as the page posts them. */
  function formOf(questions: FormQuestion[], chosen: Record<string, string> = {}) {
    const form = new URLSearchParams();
    for (const [id, value] of Object.entries(answersTo(questions, chosen)))
      if (Array.isArray(value)) for (const choice of value) form.append(`${id}.${choice}`, 'on');
      else form.append(id, String(value));
    return form;
  }
  const page = (token: string) => fetch(`${api.runtime.url}/s/${token}?lang=zh`).then((r) => r.text());
  const post = (token: string, form: URLSearchParams) =>
    fetch(`${api.runtime.url}/s/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });

  it('shows the profile questions the profile lacks, and the posted answers fill it', async () => {
    const { customerId, token } = await aCustomerWithSurvey();
    const html = await page(token);
    expect(html).toContain('name="customer_type"');
    expect(html).toContain('name="customer_since"');
    expect(html).toContain('企业或机构');
    // The questions the page shows, as the JSON form lists them (read after the page: both are the same survey).
    const questions = (await api.call('GET', `/surveys/${token}`, { as: null })).body.questionnaire.questions;
    const answered = await post(
      token,
      formOf(questions, { customer_type: 'individual', customer_since: 'over_three_years' }),
    );
    expect(answered.status, await answered.clone().text()).toBe(200);
    expect(await profileOf(customerId)).toMatchObject({ customerType: 'individual', customerSince: '2023-11-10' });
  });

  it('leaves them out when the profile holds them, and still takes the answer', async () => {
    const { customerId, token } = await aCustomerWithSurvey({ customerType: 'business', customerSince: '2024-01-15' });
    const html = await page(token);
    expect(html).not.toContain('name="customer_type"');
    expect(html).not.toContain('name="customer_since"');
    expect(html).toContain('name="purchase_channel"');
    const questions = (await api.call('GET', `/surveys/${token}`, { as: null })).body.questionnaire.questions;
    const answered = await post(token, formOf(questions));
    expect(answered.status).toBe(200);
    expect(await profileOf(customerId)).toMatchObject({ customerType: 'business', customerSince: '2024-01-15' });
  });
});
