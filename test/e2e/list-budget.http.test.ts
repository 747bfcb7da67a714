/**
 * The widest list stays within its per-call budget (issue 26: ≤ 100 Queries and ≤ 1,000 items read
 * a call): GET /interactions over 366 days filtered by a team that almost nothing matches walks every
 * day partition, full days paged inside. The two bounds are exact, not checked between pages, so a
 * day of 150 contacts followed by a day of 1,000 no longer reads 1,050 items in one call, and a
 * partition paged inside counts every Query it makes. The one matching contact is found exactly once.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetsFor } from '../../shared/domain/interactions.js';
import { DEFAULT_SETTINGS } from '../../shared/domain/settings.js';
import { dynamo } from '../../shared/store/client.js';
import {
  type InteractionRecord,
  interactionItem,
  LIST_QUERY_BUDGET,
  LIST_READ_BUDGET,
} from '../../shared/store/interactions.js';
import { MAIN_TABLE, tableName } from '../../shared/store/table.js';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
const TODAY = '2026-11-10';
const FROM = '2025-11-09';

/** A resolved contact of the online team, as its store writes it (every index key). */
function contact(day: string, i: number): InteractionRecord {
  const startedAt = `${day}T${String(1 + (i % 12)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00.000Z`;
  return {
    id: `01JBUDGET${day.replaceAll('-', '')}${String(i).padStart(9, '0')}`,
    customerId: `C-budget-${i}`,
    channel: 'chat',
    complexity: 'simple',
    startedAt,
    serviceDay: day,
    team: 'online',
    agentId: 'agent-budget',
    firstResponseAt: startedAt,
    resolvedAt: startedAt,
    ...targetsFor('chat', 'simple', DEFAULT_SETTINGS.targets),
    createdAt: startedAt,
    updatedAt: startedAt,
    createdBy: 'test',
    version: 1,
  };
}

async function load(day: string, count: number) {
  const items = Array.from({ length: count }, (_, i) => ({ PutRequest: { Item: interactionItem(contact(day, i)) } }));
  for (let i = 0; i < items.length; i += 25) {
    let pending: unknown[] | undefined = items.slice(i, i + 25);
    while (pending?.length) {
      const result: { UnprocessedItems?: Record<string, unknown[]> } = await dynamo().send(
        new BatchWriteCommand({ RequestItems: { [tableName(MAIN_TABLE)]: pending as never } }),
      );
      pending = result.UnprocessedItems?.[tableName(MAIN_TABLE)];
    }
  }
}

beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date(`${TODAY}T04:00:00Z`) });
  // Newest first: today empty, then 150 contacts, then 1,000, then empty days, the needle on day 200.
  await load('2026-11-09', 150);
  await load('2026-11-08', 1000);
  const needle = await api.call('POST', '/interactions', {
    body: anInteraction({ customerId: 'C-needle', team: 'needle-team', startedAt: '2026-04-24T03:00:00Z' }),
  });
  expect(needle.status).toBe(201);
});
afterAll(async () => {
  await api?.runtime.stop();
});

describe('GET /interactions over 366 days with a filter that almost nothing matches', () => {
  it('reads at most 1,000 items in at most 100 Queries a call, and finds the one match once', async () => {
    const tally = { queries: 0, items: 0 };
    dynamo().middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        if ((args.input as { KeyConditionExpression?: string }).KeyConditionExpression) {
          tally.queries += 1;
          tally.items += (result.output as { ScannedCount?: number }).ScannedCount ?? 0;
        }
        return result;
      },
      { step: 'initialize', name: 'listBudgetCounter' },
    );
    const calls: Array<{ queries: number; items: number }> = [];
    const found: string[] = [];
    try {
      let cursor: string | null = null;
      do {
        const before = { ...tally };
        const page = await api.call(
          'GET',
          `/interactions?from=${FROM}&to=${TODAY}&team=needle-team&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
          { as: 'manager' },
        );
        expect(page.status).toBe(200);
        calls.push({ queries: tally.queries - before.queries, items: tally.items - before.items });
        found.push(...page.body.items.map((item: { customerId: string }) => item.customerId));
        cursor = page.body.nextCursor;
      } while (cursor && calls.length < 50);
    } finally {
      dynamo().middlewareStack.remove('listBudgetCounter');
    }
    expect(found).toEqual(['C-needle']);
    expect(Math.max(...calls.map((call) => call.queries))).toBeLessThanOrEqual(LIST_QUERY_BUDGET);
    expect(Math.max(...calls.map((call) => call.items))).toBeLessThanOrEqual(LIST_READ_BUDGET);
    // The first call spends the whole read budget on the two full days: 150 + 850 of the 1,000.
    expect(calls[0]?.items).toBe(LIST_READ_BUDGET);
    // Every one of the 1,150 contacts and the needle read exactly once over the walk.
    expect(calls.reduce((sum, call) => sum + call.items, 0)).toBe(1151);
  });
});
