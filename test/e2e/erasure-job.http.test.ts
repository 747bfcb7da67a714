/**
 * A customer with more items than one request erases (issue 15 item 6): DELETE answers 202 and a
 * job (the same code as in AWS, run by the local runtime) erases everything; GET …/erasure shows
 * `running`, then the erasure record. A small customer is still erased within the request (204).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INLINE_ERASURE_MAX_ITEMS } from '../../functions/customers/service.js';
import { anInteraction } from '../support/builders/interactions.js';
import { aCustomer } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
const CUSTOMER = 'C-erase-big';
const COUNT = INLINE_ERASURE_MAX_ITEMS + 5;
const ids: string[] = [];

beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z'), schedules: false });
  expect((await api.call('PUT', `/customers/${CUSTOMER}`, { as: 'agent', body: aCustomer() })).status).toBe(201);
  let next = 0;
  const worker = async () => {
    while (next < COUNT) {
      const i = next++;
      const body = anInteraction({
        customerId: CUSTOMER,
        startedAt: new Date(Date.parse('2026-11-01T00:00:00Z') + i * 60_000).toISOString(),
        summary: `Mr Big-${i} asked about his parcel`,
      });
      const reply = await api.call('POST', '/interactions', { as: 'agent', body });
      expect(reply.status).toBe(201);
      ids.push(reply.body.id);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}, 180_000);
afterAll(() => api?.runtime.stop());

describe('erasing a customer with many items', () => {
  it('answers 202 with the running erasure, then the job erases every item', async () => {
    const reply = await api.call('DELETE', `/customers/${CUSTOMER}`, { as: 'admin' });
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ status: 'running', erasedAt: null, erasedBy: 'test-admin' });
    expect(reply.headers.get('location')).toBe(`/customers/${CUSTOMER}/erasure`);

    await api.runtime.jobsSettled();
    const status = await api.call('GET', `/customers/${CUSTOMER}/erasure`, { as: 'manager' });
    expect(status.status).toBe(200);
    expect(status.body).toEqual({ erasedBy: 'test-admin', erasedAt: expect.any(String) });
    expect((await api.call('GET', `/customers/${CUSTOMER}`, { as: 'agent' })).status).toBe(404);
    expect(ids).toHaveLength(COUNT);
    for (const id of [ids[0], ids[COUNT - 1]]) {
      const interaction = await api.call('GET', `/interactions/${id}`, { as: 'agent' });
      expect(JSON.stringify(interaction.body)).not.toContain('Mr Big');
    }
  }, 120_000);

  it('still erases a small customer within the request (204, done at once)', async () => {
    await api.call('PUT', '/customers/C-erase-small', { as: 'agent', body: aCustomer() });
    expect((await api.call('DELETE', '/customers/C-erase-small', { as: 'admin' })).status).toBe(204);
    const status = await api.call('GET', '/customers/C-erase-small/erasure', { as: 'manager' });
    expect(status.body).toEqual({ erasedBy: 'test-admin', erasedAt: expect.any(String) });
  });
});
