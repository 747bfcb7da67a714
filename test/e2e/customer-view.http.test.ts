/**
 * The customer view in three calls (contract "For screens (v1.1)", issue 28: every screen in at most
 * three): the profile with the first page of their survey answers (`?include=responses`), their
 * interactions and their complaints, all over the same default window; the answers page on with
 * GET /customers/{id}/responses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../support/builders/complaints.js';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
const START = new Date('2026-11-10T02:00:00Z');
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  // Several answered surveys per customer: no throttle window between invitations here.
  expect((await api.call('PATCH', '/settings', { as: 'admin', body: { surveyThrottleDays: 0 } })).status).toBe(200);
});
afterAll(() => api?.runtime.stop());

const minutesAgo = (minutes: number) => new Date(START.getTime() - minutes * 60_000).toISOString();

/** A resolved contact of the customer, a survey link for it and an answer through the public form. */
async function answeredContact(customerId: string, answer: Record<string, unknown>, startedMinutesAgo: number) {
  const interaction = await api.call('POST', '/interactions', {
    as: 'agent',
    body: anInteraction({
      customerId,
      startedAt: minutesAgo(startedMinutesAgo),
      firstResponseAt: minutesAgo(startedMinutesAgo - 1),
      resolvedAt: minutesAgo(startedMinutesAgo - 5),
    }),
  });
  expect(interaction.status).toBe(201);
  const survey = await api.call('POST', '/surveys', {
    as: 'agent',
    body: { subject: { type: 'interaction', id: interaction.body.id } },
  });
  expect(survey.status).toBe(201);
  await api.call('GET', `/surveys/${survey.body.token}`, { as: null });
  const reply = await api.call('POST', `/surveys/${survey.body.token}/responses`, { as: null, body: answer });
  expect(reply.status).toBe(201);
  return {
    interactionId: interaction.body.id as string,
    surveyId: survey.body.id as string,
    responseId: reply.body.id,
  };
}

const answer = (overall: number, nps: number, comment?: string) => ({
  scores: { responsiveness: overall, professionalism: 4, attitude: overall, resolution: 3, convenience: 4 },
  overall,
  nps,
  ...(comment ? { comment } : {}),
});

