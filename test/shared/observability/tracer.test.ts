/**
 * Tracing is Lambda's active tracing alone (infra/aws/constructs/lambda.ts, checked by the stack
 * test): each invocation is a segment, and nothing in the code writes trace data, so neither
 * responses nor link tokens can reach a trace. The Powertools Tracer was dropped for its weight
 * (issue 15.1: aws-xray-sdk-core was 121 KiB of every bundle); these tests keep it out.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS } from '../../../infra/aws/bundling.js';
import { writeApiEntry, writeExportEntry } from '../../../infra/aws/entries.js';
import { PROJECT_ROOT } from '../../../infra/aws/paths.js';
import { apiFunctions } from '../../../shared/http/routes/functions.js';
import { ROUTES } from '../../../shared/http/routes/index.js';
import { SCHEDULES } from '../../../shared/schedules.js';
import { rawDynamo } from '../../../shared/store/client.js';

const xrayMiddleware = (client: ReturnType<typeof rawDynamo>) =>
  client.middlewareStack.identify().filter((name) => /xray/i.test(name));

describe('the tracer', () => {
  it('is off outside Lambda: the local runtime and the tests send no segments', () => {
    expect(xrayMiddleware(rawDynamo())).toEqual([]);
  });

  it('records no SDK call, response or error in Lambda either: no client carries X-Ray instrumentation', () => {
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';
    try {
      expect(xrayMiddleware(rawDynamo())).toEqual([]);
    } finally {
      delete process.env.AWS_EXECUTION_ENV;
    }
  });

  it('bundles no X-Ray SDK and no Powertools Tracer into any function', async () => {
    const entries = [
      ...apiFunctions(ROUTES).map((fn) => writeApiEntry(fn)),
      ...SCHEDULES.map((s) => writeExportEntry(s.capability, s.handler)),
      ...['check', 'escalate', 'recordFailure'].map((task) => writeExportEntry('escalation', task)),
    ];
    const result = await build({
      ...ESBUILD_OPTIONS,
      absWorkingDir: PROJECT_ROOT,
      entryPoints: entries,
      outdir: 'out',
      write: false,
      metafile: true,
      logLevel: 'error',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.startsWith('functions/'))).toBe(true);
    expect(inputs.filter((path) => /aws-xray-sdk|powertools\/tracer/.test(path))).toEqual([]);
  }, 60_000);
});
