/**
 * Each Lambda bundle as deployed (the generated entries of infra/aws/entries.ts, the same esbuild
 * options CDK uses, infra/aws/bundling.ts): its minified size against the 350 KiB target, its
 * cold import in a fresh Node process against a reference bundle measured the same way in the
 * same run (only @aws-sdk/client-dynamodb and one PutItem: the floor for a handler that writes),
 * and the top contributors of each bundle from esbuild's metafile. The one-function-per-route
 * shape of before is measured beside it, so the cost of grouping routes is visible.
 *
 * The AWS SDK is external (Lambda's Node.js 24 runtime ships it, infra/aws/bundling.ts), for the
 * reference as for every function, so the ratio compares like with like: each bundle is imported
 * from a folder whose node_modules is the project's, as a function finds the runtime's SDK. The
 * reference with the SDK bundled is printed beside it, so the absolute price of that choice shows.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { ESBUILD_OPTIONS, FUNCTION_NODE_OPTIONS } from '../infra/aws/bundling.js';
import { writeApiEntry, writeExportEntry } from '../infra/aws/entries.js';
import { PROJECT_ROOT } from '../infra/aws/paths.js';
import { apiFunctions } from '../shared/http/routes/functions.js';
import { ROUTES } from '../shared/http/routes/index.js';
import { SCHEDULES } from '../shared/schedules.js';
import { quantile, ratio, table } from './stats.js';
import type { Section } from './summary.js';

export const TARGET_KIB = 350;
export const TARGET_COLD_RATIO = 1.5;
/** As the functions run (infra/aws/constructs/lambda.ts sets NODE_OPTIONS from the same constant). */
const DEPLOYED_NODE_OPTIONS = FUNCTION_NODE_OPTIONS.split(' ').filter(Boolean);
const ESCALATION_TASKS = ['check', 'escalate', 'recordFailure'];

