/**
 * POST /interactions against the local runtime beside the TransactWriteItems it wraps, on the
 * same DynamoDB Local: the very transaction the store writes for such a contact (the record and its
 * counter cells, built by the same code, only its time not counted) is the baseline (issue 26:
 * ≤ 1.3×), and with an Idempotency-Key beside without (≤ 1.15× on top); a two-item record + counter
 * transaction and a bare PutItem for scale. Beside them, no target: the one read the endpoint makes
 * besides its transaction (the customer's paused complaints, which a contact resumes) and the two
 * together as the endpoint runs them, so the run shows what of the ratio is the store's work and
 * what is HTTP, auth, validation and the answer. The operations are measured in turns (one of each
 * per round), so a load change on the shared machine hits them alike. Then throughput at concurrency 16.
 */
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { newInteraction } from '../functions/interactions/service.js';
import type { LocalRuntime } from '../infra/local/runtime.js';
import { defined } from '../shared/domain/errors.js';
import type { CreateInteractionBody } from '../shared/schemas/interactions.js';
import { dynamo } from '../shared/store/client.js';
import { dynamoComplaintStore } from '../shared/store/complaints.js';
import { countCustomerItems } from '../shared/store/customers.js';
import { dynamoInteractionStore } from '../shared/store/interactions.js';
import { dynamoSettingsStore } from '../shared/store/settings.js';
import { MAIN_TABLE, tableName } from '../shared/store/table.js';
import { ms, pool, quantile, ratio, table } from './stats.js';
import type { Section } from './summary.js';

export const TARGET_CREATE_VS_TRANSACTION = 1.3;
export const TARGET_IDEMPOTENCY_KEY = 1.15;

const body = (customerId: string, i: number) =>
  JSON.stringify({
    customerId,
    channel: 'chat',
    complexity: 'simple',
    team: 'online',
    category: 'billing',
    startedAt: new Date(Date.UTC(2026, 9, 1 + (i % 28), 2, 0, i % 60)).toISOString(),
    firstResponseAt: new Date(Date.UTC(2026, 9, 1 + (i % 28), 2, 0, (i % 60) + 1)).toISOString(),
  });

