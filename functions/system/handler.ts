/** Public system routes: liveness (with what is not configured yet) and the OpenAPI document. */
import { apiHandler, ok } from '../../shared/http/api.js';
import { openApiDocument } from '../../shared/http/routes/openapi.js';
import { pick } from '../../shared/http/routes/route.js';
import { systemRoutes } from '../../shared/http/routes/system.js';
import { healthReport } from './service.js';

export const health = apiHandler(pick(systemRoutes, 'health'), async ({ now }) => ok(await healthReport(now)));

let document: unknown;
export const openapi = apiHandler(pick(systemRoutes, 'openapi'), async () => ok((document ??= openApiDocument())));
