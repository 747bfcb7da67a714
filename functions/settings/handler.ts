/** Lambda entry points of settings. */
import { apiHandler, ok } from '../../shared/http/api.js';
import { categoryRoutes } from '../../shared/http/routes/categories.js';
import { pick } from '../../shared/http/routes/route.js';
import { settingsRoutes } from '../../shared/http/routes/settings.js';
import { listCategories as list, putCategory as put, readCategory } from './categories.js';
import { changeSettings, listSettingsHistory, readSettings } from './service.js';

export const getSettings = apiHandler(pick(settingsRoutes, 'getSettings'), async () => ok(await readSettings()));

export const getSettingsHistory = apiHandler(pick(settingsRoutes, 'getSettingsHistory'), async ({ query }) =>
  ok(await listSettingsHistory(query)),
);

export const patchSettings = apiHandler(
  pick(settingsRoutes, 'patchSettings'),
  async ({ body, actor, now, ifMatch }) => ok(await changeSettings(body, actor, now, ifMatch)),
  { current: () => readSettings() },
);

export const listCategories = apiHandler(pick(categoryRoutes, 'listCategories'), async () => ok(await list()));

export const getCategory = apiHandler(pick(categoryRoutes, 'getCategory'), async ({ params }) =>
  ok(await readCategory(params.code)),
);

export const putCategory = apiHandler(
  pick(categoryRoutes, 'putCategory'),
  async ({ params, body, actor, now, ifMatch }) => {
    const { category, created } = await put(params.code, body, actor, now, ifMatch);
    return { status: created ? 201 : 200, body: category };
  },
);
