/**
 * Items stored before the customer indexes existed (suggestions, a board suggestion left with a
 * phone, follow-up tasks, complaint-watch items) are out of erasure's reach; the operator's
 * backfill puts the index keys on them, after which erasure reaches them. DynamoDB Local: the
 * "old" items are written by today's code, then their index keys removed, as they were stored then.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { eraseCustomer, saveCustomer } from '../../../functions/customers/service.js';
import { recordSuggestion } from '../../../functions/improvements/service.js';
import { backfillCustomerIndexes } from '../../../infra/ops/backfill-customer-indexes.js';
import type { Actor } from '../../../shared/domain/access.js';
import { dynamo } from '../../../shared/store/client.js';
import { complaintWatchItem } from '../../../shared/store/complaint-watch.js';
import { dynamoFollowUpStore } from '../../../shared/store/followups.js';
import { complaintWatchKeys, EntityType, followUpKeys, suggestionKeys } from '../../../shared/store/keys.js';
import { MAIN_TABLE, tableName } from '../../../shared/store/table.js';
import { aCustomer } from '../../support/builders/surveys.js';
import { useTestTables } from '../../support/dynamo.js';

const admin: Actor = { id: 'admin-1', roles: ['admin'] };
const now = new Date('2026-11-10T02:00:00Z');
const PHONE = '+8613712345678';
const WORDS = '李雷说门店店员态度很差，请回电 13712345678';
const table = () => tableName(MAIN_TABLE);

const get = async (key: { pk: string; sk: string }) =>
  (await dynamo().send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }))).Item;

/** Takes the index keys off an item, as it was stored before the index existed. */
async function asStoredBefore(key: { pk: string; sk: string }, index: 'gsi1' | 'gsi4') {
  await dynamo().send(
    new UpdateCommand({ TableName: table(), Key: key, UpdateExpression: `REMOVE ${index}pk, ${index}sk` }),
  );
}

let keys: Record<'suggestion' | 'boardSuggestion' | 'task' | 'watch', { pk: string; sk: string }>;

beforeAll(async () => {
  await useTestTables();
  await saveCustomer('C-legacy', aCustomer({ phone: PHONE, name: '李雷' }), admin, now);
  const suggestion = await recordSuggestion({ text: WORDS, customerId: 'C-legacy' }, admin, now);
  const board = await recordSuggestion({ text: WORDS, contact: '137 1234 5678' }, admin, now);
  await dynamoFollowUpStore.scheduleTask(
    { id: 'legacy-task', kind: 'survey_invitation', customerId: 'C-legacy', surveyId: 'S-1', dueAt: now.toISOString() },
    now,
  );
  const watch = complaintWatchItem('product', 'C-legacy', now.toISOString()).Put!;
  await dynamo().send(new PutCommand({ TableName: watch.TableName, Item: watch.Item }));
  keys = {
    suggestion: suggestionKeys.item(suggestion.id),
    boardSuggestion: suggestionKeys.item(board.id),
    task: followUpKeys.task('legacy-task'),
    watch: complaintWatchKeys.watcher('product', '2026-11', 'C-legacy'),
  };
  await asStoredBefore(keys.suggestion, 'gsi4');
  await asStoredBefore(keys.boardSuggestion, 'gsi4');
  await asStoredBefore(keys.task, 'gsi1');
  await asStoredBefore(keys.watch, 'gsi1');
});

describe('backfillCustomerIndexes', () => {
  it('finds the items without their customer index (a dry run changes nothing)', async () => {
    const dry = await backfillCustomerIndexes({ dryRun: true, segments: 3 });
    expect(dry.missing).toEqual({
      [EntityType.suggestion]: 2,
      [EntityType.followUp]: 1,
      [EntityType.complaintWatch]: 1,
    });
    expect(dry.updated).toEqual({});
    expect((await get(keys.suggestion))?.gsi4pk).toBeUndefined();
  });

  it('puts the keys today’s code writes on them, once (a second run finds nothing left)', async () => {
    const run = await backfillCustomerIndexes({ segments: 3 });
    expect(run.updated).toEqual({
      [EntityType.suggestion]: 2,
      [EntityType.followUp]: 1,
      [EntityType.complaintWatch]: 1,
    });
    expect(await get(keys.suggestion)).toMatchObject({ gsi4pk: 'CUSTOMER#C-legacy' });
    expect((await get(keys.boardSuggestion))?.gsi4pk).toMatch(/^CONTACT#/);
    expect(await get(keys.task)).toMatchObject({ gsi1pk: 'CUSTOMER#C-legacy' });
    expect(await get(keys.watch)).toMatchObject({ gsi1pk: 'CUSTOMER#C-legacy', gsi1sk: 'WATCH#product#2026-11' });
    const again = await backfillCustomerIndexes({ segments: 2 });
    expect(again).toMatchObject({ missing: {}, updated: {} });
  });

  it('lets erasure reach them afterwards', async () => {
    await eraseCustomer('C-legacy', admin, now);
    for (const key of [keys.suggestion, keys.boardSuggestion]) {
      const text = JSON.stringify((await get(key)) ?? {});
      expect(text).not.toContain('李雷');
      expect(text).not.toContain('13712345678');
    }
    expect(await get(keys.task)).toBeUndefined();
    expect(await get(keys.watch)).toBeUndefined();
  });
});
