import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;

describe('customer endpoints over HTTP', () => {
  beforeAll(async () => {
    api = await startTestRuntime();
  });
  afterAll(async () => api?.runtime.stop());

  it('creates a profile (201), replaces it (200) and reads it with segment and counts', async () => {
    const created = await api.call('PUT', '/customers/C-20001', { as: 'agent', body: aCustomer() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'C-20001',
      phone: '+8613812345678',
      version: 1,
      segment: { nps: null, frequentComplainer: false, atRisk: false, labels: [] },
      counts: {
        complaints: 0,
        complaintsLast3Months: 0,
        surveys: 0,
        responses: 0,
        validResponses: 0,
        negativeFeedback: 0,
      },
    });
    const { email: _email, tier: _tier, ...withoutEmail } = aCustomer({ language: 'en' });
    const replaced = await api.call('PUT', '/customers/C-20001', { as: 'agent', body: withoutEmail });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ language: 'en', version: 2, createdAt: created.body.createdAt });
    expect(replaced.body.email).toBeUndefined();
    expect(replaced.body.tier).toBeUndefined();
    expect((await api.call('GET', '/customers/C-20001', { as: 'agent' })).body).toEqual(replaced.body);
  });

  it('answers 400 naming the field for a phone number that is not E.164, a bad email or an unknown field', async () => {
    const phone = await api.call('PUT', '/customers/C-20002', {
      as: 'agent',
      body: aCustomer({ phone: '13812345678' }),
    });
    expect(phone.status).toBe(400);
    expect(phone.body.errors).toEqual([
      {
        path: 'phone',
        pointer: '/phone',
        code: 'invalid_format',
        message: expect.stringContaining('E.164'),
        params: { format: 'regex' },
      },
    ]);
    expect(
      (await api.call('PUT', '/customers/C-20002', { as: 'agent', body: aCustomer({ email: 'not-an-email' }) })).body
        .errors[0].path,
    ).toBe('email');
    expect(
      (await api.call('PUT', '/customers/C-20002', { as: 'agent', body: { ...aCustomer(), segment: 'promoter' } })).body
        .errors[0].path,
    ).toBe('segment');
    expect((await api.call('PUT', '/customers/bad%20id', { as: 'agent', body: aCustomer() })).status).toBe(400);
  });

  it('lets only an admin erase (403 for an agent), answers 204 every time, and 404 afterwards', async () => {
    await api.call('PUT', '/customers/C-20003', { as: 'agent', body: aCustomer() });
    expect((await api.call('DELETE', '/customers/C-20003', { as: 'agent' })).status).toBe(403);
    expect((await api.call('DELETE', '/customers/C-20003', { as: 'admin' })).status).toBe(204);
    expect((await api.call('DELETE', '/customers/C-20003', { as: 'admin' })).status).toBe(204);
    expect((await api.call('DELETE', '/customers/C-never-existed', { as: 'admin' })).status).toBe(204);
    expect((await api.call('GET', '/customers/C-20003', { as: 'agent' })).status).toBe(404);
  });

  it('needs a token (401)', async () => {
    expect((await api.call('GET', '/customers/C-20001', { as: null })).status).toBe(401);
  });
  // 'never writes contact data to the logs' lives in logging.http.test.ts, where logging is on.
});
