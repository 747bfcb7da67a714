/**
 * The local runtime's own HTTP handling, before a handler runs: odd header and query names,
 * bad percent-encoding, oversized bodies and unexpected failures.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestApi } from '../../support/runtime.js';

let api: TestApi;
const lines: string[] = [];
beforeAll(async () => {
  api = await startTestRuntime({ schedules: false, log: (line) => lines.push(line) });
});
afterAll(() => api?.runtime.stop());

/** A raw HTTP/1.1 request over a socket (fetch refuses some of these headers and normalizes paths). */
function raw(
  method: string,
  path: string,
  headers: Array<[string, string]> = [],
  body?: Buffer,
): Promise<{ status: number; contentType: string | undefined; body: string; closed: boolean }> {
  const url = new URL(api.runtime.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server left the request hanging'));
    }, 15_000);
    const hasLength = headers.some(([name]) => name.toLowerCase() === 'content-length');
    const head = [
      `${method} ${path} HTTP/1.1`,
      `host: ${url.host}`,
      ...headers.map(([name, value]) => `${name}: ${value}`),
      ...(body && !hasLength ? [`content-length: ${body.length}`] : []),
      '',
      '',
    ].join('\r\n');
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return;
      const lines = text.slice(0, split).split('\r\n');
      const fields = new Map(
        lines
          .slice(1)
          .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const length = Number(fields.get('content-length') ?? 0);
      const rest = Buffer.concat(chunks).subarray(Buffer.byteLength(text.slice(0, split + 4)));
      if (rest.length < length) return;
      const answer = {
        status: Number(lines[0]!.split(' ')[1]),
        contentType: fields.get('content-type'),
        body: rest.subarray(0, length).toString('utf8'),
        closed: fields.get('connection') === 'close',
      };
      if (!answer.closed) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer);
        return;
      }
      // A closing answer must really close the socket, not leave the client waiting.
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may stop reading and close early: that is the point of the 413 tests.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    socket.write(head);
    if (body) socket.write(body);
  });
}

const bearer = async () => `Bearer ${await api.runtime.token('adapter-test', ['admin'])}`;

describe('local runtime: names and encodings a handler never sees', () => {
  for (const name of ['__proto__', 'constructor', 'prototype', 'hasOwnProperty']) {
    it(`answers a header named ${name} with a 4xx problem, not a 500`, async () => {
      const reply = await raw('GET', '/interactions?limit=1', [
        ['authorization', await bearer()],
        [name, 'x'],
      ]);
      expect(reply.status, reply.body).toBeLessThan(500);
      if (reply.status >= 400) expect(reply.contentType).toBe('application/problem+json');
    });

    it(`answers a query parameter named ${name} with a 400 problem naming it`, async () => {
      const reply = await raw('GET', `/interactions?${name}=1&limit=1`, [['authorization', await bearer()]]);
      expect(reply.status, reply.body).toBe(400);
      expect(reply.contentType).toBe('application/problem+json');
      expect(reply.body).toContain(name);
    });
  }

  it('answers a header sent twice under a reserved name with a problem, not a 500', async () => {
    const reply = await raw('GET', '/health', [
      ['constructor', 'a'],
      ['constructor', 'b'],
    ]);
    expect(reply.status).toBeLessThan(500);
  });

  for (const path of [
    '/complaints/%',
    '/complaints/%FF',
    '/complaints/abc%E0%A4%A',
    '/interactions?channel=%',
    '/interactions?channel=%FF',
    '/interactions?%FF=chat',
  ]) {
    it(`answers bad percent-encoding in ${path} with a 400 problem`, async () => {
      const reply = await raw('GET', path, [['authorization', await bearer()]]);
      expect(reply.status, reply.body).toBe(400);
      expect(reply.contentType).toBe('application/problem+json');
      expect(JSON.parse(reply.body).detail).toMatch(/percent-encod/);
    });
  }

  it('still decodes good percent-encoding in path parameters and queries', async () => {
    const reply = await raw('GET', '/customers/C%2D01001', [['authorization', await bearer()]]);
    expect(reply.status).toBe(404); // decoded to C-01001, which does not exist here
    const list = await raw('GET', '/interactions?channel=%63hat&limit=1', [['authorization', await bearer()]]);
    expect(list.status).toBe(200);
  });
});

