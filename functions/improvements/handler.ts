/** Lambda entry points of improvement actions and customer suggestions. */
import { apiHandler, created, ok } from '../../shared/http/api.js';
import { improvementRoutes } from '../../shared/http/routes/improvements.js';
import { pick } from '../../shared/http/routes/route.js';
import * as service from './service.js';

const route = <Id extends (typeof improvementRoutes)[number]['id']>(id: Id) => pick(improvementRoutes, id);

export const createImprovement = apiHandler(route('createImprovement'), async ({ body, actor, now }) =>
  created(await service.planImprovement(body, actor, now)),
);
export const getImprovement = apiHandler(route('getImprovement'), async ({ params, now }) =>
  ok(await service.readImprovement(params.id, now)),
);
export const patchImprovement = apiHandler(route('patchImprovement'), async ({ params, body, now, ifMatch }) =>
  ok(await service.changeImprovement(params.id, body, now, ifMatch)),
);
export const listImprovements = apiHandler(route('listImprovements'), async ({ query, now }) =>
  ok(await service.listImprovements(query, now)),
);

export const createSuggestion = apiHandler(route('createSuggestion'), async ({ body, actor, now }) =>
  created(await service.recordSuggestion(body, actor, now)),
);
export const listSuggestions = apiHandler(route('listSuggestions'), async ({ query, now }) =>
  ok(await service.listSuggestions(query, now)),
);
export const listPublishedSuggestions = apiHandler(route('listPublishedSuggestions'), async ({ query, now }) =>
  ok(await service.listPublishedSuggestions(query, now)),
);
export const decideSuggestion = apiHandler(route('decideSuggestion'), async ({ params, body, now }) =>
  ok(await service.decide(params.id, body, now)),
);
export const deliverSuggestion = apiHandler(route('deliverSuggestion'), async ({ params, now }) =>
  ok(await service.deliver(params.id, now)),
);
