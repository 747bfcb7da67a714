/** The settings use cases with an in-memory settings store: what is refused is never stored. */
import { describe, expect, it } from 'vitest';
import { changeSettings, listSettingsHistory, readSettings } from '../../../functions/settings/service.js';
import { Invalid, PreconditionFailed } from '../../../shared/domain/errors.js';
import type { SettingsStore } from '../../../shared/store/settings.js';
import { memorySettingsStore } from '../../support/settings.js';

const now = new Date('2026-11-30T09:00:00Z');
const admin = { id: 'admin-1', roles: ['admin' as const] };

/** The settings at version 3, as an administrator left them; each test reads what was saved from its history. */
const memoryStore = () =>
  memorySettingsStore(undefined, { version: 3, updatedAt: '2026-11-01T00:00:00.000Z', updatedBy: 'setup' });
const saves = async (store: SettingsStore) =>
  (await store.history({ limit: 10 })).items.map(({ updatedBy, fields }) => ({ actor: updatedBy, fields }));

describe('settings use cases (in-memory store)', () => {
  it('stores a valid patch with its actor and the paths it set, as the next version', async () => {
    const store = memoryStore();
    const changed = await changeSettings({ quietHours: { start: '22:00', end: '07:30' } }, admin, now, 3, {
      settings: store,
    });
    expect(changed).toMatchObject({ version: 4, updatedBy: 'admin-1', quietHours: { start: '22:00', end: '07:30' } });
    expect(await saves(store)).toEqual([{ actor: 'admin-1', fields: ['quietHours.start', 'quietHours.end'] }]);
    expect(await readSettings({ settings: store })).toMatchObject({ version: 4 });
  });

  it('refuses a time zone the computations cannot use, naming the field, and stores nothing', async () => {
    const store = memoryStore();
    const refused = await changeSettings({ timezone: 'Mars/Olympus_Mons' }, admin, now, undefined, {
      settings: store,
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Invalid);
    expect(JSON.stringify((refused as Invalid).errors)).toContain('timezone');
    expect(await saves(store)).toEqual([]);
    expect(store.stored().version).toBe(3);
  });

  it('refuses a stale If-Match with 412 before reading the patch', async () => {
    const store = memoryStore();
    await expect(changeSettings({ surveyThrottleDays: 5 }, admin, now, 2, { settings: store })).rejects.toBeInstanceOf(
      PreconditionFailed,
    );
    expect(await saves(store)).toEqual([]);
  });

  it('lists the history from the store it is given', async () => {
    const store = memoryStore();
    expect(await listSettingsHistory({ limit: 5 }, { settings: store })).toEqual({ items: [], nextCursor: null });
    await changeSettings({ surveyThrottleDays: 5 }, admin, now, 3, { settings: store });
    expect(await listSettingsHistory({ limit: 5 }, { settings: store })).toEqual({
      items: [{ version: 4, updatedAt: now.toISOString(), updatedBy: 'admin-1', fields: ['surveyThrottleDays'] }],
      nextCursor: null,
    });
  });
});
