/**
 * The changes feed (`GET /changes`, shared/store/changes.ts), section "changes":
 *  - cost per change: the write capacity the feed item adds to a record's write, priced item by
 *    item (./capacity.ts) — the same interaction written in a transaction alone and with its
 *    change item (the record alone is the same-run baseline);
 *  - a 10 000-change poll: 10 000 changes written after a cursor, then read with
 *    `GET /changes?since=` page by page until caught up — HTTP requests, DynamoDB queries, items
 *    and time, beside an empty poll (nothing changed) in the same run.
 */
import { BatchWriteCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SETTLE_REAL_MS } from '../functions/staff/changes.js';
import type { LocalRuntime } from '../infra/local/runtime.js';
import { ports } from '../shared/ports.js';
import { changePut } from '../shared/store/changes.js';
import { dynamo } from '../shared/store/client.js';
import { MAIN_TABLE, tableName } from '../shared/store/table.js';
import { meterCapacity } from './capacity.js';
import { ratio, table } from './stats.js';
import type { Section } from './summary.js';

const CHANGES = 10_000;

/** Counts this process's DynamoDB requests and Queries. */
function meter() {
  const tally = { requests: 0, queries: 0 };
  dynamo().middlewareStack.add(
    (next, context) => async (args) => {
      const command = String((context as { commandName?: string }).commandName);
      const result = await next(args);
      tally.requests += 1;
      if (command === 'QueryCommand') tally.queries += 1;
      return result;
    },
    { step: 'initialize', name: 'benchChangesMeter' },
  );
  return () => {
    const taken = { ...tally };
    tally.requests = 0;
    tally.queries = 0;
    return taken;
  };
}

/** An interaction-sized record (about 1 KB), as its store writes one. */
const record = (i: number) => ({
  pk: `BENCHCHANGE#${i}`,
  sk: 'RECORD',
  type: 'Interaction',
  id: `01JBENCHCHANGE${String(i).padStart(12, '0')}`,
  version: 1,
  body: 'x'.repeat(900),
});

