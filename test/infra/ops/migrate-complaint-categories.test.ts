/**
 * Complaints stored before the managed category list carry free slugs; the operator's migration
 * maps them to codes (dry run lists, run writes, a second run changes nothing), after which
 * recurrence, lists and the watch of a category read codes. DynamoDB Local: the "old" complaints
 * are stored by today's store with a free slug, as registration stored them then.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateComplaintCategories } from '../../../infra/ops/migrate-complaint-categories.js';
import { dynamo } from '../../../shared/store/client.js';
import { complaintWatchItem, dynamoComplaintWatchStore } from '../../../shared/store/complaint-watch.js';
import { dynamoComplaintStore as store } from '../../../shared/store/complaints.js';
import { complaintWatchKeys } from '../../../shared/store/keys.js';
import { aComplaint } from '../../support/builders/complaints.js';
import { useTestTables } from '../../support/dynamo.js';

const at = '2026-10-05T02:00:00.000Z';
const stored = async (category: string, customerId: string) => {
  const complaint = aComplaint({ category, customerId }, { at: new Date(at) });
  await store.create(
    complaint,
    [{ at, type: 'registered', actor: 'agent-7', detail: {} }],
    [complaintWatchItem(category, customerId, at)],
  );
  return complaint;
};

let ids: Record<string, string>;
beforeAll(async () => {
  await useTestTables();
  ids = {
    delivery: (await stored('delivery', 'C-m1')).id,
    shipping: (await stored('shipping', 'C-m2')).id,
    billing: (await stored('billing', 'C-m3')).id,
    odd: (await stored('misc-stuff', 'C-m4')).id,
    code: (await stored('quality', 'C-m5')).id,
  };
});

const category = async (id: string) => (await store.get(id))?.category;

describe('migrateComplaintCategories', () => {
  it('lists every stored free slug with the code it becomes, and a dry run writes nothing', async () => {
    const dry = await migrateComplaintCategories({ dryRun: true, segments: 3 });
    expect(dry.slugs).toEqual({
      delivery: { to: 'logistics', complaints: 1, watches: 1 },
      shipping: { to: 'logistics', complaints: 1, watches: 1 },
      billing: { to: 'price_billing', complaints: 1, watches: 1 },
      'misc-stuff': { to: 'other', complaints: 1, watches: 1 },
    });
    expect(dry.updated).toEqual({ complaints: 0, watches: 0 });
    expect(await category(ids.delivery!)).toBe('delivery');
  });

  it('writes the codes (complaints and watch items), and a second run finds nothing left', async () => {
    const run = await migrateComplaintCategories({ segments: 2 });
    expect(run.updated).toEqual({ complaints: 4, watches: 4 });
    expect(await category(ids.delivery!)).toBe('logistics');
    expect(await category(ids.shipping!)).toBe('logistics');
    expect(await category(ids.billing!)).toBe('price_billing');
    expect(await category(ids.odd!)).toBe('other');
    expect(await category(ids.code!)).toBe('quality');
    // Whom a verified improvement on `logistics` tells: both customers, from the code's partition.
    expect((await dynamoComplaintWatchStore.complaintWatchers('logistics', '2026-10-31', 1)).sort()).toEqual([
      'C-m1',
      'C-m2',
    ]);
    const old = await dynamo().send(
      new GetCommand({
        TableName: complaintWatchItem('x', 'y', at).Put!.TableName,
        Key: complaintWatchKeys.watcher('delivery', '2026-10', 'C-m1'),
      }),
    );
    expect(old.Item).toBeUndefined();

    const again = await migrateComplaintCategories({ segments: 3 });
    expect(again).toMatchObject({ slugs: {}, updated: { complaints: 0, watches: 0 } });
  });
});
