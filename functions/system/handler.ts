/** Public system routes: liveness (with what is not configured yet) and the OpenAPI document. */
import { brotliDecompressSync } from 'node:zlib';
import { apiHandler, ok } from '../../shared/http/api.js';
import { openApiDocument } from '../../shared/http/routes/openapi.js';
import { pick } from '../../shared/http/routes/route.js';
import { systemRoutes } from '../../shared/http/routes/system.js';
import { healthReport } from './service.js';

export const health = /* @__PURE__ */ apiHandler(/* @__PURE__ */ pick(systemRoutes, 'health'), async ({ now }) =>
  ok(await healthReport(now)),
);

/** GET /openapi.json, generated from the route declarations on the first call (the local runtime, tests). */
let document: unknown;
export const openapi = /* @__PURE__ */ apiHandler(/* @__PURE__ */ pick(systemRoutes, 'openapi'), async () =>
  ok((document ??= openApiDocument())),
);

/**
 * GET /openapi.json as deployed: the same document, generated from the same zod schemas when the
 * function's entry is written (infra/aws/entries.ts), carried by the entry brotli-compressed and
 * base64-encoded, and answered as the JSON text it was. The function then bundles neither every
 * route's schemas nor the document generator: that was ~250 KiB of `public`. The bytes answered are
 * those of `openapi` (test/infra/aws/bundling.test.ts compares them).
 */
/* @__NO_SIDE_EFFECTS__ */
export function openapiFromBuild(compressed: string) {
  let text: string | undefined;
  return apiHandler(/* @__PURE__ */ pick(systemRoutes, 'openapi'), async () => ({
    status: 200,
    body: (text ??= brotliDecompressSync(Buffer.from(compressed, 'base64')).toString('utf8')),
    contentType: 'application/json; charset=utf-8',
  }));
}
