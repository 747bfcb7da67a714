import { MetricsQuery, MetricsResponse } from '../../schemas/metrics.js';
import { json, type RouteDeclaration } from './route.js';

export const metricsRoutes = [
  {
    id: 'getMetrics',
    method: 'GET',
    path: '/metrics',
    capability: 'metrics',
    handler: 'metrics',
    auth: 'supervisor',
    summary: 'Live KPIs for a date range, channel or team, from pre-aggregated counters',
    request: { query: MetricsQuery },
    responses: { 200: json(MetricsResponse, 'The KPIs with red/amber/green status') },
  },
] as const satisfies readonly RouteDeclaration[];
