/**
 * Questionnaires (contract "Questionnaires (v1.2)"), served by the surveys capability (the same
 * functions that ask them): supervisors read, managers write.
 */
import {
  CreateQuestionnaireBody,
  PutQuestionnaireDraftBody,
  Questionnaire,
  QuestionnaireList,
  QuestionnaireParams,
  QuestionnaireQuery,
} from '../../schemas/questionnaires.js';
import { json, type RouteDeclaration } from './route.js';

export const questionnaireRoutes = [
  {
    id: 'listQuestionnaires',
    method: 'GET',
    path: '/questionnaires',
    capability: 'surveys',
    handler: 'listQuestionnaires',
    auth: 'supervisor',
    summary: 'Every questionnaire, the built-ins included: status, newest published version, open draft',
    responses: { 200: json(QuestionnaireList, 'The questionnaires') },
  },
  {
    id: 'getQuestionnaire',
    method: 'GET',
    path: '/questionnaires/{id}',
    capability: 'surveys',
    handler: 'getQuestionnaire',
    auth: 'supervisor',
    summary:
      'A version of a questionnaire (`?version=` a number or `draft`; default the newest published one). ETag: a draft’s revision, for If-Match',
    request: { params: QuestionnaireParams, query: QuestionnaireQuery },
    responses: { 200: json(Questionnaire, 'The questionnaire version') },
  },
  {
    id: 'createQuestionnaire',
    method: 'POST',
    path: '/questionnaires',
    capability: 'surveys',
    handler: 'createQuestionnaire',
    auth: 'manager',
    summary:
      'Open a draft: of a new questionnaire (empty, with questions, or a copy of `copyOf`), or — when `id` names an existing one — of its next version. 409 when a draft is already open or it is retired',
    request: { body: CreateQuestionnaireBody },
    example: {
      id: 'service-standard-2027',
      name: { zh: '客户服务满意度评价（2027 版）', en: 'Customer service standard (2027)' },
      copyOf: { id: 'service-standard' },
    },
    responses: { 201: json(Questionnaire, 'The draft') },
  },
  {
    id: 'putQuestionnaireDraft',
    method: 'PUT',
    path: '/questionnaires/{id}/draft',
    capability: 'surveys',
    handler: 'putQuestionnaireDraft',
    auth: 'manager',
    summary:
      'Replace the open draft (If-Match: its ETag, 412 when stale). 409 when no draft is open: a published version never changes',
    request: { params: QuestionnaireParams, body: PutQuestionnaireDraftBody },
    example: {
      name: { zh: '门店服务快速评价', en: 'Store visit, quick check' },
      questions: [
        {
          id: 'waiting_time',
          type: 'scale',
          text: { zh: '排队等候时间', en: 'How long you waited' },
          required: true,
          dimension: 'responsiveness',
          subIndicator: 'first_response',
          labels: [
            { zh: '非常不满意', en: 'Very dissatisfied' },
            { zh: '不满意', en: 'Dissatisfied' },
            { zh: '一般', en: 'Neutral' },
            { zh: '满意', en: 'Satisfied' },
            { zh: '非常满意', en: 'Very satisfied' },
          ],
        },
        {
          id: 'nps',
          type: 'nps',
          text: {
            zh: '您有多大可能向朋友或同事推荐我们?',
            en: 'How likely are you to recommend us to a friend or colleague?',
          },
          required: true,
        },
      ],
    },
    responses: { 200: json(Questionnaire, 'The draft') },
  },
  {
    id: 'publishQuestionnaire',
    method: 'POST',
    path: '/questionnaires/{id}/publish',
    capability: 'surveys',
    handler: 'publishQuestionnaire',
    auth: 'manager',
    summary: 'Publish the open draft as the next version, which never changes; new surveys ask it from now on',
    request: { params: QuestionnaireParams },
    responses: { 200: json(Questionnaire, 'The published version') },
  },
  {
    id: 'retireQuestionnaire',
    method: 'POST',
    path: '/questionnaires/{id}/retire',
    capability: 'surveys',
    handler: 'retireQuestionnaire',
    auth: 'manager',
    summary: 'Retire a questionnaire: no new survey asks it; its versions and answers stay',
    request: { params: QuestionnaireParams },
    responses: { 200: json(Questionnaire, 'The newest version, retired') },
  },
] as const satisfies readonly RouteDeclaration[];