describe('the customer view', () => {
  it('takes three calls: profile with survey answers (newest first), interactions, complaints', async () => {
    const id = 'C-view-1';
    await api.call('PUT', `/customers/${id}`, {
      as: 'agent',
      body: { name: '陈静', preferredChannel: 'sms', language: 'zh', consent: { sms: true, email: false } },
    });
    const first = await answeredContact(id, answer(5, 10, 'Quick and kind'), 600);
    const second = await answeredContact(id, answer(2, 3, 'Waited too long'), 300);
    await answeredContact('C-view-other', answer(4, 8), 200);
    // A contact invited but not answered is not a response.
    const unanswered = await api.call('POST', '/interactions', {
      as: 'agent',
      body: anInteraction({
        customerId: id,
        startedAt: minutesAgo(100),
        firstResponseAt: minutesAgo(99),
        resolvedAt: minutesAgo(90),
      }),
    });
    await api.call('POST', '/surveys', {
      as: 'agent',
      body: { subject: { type: 'interaction', id: unanswered.body.id } },
    });
    const complaint = await api.call('POST', '/complaints', { as: 'agent', body: aComplaintBody({ customerId: id }) });

    let calls = 0;
    const get = async (path: string) => {
      calls += 1;
      const reply = await api.call('GET', path, { as: 'agent' });
      expect(reply.status).toBe(200);
      return reply.body;
    };
    const [profile, interactions, complaints] = await Promise.all([
      get(`/customers/${id}?include=responses`),
      get(`/interactions?customerId=${id}`),
      get(`/complaints?customerId=${id}`),
    ]);
    expect(calls).toBe(3);
    expect(profile).toMatchObject({ id, name: '陈静', counts: { responses: 2 } });
    const { responses } = profile;
    expect(responses.nextCursor).toBeNull();
    expect(interactions.items).toHaveLength(3);
    expect(complaints.items.map((c: { id: string }) => c.id)).toEqual([complaint.body.id]);
    expect(responses.items).toHaveLength(2);
    expect(responses.items.map((r: { id: string }) => r.id)).toEqual([second.responseId, first.responseId]);
    expect(responses.items[0]).toMatchObject({
      surveyId: second.surveyId,
      subject: { type: 'interaction', id: second.interactionId },
      overall: 2,
      nps: 3,
      comment: 'Waited too long',
      scores: { responsiveness: 2, resolution: 3 },
      sentiment: expect.any(String),
      submittedAt: expect.any(String),
    });
    expect(responses.items[0]).not.toHaveProperty('cell');
  });

  it('pages, answers an unknown customer with an empty list, and needs a token', async () => {
    const id = 'C-view-2';
    for (const minutes of [500, 400, 300]) await answeredContact(id, answer(4, 9), minutes);
    const page1 = await api.call('GET', `/customers/${id}/responses?limit=2`, { as: 'agent' });
    expect(page1.body.items).toHaveLength(2);
    const page2 = await api.call('GET', `/customers/${id}/responses?limit=2&cursor=${page1.body.nextCursor}`, {
      as: 'agent',
    });
    expect(page2.body).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    expect((await api.call('GET', '/customers/C-nobody/responses', { as: 'agent' })).body).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await api.call('GET', `/customers/${id}/responses`, { as: null })).status).toBe(401);
    const bad = await api.call('GET', `/customers/${id}/responses?limit=0`, { as: 'agent' });
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'limit', code: 'out_of_range' })]);
  });

  it('includes exactly the first page GET /customers/{id}/responses answers, whose cursor pages on there', async () => {
    const id = 'C-view-include';
    await api.call('PUT', `/customers/${id}`, {
      as: 'agent',
      body: { name: '周敏', preferredChannel: 'sms', language: 'zh', consent: { sms: true, email: false } },
    });
    // One answer more than a first page (25) holds; one at a time (one customer's invitations are serialized).
    for (let n = 0; n < 26; n += 1) await answeredContact(id, answer(1 + (n % 5), n % 11), 900 - n * 10);

    const plain = await api.call('GET', `/customers/${id}`, { as: 'agent' });
    const included = await api.call('GET', `/customers/${id}?include=responses`, { as: 'agent' });
    const separate = await api.call('GET', `/customers/${id}/responses`, { as: 'agent' });
    expect([plain.status, included.status, separate.status]).toEqual([200, 200, 200]);
    // The customer as without include, with the same version (ETag), plus `responses`.
    expect(plain.body).not.toHaveProperty('responses');
    const { responses, ...customer } = included.body;
    expect(customer).toEqual(plain.body);
    expect(included.headers.get('etag')).toBe(plain.headers.get('etag'));
    // The separate route's first page: the same 25 answers in the same order, and a cursor.
    expect(responses.items).toHaveLength(25);
    expect(responses.items).toEqual(separate.body.items);
    expect(responses.nextCursor).toEqual(expect.any(String));
    expect(separate.body.nextCursor).toEqual(expect.any(String));
    // Its cursor pages on with GET /customers/{id}/responses, to the same oldest answer.
    const next = await api.call(
      'GET',
      `/customers/${id}/responses?cursor=${encodeURIComponent(responses.nextCursor)}`,
      {
        as: 'agent',
      },
    );
    const nextOfSeparate = await api.call(
      'GET',
      `/customers/${id}/responses?cursor=${encodeURIComponent(separate.body.nextCursor)}`,
      { as: 'agent' },
    );
    expect(next.status).toBe(200);
    expect(next.body).toEqual({ items: [expect.objectContaining({ subject: expect.any(Object) })], nextCursor: null });
    expect(next.body).toEqual(nextOfSeparate.body);
    const ids = new Set([...responses.items, ...next.body.items].map((item: { id: string }) => item.id));
    expect(ids.size).toBe(26);
  });

  it('refuses an include it does not know with a 400 naming include, and a customer it does not know with a 404', async () => {
    const id = 'C-view-1';
    for (const value of ['complaints', 'responses,complaints', '']) {
      const bad = await api.call('GET', `/customers/${id}?include=${encodeURIComponent(value)}`, { as: 'agent' });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(bad.body.errors).toEqual([
        expect.objectContaining({
          path: 'include',
          pointer: '/include',
          code: 'not_in_list',
          params: { allowed: ['responses'] },
        }),
      ]);
    }
    const other = await api.call('GET', `/customers/${id}?includes=responses`, { as: 'agent' });
    expect(other.status).toBe(400);
    expect(other.body.errors).toEqual([expect.objectContaining({ path: 'includes' })]);
    const nobody = await api.call('GET', '/customers/C-nobody?include=responses', { as: 'agent' });
    expect(nobody.status).toBe(404);
    // Who may read the answers may read them included: any member of staff, nobody without a token.
    expect((await api.call('GET', `/customers/${id}?include=responses`, { as: null })).status).toBe(401);
  });

  it('no longer lists the answers of an erased customer', async () => {
    const id = 'C-view-erased';
    await api.call('PUT', `/customers/${id}`, {
      as: 'agent',
      body: { name: 'To Erase', preferredChannel: 'sms', language: 'en', consent: { sms: true, email: false } },
    });
    await answeredContact(id, answer(3, 6, 'call me on 13812345678'), 50);
    expect((await api.call('GET', `/customers/${id}/responses`, { as: 'agent' })).body.items).toHaveLength(1);
    expect((await api.call('DELETE', `/customers/${id}`, { as: 'admin' })).status).toBe(204);
    expect((await api.call('GET', `/customers/${id}/responses`, { as: 'agent' })).body.items).toEqual([]);
  });
});
