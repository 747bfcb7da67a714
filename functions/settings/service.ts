/** Use cases of settings: read, and change with a JSON merge patch that must leave valid settings. */

import type { Actor } from '../../shared/domain/access.js';
import { deadlineAfter } from '../../shared/domain/complaints/calendar.js';
import { Invalid } from '../../shared/domain/errors.js';
import { mergePatch } from '../../shared/domain/merge-patch.js';
import { sendableAt } from '../../shared/domain/quiet-hours.js';
import { localDate } from '../../shared/domain/time.js';
import { assertIfMatch, type IfMatch } from '../../shared/domain/versions.js';
import { fieldErrors } from '../../shared/schemas/field-errors.js';
import { Settings, SettingsPatch } from '../../shared/schemas/settings.js';
import { dynamoSettingsStore, type SettingsStore, type StoredSettings } from '../../shared/store/settings.js';

export interface SettingsDeps {
  settings: SettingsStore;
}

const defaults: SettingsDeps = { settings: dynamoSettingsStore };

const view = (stored: StoredSettings) => ({
  ...stored.settings,
  version: stored.version,
  updatedAt: stored.updatedAt,
  updatedBy: stored.updatedBy,
});

export async function readSettings(deps: Partial<SettingsDeps> = {}) {
  const all = { ...defaults, ...deps };
  return view(await all.settings.current({ fresh: true }));
}

/** Runs `use`; if it throws, the change is refused with a 400 naming `path` (the settings would break that use). */
function usable(path: string, what: string, use: () => unknown): void {
  try {
    use();
  } catch (error) {
    throw Invalid.field(path, `${what} (${(error as Error).message})`);
  }
}

/**
 * What later requests and jobs do with settings, tried once on the new ones before they are stored:
 * read today's date in the zone, place quiet hours, and compute every SLA deadline from now on its
 * calendar. A value the schema allows but the computations cannot use is refused here, naming it.
 */
function assertUsable(settings: Settings, now: Date): void {
  usable('timezone', 'cannot be used to read dates', () => localDate(now, settings.timezone));
  usable('quietHours', 'cannot be placed in the time zone', () =>
    sendableAt(now, settings.quietHours, settings.timezone),
  );
  for (const [severity, policy] of Object.entries(settings.sla.policies)) {
    const calendar = settings.calendars[policy.calendar];
    if (!calendar) throw Invalid.field(`sla.policies.${severity}.calendar`, 'names no calendar in calendars');
    for (const field of ['respondMinutes', 'solutionMinutes', 'closeMinutes'] as const)
      usable(`sla.policies.${severity}.${field}`, `gives no deadline on calendar ${policy.calendar}`, () => {
        const due = deadlineAfter(calendar, now, policy[field], policy.counting ?? 'elapsed');
        if (Number.isNaN(due.getTime())) throw new Error('the deadline is not a date');
      });
  }
}

/**
 * Applies a merge patch. The patch is checked against SettingsPatch (fields and value types) and the
 * merged result against Settings (cross-field rules, required fields), and one 400 names every bad field.
 */
export async function changeSettings(
  patch: unknown,
  actor: Actor,
  now: Date,
  ifMatch: IfMatch = undefined,
  deps: Partial<SettingsDeps> = {},
) {
  const all = { ...defaults, ...deps };
  const current = await all.settings.current({ fresh: true });
  assertIfMatch(ifMatch, current.version, 'The settings');
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    throw Invalid.field('(body)', 'must be a JSON object (a merge patch of the settings)', 'invalid_type');
  if (Object.keys(patch).length === 0)
    throw Invalid.field('(body)', 'must set at least one field (minProperties 1)', 'too_short', { minimum: 1 });
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
  assertUsable(merged.data, now);
  return view(await all.settings.save(merged.data, current.version, actor.id, now, patchedPaths(patch)));
}

/** The leaf paths a merge patch sets (`kpis.csat.target`, `reportRecipients`): what the history names. */
function patchedPaths(patch: object, prefix = ''): string[] {
  return Object.entries(patch).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length
      ? patchedPaths(value, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

/** Who changed the settings, what and when, newest first (manager). */
export async function listSettingsHistory(
  query: { limit: number; cursor?: string | undefined },
  deps: Partial<SettingsDeps> = {},
) {
  const all = { ...defaults, ...deps };
  return all.settings.history(query);
}
