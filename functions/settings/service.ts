/** Use cases of settings: read, and change with a JSON merge patch that must leave valid settings. */
import { Invalid } from '../../shared/domain/errors.js';
import { mergePatch } from '../../shared/domain/merge-patch.js';
import { assertIfMatch, type IfMatch } from '../../shared/domain/versions.js';
import type { Actor } from '../../shared/http/auth.js';
import { fieldErrors } from '../../shared/http/request.js';
import { Settings, SettingsPatch } from '../../shared/schemas/settings.js';
import { currentSettings, type StoredSettings, saveSettings } from '../../shared/store/settings-store.js';

const view = (stored: StoredSettings) => ({
  ...stored.settings,
  version: stored.version,
  updatedAt: stored.updatedAt,
  updatedBy: stored.updatedBy,
});

export async function readSettings() {
  return view(await currentSettings({ fresh: true }));
}

/**
 * Applies a merge patch. The patch is checked against SettingsPatch (fields and value types) and the
 * merged result against Settings (cross-field rules, required fields), and one 400 names every bad field.
 */
export async function changeSettings(patch: unknown, actor: Actor, now: Date, ifMatch: IfMatch = undefined) {
  const current = await currentSettings({ fresh: true });
  assertIfMatch(ifMatch, current.version, 'The settings');
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    throw Invalid.field('(body)', 'must be a JSON object (a merge patch of the settings)', 'invalid_type');
  const checked = SettingsPatch.safeParse(patch);
  const patched = mergePatch(current.settings, patch);
  const merged = Settings.safeParse(patched);
  if (!checked.success || !merged.success) {
    const all = [
      ...(checked.success ? [] : fieldErrors(checked.error, patch)),
      ...(merged.success ? [] : fieldErrors(merged.error, patched)),
    ];
    const seen = new Set<string>();
    const errors = all.filter((e) => !seen.has(e.path) && seen.add(e.path));
    throw new Invalid(
      `The patched settings are invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      errors,
    );
  }
  for (const [severity, policy] of Object.entries(merged.data.sla.policies)) {
    if (!merged.data.calendars[policy.calendar])
      throw Invalid.field(`sla.policies.${severity}.calendar`, `names no calendar in calendars`, 'not_found');
  }
  return view(await saveSettings(merged.data, current.version, actor.id, now));
}
