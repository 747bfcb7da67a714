/** Lambda entry point of the live KPIs. */
import { apiHandler, ok } from '../../shared/http/api.js';
import { metricsRoutes } from '../../shared/http/routes/metrics.js';
import { pick } from '../../shared/http/routes/route.js';
import { metricsFor } from './service.js';

export const metrics = apiHandler(pick(metricsRoutes, 'getMetrics'), async ({ query, now }) =>
  ok(await metricsFor(query, now)),
);
