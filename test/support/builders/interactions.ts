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

/** A simple chat on `day`, started at 02:00:`second` UTC, answered `answeredAfter` seconds later, resolved at 03:00. */
export function aTimedChat(
  day: string,
  second: number,
  answeredAfter: number,
  overrides: Partial<CreateInteractionBody> = {},
): CreateInteractionBody {
  const startedAt = `${day}T02:00:${String(second).padStart(2, '0')}Z`;
  return anInteraction({
    startedAt,
    firstResponseAt: new Date(Date.parse(startedAt) + answeredAfter * 1000).toISOString(),
    resolvedAt: `${day}T03:00:00Z`,
    ...overrides,
  });
}

/**
 * A goal's history for the first-response KPI (answered within its 20 s target ÷ answered): in
 * October 4 chats, 2 within → 0.5 (a baseline); on 3 and 10 November 4 chats, 3 within → 0.75.
 * Customers `${customerPrefix}1` … `${customerPrefix}8`, one a chat, all of `team`.
 */
export function firstResponseHistory(customerPrefix: string, team: string): CreateInteractionBody[] {
  const chats: Array<[day: string, answeredAfter: number]> = [
    ['2026-10-10', 10],
    ['2026-10-10', 15],
    ['2026-10-20', 40],
    ['2026-10-20', 60],
    ['2026-11-03', 5],
    ['2026-11-03', 12],
    ['2026-11-10', 18],
    ['2026-11-10', 90],
  ];
  return chats.map(([day, answeredAfter], i) =>
    aTimedChat(day, i + 1, answeredAfter, { customerId: `${customerPrefix}${i + 1}`, team }),
  );
}
