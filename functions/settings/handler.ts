/** Lambda entry points of settings. */
import { apiHandler, created, ok } from '../../shared/http/api.js';
import { categoryRoutes } from '../../shared/http/routes/categories.js';
import { goalRoutes } from '../../shared/http/routes/goals.js';
import { pick } from '../../shared/http/routes/route.js';
import { settingsRoutes } from '../../shared/http/routes/settings.js';
import { listCategories as list, putCategory as put, readCategory } from './categories.js';
import { changeGoal, listGoals as goalsWithProgress, readGoal, setGoal } from './goals.js';
import { changeSettings, listSettingsHistory, readSettings } from './service.js';

export const getSettings = /* @__PURE__ */ apiHandler(/* @__PURE__ */ pick(settingsRoutes, 'getSettings'), async () =>
  ok(await readSettings()),
);

export const getSettingsHistory = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(settingsRoutes, 'getSettingsHistory'),
  async ({ query }) => ok(await listSettingsHistory(query)),
);

export const patchSettings = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(settingsRoutes, 'patchSettings'),
  async ({ body, actor, now, ifMatch }) => ok(await changeSettings(body, actor, now, ifMatch)),
  { current: () => readSettings() },
);

export const listCategories = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(categoryRoutes, 'listCategories'),
  async () => ok(await list()),
);

export const getCategory = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(categoryRoutes, 'getCategory'),
  async ({ params }) => ok(await readCategory(params.code)),
);

export const putCategory = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(categoryRoutes, 'putCategory'),
  async ({ params, body, actor, now, ifMatch }) => {
    const { category, created } = await put(params.code, body, actor, now, ifMatch);
    return { status: created ? 201 : 200, body: category };
  },
);

export const createGoal = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(goalRoutes, 'createGoal'),
  async ({ body, actor, now, clientRequest }) => created(await setGoal(body, actor, now, clientRequest)),
  // Idempotency inside the write: the claim is stored with the goal; a retry answers the goal as it is now.
  { inWrite: true, replay: async (id, { now }) => created(await readGoal(id, now)) },
);

export const listGoals = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(goalRoutes, 'listGoals'),
  async ({ query, now }) => ok(await goalsWithProgress(query, now)),
);

export const getGoal = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(goalRoutes, 'getGoal'),
  async ({ params, now }) => ok(await readGoal(params.id, now)),
);

export const patchGoal = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(goalRoutes, 'patchGoal'),
  async ({ params, body, actor, now, ifMatch }) => ok(await changeGoal(params.id, body, actor, now, ifMatch)),
  { current: ({ params, now }) => readGoal(params.id, now) },
);