export async function benchApi(runtime: LocalRuntime, samples = 400): Promise<Section> {
  const token = await runtime.token('bench', ['agent']);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const post = async (customerId: string, i: number, extra: Record<string, string> = {}) => {
    const response = await fetch(`${runtime.url}/interactions`, {
      method: 'POST',
      headers: { ...headers, ...extra },
      body: body(customerId, i),
    });
    await response.arrayBuffer();
    return response.status;
  };

  // Warm up both paths (JIT, connection pools, first DynamoDB Local compilation).
  for (let i = 0; i < 50; i += 1) {
    await post('C-warm', i);
    await dynamo().send(
      new PutCommand({
        TableName: tableName(MAIN_TABLE),
        Item: { pk: `BENCH#warm${i}`, sk: 'X', payload: body('C', i) },
      }),
    );
  }

  const putOnce = async (i: number) => {
    await dynamo().send(
      new PutCommand({ TableName: tableName(MAIN_TABLE), Item: { pk: `BENCH#${i}`, sk: 'X', payload: body('C', i) } }),
    );
  };
  // The transaction POST /interactions wraps, built beforehand by the same code (the record as the
  // endpoint stores it for this caller, its counter cells and any task), so only the write is timed.
  const { settings } = await dynamoSettingsStore.current();
  const benchActor = { id: 'bench', roles: ['agent' as const] };
  const records = Array.from({ length: samples }, (_, i) =>
    newInteraction(
      JSON.parse(body('C-baseline', i)) as CreateInteractionBody,
      benchActor,
      new Date(Date.UTC(2026, 9, 1 + (i % 28), 3)),
      settings,
    ),
  );
  const storeTransactionOnce = async (i: number) => {
    const { record, alsoWrite } = defined(records[i], `bench record ${i}`);
    await dynamoInteractionStore.create(record, alsoWrite);
  };
  // The store's work of one POST as the endpoint runs it: the transaction and, beside it, the read of
  // the customer's paused complaints (functions/interactions/service.ts recordInteraction).
  const storeRecords = Array.from({ length: samples }, (_, i) =>
    newInteraction(
      JSON.parse(body('C-store-work', i)) as CreateInteractionBody,
      benchActor,
      new Date(Date.UTC(2026, 9, 1 + (i % 28), 3)),
      settings,
    ),
  );
  const storeWorkOnce = async (i: number) => {
    const { record, alsoWrite } = defined(storeRecords[i], `bench record ${i}`);
    await Promise.all([
      dynamoInteractionStore.create(record, alsoWrite),
      dynamoComplaintStore.pausedOfCustomer(record.customerId),
    ]);
  };
  const pausedReadOnce = async () => {
    await dynamoComplaintStore.pausedOfCustomer('C-latency');
  };
  // A smaller one: a record and one counter cell.
  const transactionOnce = async (i: number) => {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(MAIN_TABLE),
              Item: { pk: `BENCH#tx${i}`, sk: 'X', payload: body('C', i) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName(MAIN_TABLE),
              Key: { pk: 'BENCH#cell', sk: String(i % 24) },
              UpdateExpression: 'ADD interactions :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }),
    );
  };
  const createOnce = async (i: number) => {
    if ((await post('C-latency', i)) !== 201) throw new Error('POST /interactions failed');
  };
  const createIdempotentOnce = async (i: number) => {
    if ((await post('C-latency-key', i, { 'idempotency-key': `bench-${i}` })) !== 201)
      throw new Error('POST /interactions failed');
  };
  const operations = [
    putOnce,
    transactionOnce,
    storeTransactionOnce,
    createOnce,
    createIdempotentOnce,
    pausedReadOnce,
    storeWorkOnce,
  ].map((run) => ({
    run,
    taken: [] as number[],
  }));
  for (let i = 0; i < samples; i += 1) {
    // A different order each round (round i starts at operation i mod n), so no operation always follows the same one.
    const start = i % operations.length;
    for (const { run, taken } of [...operations.slice(start), ...operations.slice(0, start)]) {
      const started = performance.now();
      await run(i);
      taken.push(performance.now() - started);
    }
  }
  const timings = operations.map(({ taken }) => taken);
  const [put, small, transaction, create, createIdempotent, pausedRead, storeWork] = timings as [
    number[],
    number[],
    number[],
    number[],
    number[],
    number[],
    number[],
  ];

  // Throughput: 16 clients, every request must succeed and every accepted one must be stored.
  const total = 2000;
  let accepted = 0;
  let errors = 0;
  const started = performance.now();
  await pool(total, 16, async (i) => {
    const status = await post('C-throughput', i).catch(() => 0);
    if (status === 201) accepted += 1;
    else errors += 1;
  });
  const seconds = (performance.now() - started) / 1000;
  const stored = await countCustomerItems('C-throughput');

  const p50 = (values: number[]) => quantile(values, 0.5);
  const txP50 = p50(transaction);
  const createRatio = p50(create) / txP50;
  const keyRatio = p50(createIdempotent) / p50(create);
  const overStoreWork = p50(create) / p50(storeWork);
  /** One operation's row: its p50, p99 and p50 beside the transaction's. */
  const row = (operation: string, times: number[], target = '') => ({
    operation,
    p50: ms(p50(times)),
    p99: ms(quantile(times, 0.99)),
    'p50 vs transaction': ratio(p50(times) / txP50),
    target,
  });
  const mark = (value: number, target: number) => `${ratio(value)} ${value <= target ? '✓' : '✗'}`;
  const text = [
    `### POST /interactions vs the TransactWriteItems it wraps (${samples} rounds, the ${operations.length} operations in turns)`,
    `- Targets: POST /interactions p50 ≤ ${TARGET_CREATE_VS_TRANSACTION}× the transaction it wraps (the record and its counter cells, as the store writes them); an Idempotency-Key ≤ ${TARGET_IDEMPOTENCY_KEY}× on top of POST /interactions without one.`,
    table([
      row('PutItem on DynamoDB Local (scale)', put),
      row('TransactWriteItems: a small record + one counter cell (scale)', small),
      row('TransactWriteItems POST /interactions wraps (baseline)', transaction),
      row(
        'POST /interactions',
        create,
        `≤ ${TARGET_CREATE_VS_TRANSACTION}×: ${mark(createRatio, TARGET_CREATE_VS_TRANSACTION)}`,
      ),
      row(
        'POST /interactions + Idempotency-Key',
        createIdempotent,
        `≤ ${TARGET_IDEMPOTENCY_KEY}× POST without key: ${mark(keyRatio, TARGET_IDEMPOTENCY_KEY)}`,
      ),
      row("Query: the customer's paused complaints (the one read of POST /interactions)", pausedRead),
      row('the transaction ∥ that read (the store work of one POST)', storeWork),
    ]),
    `POST /interactions ÷ its store work (transaction ∥ read): ${ratio(overStoreWork)} — the HTTP, auth, validation, building and answer. On DynamoDB Local the read beside the transaction adds its own time (the two do not overlap there: transaction ∥ read ≈ transaction + read); on DynamoDB it runs beside the transaction.`,
    '',
    `### Throughput at concurrency 16 (${total} requests)`,
    table([
      {
        'requests/s': (total / seconds).toFixed(0),
        accepted,
        errors,
        stored,
        'stored = accepted': stored === accepted ? 'yes' : 'NO',
      },
    ]),
  ].join('\n');
  return {
    text,
    rows: [
      {
        figure: 'POST /interactions ÷ the TransactWriteItems it wraps (p50)',
        value: ratio(createRatio),
        target: `≤ ${TARGET_CREATE_VS_TRANSACTION}×`,
        met: createRatio <= TARGET_CREATE_VS_TRANSACTION,
        note: `${ms(p50(create))} ÷ ${ms(txP50)}, ${samples} rounds in turns`,
      },
      {
        figure: '+ Idempotency-Key, ÷ POST /interactions without (p50)',
        value: ratio(keyRatio),
        target: `≤ ${TARGET_IDEMPOTENCY_KEY}×`,
        met: keyRatio <= TARGET_IDEMPOTENCY_KEY,
        note: `${ms(p50(createIdempotent))} ÷ ${ms(p50(create))}`,
      },
      {
        figure: 'POST /interactions ÷ its store work (transaction ∥ paused-complaints read, p50)',
        value: ratio(overStoreWork),
        target: 'printed, no target',
        met: null,
        note: `${ms(p50(create))} ÷ ${ms(p50(storeWork))}; the read alone ${ms(p50(pausedRead))}`,
      },
    ],
  };
}
