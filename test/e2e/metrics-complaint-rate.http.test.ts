/**
 * complaints.rate is complaints per interaction, a ratio that can pass 1 (complaints by phone with
 * no contact recorded): /metrics answers it as it is, and the served document allows it (every answer
 * of this runtime is validated against GET /openapi.json, so a 0–1 bound there fails this test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../support/builders/complaints.js';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

const START = new Date('2026-11-10T02:00:00Z'); // 10:00 in Shanghai
let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  await api.runtime.workflows.prepare();
});
afterAll(() => api?.runtime.stop());

describe('complaints.rate', () => {
  it('is 2 when a day has two complaints and one interaction, and the answer matches the document', async () => {
    const contact = await api.call('POST', '/interactions', {
      as: 'agent',
      body: anInteraction({ customerId: 'C-rate', startedAt: '2026-11-10T01:00:00Z' }),
    });
    expect(contact.status).toBe(201);
    for (let i = 0; i < 2; i += 1) {
      const reply = await api.call('POST', '/complaints', {
        as: 'agent',
        body: aComplaintBody({ customerId: 'C-rate' }),
      });
      expect(reply.status).toBe(201);
    }
    const metrics = await api.call('GET', '/metrics?from=2026-11-10&to=2026-11-10', { as: 'manager' });
    expect(metrics.status).toBe(200);
    expect(metrics.body.complaints).toMatchObject({ count: 2, rate: 2 });
  });
});
