/**
 * The DynamoDB tables, declared once. The CDK data construct and the local runtime
 * (DynamoDB Local) both build their tables from these declarations.
 */
export interface KeySchema {
  partitionKey: string;
  sortKey?: string;
}

export interface TableDeclaration extends KeySchema {
  /** Environment variable through which handlers learn the table name. */
  envVar: string;
  /** Name used by the local runtime (CDK lets CloudFormation name the table). */
  localName: string;
  indexes: ReadonlyArray<KeySchema & { name: string }>;
  timeToLiveAttribute?: string;
  stream?: boolean;
}

/** Single-table design: every entity and every access pattern lives here (see keys.ts). */
export const MAIN_TABLE = {
  envVar: 'TABLE_NAME',
  localName: 'careloop',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    // Sparse: only items that carry gsi4pk (breached complaints, interactions with a target still to check) are in it.
    { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
    // Sparse: open interactions past a target, per team (gsi5) and all teams (gsi6), oldest first.
    { name: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
    { name: 'gsi6', partitionKey: 'gsi6pk', sortKey: 'gsi6sk' },
    // Sparse: open complaints, nearest deadline first (gsi5 per assignee, gsi6 per team, gsi7 all);
    // interactions: a team's open work by its next deadline (gsi7).
    { name: 'gsi7', partitionKey: 'gsi7pk', sortKey: 'gsi7sk' },
    // An agent's interactions by month (an agent filter is a key condition, so filtered pages are full).
    { name: 'gsi8', partitionKey: 'gsi8pk', sortKey: 'gsi8sk' },
  ],
  timeToLiveAttribute: 'expiresAt',
  // No stream: nothing consumes one, and a full-image stream is a 24-hour copy of personal data (#27.10).
} as const satisfies TableDeclaration;

/**
 * Every table: the main one. A keyed request's claim (shared/store/requests.ts) is an item of it,
 * written in its record's own transaction, so idempotency needs no table of its own.
 */
export const TABLES = [MAIN_TABLE] as const;

export type IndexName = (typeof MAIN_TABLE.indexes)[number]['name'];

/** The attributes that only address an item (table and index keys, entity type): never part of a record. */
export const KEY_ATTRIBUTES: readonly string[] = [
  MAIN_TABLE.partitionKey,
  MAIN_TABLE.sortKey,
  ...MAIN_TABLE.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  'type',
];

/** A stored item as its record: the same attributes less its keys. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const record = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete record[attribute];
  return record as T;
}

/** The table name a handler uses, from its environment. */
export function tableName(table: TableDeclaration): string {
  return process.env[table.envVar] ?? table.localName;
}
