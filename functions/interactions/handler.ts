/** Lambda entry points of the interactions capability (one function per route). */
import { apiHandler, created, ok } from '../../shared/http/api.js';
import { interactionRoutes } from '../../shared/http/routes/interactions.js';
import { pick } from '../../shared/http/routes/route.js';
import { logger } from '../../shared/observability/logger.js';
import { ports } from '../../shared/ports.js';
import { interactionNeeds } from '../composition.js';
import {
  amendInteraction,
  listInteractions,
  listOverdueInteractions,
  readInteraction,
  readInteractionRow,
  recordInteraction,
  sweepOverdueInteractions,
} from './service.js';

export const create = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(interactionRoutes, 'createInteraction'),
  async ({ body, actor, now, clientRequest }) =>
    created(await recordInteraction(body, actor, now, clientRequest, interactionNeeds)),
  // Idempotency inside the write: a retry is answered from the record as stored now (the claim keeps its id).
  { inWrite: true, replay: async (id, { now }) => created(await readInteraction(id, now)) },
);

export const get = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(interactionRoutes, 'getInteraction'),
  async ({ params, now }) => ok(await readInteractionRow(params.id, now)),
);

export const patch = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(interactionRoutes, 'patchInteraction'),
  async ({ params, body, actor, now, ifMatch }) => ok(await amendInteraction(params.id, body, actor, now, ifMatch)),
  { current: ({ params, now }) => readInteraction(params.id, now) },
);

export const list = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(interactionRoutes, 'listInteractions'),
  async ({ query, actor, now }) =>
    ok(
      query.overdue === 'true' || query.atRisk === 'true'
        ? await listOverdueInteractions(query, actor, now)
        : await listInteractions(query, actor, now),
    ),
);

/** EventBridge Scheduler target, every 5 minutes: contacts whose target passed become misses (exactly once). */
export async function scheduledOverdueSweep() {
  const summary = await sweepOverdueInteractions(ports().clock.now());
  logger.info('overdue sweep', { ...summary });
  return summary;
}
