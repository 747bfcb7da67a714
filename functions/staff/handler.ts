/** Lambda entry points of the staff capability: `GET /me` and the staff directory. */

import { apiHandler, ok } from '../../shared/http/api.js';
import { pick } from '../../shared/http/routes/route.js';
import { staffRoutes } from '../../shared/http/routes/staff.js';
import { listChanges } from './changes.js';
import { saveStaffMember, staffDirectory, whoAmI } from './service.js';

export const changes = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(staffRoutes, 'listChanges'),
  async ({ query, actor, now }) => ok(await listChanges(query, actor, now)),
);

export const me = /* @__PURE__ */ apiHandler(/* @__PURE__ */ pick(staffRoutes, 'me'), async ({ actor, now }) =>
  ok(await whoAmI(actor, now)),
);

export const list = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(staffRoutes, 'listStaff'),
  async ({ query, actor }) => ok(await staffDirectory(query, actor)),
);

export const put = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(staffRoutes, 'putStaff'),
  async ({ params, body, actor, now, ifMatch }) => {
    const { member, created } = await saveStaffMember(params.id, body, actor, now, ifMatch);
    return { status: created ? 201 : 200, body: member };
  },
);
