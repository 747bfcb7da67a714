/** Fixture builders with sensible defaults: override only what a test is about. */
import type { CreateInteractionBody } from '../../../shared/schemas/interactions.js';

export const at = (iso: string) => new Date(iso);

export function anInteraction(overrides: Partial<CreateInteractionBody> = {}): CreateInteractionBody {
  return {
    customerId: 'C-10042',
    channel: 'chat',
    complexity: 'simple',
    startedAt: '2026-11-03T08:00:00Z',
    ...overrides,
  };
}
