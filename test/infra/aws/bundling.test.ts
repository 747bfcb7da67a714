import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdkBundling, ESBUILD_OPTIONS } from '../../../infra/aws/bundling.js';
import { PROJECT_ROOT } from '../../../infra/aws/paths.js';
import { ROUTES } from '../../../shared/http/routes/index.js';
import { synthStack } from './synth.js';

const workDir = mkdtempSync(join(tmpdir(), 'careloop-bundle-'));
let assetDir: string;

// One real synth, bundling the health route's handler the way `npm run synth` does.
beforeAll(() => {
  const previousDocker = process.env.CDK_DOCKER;
  process.env.CDK_DOCKER = '/bin/false'; // any attempt to bundle in Docker would fail the synth
  try {
    const { app } = synthStack({
      routes: ROUTES.filter((route) => route.id === 'health'),
      schedules: [],
      bundle: true,
      outdir: join(workDir, 'cdk.out'),
    });
    const assembly = app.synth();
    const assets = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    assetDir = join(assembly.directory, assets[0]!);
  } finally {
    if (previousDocker === undefined) delete process.env.CDK_DOCKER;
    else process.env.CDK_DOCKER = previousDocker;
  }
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('bundling', () => {
  it('bundles each function with the local esbuild into one ESM file and its source map', () => {
    expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    expect(cdkBundling().forceDockerBundling).toBe(false);
  });

  it('produces an artifact that loads in plain Node and answers', () => {
    // Loaded by a separate Node process, as Lambda would, not through the test runner's module loader.
    const event = { httpMethod: 'GET', path: '/health', resource: '/health', headers: {}, requestContext: {} };
    const context = "{ awsRequestId: 'test', getRemainingTimeInMillis: () => 10000 }";
    const script = `import(${JSON.stringify(pathToFileURL(join(assetDir, 'index.mjs')).href)}).then(async (m) => console.log(JSON.stringify(await m.health(${JSON.stringify(event)}, ${context}))))`;
    const answer = JSON.parse(
      execFileSync(process.execPath, ['--enable-source-maps', '-e', script], { encoding: 'utf8' }),
    ) as { statusCode: number; body: string };
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok' });
  });

  it('is byte for byte what esbuild makes from ESBUILD_OPTIONS (so the benchmark measures what is deployed)', async () => {
    const result = await build({
      ...ESBUILD_OPTIONS,
      absWorkingDir: PROJECT_ROOT,
      entryPoints: ['functions/system/handler.ts'],
      outfile: join(workDir, 'bench', 'index.mjs'),
      write: false,
    });
    const bundle = result.outputFiles.find((file) => file.path.endsWith('index.mjs'))!;
    const deployed = readFileSync(join(assetDir, 'index.mjs'));
    expect(bundle.contents.length).toBe(deployed.length);
    expect(Buffer.from(bundle.contents).equals(deployed)).toBe(true);
    expect(deployed.length).toBeLessThan(1.5 * 1024 * 1024);
  });
});
