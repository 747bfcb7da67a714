/**
 * The dependency rules that `npm run lint` enforces (.dependency-cruiser.cjs) can fail: run on
 * a miniature repository (fixtures/) in which each file breaks one rule, every rule reports
 * exactly the import that breaks it, and the allowed imports pass.
 */
import { resolve } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { expect, it } from 'vitest';

it('reports each broken rule at the import that breaks it, and nothing else', async () => {
  const options = await extractDepcruiseOptions(resolve('.dependency-cruiser.cjs'));
  const { tsConfig: _, ...withoutTsConfig } = options;
  const { output } = await cruise(['functions', 'shared', 'infra'], {
    ...withoutTsConfig,
    baseDir: resolve('test/lint/fixtures'),
    outputType: 'json',
  });
  const result = (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
  const violations = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
  expect(violations).toEqual([
    'capabilities-are-independent: functions/billing/service.ts → functions/orders/service.ts',
    'domain-is-pure: shared/domain/money.ts → shared/store/orders.ts',
    'runtime-code-knows-no-infra: shared/store/orders.ts → infra/stage.ts',
    'schemas-import-only-zod: shared/schemas/orders.ts → shared/domain/money.ts',
    // Folder cycles are reported per folder on them: domain ⇄ schemas, and the loop that
    // shared/http/problem.ts closes through functions/ (domain → store → http → billing → orders → domain).
    'shared-folders-are-acyclic: shared/domain → shared/schemas',
    'shared-folders-are-acyclic: shared/domain → shared/store',
    'shared-folders-are-acyclic: shared/schemas → shared/domain',
    'shared-folders-are-acyclic: shared/store → shared/http',
    'shared-knows-no-capability: shared/http/problem.ts → functions/billing/service.ts',
    'store-knows-no-http: shared/store/orders.ts → shared/http/problem.ts',
    'use-cases-know-no-http: functions/orders/service.ts → shared/http/auth.ts',
  ]);
}, 60_000);
