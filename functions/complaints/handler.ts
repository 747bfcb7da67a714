/** Lambda entry points of the complaints capability (one function per route). */
import { apiHandler, created, ok } from '../../shared/http/api.js';
import { complaintRoutes } from '../../shared/http/routes/complaints.js';
import { pick } from '../../shared/http/routes/route.js';
import { provideDefaults } from '../../shared/ports.js';
import { stepFunctionsStarter } from '../../shared/workflow/escalation.js';
import {
  applyEvent,
  listComplaints,
  pausedTimeReport,
  readComplaint,
  readTimeline,
  registerComplaint,
} from './service.js';

provideDefaults({ workflows: () => stepFunctionsStarter() });

export const create = apiHandler(pick(complaintRoutes, 'createComplaint'), async ({ body, actor, now }) =>
  created(await registerComplaint(body, actor, now)),
);

export const event = apiHandler(pick(complaintRoutes, 'complaintEvent'), async ({ params, body, actor, now }) =>
  ok(await applyEvent(params.id, body, actor, now)),
);

export const get = apiHandler(pick(complaintRoutes, 'getComplaint'), async ({ params }) =>
  ok(await readComplaint(params.id)),
);

export const list = apiHandler(pick(complaintRoutes, 'listComplaints'), async ({ query, now }) =>
  ok(await listComplaints(query, now)),
);

export const timeline = apiHandler(pick(complaintRoutes, 'complaintTimeline'), async ({ params, query }) =>
  ok(await readTimeline(params.id, query)),
);

export const pauses = apiHandler(pick(complaintRoutes, 'complaintPauses'), async ({ query, now }) =>
  ok(await pausedTimeReport(query.month, now)),
);
