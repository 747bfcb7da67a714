/** Lambda entry points of settings. */
import { apiHandler, created, ok } from '../../shared/http/api.js';
import { categoryRoutes } from '../../shared/http/routes/categories.js';
import { goalRoutes } from '../../shared/http/routes/goals.js';
import { pick } from '../../shared/http/routes/route.js';
import { settingsRoutes } from '../../shared/http/routes/settings.js';
import { listCategories as list, putCategory as put, readCategory } from './categories.js';
import { changeGoal, listGoals as goalsWithProgress, readGoal, setGoal } from './goals.js';
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

export const createGoal = apiHandler(pick(goalRoutes, 'createGoal'), async ({ body, actor, now }) =>
  created(await setGoal(body, actor, now)),
);

export const listGoals = apiHandler(pick(goalRoutes, 'listGoals'), async ({ query, now }) =>
  ok(await goalsWithProgress(query, now)),
);

export const getGoal = apiHandler(pick(goalRoutes, 'getGoal'), async ({ params, now }) =>
  ok(await readGoal(params.id, now)),
);

export const patchGoal = apiHandler(
  pick(goalRoutes, 'patchGoal'),
  async ({ params, body, actor, now, ifMatch }) => ok(await changeGoal(params.id, body, actor, now, ifMatch)),
  { current: ({ params, now }) => readGoal(params.id, now) },
);
