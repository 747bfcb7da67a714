import { Conflict } from '../domain/errors.js';
import { settingsFromStored } from '../domain/settings.js';
import type { Settings } from '../schemas/settings.js';
import { dynamo } from './client.js';
import { EntityType, settingsKeys } from './keys.js';
import { type Page, queryPartitions } from './paging.js';
import { GetCommand, TransactionCanceledException, TransactWriteCommand } from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';

export interface StoredSettings {
  settings: Settings;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** One entry of the settings' history: who changed which paths, when, and the version it made. */
export interface SettingsChange {
  version: number;
  updatedAt: string;
  updatedBy: string;
  fields: string[];
}

/** The settings as a store, in the shape every store has (an interface and its DynamoDB implementation). */
export interface SettingsStore {
  /** The current settings, from a 30 s cache unless `fresh`. */
  current(options?: { fresh?: boolean }): Promise<StoredSettings>;
  /** Stores a new version, conditioned on the version read (409 when another change came first). */
  save(
    settings: Settings,
    expectedVersion: number,
    actor: string,
    now: Date,
    /** The paths the change set (`kpis.csat.target`), kept in the history entry. */
    fields?: string[],
  ): Promise<StoredSettings>;
  /** The history of changes, newest first. */
  history(options: { limit: number; cursor?: string | undefined }): Promise<Page<SettingsChange>>;
}

/** The settings in DynamoDB: the current document and its versions in the SETTINGS partition, read through a cache. */
export const dynamoSettingsStore: SettingsStore = {
  current: currentSettings,
  save: saveSettings,
  history: settingsHistory,
};

/** How long a Lambda container trusts its copy of the settings (a change reaches every container within this). */
const CACHE_MS = 30_000;
/** The copy this container read, and the table it came from (a test runtime on tables of its own never sees another's). */
let cached: (StoredSettings & { at: number; table: string }) | undefined;

/** The settings in force: the stored document, or the defaults before anyone changed them. */
async function currentSettings(options: { fresh?: boolean } = {}): Promise<StoredSettings> {
  const table = tableName(MAIN_TABLE);
  if (!options.fresh && cached?.table === table && Date.now() - cached.at < CACHE_MS) return cached;
  const result = await dynamo().send(
    new GetCommand({ TableName: table, Key: settingsKeys.current(), ConsistentRead: options.fresh }),
  );
  const item = result.Item as Partial<StoredSettings> | undefined;
  cached = {
    // Stored settings are merged over the defaults (a section added in a later release has values)
    // and fields renamed since are read under their earlier names.
    settings: settingsFromStored(item?.settings),
    version: item?.version ?? 0,
    updatedAt: item?.updatedAt ?? null,
    updatedBy: item?.updatedBy ?? null,
    at: Date.now(),
    table,
  };
  return cached;
}

/**
 * Stores a new version of the settings if nobody else changed them since `expectedVersion`,
 * and keeps the version in the history (who changed what, when).
 */
async function saveSettings(
  settings: Settings,
  expectedVersion: number,
  actor: string,
  now: Date,
  /** The paths the change set (`kpis.csat.target`), kept in the history entry. */
  fields: string[] = [],
): Promise<StoredSettings> {
  const next: StoredSettings = {
    settings,
    version: expectedVersion + 1,
    updatedAt: now.toISOString(),
    updatedBy: actor,
  };
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(MAIN_TABLE),
              Item: { ...settingsKeys.current(), type: EntityType.settings, ...next },
              ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#version = :expected',
              ...(expectedVersion === 0
                ? {}
                : {
                    ExpressionAttributeNames: { '#version': 'version' },
                    ExpressionAttributeValues: { ':expected': expectedVersion },
                  }),
            },
          },
          {
            Put: {
              TableName: tableName(MAIN_TABLE),
              Item: { ...settingsKeys.version(next.version), type: EntityType.settings, ...next, fields },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException)
      throw new Conflict('The settings were changed by someone else; read them again and retry.');
    throw error;
  }
  cached = { ...next, at: Date.now(), table: tableName(MAIN_TABLE) };
  return next;
}

/** The settings' versions, newest first: who changed what, when (one Query of the SETTINGS partition). */
async function settingsHistory(options: { limit: number; cursor?: string | undefined }): Promise<Page<SettingsChange>> {
  const page = await queryPartitions<Record<string, unknown>>(
    [{ partitionKey: settingsKeys.current().pk, sortKey: { beginsWith: settingsKeys.versionPrefix } }],
    { ...options, descending: true },
  );
  return {
    items: page.items.map((item) => ({
      version: Number(item.version),
      updatedAt: String(item.updatedAt),
      updatedBy: String(item.updatedBy),
      fields: Array.isArray(item.fields) ? (item.fields as string[]) : [],
    })),
    nextCursor: page.nextCursor,
  };
}

/** Forget the cached copy (between tests, or to force a fresh read). */
export function forgetCachedSettings(): void {
  cached = undefined;
}
