/** Lambda entry points of the interactions capability (one function per route). */
import { apiHandler, created, ok } from '../../shared/http/api.js';
import { interactionRoutes } from '../../shared/http/routes/interactions.js';
import { pick } from '../../shared/http/routes/route.js';
import { amendInteraction, listInteractions, readInteraction, recordInteraction } from './service.js';

export const create = apiHandler(pick(interactionRoutes, 'createInteraction'), async ({ body, actor, now }) =>
  created(await recordInteraction(body, actor, now)),
);

export const get = apiHandler(pick(interactionRoutes, 'getInteraction'), async ({ params, now }) =>
  ok(await readInteraction(params.id, now)),
);

export const patch = apiHandler(pick(interactionRoutes, 'patchInteraction'), async ({ params, body, now, ifMatch }) =>
  ok(await amendInteraction(params.id, body, now, undefined, ifMatch)),
);

export const list = apiHandler(pick(interactionRoutes, 'listInteractions'), async ({ query, now }) =>
  ok(await listInteractions(query, now)),
);
