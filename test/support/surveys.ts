/**
 * HTTP setups the survey tests share: a customer, a resolved chat of theirs, and the survey about it
 * (or the invitation the follow-up job sends about it).
 */
import { expect } from 'vitest';
import type { Role } from '../../shared/schemas/common.js';
import type { PutCustomerBody } from '../../shared/schemas/customers.js';
import { anInteraction } from './builders/interactions.js';
import { aCustomer } from './builders/surveys.js';
import type { TestApi } from './runtime.js';

export interface SurveyAfterContact {
  /** The customer's id; the test makes it unique. */
  customerId: string;
  language?: 'zh' | 'en';
  team?: string;
  /** When the contact started (answered 10 s later, resolved 10 min later); an hour before the runtime's clock by default. */
  startedAt?: Date;
  /** Who saves the customer and records the contact (the runtime's default role when left out). */
  as?: Role;
  /** More of the POST /surveys body (a `questionnaireId`); without one the settings choose the questionnaire. */
  survey?: Record<string, unknown>;
}

/**
 * PUT /customers/{id}, POST /interactions (a resolved contact) and POST /surveys about it (as an
 * agent), each checked for its 201: the survey's body, and when its contact started.
 */
export async function aSurveyAfterContact(
  api: TestApi,
  options: SurveyAfterContact,
): Promise<{ survey: Record<string, any>; startedAt: Date }> {
  const { customerId, language = 'en', as } = options;
  const startedAt = options.startedAt ?? new Date(api.runtime.clock.now().getTime() - 3600_000);
  const role = as ? { as } : {};
  expect((await api.call('PUT', `/customers/${customerId}`, { ...role, body: aCustomer({ language }) })).status).toBe(
    201,
  );
  const interaction = await api.call('POST', '/interactions', {
    ...role,
    body: anInteraction({
      customerId,
      ...(options.team ? { team: options.team } : {}),
      startedAt: startedAt.toISOString(),
      firstResponseAt: new Date(startedAt.getTime() + 10_000).toISOString(),
      resolvedAt: new Date(startedAt.getTime() + 600_000).toISOString(),
    }),
  });
  expect(interaction.status).toBe(201);
  const survey = await api.call('POST', '/surveys', {
    as: 'agent',
    body: { subject: { type: 'interaction', id: interaction.body.id }, ...options.survey },
  });
  expect(survey.status, JSON.stringify(survey.body)).toBe(201);
  return { survey: survey.body, startedAt };
}

export interface ResolvedChat {
  /** The customer's id; the test makes it unique. */
  customerId: string;
  /** What the customer's profile says other than aCustomer's defaults (contacts, consent, preferred channel). */
  profile?: Partial<PutCustomerBody>;
  /** When the chat was resolved; it started, and was answered, 20 minutes before. */
  resolvedAt: Date;
  /** Who saves the customer and records the chat: an agent unless given. */
  as?: Role;
}

/**
 * PUT /customers/{id} and POST /interactions (a chat resolved at `resolvedAt`), each checked for its
 * 201: the chat's id, the survey-invitation task the follow-up job sends about it (due 30 minutes
 * after it was resolved) and the message id that invitation goes out under.
 */
export async function aResolvedChat(
  api: TestApi,
  options: ResolvedChat,
): Promise<{ interactionId: string; invitationTaskId: string; invitationMessageId: string }> {
  const { customerId, resolvedAt, as = 'agent' } = options;
  const put = await api.call('PUT', `/customers/${customerId}`, { as, body: aCustomer(options.profile) });
  expect(put.status, put.text).toBe(201);
  const answeredAt = new Date(resolvedAt.getTime() - 20 * 60_000).toISOString();
  const interaction = await api.call('POST', '/interactions', {
    as,
    body: anInteraction({
      customerId,
      startedAt: answeredAt,
      firstResponseAt: answeredAt,
      resolvedAt: resolvedAt.toISOString(),
    }),
  });
  expect(interaction.status, interaction.text).toBe(201);
  const interactionId = interaction.body.id as string;
  const invitationTaskId = `invite:interaction:${interactionId}`;
  return { interactionId, invitationTaskId, invitationMessageId: `followup:${invitationTaskId}` };
}