export async function benchChanges(runtime: LocalRuntime): Promise<Section> {
  const take = meter();
  // Only this section's own writes: the runtime's background work (workflows, jobs) writes meanwhile.
  const capacity = meterCapacity('benchChangesCapacity', (input) =>
    /BENCHCHANGE|BENCHALONE/.test(JSON.stringify(input)),
  );
  const supervisor = await runtime.token('bench-changes', ['supervisor']);
  const get = async (path: string) => {
    const response = await fetch(`${runtime.url}${path}`, { headers: { authorization: `Bearer ${supervisor}` } });
    const body = (await response.json()) as { items: unknown[]; nextCursor: string };
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    return body;
  };

  // Cost per change: the record's transaction alone, then with its change item.
  const samples = 20;
  capacity.take();
  for (let i = 0; i < samples; i += 1)
    await dynamo().send(
      new TransactWriteCommand({ TransactItems: [{ Put: { TableName: tableName(MAIN_TABLE), Item: record(i) } }] }),
    );
  const alone = capacity.take().wcu / samples;
  for (let i = samples; i < 2 * samples; i += 1) {
    const item = record(i);
    const change = changePut({
      type: 'interaction',
      id: item.id,
      version: 1,
      changedAt: ports().clock.now().toISOString(),
    });
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: tableName(MAIN_TABLE), Item: item } }, change as never],
      }),
    );
  }
  const withChange = capacity.take().wcu / samples;
  // The feed item on its own (a plain PutItem): what it weighs; inside a transaction writes cost double.
  for (let i = 0; i < samples; i += 1) {
    const change = changePut({
      type: 'interaction',
      id: `01JBENCHALONE${String(i).padStart(13, '0')}`,
      version: 1,
      changedAt: ports().clock.now().toISOString(),
    }) as { Put: Record<string, unknown> };
    await dynamo().send(new PutCommand(change.Put as never));
  }
  const itemAlone = capacity.take().wcu / samples;
  capacity.stop();
  // The feed answers up to SETTLE_REAL_MS ago (writes in flight settle): let the samples above fall before the cursor.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_REAL_MS + 200));

  // A cursor at now, then 10 000 changes after it (bulk-written feed items, as the writes' transactions put them).
  const { nextCursor: cursor } = await get('/changes');
  await new Promise((resolve) => setTimeout(resolve, SETTLE_REAL_MS + 200));
  const puts = Array.from({ length: CHANGES }, (_, i) => {
    const put = changePut({
      type: i % 2 ? 'complaint' : 'interaction',
      id: `01JBENCHFEED${String(i).padStart(14, '0')}`,
      version: 1,
      changedAt: ports().clock.now().toISOString(),
    }) as { Put: { Item: Record<string, unknown> } };
    return { PutRequest: { Item: put.Put.Item } };
  });
  for (let i = 0; i < puts.length; i += 25) {
    let pending: unknown[] | undefined = puts.slice(i, i + 25);
    while (pending?.length) {
      const result: { UnprocessedItems?: Record<string, unknown[]> } = await dynamo().send(
        new BatchWriteCommand({ RequestItems: { [tableName(MAIN_TABLE)]: pending as never } }),
      );
      pending = result.UnprocessedItems?.[tableName(MAIN_TABLE)];
    }
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_REAL_MS + 200));

  const poll = async (since: string) => {
    take();
    const started = performance.now();
    let items = 0;
    let calls = 0;
    let at = since;
    for (;;) {
      const page = await get(`/changes?since=${encodeURIComponent(at)}&limit=1000`);
      calls += 1;
      items += page.items.length;
      at = page.nextCursor;
      if (page.items.length < 1000) break;
    }
    const ms = performance.now() - started;
    return { calls, items, ms, ...take(), cursor: at };
  };
  const full = await poll(cursor);
  const empty = await poll(full.cursor);

  const rows = [
    {
      poll: 'empty (nothing changed: baseline)',
      'HTTP requests': empty.calls,
      'DynamoDB queries': empty.queries,
      items: empty.items,
      ms: Math.round(empty.ms),
      'vs baseline': ratio(1),
    },
    {
      poll: `${CHANGES.toLocaleString('en')} changes, limit=1000`,
      'HTTP requests': full.calls,
      'DynamoDB queries': full.queries,
      items: full.items,
      ms: Math.round(full.ms),
      'vs baseline': ratio(full.ms / Math.max(empty.ms, 0.001)),
    },
  ];
  const text = [
    '## changes',
    '',
    'Cost per change: the WCU of one interaction-sized record (~1 KB) written in a transaction, alone and with its feed item, and of the feed item alone as a PutItem (same run; transactions priced item by item, bench/capacity.ts).',
    '',
    table([
      { write: 'record alone (baseline)', WCU: alone.toFixed(2) },
      { write: 'record + change item', WCU: withChange.toFixed(2) },
      { write: 'the change item alone, PutItem', WCU: itemAlone.toFixed(2) },
    ]),
    '',
    `A poll after ${CHANGES.toLocaleString('en')} changes, page by page at limit=1000 until caught up, against an empty poll in the same run:`,
    '',
    table(rows),
  ].join('\n');
  const pages = Math.floor(CHANGES / 1000) + 1;
  return {
    text,
    rows: [
      {
        figure: '`/changes`: WCU a change adds to its record’s transaction',
        value: `${(withChange - alone).toFixed(2)} WCU`,
        target: 'printed, no target',
        met: null,
        note: `record alone ${alone.toFixed(2)}, with the item ${withChange.toFixed(2)}; the item alone as a PutItem ${itemAlone.toFixed(2)}`,
      },
      {
        figure: '`/changes`: a live queue refresh with nothing changed',
        value: `${empty.calls} call, ${empty.queries} Queries, ${Math.round(empty.ms)} ms`,
        target: 'one small call',
        met: empty.calls === 1 && empty.items === 0,
      },
      {
        figure: `\`/changes\`: a poll after ${CHANGES.toLocaleString('en')} changes (limit=1000)`,
        value: `${full.calls} calls, ${full.items.toLocaleString('en')} items, ${full.queries} Queries`,
        target: `each change once, ${pages} calls`,
        met: full.items === CHANGES && full.calls === pages,
        note: `${ratio(full.ms / Math.max(empty.ms, 0.001))} the empty poll's time`,
      },
    ],
  };
}
