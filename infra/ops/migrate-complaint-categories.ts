/**
 * One-off operator migration: complaints stored before the managed category list (issue 24) name
 * free slugs ("delivery", "shipping", "billing"…). This maps each stored slug that is not a code
 * of the list to its code (shared/domain/categories.ts `LEGACY_SLUGS`, else `other`) on:
 *  - complaints: `category` is rewritten (recurrence and lists then compare codes);
 *  - complaint-watch items (who complained about a category, per month): moved to the code's
 *    partition, so a verified improvement on the code reaches them.
 * KPI counters are not rewritten: figures fold a legacy slug's counters into its code when read.
 *
 * It reads the main table with a paginated parallel Scan — an operator tool run once after
 * upgrading, never a request or job path. Every write is conditional on the item still naming the
 * old slug, so a run is safe to repeat, to interrupt, and to run beside live traffic; a second run
 * finds nothing left.
 *
 *   TABLE_NAME=<stack output TableName> AWS_REGION=<region> npm run migrate:complaint-categories -- --dry-run
 *   TABLE_NAME=<stack output TableName> AWS_REGION=<region> npm run migrate:complaint-categories
 *   (-- --segments 8 for more parallel Scan segments)
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { codeForSlug } from '../../shared/domain/categories.js';
import { dynamoCategoryStore } from '../../shared/store/categories.js';
import { dynamo } from '../../shared/store/client.js';
import { complaintWatchItem } from '../../shared/store/complaint-watch.js';
import { complaintWatchKeys, EntityType } from '../../shared/store/keys.js';
import { MAIN_TABLE, tableName } from '../../shared/store/table.js';

type Item = Record<string, unknown>;

export interface CategoryMigrationResult {
  /** Items the Scan read (the whole table). */
  scanned: number;
  /** Every stored slug that is not a code, the code it maps to, and how many items name it. */
  slugs: Record<string, { to: string; complaints: number; watches: number }>;
  /** Items rewritten now (0 on a dry run). */
  updated: { complaints: number; watches: number };
}

/** Runs the migration over every segment of a parallel Scan; returns what it found and did. */
export async function migrateComplaintCategories(
  options: { segments?: number; dryRun?: boolean; log?: (line: string) => void } = {},
): Promise<CategoryMigrationResult> {
  const segments = options.segments ?? 4;
  const table = tableName(MAIN_TABLE);
  const codes = new Set((await dynamoCategoryStore.list()).map((c) => c.code));
  const codeValues = Object.fromEntries([...codes].map((code, i) => [`:c${i}`, code]));
  const result: CategoryMigrationResult = { scanned: 0, slugs: {}, updated: { complaints: 0, watches: 0 } };
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let startKey: Item | undefined;
      do {
        const page = await dynamo().send(
          new ScanCommand({
            TableName: table,
            Segment: segment,
            TotalSegments: segments,
            // Only complaints and watch items whose category is not a code of the list.
            FilterExpression: `#type IN (:complaint, :watch) AND attribute_exists(#category) AND NOT (#category IN (${Object.keys(codeValues).join(', ')}))`,
            ExpressionAttributeNames: { '#type': 'type', '#category': 'category' },
            ExpressionAttributeValues: {
              ':complaint': EntityType.complaint,
              ':watch': EntityType.complaintWatch,
              ...codeValues,
            },
            ExclusiveStartKey: startKey,
            Limit: 500,
          }),
        );
        result.scanned += page.ScannedCount ?? 0;
        for (const item of page.Items ?? []) {
          const slug = String(item.category);
          const to = codeForSlug(slug, codes);
          const isComplaint = item.type === EntityType.complaint;
          const tally = (result.slugs[slug] ??= { to, complaints: 0, watches: 0 });
          if (isComplaint) tally.complaints += 1;
          else tally.watches += 1;
          if (options.dryRun) continue;
          if (await (isComplaint ? rewriteComplaint(table, item, to) : moveWatch(table, item, to))) {
            if (isComplaint) result.updated.complaints += 1;
            else result.updated.watches += 1;
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      options.log?.(`segment ${segment + 1}/${segments} done`);
    }),
  );
  return result;
}

/** Sets the complaint's code, if it still names the slug (else someone changed it meanwhile: nothing to do). */
async function rewriteComplaint(table: string, item: Item, to: string): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET #category = :to, #migratedFrom = :from',
        ConditionExpression: 'attribute_exists(pk) AND #category = :from',
        ExpressionAttributeNames: { '#category': 'category', '#migratedFrom': 'categoryMigratedFrom' },
        ExpressionAttributeValues: { ':to': to, ':from': item.category },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Moves a watch item to the code's partition (one transaction: the new item in, the old one out). */
async function moveWatch(table: string, item: Item, to: string): Promise<boolean> {
  const customerId = complaintWatchKeys.customerOf(String(item.sk));
  const month = String(item.pk).split('#').at(-1) ?? '';
  const lastComplaintAt = typeof item.lastComplaintAt === 'string' ? item.lastComplaintAt : `${month}-01T00:00:00.000Z`;
  const { Put: put } = complaintWatchItem(to, customerId, lastComplaintAt);
  if (!put) throw new Error('complaintWatchItem builds a Put');
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          // The month stays the watch's own (lastComplaintAt may be absent on very old items).
          {
            Put: {
              ...put,
              Item: {
                ...put.Item,
                ...complaintWatchKeys.watcher(to, month, customerId),
                ...complaintWatchKeys.byCustomer(customerId, to, month),
              },
            },
          },
          {
            Delete: {
              TableName: table,
              Key: { pk: item.pk, sk: item.sk },
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}

/** `npm run migrate:complaint-categories [-- --dry-run] [-- --segments N]` */
async function main(argv: string[]): Promise<void> {
  if (!process.env[MAIN_TABLE.envVar]) {
    console.error(`Set ${MAIN_TABLE.envVar} to the main table's name (the stack output TableName), and AWS_REGION.`);
    process.exit(2);
  }
  const at = argv.indexOf('--segments');
  const segments = at >= 0 ? Number(argv[at + 1]) : 4;
  if (!Number.isInteger(segments) || segments < 1 || segments > 64) throw new Error('--segments must be 1–64');
  const dryRun = argv.includes('--dry-run');
  const result = await migrateComplaintCategories({ segments, dryRun, log: (line) => console.log(line) });
  console.log(JSON.stringify({ table: tableName(MAIN_TABLE), dryRun, ...result }, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
