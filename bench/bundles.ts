/**
 * Each Lambda bundle as deployed (the generated entries of infra/aws/entries.ts, the same esbuild
 * options CDK uses, infra/aws/bundling.ts): its minified size against the 350 KiB target, its
 * cold import in a fresh Node process against a reference bundle measured the same way in the
 * same run (only @aws-sdk/client-dynamodb and one PutItem: the floor for a handler that writes),
 * and the top contributors of each bundle from esbuild's metafile. The one-function-per-route
 * shape of before is measured beside it, so the cost of grouping routes is visible.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { ESBUILD_OPTIONS } from '../infra/aws/bundling.js';
import { writeApiEntry, writeExportEntry } from '../infra/aws/entries.js';
import { PROJECT_ROOT } from '../infra/aws/paths.js';
import { apiFunctions } from '../shared/http/routes/functions.js';
import { ROUTES } from '../shared/http/routes/index.js';
import { SCHEDULES } from '../shared/schedules.js';
import { quantile, ratio, table } from './stats.js';

export const TARGET_KIB = 350;
export const TARGET_COLD_RATIO = 1.5;
const ESCALATION_TASKS = ['check', 'escalate', 'recordFailure'];

/** Median of `runs` cold imports, each in a new Node process. */
function coldImport(file: string, runs = 5): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const samples = Array.from({ length: runs }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim()),
  );
  return quantile(samples, 0.5);
}

/** The biggest inputs of a bundle, grouped by package (or by project folder), as "name 123 KiB". */
function topContributors(metafile: Metafile, count = 4): string {
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

async function bundle(entry: string, outfile: string) {
  const result = await build({
    ...ESBUILD_OPTIONS,
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

export async function benchBundles(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'careloop-bundles-'));
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
    const reference = await bundle(referenceEntry, join(dir, 'reference', 'index.mjs'));
    const referenceMs = coldImport(join(dir, 'reference', 'index.mjs'));

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
      const importMs = coldImport(outfile);
      const kib = bytes / 1024;
      figures.push({ name: target.name, kib, coldRatio: importMs / referenceMs });
      rows.push({
        function: target.name,
        kind: target.kind,
        'minified KiB': `${kib.toFixed(0)} ${kib <= TARGET_KIB ? '✓' : '✗'}`,
        'cold import vs reference': `${ratio(importMs / referenceMs)} ${importMs / referenceMs <= TARGET_COLD_RATIO ? '✓' : '✗'}`,
        'top contributors (KiB)': topContributors(metafile),
      });
    }

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
      if (perRouteImport.length < 3) perRouteImport.push(coldImport(outfile, 3) / referenceMs);
    }
    const grouped = figures.filter((f) => apiFunctions(ROUTES).some((fn) => fn.id === f.name));
    const summary = [
      `Reference bundle (@aws-sdk/client-dynamodb + one PutItem): ${(reference.bytes / 1024).toFixed(0)} KiB, cold import ${referenceMs.toFixed(1)} ms (the 1.00× of the table).`,
      `Targets: ≤ ${TARGET_KIB} KiB minified and ≤ ${TARGET_COLD_RATIO}× the reference's cold import.`,
      `API functions grouped per capability: ${grouped.length} bundles, ${Math.min(...grouped.map((f) => f.kib)).toFixed(0)}–${Math.max(...grouped.map((f) => f.kib)).toFixed(0)} KiB, cold import ${ratio(Math.min(...grouped.map((f) => f.coldRatio)))}–${ratio(Math.max(...grouped.map((f) => f.coldRatio)))}.`,
      `The same routes one function per route (the shape before): ${perRoute.length} bundles, ${Math.min(...perRoute).toFixed(0)}–${Math.max(...perRoute).toFixed(0)} KiB, cold import ${ratio(Math.min(...perRouteImport))}–${ratio(Math.max(...perRouteImport))} (first ${perRouteImport.length} routes).`,
    ];
    return [
      '### Lambda bundles (esbuild metafile; minified, AWS SDK included)',
      ...summary.map((line) => `- ${line}`),
      '',
      table(rows),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
