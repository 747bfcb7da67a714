/**
 * A typed client as a frontend team makes one: types generated from the served document with
 * openapi-typescript, calls made with openapi-fetch, no hand-written type. The screens script
 * (typed-client/screens.ts: agent home, customer view, dashboard) must type-check against the
 * generated types — and a script that misuses the API must not — then it runs against the runtime.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../support/builders/complaints.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
/** Inside the repository, so the generated script resolves openapi-fetch from its node_modules. */
const dir = join(root, 'test-artifacts', 'typed-client');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), schedules: false });
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const document = (await api.call('GET', '/openapi.json', { as: null })).body;
  await writeFile(join(dir, 'careloop.d.ts'), astToString(await openapiTS(document)));
  await copyFile(join(here, 'typed-client', 'screens.ts'), join(dir, 'screens.ts'));
});
afterAll(() => api?.runtime.stop());

/** tsc over `files` with the repository's compiler options; resolves with its output and exit code. */
async function typeCheck(name: string, files: string[]): Promise<{ code: number; output: string }> {
  const config = join(dir, `tsconfig.${name}.json`);
  await writeFile(
    config,
    JSON.stringify({ extends: '../../tsconfig.json', include: files, exclude: [], compilerOptions: { noEmit: true } }),
  );
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [tsc, '-p', config]);
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? 1, output: failed.stdout ?? String(error) };
  }
}

describe('the typed client generated from /openapi.json', () => {
  it('type-checks the agent home, customer view and dashboard script, and refuses a script that misuses the API', async () => {
    const good = await typeCheck('screens', ['careloop.d.ts', 'screens.ts']);
    expect(good.output).toBe('');
    expect(good.code).toBe(0);

    await writeFile(
      join(dir, 'misuse.ts'),
      [
        "import { careloop } from './screens.js';",
        "const client = careloop('http://localhost', 'token');",
        "const home = await client.GET('/complaints', { params: { query: { sort: 'oldest' } } });",
        'export const name = home.data?.items[0]?.customer.nmae;',
        "await client.POST('/complaints/{id}/events', { params: { path: { id: 'x' } }, body: { type: 'shout' } });",
      ].join('\n'),
    );
    const bad = await typeCheck('misuse', ['careloop.d.ts', 'screens.ts', 'misuse.ts']);
    expect(bad.code).not.toBe(0);
    expect(bad.output).toMatch(/misuse\.ts\(3,.*'"oldest"'/);
    expect(bad.output).toMatch(/misuse\.ts\(4,.*nmae/);
    expect(bad.output).toMatch(/misuse\.ts\(5,.*'"shout"'/);
  }, 120_000);

  it('runs the screens against the local runtime', async () => {
    const screens = await import(join(dir, 'screens.ts'));
    const token = await api.runtime.token('agent-typed', ['supervisor'], 'typed');
    const client = screens.careloop(api.runtime.url, token);
    await api.call('PUT', '/customers/C-typed', {
      as: 'agent',
      body: { name: '林霞', preferredChannel: 'sms', language: 'zh', consent: { sms: true, email: false } },
    });
    const registered = await api.call('POST', '/complaints', {
      as: null,
      headers: { authorization: `Bearer ${token}` },
      body: aComplaintBody({ customerId: 'C-typed' }),
    });
    const assigned = await api.call('POST', `/complaints/${registered.body.id}/events`, {
      as: null,
      headers: { authorization: `Bearer ${token}` },
      body: { type: 'assign', assigneeId: 'agent-typed' },
    });

    const home = await screens.agentHome(client);
    expect(home).toEqual([
      expect.objectContaining({
        id: registered.body.id,
        customer: '林霞',
        due: expect.objectContaining({ milestone: 'respond' }),
        buttons: expect.arrayContaining(['respond']),
      }),
    ]);
    expect(await screens.respond(client, registered.body.id, assigned.headers.get('etag'))).toMatchObject({
      status: 'responded',
      buttons: expect.arrayContaining(['propose_solution']),
    });
    expect(await screens.respond(client, registered.body.id, assigned.headers.get('etag'))).toEqual({ failed: 412 });

    const view = await screens.customerView(client, 'C-typed');
    expect(view).toMatchObject({ name: '林霞', complaints: [{ status: 'responded', next: 'solution' }], answers: [] });

    const board = await screens.dashboard(client, '2026-11-01', '2026-11-30');
    expect(board).toMatchObject({ timezone: 'Asia/Shanghai', overdue: [] });
    expect(board.serverNow.slice(0, 10)).toBe('2026-11-10');
  });
});
