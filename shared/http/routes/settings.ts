import { PageQuery } from '../../schemas/common.js';
import { SettingsHistoryPage, SettingsPatch, VersionedSettings } from '../../schemas/settings.js';
import { json, type RouteDeclaration } from './route.js';

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
    id: 'getSettingsHistory',
    method: 'GET',
    path: '/settings/history',
    capability: 'settings',
    handler: 'getSettingsHistory',
    auth: 'manager',
    summary: 'Who changed the settings, which fields and when, newest first (every version is kept)',
    request: { query: PageQuery },
    responses: { 200: json(SettingsHistoryPage, 'A page of changes') },
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
    bodyValidatedByService: true,
    example: {
      timezone: 'Asia/Shanghai',
      quietHours: { start: '21:30', end: '08:00' },
      kpis: { csat: { target: 4.6, amber: 4.3 } },
      reportRecipients: ['cx-leads@example.com'],
    },
    responses: { 200: json(VersionedSettings, 'The new settings') },
  },
] as const satisfies readonly RouteDeclaration[];
