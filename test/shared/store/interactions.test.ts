import { beforeAll, describe, expect, it } from 'vitest';
import { Conflict } from '../../../shared/domain/errors.js';
import { readAgentCounters, readCounters } from '../../../shared/store/aggregates.js';
import { rawDynamo } from '../../../shared/store/client.js';
import { type InteractionRecord, dynamoInteractionStore as store } from '../../../shared/store/interactions.js';
import { injectTransactionConflicts } from '../../support/conflicts.js';
import { useTestTables } from '../../support/dynamo.js';

let sequence = 0;
function aRecord(overrides: Partial<InteractionRecord> = {}): InteractionRecord {
  sequence += 1;
  const startedAt =
    overrides.startedAt ?? `2026-10-${String(1 + (sequence % 28)).padStart(2, '0')}T0${sequence % 10}:00:00.000Z`;
  return {
    id: `01JC0ZQ8M3Y7D5T2N4K6P8R${String(sequence).padStart(3, '0')}`,
    customerId: 'C-1',
    channel: 'chat',
    complexity: 'simple',
    startedAt,
    serviceDay: overrides.serviceDay ?? startedAt.slice(0, 10),
    responseTargetSeconds: 20,
    resolutionTargetSeconds: 14400,
    createdAt: startedAt,
    updatedAt: startedAt,
    createdBy: 'test',
    version: 1,
    ...overrides,
  };
}

const all = async (query: Parameters<typeof store.list>[0]) => {
  const seen: InteractionRecord[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.list({ ...query, cursor });
    seen.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor && pages < 100);
  return { seen, pages };
};

