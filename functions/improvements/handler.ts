/** Lambda entry points of improvement actions and customer suggestions. */
import { apiHandler, created, ok } from '../../shared/http/api.js';
import { header } from '../../shared/http/request.js';
import { improvementRoutes } from '../../shared/http/routes/improvements.js';
import { pageRoutes } from '../../shared/http/routes/pages.js';
import { pick } from '../../shared/http/routes/route.js';
import { boardPage, boardThanksPage } from '../../shared/pages/board.js';
import { errorPageReply, eventLanguage } from '../../shared/pages/errors.js';
import { htmlReply, pageLanguage } from '../../shared/pages/html.js';
import * as service from './service.js';

const routes = [...improvementRoutes, ...pageRoutes] as const;
const route = <Id extends (typeof routes)[number]['id']>(id: Id) => pick(routes, id);

export const createImprovement = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('createImprovement'),
  async ({ body, actor, now, clientRequest }) =>
    created(await service.planImprovement(body, actor, now, clientRequest)),
  // Idempotency inside the write: a retry is answered from the action as stored now.
  { inWrite: true, replay: async (id, { now }) => created(await service.readImprovement(id, now)) },
);
export const getImprovement = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('getImprovement'),
  async ({ params, now }) => ok(await service.readImprovement(params.id, now)),
);
export const patchImprovement = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('patchImprovement'),
  async ({ params, body, actor, now, ifMatch }) =>
    ok(await service.changeImprovement(params.id, body, actor, now, ifMatch)),
  { current: ({ params, now }) => service.readImprovement(params.id, now) },
);
export const listImprovements = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('listImprovements'),
  async ({ query, now }) => ok(await service.listImprovements(query, now)),
);

/** Idempotency inside the write: a retried POST is answered from the suggestion as stored now (the claim keeps its id). */
const rereadSuggestion = {
  inWrite: true,
  replay: async (id: string, { now }: { now: Date }) => ok(await service.readSuggestion(id, now)),
};

export const createSuggestion = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('createSuggestion'),
  async ({ body, actor, now, clientRequest }) =>
    created(await service.recordSuggestion(body, actor, now, clientRequest)),
  {
    inWrite: true,
    replay: async (id: string, { now }: { now: Date }) => created(await service.readSuggestion(id, now)),
  },
);
export const listSuggestions = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('listSuggestions'),
  async ({ query, now }) => ok(await service.listSuggestions(query, now)),
);
export const listPublishedSuggestions = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('listPublishedSuggestions'),
  async ({ query, now }) => ok(await service.listPublishedSuggestions(query, now)),
);
export const decideSuggestion = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('decideSuggestion'),
  async ({ params, body, actor, now, clientRequest }) =>
    ok(await service.decide(params.id, body, actor, now, clientRequest)),
  rereadSuggestion,
);
export const publishSuggestion = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('publishSuggestion'),
  async ({ params, body, actor, now, clientRequest }) =>
    ok(await service.publishSuggestion(params.id, body, actor, now, clientRequest)),
  rereadSuggestion,
);
export const deliverSuggestion = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('deliverSuggestion'),
  async ({ params, actor, now, clientRequest }) => ok(await service.deliver(params.id, actor, now, clientRequest)),
  rereadSuggestion,
);

/** The newest published suggestions the board shows. */
const BOARD_SIZE = 30;

const boardItems = async (now: Date) => (await service.listPublishedSuggestions({ limit: BOARD_SIZE }, now)).items;

export const board = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('suggestionBoard'),
  async ({ query, event, now }) => {
    const lang = pageLanguage(query.lang, undefined, header(event, 'accept-language'));
    return htmlReply(200, boardPage({ lang, items: await boardItems(now) }));
  },
  { errorReply: (error, event) => errorPageReply(error, eventLanguage(event)) },
);

export const boardSubmit = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ route('suggestionBoardSubmit'),
  async ({ query, body, event, now, formErrors }) => {
    const lang = pageLanguage(query.lang, undefined, header(event, 'accept-language'));
    const missing = !body.text?.trim();
    const tooLong = (['text', 'contact'] as const).filter((field) =>
      formErrors.some((error) => error.path === field && error.code === 'too_long'),
    );
    if (missing || tooLong.length || formErrors.length) {
      const page = boardPage({ lang, items: await boardItems(now), values: body, missing, tooLong });
      return htmlReply(422, page);
    }
    await service.suggestFromBoard(
      { text: body.text, contact: body.contact },
      event.requestContext.identity.sourceIp,
      now,
    );
    return htmlReply(200, boardThanksPage(lang));
  },
  { errorReply: (error, event) => errorPageReply(error, eventLanguage(event)) },
);
