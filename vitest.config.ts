import { configDefaults, defineConfig } from 'vitest/config';

/**
 * HTTP test files that change process-wide state a later file in the same worker would inherit
 * (the log level the logger reads when its module loads): each in a fresh worker.
 */
const ISOLATED_HTTP = ['test/e2e/logging.http.test.ts'];
/** Files that need a process of their own: CDK's bundling spawns esbuild with this process's stdio. */
const OWN_PROCESS = ['test/infra/aws/bundling.test.ts'];

export default defineConfig({
  test: {
    // One DynamoDB Local for the whole run; each test file gets its own tables.
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    // Limits for a hang, not for speed: on a shared 2-core runner (another suite beside, or more) a test
    // that takes 3 s when quiet can take 30. Speed is measured in the benchmark, never here.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default'] : ['default'],
    poolOptions: {
      // HTTP files share their worker process: the runtime's modules (every handler, the zod schemas,
      // the synthesized workflow) load once per worker, not once per file. Each file still gets its own
      // tables and its own runtime (startTestRuntime resets the ports, the clock and cached settings).
      forks: { maxForks: 2, minForks: 1, isolate: false },
      // Everything else: a fresh worker per file (aws-sdk-client-mock stubs, fake timers, env read at load).
      threads: { maxThreads: 1, minThreads: 1, isolate: true },
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'http',
          include: ['test/e2e/**/*.test.ts', 'client/test/**/*.http.test.ts'],
          exclude: [...configDefaults.exclude, ...ISOLATED_HTTP],
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ['test/**/*.test.ts', 'client/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/e2e/**', 'client/test/**/*.http.test.ts', ...OWN_PROCESS],
          pool: 'threads',
        },
      },
      { extends: true, test: { name: 'isolated-http', include: ISOLATED_HTTP, pool: 'threads' } },
      // Alone in its project, so alone in its (forked) worker.
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, pool: 'forks' } },
    ],
  },
});
