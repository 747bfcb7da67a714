/**
 * An in-memory SettingsStore for unit tests of use cases: the current settings and their history,
 * kept as the DynamoDB store keeps them (a save is conditioned on the version read and adds a
 * history entry), so a use case injected with it behaves as against the table.
 */
import { Conflict } from '../../shared/domain/errors.js';
import { DEFAULT_SETTINGS } from '../../shared/domain/settings.js';
import type { Settings } from '../../shared/schemas/settings.js';
import type { SettingsChange, SettingsStore, StoredSettings } from '../../shared/store/settings.js';

/** A store holding `settings` (the defaults unless given) at `version` (1 unless given), with no history yet. */
export function memorySettingsStore(
  settings: Settings = structuredClone(DEFAULT_SETTINGS) as Settings,
  options: { version?: number; updatedAt?: string; updatedBy?: string } = {},
): SettingsStore & { stored(): StoredSettings } {
  let stored: StoredSettings = {
    settings,
    version: options.version ?? 1,
    updatedAt: options.updatedAt ?? null,
    updatedBy: options.updatedBy ?? null,
  };
  const changes: SettingsChange[] = [];
  return {
    current: async () => structuredClone(stored),
    save: async (next, expectedVersion, actor, now, fields = []) => {
      if (expectedVersion !== stored.version)
        throw new Conflict('The settings were changed by someone else; read them again and retry.');
      stored = { settings: next, version: expectedVersion + 1, updatedAt: now.toISOString(), updatedBy: actor };
      changes.unshift({ version: stored.version, updatedAt: stored.updatedAt ?? '', updatedBy: actor, fields });
      return structuredClone(stored);
    },
    history: async ({ limit, cursor }) => {
      const start = Number(cursor ?? 0);
      const items = changes.slice(start, start + limit);
      return { items, nextCursor: start + limit < changes.length ? String(start + limit) : null };
    },
    stored: () => structuredClone(stored),
  };
}
