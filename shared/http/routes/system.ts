import { describeEnum } from '../../schemas/describe.js';
import { z } from '../../schemas/zod.js';
import { json, type RouteDeclaration } from './route.js';

const HealthStatus = z.literal('ok');
export const healthStatusText = /* @__PURE__ */ describeEnum(HealthStatus, {
  ok: 'The API answers (the only value: a failing service does not answer at all); `missing` and `warnings` say what is not configured or works only in part',
});

export const systemRoutes = [
  {
    id: 'health',
    method: 'GET',
    path: '/health',
    capability: 'system',
    handler: 'health',
    auth: 'public',
    summary: 'Liveness check, and what is not configured yet',
    responses: {
      200: json(
        z
          .object({
            status: HealthStatus,
            time: z.string(),
            missing: z.array(z.string()).openapi({
              description:
                'What to configure before anyone is told anything, empty when nothing is: settings paths an admin sets with PATCH /settings (`escalation.contacts.<role>` for every role on a ladder without an email or phone, `reportRecipients`) and deploy context keys (`careloop:senderEmail` while the sender is the placeholder, `careloop:operationsEmail` while the operations alarms reach nobody). A fresh deployment sends nothing to placeholder addresses.',
              example: ['escalation.contacts.supervisor', 'reportRecipients'],
            }),
            warnings: z.array(z.string()).openapi({
              description:
                'What works only in part, or what the check could not find out (e.g. the settings were unreadable)',
            }),
          })
          .openapi('Health'),
        'The service is up',
      ),
    },
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