describe('local runtime: oversized bodies', () => {
  it('answers a body over the read limit with 413 and closes the connection instead of hanging', async () => {
    const reply = await raw(
      'POST',
      '/interactions',
      [
        ['authorization', await bearer()],
        ['content-type', 'application/json'],
      ],
      Buffer.alloc(3 * 1024 * 1024, 0x20),
    );
    expect(reply.status).toBe(413);
    expect(reply.contentType).toBe('application/problem+json');
    expect(reply.closed).toBe(true);
  });

  it('answers a declared Content-Length over the limit with 413 before reading it', async () => {
    const reply = await raw('POST', '/interactions', [
      ['authorization', await bearer()],
      ['content-type', 'application/json'],
      ['content-length', String(50 * 1024 * 1024)],
    ]);
    expect(reply.status).toBe(413);
    expect(reply.closed).toBe(true);
  });
});

describe('local runtime: failures are logged', () => {
  it('logs every 500 it answers, with the path and the error', async () => {
    api.runtime.addLocalEndpoint('GET', '/_local/test-boom', async () => {
      throw new Error('boom from a test endpoint');
    });
    const reply = await raw('GET', '/_local/test-boom', [['authorization', await bearer()]]);
    expect(reply.status).toBe(500);
    expect(reply.contentType).toBe('application/problem+json');
    expect(JSON.parse(reply.body).detail).not.toContain('boom'); // the instance names the path, the detail no internals
    expect(JSON.parse(reply.body).instance).toBe('/_local/test-boom');
    const logged = lines.find((line) => line.includes('/_local/test-boom'));
    expect(logged).toBeDefined();
    expect(logged).toContain('boom from a test endpoint');
  });
});

/** Streams `total` bytes in chunks without Content-Length (Transfer-Encoding: chunked). */
function streamChunked(path: string, total: number, chunkSize = 64 * 1024): Promise<{ status: number; body: string }> {
  const url = new URL(path, api.runtime.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } });
    outgoing.on('response', (reply) => {
      const chunks: Buffer[] = [];
      reply.on('data', (chunk: Buffer) => chunks.push(chunk));
      reply.on('end', () => resolve({ status: reply.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      reply.on('error', reject);
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        const size = Math.min(chunkSize, total - sent);
        sent += size;
        if (!outgoing.write(Buffer.alloc(size, 0x20))) return void outgoing.once('drain', pump);
      }
      outgoing.end();
    };
    pump();
  });
}

describe('local runtime: survives hostile requests (npm start must not die)', () => {
  // In `npm start` an exception thrown on a socket's event ends the process; here it is counted.
  const uncaught: unknown[] = [];
  const count = (error: unknown) => uncaught.push(error);
  beforeAll(() => void process.on('uncaughtException', count));
  afterAll(() => void process.off('uncaughtException', count));

  it('answers 1.1 MB streamed chunked to a public route with 413 and still serves /health', async () => {
    const reply = await streamChunked('/suggestions/board', 1_100_000);
    expect(reply.status).toBe(413);
    // Give a crash (an exception thrown on the closing socket) the time to happen before asking again.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const health = await fetch(`${api.runtime.url}/health`);
    expect(health.status).toBeLessThan(500);
    expect(uncaught).toEqual([]);
  });

  it('stays alive with flat memory through 1,000 hostile requests', async () => {
    const token = await bearer();
    const kinds: Array<() => Promise<unknown>> = [
      () => streamChunked('/suggestions/board', 1_100_000),
      () => streamChunked('/interactions', 1_200_000, 256 * 1024),
      () => raw('POST', '/interactions', [['content-length', String(50 * 1024 * 1024)]]),
      () => raw('GET', '/complaints/%FF', [['authorization', token]]),
      () => raw('GET', '/interactions?__proto__=1', [['authorization', token]]),
      () =>
        raw(
          'POST',
          '/interactions',
          [
            ['authorization', token],
            ['content-type', 'application/json'],
          ],
          Buffer.from('{"a":'),
        ),
      () => raw('GET', '/interactions', [['authorization', 'Bearer eyJhbGciOiJub25lIn0.e30.']]),
      () => raw('GET', `/health?${'x'.repeat(20_000)}`),
      () => raw('TRACE', '/health'),
      () => raw('POST', '/s/not-a-token', [['content-type', 'application/x-www-form-urlencoded']], Buffer.from('a=%')),
    ];
    const rounds = async (count: number) => {
      for (let i = 0; i < count; i += 10) await Promise.all(kinds.map((kind) => kind().catch(() => undefined)));
    };
    await rounds(200); // warm up: caches, JIT, pooled buffers
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    await rounds(800);
    global.gc?.();
    const after = process.memoryUsage().heapUsed;
    const health = await fetch(`${api.runtime.url}/health`);
    expect(health.status).toBeLessThan(500);
    expect(uncaught).toEqual([]);
    // Flat: no growth per request (a leak of the 1 MB bodies would show as hundreds of MB).
    expect(after - before).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);
});
