/** Lambda entry points of the customers capability (one function per route). */
import { apiHandler, noContent, ok } from '../../shared/http/api.js';
import { customerRoutes } from '../../shared/http/routes/customers.js';
import { pick } from '../../shared/http/routes/route.js';
import { lambdaJobRunner } from '../../shared/jobs/lambda.js';
import type { JobRequest } from '../../shared/jobs/ports.js';
import { provideDefaults } from '../../shared/ports.js';
import {
  listCustomerResponses,
  listSegment as listSegmentPage,
  readCustomerProfile,
  readCustomerView,
  readErasure,
  requestErasure,
  runErasure,
  saveCustomer,
} from './service.js';

provideDefaults({ jobs: () => lambdaJobRunner() });

export const put = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(customerRoutes, 'putCustomer'),
  async ({ params, body, actor, now, ifMatch }) => {
    const { customer, created } = await saveCustomer(params.id, body, actor, now, ifMatch);
    return { status: created ? 201 : 200, body: customer };
  },
  { current: ({ params, now }) => readCustomerProfile(params.id, now) },
);

export const get = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(customerRoutes, 'getCustomer'),
  async ({ params, query, now }) => ok(await readCustomerView(params.id, query, now)),
);

export const erase = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(customerRoutes, 'eraseCustomer'),
  async ({ params, actor, now }) => {
    const outcome = await requestErasure(params.id, actor, now);
    if (outcome.status === 'done') return noContent();
    return { status: 202, body: outcome, headers: { location: `/customers/${params.id}/erasure` } };
  },
);

/** The erasure job (shared/jobs): run by this function invoking itself in AWS, in-process locally. */
export async function customerErasureJob(job: JobRequest): Promise<void> {
  if (job.kind !== 'customerErasure') throw new Error(`customerErasureJob got a ${job.kind} job`);
  await runErasure(job.customerId, job.actorId, job.requestedAt);
}

export const responses = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(customerRoutes, 'listCustomerResponses'),
  async ({ params, query, now }) => ok(await listCustomerResponses(params.id, query, now)),
);

export const erasure = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(customerRoutes, 'getCustomerErasure'),
  async ({ params }) => ok(await readErasure(params.id)),
);

export const listSegment = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(customerRoutes, 'listSegment'),
  async ({ query, now }) => ok(await listSegmentPage(query, now)),
);
