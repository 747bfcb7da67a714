import { FOLLOW_UP_KINDS } from '../../domain/followups.js';
import { ExternalId, PageQuery, pageOf, Timestamp } from '../../schemas/common.js';
import { z } from '../../schemas/zod.js';
import { json, type RouteDeclaration } from './route.js';

export const FollowUpTask = z
  .object({
    id: z.string(),
    kind: z.enum(FOLLOW_UP_KINDS),
    status: z.enum(['pending', 'sent', 'skipped', 'failed']),
    attempts: z.number().int(),
    dueAt: Timestamp,
    outcome: z.string().optional().openapi({ description: 'why it was skipped or failed' }),
    channel: z.enum(['sms', 'email']).optional(),
    customerId: ExternalId.optional(),
    surveyId: z.string().optional(),
    updatedAt: Timestamp,
  })
  .openapi('FollowUpTask');

export const ListFollowUpsQuery = PageQuery.extend({
  status: z.literal('failed').openapi({ description: 'follow-ups that failed after their last attempt' }),
  months: z.coerce.number().int().min(1).max(12).default(3),
});

export const followUpRoutes = [
  {
    id: 'listFollowUps',
    method: 'GET',
    path: '/followups',
    capability: 'followups',
    handler: 'listFollowUps',
    auth: 'supervisor',
    summary: 'Follow-up messages that could not be delivered after every retry, for an operator to act on',
    request: { query: ListFollowUpsQuery },
    responses: { 200: json(pageOf(FollowUpTask, 'FollowUpPage'), 'A page of failed follow-ups, newest first') },
  },
] as const satisfies readonly RouteDeclaration[];
