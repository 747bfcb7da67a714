/**
 * Each Lambda bundle as deployed (the same esbuild options CDK uses, infra/aws/bundling.ts):
 * its minified size, and its cold import time in a fresh Node process beside the cold import
 * of an empty module measured the same way (the baseline).
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ESBUILD_OPTIONS } from '../infra/aws/bundling.js';
import { PROJECT_ROOT } from '../infra/aws/paths.js';
import { ROUTES } from '../shared/http/routes/index.js';
import { SCHEDULES } from '../shared/schedules.js';
import { ms, quantile, ratio, table } from './stats.js';

/** Median of `runs` cold imports, each in a new Node process. */
function coldImport(file: string, runs = 7): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const samples = Array.from({ length: runs }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim()),
  );
  return quantile(samples, 0.5);
}

export async function benchBundles(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'careloop-bundles-'));
  try {
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, 'export {};\n');
    const baseline = coldImport(empty);
    const capabilities = [
      ...new Set([...ROUTES.map((r) => r.capability), ...SCHEDULES.map((s) => s.capability)]),
    ].sort();
    const rows: Array<Record<string, string>> = [];
    for (const capability of capabilities) {
      const outfile = join(dir, capability, 'index.mjs');
      await build({
        ...ESBUILD_OPTIONS,
        absWorkingDir: PROJECT_ROOT,
        entryPoints: [`functions/${capability}/handler.ts`],
        outfile,
        logLevel: 'error',
      });
      const bytes = statSync(outfile).size;
      const importMs = coldImport(outfile);
      rows.push({
        'functions/…/handler.ts': capability,
        'minified size': `${(bytes / 1024).toFixed(0)} KiB`,
        'under 1 MB': bytes < 1_000_000 ? 'yes' : 'NO',
        'cold import': ms(importMs),
        'vs empty module': ratio(importMs / baseline),
      });
    }
    return [
      `### Lambda bundles (esbuild, minified, AWS SDK included; cold import of an empty module: ${ms(baseline)})`,
      table(rows),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
