/**
 * The contract's header rules ("Conventions"), on every kind of answer the local runtime gives:
 * `X-Content-Type-Options: nosniff` everywhere, `Cache-Control: no-store` on personal data, and a
 * CSP without script and with `frame-ancestors 'none'` on every HTML page, staff report included.
 * (AWS: the same headers come from the same handlers; the gateway's own answers are pinned in
 * test/infra/aws/stack.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
let admin: string;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z'), schedules: false });
  admin = await api.runtime.token('headers-test', ['admin']);
  expect((await api.call('PUT', '/customers/C-HEAD-1', { as: 'agent', body: aCustomer() })).status).toBe(201);
});
afterAll(() => api?.runtime.stop());

const get = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${api.runtime.url}${path}`, {
    ...init,
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.headers ?? {}) },
  });

describe('X-Content-Type-Options: nosniff on every answer', () => {
  const cases: Array<[string, () => Promise<Response>]> = [
    ['a JSON answer', () => get('/interactions?limit=1', { token: admin })],
    ['a problem (401)', () => get('/interactions')],
    ['a problem (404, no route)', () => get('/no-such-route')],
    ['a problem (400, bad query)', () => get('/interactions?limit=0', { token: admin })],
    ['/health', () => get('/health')],
    ['/openapi.json', () => get('/openapi.json')],
    ['a CORS preflight', () => get('/interactions', { method: 'OPTIONS' })],
    ['a customer page', () => get('/suggestions/board')],
    ['a local endpoint', () => get('/_local/token', { method: 'POST', body: '{"sub":"x","groups":["agent"]}' })],
    ['the staff report page', () => get('/reports/2026-10/html', { token: admin })],
  ];
  for (const [what, call] of cases)
    it(what, async () => {
      const reply = await call();
      expect(reply.headers.get('x-content-type-options'), `${reply.status}`).toBe('nosniff');
    });
});

describe('Cache-Control: no-store on personal data', () => {
  for (const path of ['/customers/C-HEAD-1', '/complaints?limit=5', '/interactions?limit=5'])
    it(path, async () => {
      const reply = await get(path, { token: admin });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
    });

  it('on problems too (they may quote what was sent)', async () => {
    expect((await get('/customers/C-NONE', { token: admin })).headers.get('cache-control')).toBe('no-store');
  });
});

describe('CSP on every HTML page', () => {
  it("the staff report page (customers' words): no script, no frames", async () => {
    await api.call('POST', '/reports/2026-10/generate', { body: {} });
    const reply = await get('/reports/2026-10/html?lang=en', { token: admin });
    expect(reply.status).toBe(200);
    const csp = reply.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(reply.headers.get('cache-control')).toBe('no-store');
  });

  it('the customer pages', async () => {
    const csp = (await get('/suggestions/board')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src/);
  });
});
