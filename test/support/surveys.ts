/** HTTP setups the survey tests share: a customer, a resolved chat of theirs, and the survey about it. */
import { expect } from 'vitest';
import type { Role } from '../../shared/schemas/common.js';
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
