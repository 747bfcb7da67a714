/**
 * POST /interactions against the local runtime beside a bare PutItem on the same
 * DynamoDB Local (the baseline, measured in the same run), and throughput at concurrency 16.
 */
import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalRuntime } from '../infra/local/runtime.js';
import { dynamo } from '../shared/store/client.js';
import { MAIN_TABLE, tableName } from '../shared/store/table.js';
import { ms, pool, quantile, ratio, table, timeEach } from './stats.js';

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

export async function benchApi(runtime: LocalRuntime, samples = 400): Promise<string> {
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

  const put = await timeEach(samples, async (i) => {
    await dynamo().send(
      new PutCommand({ TableName: tableName(MAIN_TABLE), Item: { pk: `BENCH#${i}`, sk: 'X', payload: body('C', i) } }),
    );
  });
  // What the endpoint must write: the record and its KPI counter cell, in one transaction.
  const transaction = await timeEach(samples, async (i) => {
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
  });
  const create = await timeEach(samples, async (i) => {
    if ((await post('C-latency', i)) !== 201) throw new Error('POST /interactions failed');
  });
  const createIdempotent = await timeEach(samples, async (i) => {
    if ((await post('C-latency-key', i, { 'idempotency-key': `bench-${i}` })) !== 201)
      throw new Error('POST /interactions failed');
  });

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
  let stored = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: tableName(MAIN_TABLE),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'CUSTOMER#C-throughput' },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    stored += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  const p50 = quantile(put, 0.5);
  return [
    `### POST /interactions vs a bare PutItem (${samples} sequential requests each)`,
    table([
      {
        operation: 'PutItem on DynamoDB Local (baseline)',
        p50: ms(p50),
        p99: ms(quantile(put, 0.99)),
        'p50 ratio': ratio(1),
      },
      {
        operation: 'TransactWriteItems: record + counter cell',
        p50: ms(quantile(transaction, 0.5)),
        p99: ms(quantile(transaction, 0.99)),
        'p50 ratio': ratio(quantile(transaction, 0.5) / p50),
      },
      {
        operation: 'POST /interactions',
        p50: ms(quantile(create, 0.5)),
        p99: ms(quantile(create, 0.99)),
        'p50 ratio': ratio(quantile(create, 0.5) / p50),
      },
      {
        operation: 'POST /interactions + Idempotency-Key',
        p50: ms(quantile(createIdempotent, 0.5)),
        p99: ms(quantile(createIdempotent, 0.99)),
        'p50 ratio': ratio(quantile(createIdempotent, 0.5) / p50),
      },
    ]),
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
}
