/**
 * Write capacity priced item by item, as DynamoDB prices it, for the bench's cost figures.
 *
 * DynamoDB Local's ReturnConsumedCapacity is right for a single PutItem or UpdateItem (the table
 * write plus one write per index entry, each the item's size rounded up to 1 KB), but not for a
 * TransactWriteItems: it reports the cost of items that look alike once (a transaction of six small
 * items without indexes reports 2 WCU; measured 2026-12-08 with DynamoDB Local 2026-05), and it
 * doubles the index writes of a transaction, which DynamoDB does not: the transactional 2× applies
 * to the table write alone, an index entry costs what it costs outside a transaction, and an index
 * is charged on the change to what it stores (none for an item left as it was, two to move a key).
 * Those rules were measured against DynamoDB itself (eu-west-2, August 2026) by the
 * dynamodb-conformance suite and the emulator dynoxide (github.com/nubo-db/dynoxide, PR #177 and
 * #188). Every multi-item write of this code is a transaction, so the figures here price each item
 * of a transaction by those rules: 2 × its KB (rounded up; the larger of the item before and after)
 * for the table write, plus its KB for each index entry it puts, changes or deletes (a key that
 * moves is two). The item before and after the transaction is read (consistent GetItems, not
 * metered). A ConditionCheck is charged its table write on the item it read.
 */
import {
  type AttributeValue,
  GetItemCommand,
  type TransactWriteItem,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { rawDynamo } from '../shared/store/client.js';
import { MAIN_TABLE } from '../shared/store/table.js';

type Item = Record<string, AttributeValue>;

/** The size DynamoDB gives an attribute value, in bytes (Developer Guide, "Item sizes and formats"). */
export function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS) return value.NS.reduce((sum, n) => sum + numberBytes(n), 0);
  if (value.BS) return value.BS.reduce((sum, b) => sum + b.byteLength, 0);
  // A list or a map: 3 bytes, and 1 byte per element beside the element (and a map's key).
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + valueBytes(v), 0);
  if (value.M)
    return 3 + Object.entries(value.M).reduce((sum, [name, v]) => sum + 1 + Buffer.byteLength(name) + valueBytes(v), 0);
  return 0;
}

