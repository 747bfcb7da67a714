/**
 * The bench's write-capacity meter (bench/capacity.ts): DynamoDB's item-size rules, and each item of
 * a transaction priced as DynamoDB Local prices that item in a transaction of its own.
 */
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexWrites, itemBytes, meterCapacity, valueBytes } from '../../bench/capacity.js';
import { dynamo } from '../../shared/store/client.js';
import { MAIN_TABLE, tableName } from '../../shared/store/table.js';
import { useTestTables } from '../support/dynamo.js';

describe('item sizes (DynamoDB Developer Guide rules)', () => {
  it('counts names and values: strings in UTF-8 bytes, numbers by significant digits, containers with overhead', () => {
    expect(valueBytes({ S: 'abc' })).toBe(3);
    expect(valueBytes({ S: '投诉' })).toBe(6);
    expect(valueBytes({ N: '7' })).toBe(2);
    expect(valueBytes({ N: '123456' })).toBe(4);
    expect(valueBytes({ N: '-1200.50' })).toBe(4);
    expect(valueBytes({ BOOL: true })).toBe(1);
    expect(valueBytes({ NULL: true })).toBe(1);
    expect(valueBytes({ SS: ['a', 'bc'] })).toBe(3);
    expect(valueBytes({ L: [{ S: 'ab' }, { N: '1' }] })).toBe(3 + (1 + 2) + (1 + 2));
    expect(valueBytes({ M: { k: { S: 'v' } } })).toBe(3 + 1 + 1 + 1);
    expect(itemBytes({ pk: { S: 'A#1' }, n: { N: '10' } })).toBe(2 + 3 + 1 + 2);
  });
});

describe('index writes of a change', () => {
  const at = (sk: string) => ({ pk: { S: 'P' }, sk: { S: 'S' }, gsi1pk: { S: 'G' }, gsi1sk: { S: sk } });
  it('none for an unchanged item, one to enter, change or leave an index, two to move in it', () => {
    expect(indexWrites(at('a'), at('a'))).toEqual([]);
    expect(indexWrites(undefined, at('a'))).toEqual(['gsi1']);
    expect(indexWrites(at('a'), { ...at('a'), x: { S: 'changed' } })).toEqual(['gsi1']);
    expect(indexWrites(at('a'), { pk: { S: 'P' }, sk: { S: 'S' } })).toEqual(['gsi1']);
    expect(indexWrites(at('a'), at('b'))).toEqual(['gsi1', 'gsi1']);
  });
});

describe('meterCapacity against DynamoDB Local', () => {
  let meter: ReturnType<typeof meterCapacity>;
  beforeAll(async () => {
    await useTestTables();
    meter = meterCapacity('capacityTestMeter');
  });

  const item = (id: string, bytes: number, indexes: number) => ({
    pk: `CAPTEST#${id}`,
    sk: 'ITEM',
    body: 'x'.repeat(bytes),
    ...Object.fromEntries(
      MAIN_TABLE.indexes.slice(0, indexes).flatMap((index) => [
        [index.partitionKey, `CAPTEST#${index.name}`],
        [index.sortKey, id],
      ]),
    ),
  });
  const transact = (items: Array<Record<string, unknown>>) =>
    dynamo().send(
      new TransactWriteCommand({
        TransactItems: items.map((Item) => ({ Put: { TableName: tableName(MAIN_TABLE), Item } })),
      }),
    );

  it.each([
    [100, 0],
    [100, 3],
    [1500, 0],
    [1500, 2],
    [3000, 4],
  ])(
    'prices a new item (%i B, %i indexes) as DynamoDB Local does a PutItem, plus its table write in a transaction',
    async (bytes, indexes) => {
      meter.take();
      await dynamo().send(
        new PutCommand({ TableName: tableName(MAIN_TABLE), Item: item(`put-${bytes}-${indexes}`, bytes, indexes) }),
      );
      const put = meter.take();
      expect(put.wcu).toBe(put.localWcu);
      await transact([item(`one-${bytes}-${indexes}`, bytes, indexes)]);
      const [priced] = meter.lastTransaction();
      const kb = Math.ceil((priced?.bytes ?? 0) / 1024);
      expect(kb).toBeGreaterThanOrEqual(Math.ceil(bytes / 1024));
      expect(put.wcu).toBe(kb * (1 + indexes));
      expect(meter.take().wcu).toBe(put.wcu + kb);
    },
  );

  it('prices a transaction as the sum of its items, each priced alone', async () => {
    const shapes: Array<[number, number]> = [
      [100, 0],
      [100, 0],
      [100, 1],
      [1500, 0],
      [100, 4],
    ];
    const alone: number[] = [];
    for (const [i, [bytes, indexes]] of shapes.entries()) {
      meter.take();
      await transact([item(`alone-${i}`, bytes, indexes)]);
      alone.push(meter.take().wcu);
    }
    meter.take();
    await transact(shapes.map(([bytes, indexes], i) => item(`together-${i}`, bytes, indexes)));
    const together = meter.take();
    expect(together.wcu).toBe(alone.reduce((sum, w) => sum + w, 0));
    expect(meter.lastTransaction().map((p) => [p.operation, p.indexes.length])).toEqual(
      shapes.map(([, indexes]) => ['Put', indexes]),
    );
  });

  it('prices an update from the item before and after it: an unchanged item writes no index entry', async () => {
    await transact([item('upd', 100, 2)]);
    const update = (value: string) =>
      dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(MAIN_TABLE),
                Key: { pk: 'CAPTEST#upd', sk: 'ITEM' },
                UpdateExpression: 'SET note = :v',
                ExpressionAttributeValues: { ':v': value },
              },
            },
          ],
        }),
      );
    meter.take();
    await update('first');
    expect(meter.take().wcu).toBe(2 + 2);
    await update('first');
    expect(meter.take().wcu).toBe(2);
  });
});
