/** Use cases of settings: read, and change with a JSON merge patch that must leave valid settings. */
import { Invalid } from '../../shared/domain/errors.js';
import { mergePatch } from '../../shared/domain/merge-patch.js';
import type { Actor } from '../../shared/http/auth.js';
import { fieldErrors } from '../../shared/http/request.js';
import { Settings } from '../../shared/schemas/settings.js';
import { currentSettings, type StoredSettings, saveSettings } from '../../shared/store/settings.js';

const view = (stored: StoredSettings) => ({
  ...stored.settings,
  version: stored.version,
  updatedAt: stored.updatedAt,
  updatedBy: stored.updatedBy,
});

export async function readSettings() {
  return view(await currentSettings({ fresh: true }));
}

export async function changeSettings(patch: Record<string, unknown>, actor: Actor, now: Date) {
  const current = await currentSettings({ fresh: true });
  const merged = Settings.safeParse(mergePatch(current.settings, patch));
  if (!merged.success) {
    const errors = fieldErrors(merged.error);
    throw new Invalid(
      `The patched settings are invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      errors,
    );
  }
  for (const [severity, policy] of Object.entries(merged.data.sla.policies)) {
    if (!merged.data.calendars[policy.calendar])
      throw Invalid.field(`sla.policies.${severity}.calendar`, `names no calendar in calendars`);
  }
  return view(await saveSettings(merged.data, current.version, actor.id, now));
}
