/** Lambda entry points of the customers capability (one function per route). */
import { apiHandler, noContent, ok } from '../../shared/http/api.js';
import { customerRoutes } from '../../shared/http/routes/customers.js';
import { pick } from '../../shared/http/routes/route.js';
import {
  eraseCustomer,
  listCustomerResponses,
  listSegment as listSegmentPage,
  readCustomerProfile,
  readErasure,
  saveCustomer,
} from './service.js';

export const put = apiHandler(pick(customerRoutes, 'putCustomer'), async ({ params, body, actor, now, ifMatch }) => {
  const { customer, created } = await saveCustomer(params.id, body, actor, now, {}, ifMatch);
  return { status: created ? 201 : 200, body: customer };
});

export const get = apiHandler(pick(customerRoutes, 'getCustomer'), async ({ params, now }) =>
  ok(await readCustomerProfile(params.id, now)),
);

export const erase = apiHandler(pick(customerRoutes, 'eraseCustomer'), async ({ params, actor, now }) => {
  await eraseCustomer(params.id, actor, now);
  return noContent();
});

export const responses = apiHandler(pick(customerRoutes, 'listCustomerResponses'), async ({ params, query, now }) =>
  ok(await listCustomerResponses(params.id, query, now)),
);

export const erasure = apiHandler(pick(customerRoutes, 'getCustomerErasure'), async ({ params }) =>
  ok(await readErasure(params.id)),
);

export const listSegment = apiHandler(pick(customerRoutes, 'listSegment'), async ({ query, now }) =>
  ok(await listSegmentPage(query, now)),
);
