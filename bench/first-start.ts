/**
 * First start: `npm start` with the demo data, from launch to the first useful answer, i.e.
 * GET /metrics for last month with the demo figures in it. Target ≤ 15 s. Measured in a
 * fresh process exactly as a newcomer runs it (tsx infra/local/main.ts, in-memory data),
 * with its phases read from its own output.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../infra/aws/paths.js';
import { freePort } from '../infra/local/dynamodb-process.js';
import { table } from './stats.js';
import type { Section } from './summary.js';

const TARGET_SECONDS = 15;

/** Last month (UTC) as from/to dates. */
function lastMonth(now: Date): { from: string; to: string } {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

function stopTree(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

export async function firstStart(): Promise<{
  seconds: number;
  phases: Record<string, number>;
  interactions: number;
  /** GET /metrics once everything is loaded (the background load's end), to compare with the first answer. */
  interactionsWhenLoaded: number | undefined;
  loadedSeconds: number | undefined;
  /** Messages in the outbox once loaded: the demo's past is history, not delivered (issue 26). */
  outboxWhenLoaded: number | undefined;
}> {
  const port = await freePort();
  const started = performance.now();
  const phases: Record<string, number> = {};
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), CARELOOP_SEED: 'demo', LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let loaded: (at: number) => void = () => {};
  const loadedAt = new Promise<number>((resolve) => {
    loaded = resolve;
  });
  try {
    const token = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output.slice(-2000)}`)));
      child.stderr?.on('data', (chunk) => (output += chunk));
      createInterface({ input: child.stdout }).on('line', (line) => {
        output += `${line}\n`;
        const at = (performance.now() - started) / 1000;
        if (line.startsWith('Loading the demo data set')) phases['DynamoDB Local up, handlers loaded'] = at;
        // A stage's last progress line: "seeding <stage> […] n/n".
        const stage = /seeding (\S+).* (\d+)\/(\d+)$/.exec(line);
        if (stage && stage[2] === stage[3]) phases[`seeded: ${stage[1]}`] = at;
        if (line.includes('demo data loaded')) loaded(at);
        const token = /export TOKEN=(\S+)/.exec(line)?.[1];
        if (token) {
          phases['server ready (token printed)'] = at;
          resolve(token);
        }
      });
    });
    const { from, to } = lastMonth(new Date());
    const interactionsLastMonth = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics?from=${from}&to=${to}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { service?: { interactions?: number } };
      if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
      return body.service?.interactions ?? 0;
    };
    const interactions = await interactionsLastMonth();
    const seconds = (performance.now() - started) / 1000;
    // The rest loads in the background: wait for its end (at most two minutes), then ask again.
    const loadedSeconds = await Promise.race([
      loadedAt,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 120_000).unref()),
    ]);
    const interactionsWhenLoaded = loadedSeconds === undefined ? undefined : await interactionsLastMonth();
    const outboxWhenLoaded =
      loadedSeconds === undefined
        ? undefined
        : (
            (await (
              await fetch(`http://127.0.0.1:${port}/_local/outbox`, { headers: { authorization: `Bearer ${token}` } })
            ).json()) as { items: unknown[] }
          ).items.length;
    return { seconds, phases, interactions, interactionsWhenLoaded, loadedSeconds, outboxWhenLoaded };
  } finally {
    await stopTree(child);
  }
}

export async function benchFirstStart(): Promise<Section> {
  const { seconds, phases, interactions, interactionsWhenLoaded, loadedSeconds, outboxWhenLoaded } = await firstStart();
  const same = interactionsWhenLoaded === interactions;
  const met = seconds <= TARGET_SECONDS && same;
  const text = [
    `### First start: npm start with demo data → first GET /metrics of last month (target ≤ ${TARGET_SECONDS} s)`,
    table([
      ...Object.entries(phases).map(([phase, at]) => ({ step: phase, 'since launch': `${at.toFixed(1)} s` })),
      {
        step: `GET /metrics answered (${interactions} interactions last month)`,
        'since launch': `${seconds.toFixed(1)} s`,
      },
      {
        step: `background load done: lists and complaints (/metrics then: ${interactionsWhenLoaded ?? '?'} interactions, ${same ? 'the same' : 'NOT the same'}; outbox: ${outboxWhenLoaded ?? '?'} messages)`,
        'since launch': loadedSeconds === undefined ? 'not within 2 min' : `${loadedSeconds.toFixed(1)} s`,
      },
      {
        step: `target: first GET /metrics ≤ ${TARGET_SECONDS} s, with the figures it has once fully loaded`,
        'since launch': `${met ? 'met' : 'NOT met'}: ${seconds.toFixed(1)} s${loadedSeconds === undefined ? '' : `, fully loaded at ${loadedSeconds.toFixed(1)} s`}`,
      },
    ]),
  ].join('\n');
  return {
    text,
    rows: [
      {
        figure: 'first start (`npm start` with demo data → first `/metrics`)',
        value: `${seconds.toFixed(1)} s`,
        target: `≤ ${TARGET_SECONDS} s, the same figures as when fully loaded`,
        met,
        note: `${interactions} interactions last month at first answer, ${interactionsWhenLoaded ?? '?'} when loaded (${loadedSeconds === undefined ? 'not within 2 min' : `${loadedSeconds.toFixed(1)} s`}); outbox then ${outboxWhenLoaded ?? '?'} messages`,
      },
    ],
  };
}
