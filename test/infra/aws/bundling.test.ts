import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapi } from '../../../functions/system/handler.js';
import { cdkBundling, ESBUILD_OPTIONS } from '../../../infra/aws/bundling.js';
import { writeApiEntry, writeExportEntry } from '../../../infra/aws/entries.js';
import { PROJECT_ROOT } from '../../../infra/aws/paths.js';
import { apiHandler, ok } from '../../../shared/http/api.js';
import { apiFunctions } from '../../../shared/http/routes/functions.js';
import { ROUTES } from '../../../shared/http/routes/index.js';
import { synthStack } from './synth.js';

const workDir = mkdtempSync(join(tmpdir(), 'careloop-bundle-'));
// The AWS SDK is external (Lambda's runtime ships it): the artifact finds it here, as in /var/runtime/node_modules.
symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(workDir, 'node_modules'), 'dir');
let assetDir: string;

const HEALTH = ROUTES.filter((route) => route.id === 'health');

// One real synth, bundling the function serving the health route the way `npm run synth` does.
beforeAll(() => {
  const previousDocker = process.env.CDK_DOCKER;
  process.env.CDK_DOCKER = '/bin/false'; // any attempt to bundle in Docker would fail the synth
  try {
    const { app } = synthStack({
      routes: HEALTH,
      schedules: [],
      bundle: true,
      outdir: join(workDir, 'cdk.out'),
    });
    const assembly = app.synth();
    // The stack also bundles functions every synth has (delivery receipts): pick the asset of the route
    // function serving health (logical id Api…Function), named by its S3 key in any (nested) template.
    const templates = readdirSync(assembly.directory)
      .filter((name) => name.endsWith('.template.json'))
      .map((name) => JSON.parse(readFileSync(join(assembly.directory, name), 'utf8')));
    const routeKeys = templates
      .flatMap((template) =>
        Object.entries<{ Type: string; Properties: { Code: { S3Key?: string } } }>(template.Resources ?? {}),
      )
      .filter(([id, resource]) => resource.Type === 'AWS::Lambda::Function' && /^Api\w*Function/.test(id))
      .map(([, resource]) => String(resource.Properties.Code.S3Key).replace(/\.zip$/, ''));
    expect(routeKeys).toHaveLength(1);
    const assets = readdirSync(assembly.directory).filter((name) => name === `asset.${routeKeys[0]}`);
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

  /** Calls the bundled dispatcher in a separate Node process, as Lambda would, not through the test runner's loader. */
  const invoke = (event: object, dir = assetDir) => {
    const context = "{ awsRequestId: 'test', getRemainingTimeInMillis: () => 10000 }";
    const script = `import(${JSON.stringify(pathToFileURL(join(dir, 'index.mjs')).href)}).then(async (m) => console.log(JSON.stringify(await m.handler(${JSON.stringify(event)}, ${context}))))`;
    return JSON.parse(execFileSync(process.execPath, ['--enable-source-maps', '-e', script], { encoding: 'utf8' })) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
  };

  it('produces an artifact that loads in plain Node and dispatches to the route it serves', () => {
    const answer = invoke({ httpMethod: 'GET', path: '/health', resource: '/health', headers: {}, requestContext: {} });
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok' });
  });

  it('answers 404 problem+json for a route the function does not serve, never another route', () => {
    const event = {
      httpMethod: 'GET',
      path: '/openapi.json',
      resource: '/openapi.json',
      headers: {},
      requestContext: {},
    };
    const answer = invoke(event);
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['content-type']).toContain('application/problem+json');
  });

  it('is byte for byte what esbuild makes from ESBUILD_OPTIONS (so the benchmark measures what is deployed)', async () => {
    const result = await build({
      ...ESBUILD_OPTIONS,
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [writeApiEntry(apiFunctions(HEALTH)[0]!)],
      outfile: join(workDir, 'bench', 'index.mjs'),
      write: false,
    });
    const bundle = result.outputFiles.find((file) => file.path.endsWith('index.mjs'))!;
    const deployed = readFileSync(join(assetDir, 'index.mjs'));
    expect(bundle.contents.length).toBe(deployed.length);
    expect(Buffer.from(bundle.contents).equals(deployed)).toBe(true);
    expect(deployed.length).toBeLessThan(1.5 * 1024 * 1024);
  });

  it('answers GET /openapi.json from the document built with the entry, byte for byte the generated one', async () => {
    // The function serving the system routes (health and the document), bundled as deployed.
    const system = apiFunctions(ROUTES.filter((route) => route.capability === 'system'));
    expect(system).toHaveLength(1);
    const outdir = join(workDir, 'system');
    const result = await build({
      ...ESBUILD_OPTIONS,
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [writeApiEntry(system[0]!)],
      outfile: join(outdir, 'index.mjs'),
      metafile: true,
      logLevel: 'error',
    });
    // Neither the generator nor the route table (every route's schemas) is in the function.
    const output = Object.values(result.metafile.outputs).find((file) => file.entryPoint)!;
    const inputs = Object.entries(output.inputs).flatMap(([path, { bytesInOutput }]) => (bytesInOutput ? [path] : []));
    expect(inputs).not.toContain('shared/http/routes/openapi.ts');
    expect(inputs).not.toContain('shared/http/routes/index.ts');
    expect(inputs.filter((path) => path.startsWith('shared/http/routes/'))).toEqual(
      expect.arrayContaining(['shared/http/routes/system.ts']),
    );
    const event = {
      httpMethod: 'GET',
      path: '/openapi.json',
      resource: '/openapi.json',
      headers: {},
      requestContext: {},
    };
    const answer = invoke(event, outdir);
    const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 10000 } as never;
    const live = await openapi(event as never, context);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toEqual(live.headers);
    expect(answer.body).toBe(live.body);
    expect(JSON.parse(answer.body)).toMatchObject({ openapi: '3.1.0' });
  }, 60_000);

  it('marks every route handler pure, so a function bundles only the routes it serves', () => {
    // esbuild drops `export const x = apiHandler(pick(…), …)` of a route a function does not serve only
    // when both calls carry /* @__PURE__ */ (it does not apply @__NO_SIDE_EFFECTS__ across modules).
    const unmarked = readdirSync(join(PROJECT_ROOT, 'functions')).flatMap((capability) => {
      const file = join(PROJECT_ROOT, 'functions', capability, 'handler.ts');
      let source: string;
      try {
        source = readFileSync(file, 'utf8');
      } catch {
        return [];
      }
      return [...source.matchAll(/=\s*apiHandler\(|apiHandler\(\s*[A-Za-z_$][\w$]*\(/g)].map(
        (match) => `functions/${capability}/handler.ts: ${match[0]}`,
      );
    });
    expect(unmarked).toEqual([]);
  });

  it('marks every schema built at module level pure, so a function bundles only the schemas it uses', () => {
    // A module-level `export const X = z.object(…)` is a call: unmarked, esbuild keeps it (and every
    // schema it names) in each bundle that imports anything of its module, used or not.
    const dir = join(PROJECT_ROOT, 'shared', 'schemas');
    const unmarked = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => {
        const text = readFileSync(join(dir, name), 'utf8');
        const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
        return source.statements.filter(ts.isVariableStatement).flatMap((statement) =>
          statement.declarationList.declarations.flatMap((declaration) => {
            let init = declaration.initializer;
            while (
              init &&
              (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))
            )
              init = init.expression;
            if (!init || !(ts.isCallExpression(init) || ts.isNewExpression(init))) return [];
            const before = text.slice(declaration.initializer?.getFullStart(), init.getStart(source));
            return before.includes('@__PURE__') ? [] : [`shared/schemas/${name}: ${declaration.name.getText(source)}`];
          }),
        );
      });
    expect(unmarked).toEqual([]);
  });

  it('bundles no zod into the follow-up jobs: the domain reads its vocabularies without building schemas', async () => {
    // The jobs validate no request; a domain module importing a schema module for a word list
    // (roles, improvement states, cause kinds) once put all of zod (≈ 110 KiB) into each, built at import.
    for (const handler of ['scheduledFollowUps', 'scheduledAlertDigest']) {
      const result = await build({
        ...ESBUILD_OPTIONS,
        absWorkingDir: PROJECT_ROOT,
        entryPoints: [writeExportEntry('followups', handler)],
        outfile: join(workDir, `job-${handler}`, 'index.mjs'),
        metafile: true,
        logLevel: 'error',
      });
      const output = Object.values(result.metafile.outputs).find((file) => file.entryPoint)!;
      const inputs = Object.entries(output.inputs).flatMap(([path, { bytesInOutput }]) =>
        bytesInOutput ? [path] : [],
      );
      expect(inputs).toContain('functions/followups/service.ts');
      expect(inputs.filter((path) => /node_modules\/zod\/|shared\/schemas\/zod\.ts/.test(path))).toEqual([]);
    }
  }, 60_000);

  it('keeps the erasure’s stores out of the customer reads: only the function that erases carries them', async () => {
    const erasureStores = ['complaints', 'followups', 'improvements', 'interactions', 'complaint-watch'].map(
      (name) => `shared/store/${name}.ts`,
    );
    const inputsOf = async (id: string) => {
      const fn = apiFunctions(ROUTES).find((candidate) => candidate.id === id)!;
      const result = await build({
        ...ESBUILD_OPTIONS,
        absWorkingDir: PROJECT_ROOT,
        entryPoints: [writeApiEntry(fn)],
        outfile: join(workDir, id, 'index.mjs'),
        metafile: true,
        logLevel: 'error',
      });
      const output = Object.values(result.metafile.outputs).find((file) => file.entryPoint)!;
      return Object.entries(output.inputs).flatMap(([path, { bytesInOutput }]) => (bytesInOutput ? [path] : []));
    };
    const reads = await inputsOf('customersRead');
    expect(reads).toContain('shared/store/customers.ts');
    expect(reads.filter((path) => erasureStores.includes(path))).toEqual([]);
    expect(await inputsOf('customers')).toEqual(expect.arrayContaining(erasureStores));
  }, 60_000);

  it('refuses a staff POST handler whose idempotency is not inside the write', () => {
    const route = ROUTES.find((candidate) => candidate.id === 'claimAlert')!;
    expect(() => apiHandler(route, async () => ok({}))).toThrow(/claimAlert: a staff POST takes Idempotency-Key/);
  });

  it('bundles no zod into the report jobs, which validate no request (issue 26: cold import of monthlyReport)', async () => {
    // Their code reads the vocabularies (shared/schemas/vocabulary.ts), never a schema module: one
    // import of a schema (even for a list of words) brought zod, 110 KiB, built at every cold start.
    const jobs = ['scheduledMonthlyReport', 'scheduledMonthlyReportCheck', 'scheduledWeeklyComplaintSummary'];
    for (const job of jobs) {
      const result = await build({
        ...ESBUILD_OPTIONS,
        absWorkingDir: PROJECT_ROOT,
        entryPoints: [writeExportEntry('reports', job)],
        outfile: join(workDir, job, 'index.mjs'),
        write: false,
        metafile: true,
      });
      // What the bundle carries (metafile.inputs also lists the modules esbuild read and shook out).
      const inputs = Object.values(result.metafile.outputs).flatMap((output) =>
        Object.entries(output.inputs).flatMap(([path, { bytesInOutput }]) => (bytesInOutput > 0 ? [path] : [])),
      );
      expect(inputs, job).toContain('functions/reports/handler.ts');
      expect(
        inputs.filter((path) => /node_modules\/(zod|@asteasolutions)\/|shared\/schemas\/zod\.ts/.test(path)),
        job,
      ).toEqual([]);
    }
  }, 60_000);

  it('bundles into the reports function only the sender and the store reads it uses (issue 26: ≤ 350 KiB)', async () => {
    const reports = apiFunctions(ROUTES).find((fn) => fn.id === 'reports');
    const result = await build({
      ...ESBUILD_OPTIONS,
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [writeApiEntry(reports!)],
      outfile: join(workDir, 'reports', 'index.mjs'),
      write: false,
      metafile: true,
    });
    const code = result.outputFiles.find((file) => file.path.endsWith('index.mjs'))!.text;
    const inputs = Object.values(result.metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs).flatMap(([path, { bytesInOutput }]) => (bytesInOutput > 0 ? [path] : [])),
    );
    expect(inputs).toContain('shared/notify/ses.ts');
    // Email only (no WeChat or SMS adapter), metrics as EMF lines (no Powertools Metrics).
    expect(inputs.filter((path) => /notify\/(wechat|sns)\.ts|powertools\/metrics/.test(path))).toEqual([]);
    // The survey store's two reads, not the store object with every write of a survey.
    expect(code).toContain('responsesOfDays');
    expect(code).not.toContain('createInvitations');
  }, 60_000);

  it('leaves the AWS SDK to the runtime: the artifact requires it at init instead of carrying or importing it', () => {
    // require(), not import: Node's ESM loader would lex the SDK's CommonJS for its exports (shared/store/sdk.ts).
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(code).toMatch(/\w\("@aws-sdk\/client-dynamodb"\)/);
    expect(code).toMatch(/\w\("@aws-sdk\/lib-dynamodb"\)/);
    expect(code).not.toMatch(/from\s*"@aws-sdk\/(client|lib)-dynamodb"/);
    expect(code).not.toContain('DynamoDB_20120810');
  });
});
