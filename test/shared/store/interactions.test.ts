import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { Conflict } from '../../../shared/domain/errors.js';
import { dynamoCounterReader } from '../../../shared/store/aggregates.js';
import { dynamo, rawDynamo } from '../../../shared/store/client.js';
import {
  type InteractionRecord,
  interactionItem,
  LIST_READ_BUDGET,
  partitionsFor,
  dynamoInteractionStore as store,
} from '../../../shared/store/interactions.js';
import { MAIN_TABLE, tableName } from '../../../shared/store/table.js';
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

  it('stores a contact as recorded without the audit fields its creation implies, and reads them back', async () => {
    const at = '2026-10-03T02:00:00.000Z';
    const created = aRecord({
      customerId: 'C-audit',
      createdAt: at,
      updatedAt: at,
      updatedBy: 'test',
      history: [{ at, actor: 'test', action: 'created' }],
    });
    const item = interactionItem(created);
    for (const implied of ['updatedAt', 'updatedBy', 'history']) expect(item).not.toHaveProperty(implied);
    await store.create(created);
    expect(await store.get(created.id)).toEqual(created);

    // Once changed, every audit field is stored as it is.
    const changed: InteractionRecord = {
      ...created,
      updatedAt: '2026-10-03T03:00:00.000Z',
      updatedBy: 'lead',
      history: [...(created.history ?? []), { at: '2026-10-03T03:00:00.000Z', actor: 'lead', action: 'updated' }],
      version: 2,
    };
    expect(interactionItem(changed)).toMatchObject({ updatedBy: 'lead', history: changed.history });
    await store.replace(changed, created);
    expect(await store.get(created.id)).toEqual(changed);
  });

  it('refuses a second create with the same id and does not count it twice', async () => {
    const record = aRecord({ startedAt: '2026-09-14T10:00:00.000Z', channel: 'store' });
    await store.create(record);
    await expect(store.create(record)).rejects.toBeInstanceOf(Conflict);
    const rows = await dynamoCounterReader.readCounters('2026-09-14', '2026-09-14', { channel: 'store' });
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
    const rows = await dynamoCounterReader.readCounters('2026-08-05', '2026-08-05', { channel: 'email' });
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
    const teamRows = await dynamoCounterReader.readCounters('2026-05-09', '2026-05-09', { team: 'hot' });
    const agentRows = await dynamoCounterReader.readAgentCounters('2026-05-09', '2026-05-09', { agent: 'agent-busy' });
    expect(teamRows.reduce((n, r) => n + (r.counters.interactions ?? 0), 0)).toBe(12);
    expect(agentRows.reduce((n, r) => n + (r.counters.interactions ?? 0), 0)).toBe(12);
  });

  /** Writes records as stored items without counters (25 a request): a list test's many neighbours, quickly. */
  const load = async (records: InteractionRecord[]) => {
    for (let i = 0; i < records.length; i += 25) {
      const requests = records.slice(i, i + 25).map((record) => ({ PutRequest: { Item: interactionItem(record) } }));
      await dynamo().send(new BatchWriteCommand({ RequestItems: { [tableName(MAIN_TABLE)]: requests } }));
    }
  };

  it('fills every page of one agent’s contacts however many of the team’s contacts share their days', async () => {
    // More of a colleague's contacts on the same days than one call may read: as a filter, the agent's
    // pages would come back short with a cursor; as a key (gsi8, agent and month) every page is full.
    // The colleague's contacts are on the newer days (14–20 April), read first; the agent's on 1–13 April.
    const day = (i: number) => `2026-04-${String(1 + (i % 20)).padStart(2, '0')}`;
    const others = Array.from({ length: LIST_READ_BUDGET + 200 }, (_, i) =>
      aRecord({
        id: `01JC0ZQ8M3Y7D5T2N4OTHER${String(i).padStart(4, '0')}`,
        startedAt: `${day(13 + (i % 7))}T03:${String(i % 60).padStart(2, '0')}:00.000Z`,
        agentId: 'agent-busy-colleague',
        team: 'full',
      }),
    );
    const mine = Array.from({ length: 13 }, (_, i) =>
      aRecord({
        id: `01JC0ZQ8M3Y7D5T2N4MINE${String(i).padStart(4, '0')}`,
        startedAt: `${day(i)}T02:00:00.000Z`,
        agentId: 'agent-rare',
        team: 'full',
      }),
    );
    await load([...others, ...mine]);
    const query = {
      agentId: 'agent-rare',
      team: 'full',
      fromInstant: '2026-04-01T00:00:00.000Z',
      toInstant: '2026-04-30T23:59:59.999Z',
      limit: 5,
    };
    expect(partitionsFor(query).every((p) => p.index === 'gsi8' && !p.filter?.expression.includes('agentId'))).toBe(
      true,
    );
    const sizes: number[] = [];
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list({ ...query, cursor });
      sizes.push(page.items.length);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([5, 5, 3]);
    expect(seen.sort()).toEqual(mine.map((r) => r.id).sort());
  });

  it('lists a team’s open work nearest deadline first, passed deadlines first, and bounds it with dueBefore', async () => {
    const start = (minutesAgo: number) =>
      new Date(Date.parse('2026-03-10T08:00:00Z') - minutesAgo * 60_000).toISOString();
    const unanswered = aRecord({ team: 'queue', startedAt: start(1), responseTargetSeconds: 180 }); // due 08:02
    const late = aRecord({ team: 'queue', startedAt: start(30), responseTargetSeconds: 180 }); // due 07:33, passed
    const answered = aRecord({
      team: 'queue',
      startedAt: start(60),
      firstResponseAt: start(59),
      resolutionTargetSeconds: 4 * 3600,
    }); // resolution due 11:00
    const resolved = aRecord({ team: 'queue', startedAt: start(5), firstResponseAt: start(4), resolvedAt: start(3) });
    const abandoned = aRecord({ team: 'queue', startedAt: start(6), abandonedAt: start(5) });
    const otherTeam = aRecord({ team: 'elsewhere', startedAt: start(2) });
    for (const record of [unanswered, late, answered, resolved, abandoned, otherTeam]) await store.create(record);
    const window = { fromInstant: '2026-03-01T00:00:00.000Z', toInstant: '2026-03-31T23:59:59.999Z', limit: 10 };
    const all = await store.list({ ...window, byDeadline: { team: 'queue' } });
    expect(all.items.map((r) => r.id)).toEqual([late.id, unanswered.id, answered.id]);
    expect(all.nextCursor).toBeNull();
    const soon = await store.list({ ...window, byDeadline: { team: 'queue', dueBefore: '2026-03-10T08:10:00.000Z' } });
    expect(soon.items.map((r) => r.id)).toEqual([late.id, unanswered.id]);
    // Resolving takes a contact out of the queue.
    await store.replace({ ...late, firstResponseAt: start(0), resolvedAt: start(0), version: 2 }, late);
    const after = await store.list({ ...window, byDeadline: { team: 'queue' } });
    expect(after.items.map((r) => r.id)).toEqual([unanswered.id, answered.id]);
  });
});
