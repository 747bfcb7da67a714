/**
 * What a browser screen on another origin needs (contract "For screens (v1.2)"): the preflight
 * allows `X-Request-Id` and `traceparent` (and `If-None-Match` for a list's 304), every answer
 * exposes `ETag`, `Location`, `Content-Disposition`, `Retry-After` and `Idempotent-Replayed`, and
 * an answer of 1 KiB or more is gzip-compressed when the client accepts it (as API Gateway's
 * minimumCompressionSize does in AWS: test/infra/aws/stack.test.ts). Raw HTTP here, because
 * fetch would decompress on its own.
 */
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, MIN_COMPRESSION_BYTES } from '../../shared/http/cors.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
let token: string;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z'), schedules: false });
  token = await api.runtime.token('cors-test', ['supervisor']);
  for (const customerId of ['C-CORS-1', 'C-CORS-2', 'C-CORS-3'])
    expect((await api.call('POST', '/complaints', { as: 'agent', body: aComplaintBody({ customerId }) })).status).toBe(
      201,
    );
});
afterAll(() => api?.runtime.stop());

/** One raw HTTP exchange: the bytes as sent on the wire, no decoding. */
function raw(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const req = request(`${api.runtime.url}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    },
  );
}

const list = (header: string | string[] | undefined) =>
  String(header ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
const origin = { origin: 'https://screens.example.com' };

describe('CORS', () => {
  it('lets a preflight send X-Request-Id, traceparent and If-None-Match besides the usual headers', async () => {
    const reply = await raw('OPTIONS', '/complaints', {
      ...origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization,traceparent,x-request-id,if-none-match',
    });
    expect(reply.status).toBe(204);
    const allowed = list(reply.headers['access-control-allow-headers']);
    for (const name of ['authorization', 'traceparent', 'x-request-id', 'if-none-match', 'if-match', 'idempotency-key'])
      expect(allowed).toContain(name);
    expect(allowed).toEqual(CORS_ALLOWED_HEADERS.map((name) => name.toLowerCase()));
  });

  it('exposes ETag, Location, Content-Disposition, Retry-After and Idempotent-Replayed on answers and problems', async () => {
    const wanted = ['etag', 'location', 'content-disposition', 'retry-after', 'idempotent-replayed'];
    const answer = await raw('GET', '/complaints?limit=1', { ...origin, authorization: `Bearer ${token}` });
    expect(answer.status).toBe(200);
    const problem = await raw('GET', '/complaints/not-an-id', { ...origin, authorization: `Bearer ${token}` });
    expect(problem.status).toBe(400);
    const preflight = await raw('OPTIONS', '/complaints', { ...origin, 'access-control-request-method': 'POST' });
    for (const reply of [answer, problem, preflight]) {
      const exposed = list(reply.headers['access-control-expose-headers']);
      for (const name of wanted) expect(exposed).toContain(name);
    }
    expect(list(answer.headers['access-control-expose-headers'])).toEqual(
      CORS_EXPOSED_HEADERS.map((name) => name.toLowerCase()),
    );
  });
});

describe('compression', () => {
  const staff = () => ({ authorization: `Bearer ${token}` });

  it('gzips JSON of 1 KiB or more when the client accepts gzip: the same answer, fewer bytes', async () => {
    const plain = await raw('GET', '/complaints?limit=3', staff());
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBeGreaterThanOrEqual(MIN_COMPRESSION_BYTES);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(list(plain.headers.vary)).toContain('accept-encoding');

    const zipped = await raw('GET', '/complaints?limit=3', { ...staff(), 'accept-encoding': 'br;q=1, gzip;q=0.8' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(list(zipped.headers.vary)).toContain('accept-encoding');
    expect(Number(zipped.headers['content-length'])).toBe(zipped.body.length);
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    // The same page (the cursor is sealed afresh on every answer, so it differs in its bytes only;
    // a deadline's secondsLeft is counted at each read, and the clock runs between the two).
    const unzipped = JSON.parse(gunzipSync(zipped.body).toString('utf8'));
    const settled = (items: Array<{ nextDeadline?: { secondsLeft: number } | null }>) =>
      items.map((item) =>
        item.nextDeadline ? { ...item, nextDeadline: { ...item.nextDeadline, secondsLeft: 0 } } : item,
      );
    expect(settled(unzipped.items)).toEqual(settled(JSON.parse(plain.body.toString('utf8')).items));
    expect(unzipped.nextCursor).toEqual(expect.any(String));
    expect(zipped.headers.etag).toBe(plain.headers.etag);
  });

  it('also for `*`, and never for a client that refuses gzip (q=0) or names only other codings', async () => {
    const zipped = await raw('GET', '/complaints?limit=3', { ...staff(), 'accept-encoding': '*' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    for (const refusal of ['gzip;q=0', 'identity', 'br', '*;q=0', 'gzip;q=0, *'])
      expect(
        (await raw('GET', '/complaints?limit=3', { ...staff(), 'accept-encoding': refusal })).headers[
          'content-encoding'
        ],
        refusal,
      ).toBeUndefined();
  });

  it('leaves an answer under 1 KiB as it is', async () => {
    const small = await raw('GET', '/complaints?limit=1&status=closed', { ...staff(), 'accept-encoding': 'gzip' });
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(MIN_COMPRESSION_BYTES);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({ items: [], nextCursor: null });
  });
});
