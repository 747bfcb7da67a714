import { FOLLOW_UP_KINDS } from '../../domain/followups.js';
import { ExternalId, PageQuery, pageOf, Timestamp } from '../../schemas/common.js';
import { describeEnum } from '../../schemas/describe.js';
import { z } from '../../schemas/zod.js';
import { json, type RouteDeclaration } from './route.js';

const FollowUpKind = z.enum(FOLLOW_UP_KINDS);
export const followUpKindText = /* @__PURE__ */ describeEnum(FollowUpKind, {
  survey_invitation: 'A survey invitation to the customer after a contact or complaint (or a campaign)',
  survey_reminder: 'A reminder to a customer who has not answered (3 and 7 days after the invitation)',
  problem_fixed: 'Tells a customer who complained that a verified improvement fixed the problem',
  fixed_fanout:
    'Turns one verified improvement into a problem_fixed message per customer who complained about its category',
  detractor_alert: 'Tells the supervisor of a detractor answer (email, else SMS; personal data masked)',
  ensure_watch: 'Starts a complaint round’s escalation workflow if the request that stored it died before starting it',
  escalation_notice: 'Sends again an escalation notice the workflow could not deliver',
  complaint_confirmation:
    'Asks the customer of a resolved complaint “did this solve your problem?” with the link to answer',
  customer_notice: 'Tells a complaint’s customer where it stands: registered, waiting for them, a solution proposed',
  owner_notice: 'Tells a complaint’s owner or assignee: registered to them, a deadline close, escalated to them',
  alert_digest: 'The day’s email of open call-backs to each team’s supervisor',
  suggestion_decision:
    'Tells the customer behind a suggestion the decision: adopted (the planned date) or rejected (the reason)',
  improvement_notice:
    'Tells an improvement’s owner it was created and, once, that it is overdue; its department that it was verified',
  surge_notice: 'Tells the complaints desk of a complaint surge and its 72 h special assessment',
  goal_notice: 'Tells a goal’s owner it turned at_risk (once, again only after it recovered)',
});
const FollowUpStatus = z.enum(['pending', 'sent', 'skipped', 'failed']);
export const followUpStatusText = /* @__PURE__ */ describeEnum(FollowUpStatus, {
  pending: 'Due or waiting for a retry (customers are not messaged in quiet hours)',
  sent: 'Done: the message went out (or the work was done)',
  skipped: 'Not sent on purpose: `outcome` says why (answered already, no contact, no consent, …)',
  failed: 'Failed after its last attempt (4 in all, with growing pauses): an operator should act on it',
});
const FollowUpChannel = z.enum(['sms', 'email']);
export const followUpChannelText = /* @__PURE__ */ describeEnum(FollowUpChannel, {
  sms: 'Sent by SMS',
  email: 'Sent by email',
});
const FailedOnly = z.literal('failed');
export const failedOnlyText = /* @__PURE__ */ describeEnum(FailedOnly, {
  failed: 'Follow-ups that failed after their last attempt (the only list served)',
});

export const FollowUpTask = z
  .object({
    id: z.string(),
    kind: FollowUpKind,
    status: FollowUpStatus,
    attempts: z.number().int(),
    dueAt: Timestamp,
    outcome: z.string().optional().openapi({ description: 'why it was skipped or failed' }),
    channel: FollowUpChannel.optional(),
    customerId: ExternalId.optional(),
    surveyId: z.string().optional(),
    updatedAt: Timestamp,
  })
  .openapi('FollowUpTask');

export const ListFollowUpsQuery = PageQuery.extend({
  status: FailedOnly.openapi({ description: 'follow-ups that failed after their last attempt' }),
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
