/**
 * `npm start` on persisted data, killed with SIGKILL mid-flight and started again: every open
 * complaint is watched again and escalates exactly once, even those registered "ahead" of real
 * time by the scaled clock (the clock continues from where the data left it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-process.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { until } from '../support/wait.js';

const dataDir = mkdtempSync(join(tmpdir(), 'careloop-restart-'));
let running: ChildProcess | undefined;
let output = '';

async function start(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      CARELOOP_DATA_DIR: dataDir,
      CARELOOP_OUTBOX_DIR: join(dataDir, 'outbox'),
      CARELOOP_SEED: 'none',
      // 10 minutes a second: the 1 h response deadline passes 6 s after registration.
      CARELOOP_TIME_SCALE: '600',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await until(async () => output.includes('CareLoop is running') || undefined, { timeoutMs: 300_000 });
  return child;
}

async function call(port: number, method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as any };
}

afterAll(async () => {
  if (running && running.exitCode === null) {
    const exited = new Promise((resolve) => running!.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a local runtime killed and started again on its data', () => {
  it('watches every open complaint again, and each escalates exactly once', async () => {
    const port = await freePort();
    running = await start(port);
    const { token } = (await call(port, 'POST', '/_local/token', undefined, { sub: 'agent-7', groups: ['agent'] }))
      .body;
    const ids: string[] = [];
    for (const customerId of ['C-k1', 'C-k2', 'C-k3', 'C-k4']) {
      const reply = await call(port, 'POST', '/complaints', token, aComplaintBody({ customerId, severity: 'high' }));
      expect(reply.status).toBe(201);
      ids.push(reply.body.id);
    }

    const killed = new Promise((resolve) => running!.once('exit', resolve));
    running.kill('SIGKILL');
    await killed;
    output = '';
    running = await start(port);
    expect(output).toContain('escalation workflows restarted for 4 open complaint(s)');
    const { token: again } = (
      await call(port, 'POST', '/_local/token', undefined, { sub: 'agent-7', groups: ['agent'] })
    ).body;

    for (const id of ids) {
      const escalations = await until(
        async () => {
          const { body } = await call(port, 'GET', `/complaints/${id}/timeline?limit=100`, again);
          const found = (body.items as Array<{ type: string; detail: { milestone?: string } }>).filter(
            (entry) => entry.type === 'escalated' && entry.detail.milestone === 'respond',
          );
          return found.length ? found : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(escalations).toHaveLength(1);
    }
    // Still once a little later: the restarted executions do not escalate a second time.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const id of ids) {
      const { body } = await call(port, 'GET', `/complaints/${id}/timeline?limit=100`, again);
      expect(
        body.items.filter(
          (e: { type: string; detail: { milestone?: string } }) =>
            e.type === 'escalated' && e.detail.milestone === 'respond',
        ),
      ).toHaveLength(1);
    }
  }, 600_000);
});
