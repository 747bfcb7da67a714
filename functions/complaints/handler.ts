/** Lambda entry points of the complaints capability (one function per route). */

import { Gone, LinkExpired } from '../../shared/domain/errors.js';
import { apiHandler, created, ok } from '../../shared/http/api.js';
import { complaintRoutes } from '../../shared/http/routes/complaints.js';
import { pageRoutes } from '../../shared/http/routes/pages.js';
import { pick } from '../../shared/http/routes/route.js';
import {
  confirmationDonePage,
  confirmationGonePage,
  confirmationPage as renderConfirmation,
} from '../../shared/pages/confirmation.js';
import { errorPageReply, eventLanguage } from '../../shared/pages/errors.js';
import { htmlReply, pageLanguage } from '../../shared/pages/html.js';
import { provideDefaults } from '../../shared/ports.js';
import { stepFunctionsHistory, stepFunctionsStarter } from '../../shared/workflow/escalation.js';
import { complaintNeeds } from '../composition.js';
import {
  answerConfirmation,
  applyEvent,
  complaintView,
  escalationExecutions,
  listComplaints,
  lookupEscalation,
  openConfirmation,
  pausedTimeReport,
  readComplaint,
  readComplaintRow,
  readTimeline,
  registerComplaint,
} from './service.js';

provideDefaults({ workflows: () => stepFunctionsStarter(), executions: () => stepFunctionsHistory() });

/**
 * Idempotency inside the write: the claim of a keyed POST is written in the complaint's own
 * transaction, and a retry is answered from the complaint as stored now (the claim keeps its id).
 */
const rereadComplaint = async (id: string) => complaintView(await readComplaint(id));

export const create = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(complaintRoutes, 'createComplaint'),
  async ({ body, actor, now, clientRequest }) =>
    created(complaintView(await registerComplaint(body, actor, now, clientRequest, complaintNeeds))),
  { inWrite: true, replay: async (id) => created(await rereadComplaint(id)) },
);

export const event = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(complaintRoutes, 'complaintEvent'),
  async ({ params, body, actor, now, ifMatch, clientRequest }) =>
    ok(complaintView(await applyEvent(params.id, body, actor, now, ifMatch, clientRequest))),
  {
    inWrite: true,
    replay: async (id) => ok(await rereadComplaint(id)),
    current: async ({ params }) => complaintView(await readComplaint(params.id)),
  },
);

export const get = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(complaintRoutes, 'getComplaint'),
  async ({ params, now }) => ok(await readComplaintRow(params.id, now)),
);

export const list = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(complaintRoutes, 'listComplaints'),
  async ({ query, actor, now }) => ok(await listComplaints(query, actor, now)),
);

export const timeline = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(complaintRoutes, 'complaintTimeline'),
  async ({ params, query }) => ok(await readTimeline(params.id, query)),
);

export const escalations = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(complaintRoutes, 'complaintEscalations'),
  async ({ params }) => ok(await escalationExecutions(params.id)),
);

export const escalationByName = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(complaintRoutes, 'escalationByName'),
  async ({ params }) => ok(await lookupEscalation(params.name)),
);

export const pauses = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(complaintRoutes, 'complaintPauses'),
  async ({ query, now }) => ok(await pausedTimeReport(query.month, now)),
);

/** Used or expired confirmation links get a page that says which; anything else a page for its status. */
const confirmationErrorPage = (error: unknown, event: Parameters<typeof eventLanguage>[0]) => {
  const lang = eventLanguage(event);
  if (error instanceof Gone)
    return htmlReply(410, confirmationGonePage(lang, error instanceof LinkExpired ? 'expired' : 'used'));
  return errorPageReply(error, lang);
};

export const confirmationPage = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(pageRoutes, 'confirmationPage'),
  async ({ params, query, now }) => {
    const { complaint, language, day } = await openConfirmation(params.token, now);
    const lang = pageLanguage(query.lang, language);
    return htmlReply(200, renderConfirmation({ lang, day, solution: complaint.solution }));
  },
  { errorReply: confirmationErrorPage },
);

export const confirmationAnswer = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(pageRoutes, 'confirmationAnswer'),
  async ({ params, query, body, now, formErrors }) => {
    const { complaint, language, day } = await openConfirmation(params.token, now);
    const lang = pageLanguage(query.lang, language);
    const answer = body.answer === 'yes' || body.answer === 'no' ? body.answer : undefined;
    const tooLong = formErrors.some((error) => error.path === 'comment');
    if (!answer || formErrors.length) {
      const page = renderConfirmation({
        lang,
        day,
        solution: complaint.solution,
        comment: body.comment,
        missing: !answer,
        tooLong,
      });
      return htmlReply(422, page);
    }
    await answerConfirmation(params.token, answer, body.comment, now);
    return htmlReply(200, confirmationDonePage(lang, answer));
  },
  { errorReply: confirmationErrorPage },
);
