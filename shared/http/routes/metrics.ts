import { AgentMetricsQuery, AgentMetricsResponse, MetricsQuery, MetricsResponse } from '../../schemas/metrics.js';
import { json, type RouteDeclaration } from './route.js';

export const metricsRoutes = [
  {
    id: 'getMetrics',
    method: 'GET',
    path: '/metrics',
    capability: 'metrics',
    handler: 'metrics',
    // Agents may read their own figures (`agentId` = their id); everything else needs a supervisor (service.ts).
    auth: 'agent',
    summary: 'Live KPIs for a date range, channel, team or agent, from pre-aggregated counters',
    request: { query: MetricsQuery },
    responses: { 200: json(MetricsResponse, 'The KPIs with red/amber/green status') },
  },
  {
    id: 'getAgentMetrics',
    method: 'GET',
    path: '/metrics/agents',
    capability: 'metrics',
    handler: 'agentMetrics',
    auth: 'supervisor',
    summary: 'Per-agent figures of a period, from per day × agent counter cells (supervisor: own team; manager: all)',
    request: { query: AgentMetricsQuery },
    responses: { 200: json(AgentMetricsResponse, 'One row per agent') },
  },
] as const satisfies readonly RouteDeclaration[];
