/** Lambda entry points of the call-back queue (negative answers to call back). */
import { apiHandler, ok } from '../../shared/http/api.js';
import { alertRoutes } from '../../shared/http/routes/alerts.js';
import { pick } from '../../shared/http/routes/route.js';
import * as service from './service.js';

const route = <Id extends (typeof alertRoutes)[number]['id']>(id: Id) => pick(alertRoutes, id);

export const listAlerts = /* @__PURE__ */ apiHandler(/* @__PURE__ */ route('listAlerts'), async ({ query, now }) =>
  ok(await service.listAlerts(query, now)),
);
/** Idempotency inside the write: a retried POST is answered from the alert as stored now (the claim keeps its id). */
const rereadAlert = {
  inWrite: true,
  replay: async (id: string) => ok(await service.readAlert(id)),
  // A 409 carries the alert as it is now (who holds it, its outcome).
  current: ({ params }: { params: { id: string } }) => service.readAlert(params.id),
};

export const claimAlert = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('claimAlert'),
  async ({ params, actor, now, clientRequest }) => ok(await service.claimAlert(params.id, actor, now, clientRequest)),
  rereadAlert,
);
export const recordAlertOutcome = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('recordAlertOutcome'),
  async ({ params, body, actor, now, clientRequest }) =>
    ok(await service.recordAlertOutcome(params.id, body, actor, now, clientRequest)),
  rereadAlert,
);
