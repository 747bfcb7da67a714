import { Settings } from '../../schemas/settings.js';
import { z } from '../../schemas/zod.js';
import { json, type RouteDeclaration } from './route.js';

export const SettingsPatch = z.record(z.string(), z.unknown()).openapi('SettingsPatch', {
  description: 'RFC 7396 JSON merge patch of Settings; the merged result must be valid Settings',
});

export const VersionedSettings = Settings.extend({
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
}).openapi('VersionedSettings');

export const settingsRoutes = [
  {
    id: 'getSettings',
    method: 'GET',
    path: '/settings',
    capability: 'settings',
    handler: 'getSettings',
    auth: 'manager',
    summary: 'Targets, SLA policies, calendars, escalation contacts, report recipients and other settings',
    responses: { 200: json(VersionedSettings, 'The settings in force') },
  },
  {
    id: 'patchSettings',
    method: 'PATCH',
    path: '/settings',
    capability: 'settings',
    handler: 'patchSettings',
    auth: 'admin',
    summary: 'Change settings with a JSON merge patch; applies to records created after it',
    request: { body: SettingsPatch },
    responses: { 200: json(VersionedSettings, 'The new settings') },
  },
] as const satisfies readonly RouteDeclaration[];
