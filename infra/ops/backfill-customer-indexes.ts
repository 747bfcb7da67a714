/**
 * One-off operator migration: puts the customer-index keys on items stored before those indexes
 * existed, so erasure (which finds a customer's items through them, never by a Scan) reaches them:
 *  - suggestions: gsi4 by customer, or by a fingerprint of the contact left on the board;
 *  - follow-up tasks of a customer: gsi1 (erasure deletes them and their ledger entries);
 *  - complaint-watch items: gsi1 (who complained about a category, per month).
 *
 * It reads the whole main table with a paginated parallel Scan — the one place a Scan is
 * allowed, because this is an operator tool run once per deployment after upgrading, never a
 * request or job path. Each update is conditional (the key still absent, the item still there),
 * so a run is safe to repeat, to interrupt, and to run beside live traffic.
 *
 *   TABLE_NAME=<stack output TableName> AWS_REGION=<region> npm run backfill:customer-indexes
 *   (add -- --dry-run to count only; -- --segments 8 for more parallel Scan segments)
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { contactFingerprint } from '../../shared/domain/personal-data.js';
import { dynamo } from '../../shared/store/client.js';
import { complaintWatchKeys, EntityType, followUpKeys, suggestionKeys } from '../../shared/store/keys.js';
import { MAIN_TABLE, tableName } from '../../shared/store/table.js';

type Item = Record<string, unknown>;

/** The index keys an item of each migrated type should carry, or undefined when it concerns no customer. */
const INDEX_KEYS: Record<string, { attribute: 'gsi1pk' | 'gsi4pk'; keys: (item: Item) => Item | undefined }> = {
  [EntityType.suggestion]: {
    attribute: 'gsi4pk',
    keys: (item) =>
      typeof item.customerId === 'string'
        ? suggestionKeys.byCustomer(item.customerId, String(item.createdAt), String(item.id))
        : typeof item.contact === 'string' && item.contact.trim()
          ? suggestionKeys.byContact(contactFingerprint(item.contact), String(item.createdAt), String(item.id))
          : undefined,
  },
  [EntityType.followUp]: {
    attribute: 'gsi1pk',
    keys: (item) =>
      typeof item.customerId === 'string'
        ? followUpKeys.byCustomer(item.customerId, String(item.createdAt), String(item.id))
        : undefined,
  },
  [EntityType.complaintWatch]: {
    attribute: 'gsi1pk',
    keys: (item) => {
      const month = String(item.pk).split('#').at(-1) ?? '';
      return complaintWatchKeys.byCustomer(
        complaintWatchKeys.customerOf(String(item.sk)),
        String(item.category),
        month,
      );
    },
  },
};

export interface BackfillResult {
  /** Items the Scan read (the whole table). */
  scanned: number;
  /** Items of a migrated type that lacked their customer index, by type. */
  missing: Record<string, number>;
  /** Of those, updated now (0 on a dry run); the rest concern no customer or changed meanwhile. */
  updated: Record<string, number>;
}

/** Runs the migration over every segment of a parallel Scan; returns what it found and did. */
export async function backfillCustomerIndexes(
  options: { segments?: number; dryRun?: boolean; log?: (line: string) => void } = {},
): Promise<BackfillResult> {
  const segments = options.segments ?? 4;
  const result: BackfillResult = { scanned: 0, missing: {}, updated: {} };
  const table = tableName(MAIN_TABLE);
  const types = Object.keys(INDEX_KEYS);
  const values = Object.fromEntries(types.map((type, i) => [`:t${i}`, type]));
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let startKey: Item | undefined;
      do {
        const page = await dynamo().send(
          new ScanCommand({
            TableName: table,
            Segment: segment,
            TotalSegments: segments,
            // Only the migrated types, and only those still without their index key.
            FilterExpression: Object.values(INDEX_KEYS)
              .map(({ attribute }, i) => `(#type = :t${i} AND attribute_not_exists(${attribute}))`)
              .join(' OR '),
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: values,
            ExclusiveStartKey: startKey,
            Limit: 500,
          }),
        );
        result.scanned += page.ScannedCount ?? 0;
        for (const item of page.Items ?? []) {
          const type = String(item.type);
          const declared = INDEX_KEYS[type];
          if (!declared) throw new Error(`the scan filter let through an item of type ${type}`);
          result.missing[type] = (result.missing[type] ?? 0) + 1;
          const keys = declared.keys(item);
          if (!keys || options.dryRun) continue;
          const names = Object.keys(keys);
          try {
            await dynamo().send(
              new UpdateCommand({
                TableName: table,
                Key: { pk: item.pk, sk: item.sk },
                UpdateExpression: `SET ${names.map((_, i) => `#k${i} = :k${i}`).join(', ')}`,
                ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(#k0)`,
                ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#k${i}`, name])),
                ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:k${i}`, keys[name]])),
              }),
            );
            result.updated[type] = (result.updated[type] ?? 0) + 1;
          } catch (error) {
            // Written (with its keys) or deleted since the Scan read it: nothing left to do.
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      options.log?.(`segment ${segment + 1}/${segments} done`);
    }),
  );
  return result;
}

/** `npm run backfill:customer-indexes [-- --dry-run] [-- --segments N]` */
async function main(argv: string[]): Promise<void> {
  if (!process.env[MAIN_TABLE.envVar]) {
    console.error(`Set ${MAIN_TABLE.envVar} to the main table's name (the stack output TableName), and AWS_REGION.`);
    process.exit(2);
  }
  const at = argv.indexOf('--segments');
  const segments = at >= 0 ? Number(argv[at + 1]) : 4;
  if (!Number.isInteger(segments) || segments < 1 || segments > 64) throw new Error('--segments must be 1–64');
  const dryRun = argv.includes('--dry-run');
  const result = await backfillCustomerIndexes({ segments, dryRun, log: (line) => console.log(line) });
  console.log(JSON.stringify({ table: tableName(MAIN_TABLE), dryRun, ...result }, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
