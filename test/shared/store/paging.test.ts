/** queryPartitions against DynamoDB Local: a read budget bounds what one filtered page reads, and the cursor goes on. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePorts } from '../../../shared/ports.js';
import { staticSigningKeys } from '../../../shared/secrets/survey-signing-key.js';
import { dynamo } from '../../../shared/store/client.js';
import { queryPartitions } from '../../../shared/store/paging.js';
import { MAIN_TABLE, tableName } from '../../../shared/store/table.js';
import { useTestTables } from '../../support/dynamo.js';

beforeAll(async () => {
  await useTestTables();
  usePorts({ signingKeys: staticSigningKeys('paging-test-key-0123456789abcdef') });
  for (let n = 0; n < 40; n += 1)
    await dynamo().send(
      new PutCommand({
        TableName: tableName(MAIN_TABLE),
        Item: { pk: 'PAGING', sk: `ITEM#${String(n).padStart(2, '0')}`, n, pick: n % 10 === 0 },
      }),
    );
});

describe('queryPartitions with a read budget', () => {
  it('stops after the budget with fewer items and a cursor; following cursors returns every match once', async () => {
    const query = [
      {
        partitionKey: 'PAGING',
        filter: { expression: '#pick = :yes', names: { '#pick': 'pick' }, values: { ':yes': true } },
      },
    ];
    const first = await queryPartitions<{ n: number }>(query, { limit: 10, maxRead: 15 });
    // 4 matches exist (0, 10, 20, 30); the budget of 15 reads lets the first page see at most 20 items.
    expect(first.items.length).toBeLessThan(4);
    expect(first.nextCursor).not.toBeNull();
    const found = [...first.items];
    let cursor = first.nextCursor;
    let pages = 1;
    while (cursor) {
      const page = await queryPartitions<{ n: number }>(query, { limit: 10, maxRead: 15, cursor });
      found.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    }
    expect(found.map((item) => item.n)).toEqual([0, 10, 20, 30]);
    expect(pages).toBeGreaterThan(1);
    // Without a budget one call reads on until the page is full or the partition ends.
    const unbounded = await queryPartitions<{ n: number }>(query, { limit: 10 });
    expect(unbounded.items.map((item) => item.n)).toEqual([0, 10, 20, 30]);
  });
});

describe('queryPartitions with a partition budget', () => {
  it('queries at most that many partitions a call over a sparse range, and the cursor finds what lies beyond', async () => {
    // 250 day partitions, all empty but the last: one call must not walk them all.
    const days = Array.from({ length: 250 }, (_, i) => ({ partitionKey: `PAGING-DAY#${i}` }));
    await dynamo().send(
      new PutCommand({ TableName: tableName(MAIN_TABLE), Item: { pk: 'PAGING-DAY#249', sk: 'ONLY', n: 249 } }),
    );
    let queries = 0;
    const counter = (next: any) => async (args: any) => {
      if (args.input?.KeyConditionExpression) queries += 1;
      return next(args);
    };
    dynamo().middlewareStack.add(counter, { step: 'initialize', name: 'pagingQueryCounter' });
    try {
      const perCall: number[] = [];
      const found: number[] = [];
      let cursor: string | null | undefined;
      do {
        const before = queries;
        const page = await queryPartitions<{ n: number }>(days, {
          limit: 25,
          maxQueries: 100,
          cursor: cursor ?? undefined,
        });
        perCall.push(queries - before);
        found.push(...page.items.map((item) => item.n));
        cursor = page.nextCursor;
      } while (cursor);
      expect(found).toEqual([249]);
      expect(perCall).toEqual([100, 100, 50]);
    } finally {
      dynamo().middlewareStack.remove('pagingQueryCounter');
    }
  });
});
