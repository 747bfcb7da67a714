/** Lambda entry points of settings. */
import { apiHandler, ok } from '../../shared/http/api.js';
import { pick } from '../../shared/http/routes/route.js';
import { settingsRoutes } from '../../shared/http/routes/settings.js';
import { changeSettings, listSettingsHistory, readSettings } from './service.js';

export const getSettings = apiHandler(pick(settingsRoutes, 'getSettings'), async () => ok(await readSettings()));

export const getSettingsHistory = apiHandler(pick(settingsRoutes, 'getSettingsHistory'), async ({ query }) =>
  ok(await listSettingsHistory(query)),
);

export const patchSettings = apiHandler(pick(settingsRoutes, 'patchSettings'), async ({ body, actor, now, ifMatch }) =>
  ok(await changeSettings(body, actor, now, ifMatch)),
);
