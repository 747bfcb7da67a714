/**
 * How every CareLoop Lambda is bundled: one esbuild configuration. The CDK uses it through
 * NodejsFunction (`cdkBundling()`, see constructs/lambda.ts); the benchmark passes
 * `ESBUILD_OPTIONS` to esbuild itself to report each handler's minified size, so the size it
 * reports is the size that is deployed.
 *
 * @example
 * import { build } from 'esbuild';
 * const result = await build({ ...ESBUILD_OPTIONS, entryPoints: ['functions/system/handler.ts'], outfile: 'out/index.mjs', metafile: true });
 */
import { type BundlingOptions, LogLevel, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * esbuild's ESM output cannot `require()` Node built-ins from bundled CommonJS packages
 * (parts of the AWS SDK still do); this banner gives the bundle a real `require`.
 */
const ESM_REQUIRE_SHIM =
  "import { createRequire as careloopCreateRequire } from 'node:module'; const require = careloopCreateRequire(import.meta.url);";

/** NODE_OPTIONS of every function: stack traces through the linked source map. */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps';

export const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  /** Matches the Lambda runtime (Runtime.NODEJS_24_X in constructs/lambda.ts; test/infra/aws/stack.test.ts holds them equal). */
  target: 'node24',
  format: 'esm',
  minify: true,
  /** Keeps class names, so logged errors say `Conflict`, not `e`. */
  keepNames: true,
  /** A linked `index.mjs.map`; the functions run with NODE_OPTIONS=--enable-source-maps. */
  sourcemap: true,
  /** The map points at lines, it does not carry the sources: smaller artifact, no code in the map. */
  sourcesContent: false,
  /** Prefer ES modules, which esbuild can tree-shake. */
  mainFields: ['module', 'main'],
  /** Chinese text (classifier keywords, report labels) stays UTF-8 instead of \u escapes. */
  charset: 'utf8',
  /**
   * The AWS SDK v3 is not bundled: Lambda's Node.js 24 runtime ships it (`@aws-sdk/*` and the
   * `@smithy/*` packages it is built on, in /var/runtime/node_modules). Bundled, the SDK alone was
   * 345 KiB of every function (the DynamoDB client and one PutItem), so no function could be
   * under the 350 KiB budget of issue 15.1. The cost: the runtime's SDK version, not the tested
   * one, and an unbundled SDK that loads slower than a minified copy; `npm run bench -- bundles`
   * measures every function against a reference bundled the same way, and prints the reference
   * with the SDK bundled beside it.
   */
  external: ['@aws-sdk/*', '@smithy/*'] as string[],
  banner: { js: ESM_REQUIRE_SHIM },
  logLevel: 'warning',
} satisfies BuildOptions;

/**
 * The same options in NodejsFunction's vocabulary, bundling with the local esbuild (never Docker).
 * test/infra/aws/bundling.test.ts checks that both produce the same bytes.
 */
export function cdkBundling(): BundlingOptions {
  const options = ESBUILD_OPTIONS;
  return {
    forceDockerBundling: false,
    target: options.target,
    format: options.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
    minify: options.minify,
    keepNames: options.keepNames,
    sourceMap: options.sourcemap,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: options.sourcesContent,
    mainFields: [...options.mainFields],
    externalModules: [...options.external],
    banner: options.banner.js,
    logLevel: LogLevel.WARNING,
    // NodejsFunction (aws-cdk-lib 2.276) accepts `charset` but never hands it to esbuild, so it goes as a flag.
    esbuildArgs: { '--charset': options.charset },
  };
}