describe('interaction repository on DynamoDB Local', () => {
  beforeAll(useTestTables);

  it('stores and reads back an interaction', async () => {
    const record = aRecord({ customerId: 'C-read' });
    await store.create(record);
    expect(await store.get(record.id)).toEqual(record);
  });

  it('refuses a second create with the same id and does not count it twice', async () => {
    const record = aRecord({ startedAt: '2026-09-14T10:00:00.000Z', channel: 'store' });
    await store.create(record);
    await expect(store.create(record)).rejects.toBeInstanceOf(Conflict);
    const rows = await readCounters('2026-09-14', '2026-09-14', { channel: 'store' });
    expect(rows.reduce((n, r) => n + (r.counters.interactions ?? 0), 0)).toBe(1);
  });

  it('refuses a replace based on a stale version, so a concurrent update is not lost', async () => {
    const record = aRecord();
    await store.create(record);
    const first = { ...record, category: 'billing', version: 2 };
    await store.replace(first, record);
    await expect(store.replace({ ...record, category: 'delivery', version: 2 }, record)).rejects.toBeInstanceOf(
      Conflict,
    );
    expect((await store.get(record.id))?.category).toBe('billing');
  });

  it('moves the KPI counters when an open interaction is resolved later', async () => {
    const record = aRecord({
      startedAt: '2026-08-05T09:00:00.000Z',
      channel: 'email',
      firstResponseAt: '2026-08-05T09:10:00.000Z',
    });
    await store.create(record);
    await store.replace({ ...record, resolvedAt: '2026-08-05T10:00:00.000Z', version: 2 }, record);
    const rows = await readCounters('2026-08-05', '2026-08-05', { channel: 'email' });
    const total = (name: string) => rows.reduce((n, r) => n + (r.counters[name] ?? 0), 0);
    expect(total('interactions')).toBe(1);
    expect(total('res_count')).toBe(1);
    expect(total('res_simple_within')).toBe(1);
  });

  it('pages through a customer history newest first, every item exactly once', async () => {
    const records = Array.from({ length: 23 }, (_, i) =>
      aRecord({ customerId: 'C-paging', startedAt: `2026-07-${String(1 + i).padStart(2, '0')}T08:00:00.000Z` }),
    );
    for (const record of records) await store.create(record);
    const { seen, pages } = await all({
      customerId: 'C-paging',
      fromInstant: '2026-07-01T00:00:00.000Z',
      toInstant: '2026-07-31T23:59:59.999Z',
      limit: 5,
    });
    expect(pages).toBe(5);
    expect(seen.map((r) => r.id)).toEqual(records.map((r) => r.id).reverse());
  });

  it('pages across day partitions by channel without losing or repeating items', async () => {
    const records = Array.from({ length: 17 }, (_, i) =>
      aRecord({
        channel: 'wechat',
        startedAt: `2026-06-${String(1 + (i % 9)).padStart(2, '0')}T0${i % 10}:30:00.000Z`,
      }),
    );
    for (const record of records) await store.create(record);
    const { seen } = await all({
      channel: 'wechat',
      fromInstant: '2026-06-01T00:00:00.000Z',
      toInstant: '2026-06-30T23:59:59.999Z',
      limit: 4,
    });
    expect(new Set(seen.map((r) => r.id)).size).toBe(17);
    expect(seen).toHaveLength(17);
    const times = seen.map((r) => r.startedAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('refuses a cursor that belongs to another list', async () => {
    const page = await store.list({
      channel: 'wechat',
      fromInstant: '2026-06-01T00:00:00.000Z',
      toInstant: '2026-06-30T23:59:59.999Z',
      limit: 2,
    });
    expect(page.nextCursor).toBeTruthy();
    await expect(
      store.list({
        channel: 'chat',
        fromInstant: '2026-06-01T00:00:00.000Z',
        toInstant: '2026-06-30T23:59:59.999Z',
        limit: 2,
        cursor: page.nextCursor!,
      }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("puts a write's team cell and agent cell on the same shard × slot in every attempt, so one busy agent adds no conflicts", async () => {
    // Cancel half of the transactions at random: retries pick wider items, still one pick for both cells.
    const injection = injectTransactionConflicts({ share: 0.5, seed: 7 });
    // Every TransactWriteItems attempt (before the injection answers it), retries included (after the document client marshalled it), retries included.
    const sent: { pk: string; sk: string }[][] = [];
    const client = rawDynamo();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') {
          const items = (args.input as { TransactItems: { Update?: { Key: Record<string, { S: string }> } }[] })
            .TransactItems;
          sent.push(
            items.flatMap((item) => (item.Update ? [{ pk: item.Update.Key.pk!.S, sk: item.Update.Key.sk!.S }] : [])),
          );
        }
        return next(args);
      },
      { step: 'build', name: 'capture-counter-items', priority: 'high' },
    );
    try {
      for (let i = 0; i < 12; i += 1)
        await store.create(
          aRecord({
            startedAt: `2026-05-09T0${i % 10}:00:00.000Z`,
            team: 'hot',
            agentId: 'agent-busy',
            channel: 'phone',
          }),
        );
    } finally {
      injection.remove();
      client.middlewareStack.remove('capture-counter-items');
    }
    expect(injection.stats.random).toBeGreaterThan(0);
    expect(sent.length).toBeGreaterThan(12);
    const where = (key: { pk: string; sk: string }) => `${key.pk.split('#').at(-1)}/${key.sk.split('#').at(-1)}`;
    for (const counters of sent) {
      const team = counters.find((key) => key.pk.startsWith('AGG#'));
      const agent = counters.find((key) => key.pk.startsWith('AGGAGENT#'));
      expect(team && agent).toBeTruthy();
      expect(where(agent!)).toBe(where(team!));
    }
    // And the sums stay exact for the team and for the agent.
    const teamRows = await readCounters('2026-05-09', '2026-05-09', { team: 'hot' });
    const agentRows = await readAgentCounters('2026-05-09', '2026-05-09', { agent: 'agent-busy' });
    expect(teamRows.reduce((n, r) => n + (r.counters.interactions ?? 0), 0)).toBe(12);
    expect(agentRows.reduce((n, r) => n + (r.counters.interactions ?? 0), 0)).toBe(12);
  });
});
