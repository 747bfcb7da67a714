/** The settings use cases with an in-memory settings store: what is refused is never stored. */
import { describe, expect, it } from 'vitest';
import { changeSettings, listSettingsHistory, readSettings } from '../../../functions/settings/service.js';
import { Invalid, PreconditionFailed } from '../../../shared/domain/errors.js';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings.js';
import type { Settings } from '../../../shared/schemas/settings.js';
import type { SettingsStore, StoredSettings } from '../../../shared/store/settings.js';

const now = new Date('2026-11-30T09:00:00Z');
const admin = { id: 'admin-1', roles: ['admin' as const] };

function memoryStore() {
  let stored: StoredSettings = {
    settings: structuredClone(DEFAULT_SETTINGS) as Settings,
    version: 3,
    updatedAt: '2026-11-01T00:00:00.000Z',
    updatedBy: 'setup',
  };
  const saves: Array<{ actor: string; fields: string[] }> = [];
  const store: SettingsStore = {
    current: async () => stored,
    save: async (settings, expectedVersion, actor, at, fields = []) => {
      expect(expectedVersion).toBe(stored.version);
      saves.push({ actor, fields });
      stored = { settings, version: expectedVersion + 1, updatedAt: at.toISOString(), updatedBy: actor };
      return stored;
    },
    history: async () => ({ items: [], nextCursor: null }),
  };
  return { store, saves, stored: () => stored };
}

describe('settings use cases (in-memory store)', () => {
  it('stores a valid patch with its actor and the paths it set, as the next version', async () => {
    const { store, saves } = memoryStore();
    const changed = await changeSettings({ quietHours: { start: '22:00', end: '07:30' } }, admin, now, 3, {
      settings: store,
    });
    expect(changed).toMatchObject({ version: 4, updatedBy: 'admin-1', quietHours: { start: '22:00', end: '07:30' } });
    expect(saves).toEqual([{ actor: 'admin-1', fields: ['quietHours.start', 'quietHours.end'] }]);
    expect(await readSettings({ settings: store })).toMatchObject({ version: 4 });
  });

  it('refuses a time zone the computations cannot use, naming the field, and stores nothing', async () => {
    const { store, saves, stored } = memoryStore();
    const refused = await changeSettings({ timezone: 'Mars/Olympus_Mons' }, admin, now, undefined, {
      settings: store,
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Invalid);
    expect(JSON.stringify((refused as Invalid).errors)).toContain('timezone');
    expect(saves).toEqual([]);
    expect(stored().version).toBe(3);
  });

  it('refuses a stale If-Match with 412 before reading the patch', async () => {
    const { store, saves } = memoryStore();
    await expect(changeSettings({ surveyThrottleDays: 5 }, admin, now, 2, { settings: store })).rejects.toBeInstanceOf(
      PreconditionFailed,
    );
    expect(saves).toEqual([]);
  });

  it('lists the history from the store it is given', async () => {
    const { store } = memoryStore();
    expect(await listSettingsHistory({ limit: 5 }, { settings: store })).toEqual({ items: [], nextCursor: null });
  });
});
