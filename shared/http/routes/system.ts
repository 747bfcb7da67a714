import { z } from '../../schemas/zod.js';
import { json, type RouteDeclaration } from './route.js';

export const systemRoutes = [
  {
    id: 'health',
    method: 'GET',
    path: '/health',
    capability: 'system',
    handler: 'health',
    auth: 'public',
    summary: 'Liveness check',
    responses: { 200: json(z.object({ status: z.literal('ok'), time: z.string() }), 'The service is up') },
  },
  {
    id: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    capability: 'system',
    handler: 'openapi',
    auth: 'public',
    summary: 'This OpenAPI 3.1 document',
    responses: {
      200: json(
        z
          .object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }) })
          .openapi('OpenApiDocument'),
        'OpenAPI 3.1 document',
      ),
    },
  },
] as const satisfies readonly RouteDeclaration[];
