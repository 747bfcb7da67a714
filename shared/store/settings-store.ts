import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_SETTINGS } from '../domain/settings.js';
import type { Settings } from '../schemas/settings.js';
import { dynamo } from './client.js';
import { settingsKeys } from './keys.js';
import { MAIN_TABLE, tableName } from './table.js';

/** How long a Lambda container trusts its copy of the settings. */
const CACHE_MS = 30_000;
let cached: { settings: Settings; version: number; at: number } | undefined;

/** The settings in force: the stored document, or the defaults before anyone changed them. */
export async function currentSettings(): Promise<{ settings: Settings; version: number }> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached;
  const result = await dynamo().send(new GetCommand({ TableName: tableName(MAIN_TABLE), Key: settingsKeys.current() }));
  const item = result.Item as { settings?: Settings; version?: number } | undefined;
  cached = { settings: item?.settings ?? DEFAULT_SETTINGS, version: item?.version ?? 0, at: Date.now() };
  return cached;
}

/** Forget the cached copy (after a change, and between tests). */
export function forgetCachedSettings(): void {
  cached = undefined;
}
