/** Lambda entry point of the live KPIs. */
import { apiHandler, ok } from '../../shared/http/api.js';
import { metricsRoutes } from '../../shared/http/routes/metrics.js';
import { pick } from '../../shared/http/routes/route.js';
import { agentMetricsFor, driversFor, metricsFor } from './service.js';

export const metrics = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(metricsRoutes, 'getMetrics'),
  async ({ query, actor, now }) => ok(await metricsFor(query, now, actor)),
);

export const agentMetrics = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(metricsRoutes, 'getAgentMetrics'),
  async ({ query, actor, now }) => ok(await agentMetricsFor(query, now, actor)),
);

export const drivers = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(metricsRoutes, 'getDrivers'),
  async ({ query, actor, now }) => ok(await driversFor(query, now, actor)),
);
