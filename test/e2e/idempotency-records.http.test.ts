/**
 * The idempotency records (the claims written inside a record's own transaction, kept 48 h) hold no
 * customer's words or contact data, out of erasure's reach: a claim keeps a hash of the body and the
 * record's id, and a retry with the same Idempotency-Key is answered by reading the record again —
 * the same record, never a second one, and erased if the customer was erased meanwhile.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../shared/store/client.js';
import { requestKeys } from '../../shared/store/keys.js';
import { MAIN_TABLE, tableName } from '../../shared/store/table.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { aCustomer } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), schedules: false });
});
afterAll(() => api?.runtime.stop());

const PHONE = '+8613912345678';
const WORDS = '王小明说快递员把包裹扔在门口，电话 13912345678';

/** Everything the request claims of the main table hold, as text (a test may Scan). */
async function idempotencyRecords(): Promise<string> {
  const claims: unknown[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({
        TableName: tableName(MAIN_TABLE),
        FilterExpression: 'begins_with(pk, :claim)',
        ExpressionAttributeValues: { ':claim': requestKeys.prefix },
        ExclusiveStartKey,
      }),
    );
    claims.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return JSON.stringify(claims);
}

/** POSTs twice with one key: the retry is a replay of the first answer's record. */
async function twice(path: string, body: unknown, key: string, as: 'agent' | 'manager' = 'agent') {
  const headers = { 'idempotency-key': key };
  const first = await api.call('POST', path, { as, body, headers });
  const retry = await api.call('POST', path, { as, body, headers });
  expect(first.status, first.text).toBeLessThan(300);
  expect(retry.status).toBe(first.status);
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
  expect(retry.body.id).toBe(first.body.id);
  return { first, retry };
}

describe('idempotency records', () => {
  it('keep only the status and the id of a complaint, its events and a suggestion, yet a retry gets the whole record', async () => {
    await api.call('PUT', '/customers/C-idem-pd', { as: 'agent', body: aCustomer({ phone: PHONE }) });
    const complaint = await twice(
      '/complaints',
      aComplaintBody({ customerId: 'C-idem-pd', description: WORDS }),
      'pd-complaint',
    );
    expect(complaint.retry.body).toEqual(complaint.first.body);
    expect(complaint.retry.body.description).toBe(WORDS);
    const list = await api.call('GET', '/complaints?customerId=C-idem-pd', { as: 'agent' });
    expect(list.body.items).toHaveLength(1);

    const id = complaint.first.body.id;
    const assigned = await twice(`/complaints/${id}/events`, { type: 'assign', assigneeId: 'test-agent' }, 'pd-assign');
    expect(assigned.retry.body.status).toBe('assigned');
    const responded = await twice(
      `/complaints/${id}/events`,
      { type: 'respond', note: `Called ${PHONE}` },
      'pd-respond',
    );
    expect(responded.retry.body).toEqual(responded.first.body);

    const suggestion = await twice('/suggestions', { text: WORDS, customerId: 'C-idem-pd' }, 'pd-suggestion');
    expect(suggestion.retry.body.text).toBe(WORDS);

    const stored = await idempotencyRecords();
    expect(stored).toContain(id); // the records are there, keyed to what they created
    expect(stored).toContain(suggestion.first.body.id);
    for (const personal of [WORDS, PHONE, '13912345678', '王小明', 'C-idem-pd', 'Called'])
      expect(stored, `idempotency records hold "${personal}"`).not.toContain(personal);
  });

  it('answer a retry after erasure with the erased record, not the words the first answer carried', async () => {
    await api.call('PUT', '/customers/C-idem-erased', { as: 'agent', body: aCustomer({ phone: PHONE }) });
    const body = aComplaintBody({ customerId: 'C-idem-erased', description: WORDS });
    const headers = { 'idempotency-key': 'pd-before-erasure' };
    const first = await api.call('POST', '/complaints', { as: 'agent', body, headers });
    expect(first.body.description).toBe(WORDS);
    expect((await api.call('DELETE', '/customers/C-idem-erased', { as: 'admin' })).status).toBe(204);

    const retry = await api.call('POST', '/complaints', { as: 'agent', body, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.text).not.toContain(WORDS);
    expect(retry.body.description).toBe(
      (await api.call('GET', `/complaints/${first.body.id}`, { as: 'agent' })).body.description,
    );
  });
});