/** A number's size: about one byte per two significant digits, plus one. */
function numberBytes(n: string): number {
  const digits = n.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** An item's size in bytes: every attribute's name and value. */
export function itemBytes(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

/** The main table's indexes an item is written to: those whose key attributes it has. */
export function indexesOf(item: Item): string[] {
  return MAIN_TABLE.indexes
    .filter((index) => item[index.partitionKey] !== undefined && item[index.sortKey] !== undefined)
    .map((index) => index.name);
}

/** One item of a transaction, priced. */
export interface PricedItem {
  /** The item's entity type (its `type` attribute), or its partition key's prefix. */
  kind: string;
  operation: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  bytes: number;
  indexes: string[];
  wcu: number;
}

/** Whether two items hold the same attributes and values. */
function sameItem(a: Item, b: Item): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((n) => JSON.stringify(a[n]) === JSON.stringify(b[n]));
}

/** The key of an item in one index, or undefined when it is not in it. */
function indexKey(item: Item | undefined, index: (typeof MAIN_TABLE.indexes)[number]): string | undefined {
  const pk = item?.[index.partitionKey];
  const sk = item?.[index.sortKey];
  return pk !== undefined && sk !== undefined ? JSON.stringify([pk, sk]) : undefined;
}

/**
 * The index writes a change of an item makes (each index's projection is the whole item): none when
 * nothing changed; one where the item enters, leaves or changes inside an index; two where its
 * key in that index moves (the old entry deleted, the new one put).
 */
export function indexWrites(before: Item | undefined, after: Item | undefined): string[] {
  if (before && after && sameItem(before, after)) return [];
  const writes: string[] = [];
  for (const index of MAIN_TABLE.indexes) {
    const was = indexKey(before, index);
    const is = indexKey(after, index);
    if (was === undefined && is === undefined) continue;
    writes.push(index.name);
    if (was !== undefined && is !== undefined && was !== is) writes.push(index.name);
  }
  return writes;
}

/**
 * What one written item costs: its size in KB (rounded up; the larger of the item before and after)
 * for the table write, twice in a transaction, plus its KB for each index write. A ConditionCheck:
 * the table write alone.
 */
export function priceWrite(
  operation: PricedItem['operation'],
  before: Item | undefined,
  after: Item | undefined,
  key: Item,
  transactional = true,
): PricedItem {
  const bytes = Math.max(itemBytes(before ?? key), itemBytes(after ?? key));
  const indexes = operation === 'ConditionCheck' ? [] : indexWrites(before, after);
  const seen = after ?? before ?? key;
  const kind = seen.type?.S ?? String(key.pk?.S ?? '?').split('#')[0] ?? '?';
  const kb = Math.max(1, Math.ceil(bytes / 1024));
  return { kind, operation, bytes, indexes, wcu: (transactional ? 2 : 1) * kb + kb * indexes.length };
}

/** One item a write request writes (or checks): how, its key (a Put's whole item), its table. */
interface Written {
  operation: PricedItem['operation'];
  key: Item;
  table: string;
}

/** The items a write request names: every item of a transaction or a batch, the one of a single write. */
function writtenBy(command: string, input: Record<string, unknown>): Written[] {
  const table = String(input.TableName ?? '');
  if (/^TransactWrite/.test(command))
    return ((input.TransactItems as TransactWriteItem[] | undefined) ?? []).map((entry) => {
      if (entry.Put) return { operation: 'Put', key: entry.Put.Item ?? {}, table: entry.Put.TableName ?? '' };
      if (entry.Update)
        return { operation: 'Update', key: entry.Update.Key ?? {}, table: entry.Update.TableName ?? '' };
      if (entry.Delete)
        return { operation: 'Delete', key: entry.Delete.Key ?? {}, table: entry.Delete.TableName ?? '' };
      const check = entry.ConditionCheck;
      return { operation: 'ConditionCheck', key: check?.Key ?? {}, table: check?.TableName ?? '' };
    });
  if (/^BatchWrite/.test(command))
    return Object.entries((input.RequestItems as Record<string, WriteRequest[]> | undefined) ?? {}).flatMap(
      ([name, requests]) =>
        requests.map(
          (request): Written =>
            request.PutRequest
              ? { operation: 'Put', key: request.PutRequest.Item ?? {}, table: name }
              : { operation: 'Delete', key: request.DeleteRequest?.Key ?? {}, table: name },
        ),
    );
  if (/^Put/.test(command)) return [{ operation: 'Put', key: (input.Item as Item | undefined) ?? {}, table }];
  if (/^Update/.test(command)) return [{ operation: 'Update', key: (input.Key as Item | undefined) ?? {}, table }];
  if (/^Delete/.test(command)) return [{ operation: 'Delete', key: (input.Key as Item | undefined) ?? {}, table }];
  return [];
}

/** Capacity used by this process's DynamoDB requests since the last `take`. */
export interface Usage {
  rcu: number;
  /** Write units priced item by item by this module's rules. */
  wcu: number;
  /** Write units as DynamoDB Local reported them (wrong for transactions). */
  localWcu: number;
  requests: number;
}

/**
 * Meters every request of this process's DynamoDB client: reads as DynamoDB Local reports them
 * (ReturnConsumedCapacity), writes priced item by item. `lastTransaction` is the last
 * TransactWriteItems' items, priced. `only` picks the requests to meter (by their input): the process
 * also runs the local runtime's background work (workflows, jobs), whose writes are not the bench's.
 */
export function meterCapacity(
  name = 'benchCapacityMeter',
  only: (input: Record<string, unknown>) => boolean = () => true,
) {
  const usage: Usage = { rcu: 0, wcu: 0, localWcu: 0, requests: 0 };
  let lastTransaction: PricedItem[] = [];
  const client = rawDynamo();
  const unmetered = new WeakSet<object>();
  // Ask for the capacity before the request is serialized; meter it after the Document client's
  // marshalling (the build step sees the request's input as AttributeValues).
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as Record<string, unknown>;
      if (!unmetered.has(input)) input.ReturnConsumedCapacity = 'TOTAL';
      return next(args);
    },
    { step: 'initialize', name: `${name}Ask` },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      if (unmetered.has(input) || !only(input)) return next(args);
      const command = String((context as { commandName?: string }).commandName);
      const transaction = /^TransactWrite/.test(command);
      const written = writtenBy(command, input);
      const read = async ({ key, table }: Written) => {
        const get = new GetItemCommand({ TableName: table, Key: keyOf(key), ConsistentRead: true });
        unmetered.add(get.input);
        return (await client.send(get)).Item;
      };
      const before = await Promise.all(written.map(read));
      const result = await next(args);
      const consumed = (
        [] as Array<{ CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }>
      )
        .concat(((result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity as never) ?? [])
        .filter(Boolean);
      const reported = consumed.reduce(
        (sum, c) => sum + (c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0)),
        0,
      );
      usage.requests += 1;
      if (written.length) {
        // A batch's unprocessed items were not written: they are priced when a retry writes them.
        const unprocessed = new Set(
          Object.values(
            ((result.output as { UnprocessedItems?: Record<string, WriteRequest[]> }).UnprocessedItems ?? {}) as Record<
              string,
              WriteRequest[]
            >,
          )
            .flat()
            .map((request) => JSON.stringify(keyOf(request.PutRequest?.Item ?? request.DeleteRequest?.Key ?? {}))),
        );
        const after = await Promise.all(written.map(read));
        const priced = written
          .map((entry, i) => ({ entry, i }))
          .filter(({ entry }) => !unprocessed.has(JSON.stringify(keyOf(entry.key))))
          .map(({ entry, i }) => priceWrite(entry.operation, before[i], after[i], entry.key, transaction));
        if (transaction) lastTransaction = priced;
        usage.wcu += priced.reduce((sum, p) => sum + p.wcu, 0);
        usage.localWcu += reported;
      } else usage.rcu += reported;
      return result;
    },
    { step: 'build', name },
  );
  return {
    take(): Usage {
      const taken = { ...usage };
      usage.rcu = 0;
      usage.wcu = 0;
      usage.localWcu = 0;
      usage.requests = 0;
      return taken;
    },
    lastTransaction: () => lastTransaction,
    /** Takes the meter off the client (what follows is not metered, and pays no extra reads). */
    stop(): void {
      client.middlewareStack.remove(`${name}Ask`);
      client.middlewareStack.remove(name);
    },
  };
}

/** The table key of an item (its pk and sk). */
function keyOf(item: Item): Item {
  const key: Item = {};
  for (const name of [MAIN_TABLE.partitionKey, MAIN_TABLE.sortKey]) {
    const value = item[name];
    if (value !== undefined) key[name] = value;
  }
  return key;
}
