import {
  AgentMetricsQuery,
  AgentMetricsResponse,
  DriversQuery,
  DriversResponse,
  MetricsQuery,
  MetricsResponse,
} from '../../schemas/metrics.js';
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
  {
    id: 'getDrivers',
    method: 'GET',
    path: '/metrics/drivers',
    capability: 'metrics',
    handler: 'drivers',
    auth: 'supervisor',
    summary:
      'Key drivers: each dimension’s Pearson r with overall or NPS, its score and a priority, from pre-aggregated sums',
    request: { query: DriversQuery },
    responses: { 200: json(DriversResponse, 'One item per dimension answered in the period') },
  },
] as const satisfies readonly RouteDeclaration[];
