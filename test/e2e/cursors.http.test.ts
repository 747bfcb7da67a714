/** List cursors are opaque and tamper-proof: nothing of the table shows, and a hand-made cursor is a 400. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
let cursor: string;
const list = '/interactions?channel=wechat&from=2026-09-01&to=2026-09-30&limit=1';

beforeAll(async () => {
  api = await startTestRuntime({ schedules: false });
  for (const day of ['03', '04', '05']) {
    const reply = await api.call('POST', '/interactions', {
      as: 'agent',
      body: anInteraction({ channel: 'wechat', customerId: 'C-cursor-7', startedAt: `2026-09-${day}T08:00:00Z` }),
    });
    expect(reply.status, reply.text).toBe(201);
  }
  const first = await api.call('GET', list, { as: 'agent' });
  expect(first.status).toBe(200);
  cursor = first.body.nextCursor;
  expect(cursor).toBeTruthy();
});
afterAll(() => api?.runtime.stop());

const page = (c: string) => api.call('GET', `${list}&cursor=${encodeURIComponent(c)}`, { as: 'agent' });

describe('list cursors', () => {
  it('continue the list they were issued for', async () => {
    const second = await page(cursor);
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(1);
  });

  it('show no table key, attribute name, partition or value of the list', () => {
    const decoded = [
      Buffer.from(cursor, 'base64url').toString('utf8'),
      Buffer.from(cursor, 'base64').toString('latin1'),
    ];
    for (const text of decoded)
      for (const secret of ['pk', 'sk', 'gsi', 'INTERACTION', 'wechat', 'C-cursor-7', '2026-09', '"q"', '"k"'])
        expect(text, secret).not.toContain(secret);
  });

  it('refuse any change to an issued cursor with a 400 problem', async () => {
    const bytes = Buffer.from(cursor, 'base64url');
    for (const at of [0, 5, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[at] = changed[at]! ^ 0x01;
      const reply = await page(changed.toString('base64url'));
      expect(reply.status, `byte ${at}`).toBe(400);
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
      expect(reply.body.errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
    }
  });

  it('refuse hand-made cursors, in the old readable shape too, with a 400', async () => {
    const made = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const forged of [
      made({ q: 0, h: 'x' }),
      made({ q: 0, k: 'pk', h: 'x' }),
      made({ q: 0, k: { pk: { S: 'x' } }, h: 'x' }),
      made({ q: 1e308, k: null }),
      made([]),
      'AAAA',
      '-_-_',
      'x'.repeat(2048),
      cursor.slice(0, -2),
      `${cursor}AA`,
    ]) {
      const reply = await page(forged);
      expect(reply.status, forged.slice(0, 40)).toBe(400);
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('never answer a random cursor with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.base64String({ maxLength: 400 })), async (c) => {
        const reply = await page(c);
        expect(reply.status).toBeLessThan(500);
        if (reply.status >= 400) expect(reply.headers.get('content-type')).toBe('application/problem+json');
      }),
      { seed: 1010, numRuns: 40 },
    );
  });
});