/** One cold import of `file` in a new Node process, in ms (with the NODE_OPTIONS the functions run with). */
function importOnce(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const output = execFileSync(process.execPath, [...DEPLOYED_NODE_OPTIONS, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return Number(output.trim());
}

/**
 * Medians of `runs` cold imports of `file` and of the reference, taken in turns, so a load
 * change on the shared machine hits both alike.
 */
function coldImport(file: string, reference: string, runs = 5): { ms: number; referenceMs: number } {
  const samples: number[] = [];
  const referenceSamples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    referenceSamples.push(importOnce(reference));
    samples.push(importOnce(file));
  }
  return { ms: quantile(samples, 0.5), referenceMs: quantile(referenceSamples, 0.5) };
}

/** The biggest inputs of a bundle, grouped by package (or by project folder), as "name 123 KiB". */
function topContributors(metafile: Metafile, count = 5): string {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
      const key = pkg ?? path.split('/').slice(0, 2).join('/');
      sizes.set(key, (sizes.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...sizes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)}`)
    .join(', ');
}

async function bundle(entry: string, outfile: string, options: Partial<typeof ESBUILD_OPTIONS> = {}) {
  const result = await build({
    ...ESBUILD_OPTIONS,
    ...options,
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entry],
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  return { bytes: statSync(outfile).size, metafile: result.metafile };
}

export interface BundleFigures {
  name: string;
  kib: number;
  coldRatio: number;
}

export async function benchBundles(): Promise<Section> {
  const dir = mkdtempSync(join(tmpdir(), 'careloop-bundles-'));
  // The functions' external AWS SDK resolves from here, as from the runtime's node_modules in Lambda.
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  try {
    // The reference: the DynamoDB client and one PutItem, bundled with the same options.
    const referenceDir = join(PROJECT_ROOT, 'node_modules', '.cache', 'careloop', 'bench');
    mkdirSync(referenceDir, { recursive: true });
    const referenceEntry = join(referenceDir, 'reference.ts');
    writeFileSync(
      referenceEntry,
      [
        "import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';",
        'const client = new DynamoDBClient({});',
        'export const handler = async () =>',
        "  client.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { pk: { S: 'a' }, sk: { S: 'b' } } }));",
        '',
      ].join('\n'),
    );
    const referenceFile = join(dir, 'reference', 'index.mjs');
    const reference = await bundle(referenceEntry, referenceFile);
    // The same reference with the SDK bundled (the deploy setting before issue 15.1), for the absolute figure.
    const sdkBundledFile = join(dir, 'reference-sdk-bundled', 'index.mjs');
    const sdkBundled = await bundle(referenceEntry, sdkBundledFile, { external: [] });
    const sdkBundledImport = coldImport(sdkBundledFile, referenceFile);
    const referenceSamples: number[] = [sdkBundledImport.referenceMs];
    // The same reference loading the SDK with require(), as the stores do (shared/store/sdk.ts): Node's
    // ESM loader lexes each CommonJS module it imports, so this is the floor of the functions as built.
    const requireEntry = join(referenceDir, 'reference-require.ts');
    writeFileSync(
      requireEntry,
      [
        "import { createRequire } from 'node:module';",
        "import type * as Sdk from '@aws-sdk/client-dynamodb';",
        "const { DynamoDBClient, PutItemCommand } = createRequire(import.meta.url)('@aws-sdk/client-dynamodb') as typeof Sdk;",
        'const client = new DynamoDBClient({});',
        'export const handler = async () =>',
        "  client.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { pk: { S: 'a' }, sk: { S: 'b' } } }));",
        '',
      ].join('\n'),
    );
    const requireFile = join(dir, 'reference-require', 'index.mjs');
    await bundle(requireEntry, requireFile);
    const requireImport = coldImport(requireFile, referenceFile);

    const targets: Array<{ name: string; kind: string; entry: string }> = [
      ...apiFunctions(ROUTES).map((fn) => ({
        name: fn.id,
        kind: `api (${fn.routes.length} route${fn.routes.length > 1 ? 's' : ''})`,
        entry: writeApiEntry(fn),
      })),
      ...SCHEDULES.map((s) => ({ name: s.id, kind: 'job', entry: writeExportEntry(s.capability, s.handler) })),
      ...ESCALATION_TASKS.map((task) => ({
        name: `escalation.${task}`,
        kind: 'workflow task',
        entry: writeExportEntry('escalation', task),
      })),
    ];
    const rows: Array<Record<string, string>> = [];
    const figures: BundleFigures[] = [];
    for (const target of targets) {
      const outfile = join(dir, target.name, 'index.mjs');
      const { bytes, metafile } = await bundle(target.entry, outfile);
      const cold = coldImport(outfile, referenceFile);
      referenceSamples.push(cold.referenceMs);
      const coldRatio = cold.ms / cold.referenceMs;
      const kib = bytes / 1024;
      figures.push({ name: target.name, kib, coldRatio });
      rows.push({
        function: target.name,
        kind: target.kind,
        'minified KiB (≤ 350)': `${kib.toFixed(0)} ${kib <= TARGET_KIB ? '✓' : '✗'}`,
        'cold import ms': cold.ms.toFixed(0),
        'vs reference (≤ 1.5×)': `${ratio(coldRatio)} ${coldRatio <= TARGET_COLD_RATIO ? '✓' : '✗'}`,
        'top contributors (KiB)': topContributors(metafile),
      });
    }
    const referenceMs = quantile(referenceSamples, 0.5);

    // The shape of before, one function per route, for comparison: each route's handler alone.
    const perRoute: number[] = [];
    const perRouteImport: number[] = [];
    for (const route of ROUTES) {
      const outfile = join(dir, 'per-route', route.id, 'index.mjs');
      const { bytes } = await bundle(
        writeApiEntry({ id: `route-${route.id}`, public: false, routes: [route] }),
        outfile,
      );
      perRoute.push(bytes / 1024);
      if (perRouteImport.length < 3) {
        const cold = coldImport(outfile, referenceFile, 3);
        perRouteImport.push(cold.ms / cold.referenceMs);
      }
    }
    const grouped = figures.filter((f) => apiFunctions(ROUTES).some((fn) => fn.id === f.name));
    const meets = figures.filter((f) => f.kib <= TARGET_KIB && f.coldRatio <= TARGET_COLD_RATIO).length;
    const summary = [
      `Reference bundle (@aws-sdk/client-dynamodb + one PutItem, SDK external as in every function): ${(reference.bytes / 1024).toFixed(1)} KiB, cold import ${referenceMs.toFixed(0)} ms (median of its turns beside each function; the 1.00× of the table).`,
      `The same reference with the SDK bundled: ${(sdkBundled.bytes / 1024).toFixed(0)} KiB, cold import ${sdkBundledImport.ms.toFixed(0)} ms (${ratio(sdkBundledImport.ms / sdkBundledImport.referenceMs)} the external reference): the SDK alone was over the size budget.`,
      `The same reference loading the SDK with require(), as every function does since 2026-12-08 (shared/store/sdk.ts): cold import ${requireImport.ms.toFixed(0)} ms (${ratio(requireImport.ms / requireImport.referenceMs)} the reference); divide a function's ms by it for its ratio to that floor.`,
      `Targets: ≤ ${TARGET_KIB} KiB minified and ≤ ${TARGET_COLD_RATIO}× the reference's cold import; ${meets} of ${figures.length} functions meet both. Cold imports run with NODE_OPTIONS="${FUNCTION_NODE_OPTIONS}" as deployed.`,
      `API functions grouped per capability: ${grouped.length} bundles, ${Math.min(...grouped.map((f) => f.kib)).toFixed(0)}–${Math.max(...grouped.map((f) => f.kib)).toFixed(0)} KiB, cold import ${ratio(Math.min(...grouped.map((f) => f.coldRatio)))}–${ratio(Math.max(...grouped.map((f) => f.coldRatio)))}.`,
      `The same routes one function per route (the shape before): ${perRoute.length} bundles, ${Math.min(...perRoute).toFixed(0)}–${Math.max(...perRoute).toFixed(0)} KiB, cold import ${ratio(Math.min(...perRouteImport))}–${ratio(Math.max(...perRouteImport))} (first ${perRouteImport.length} routes).`,
    ];
    const small = figures.filter((f) => f.kib <= TARGET_KIB);
    const light = figures.filter((f) => f.coldRatio <= TARGET_COLD_RATIO);
    const over = (list: BundleFigures[], value: (f: BundleFigures) => string) =>
      list.length ? `over: ${list.map((f) => `${f.name} ${value(f)}`).join(', ')}` : undefined;
    return {
      text: [
        '### Lambda bundles (esbuild metafile; minified, AWS SDK external: the Lambda runtime provides it)',
        ...summary.map((line) => `- ${line}`),
        '',
        table(rows),
      ].join('\n'),
      rows: [
        {
          figure: `bundles ≤ ${TARGET_KIB} KiB (minified)`,
          value: `${small.length} of ${figures.length}`,
          target: `${figures.length} of ${figures.length}`,
          met: small.length === figures.length,
          note: over(
            figures.filter((f) => f.kib > TARGET_KIB),
            (f) => f.kib.toFixed(0),
          ),
        },
        {
          figure: 'cold import ÷ reference (SDK client + one PutItem)',
          value: `${ratio(Math.min(...figures.map((f) => f.coldRatio)))}–${ratio(Math.max(...figures.map((f) => f.coldRatio)))}; ${light.length} of ${figures.length} ≤ ${TARGET_COLD_RATIO}×`,
          target: `every function ≤ ${TARGET_COLD_RATIO}×`,
          met: light.length === figures.length,
          note: `reference ${referenceMs.toFixed(0)} ms, imported in turns with each function`,
        },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
