import {
  CreateInteractionBody,
  IdParams,
  Interaction,
  InteractionPage,
  ListInteractionsQuery,
  PatchInteractionBody,
} from '../../schemas/interactions.js';
import { json, type RouteDeclaration } from './route.js';

export const interactionRoutes = [
  {
    id: 'createInteraction',
    method: 'POST',
    path: '/interactions',
    capability: 'interactions',
    handler: 'create',
    auth: 'agent',
    summary: 'Record a customer-service interaction',
    request: { body: CreateInteractionBody },
    responses: { 201: json(Interaction, 'The interaction with its derived timing') },
    deletesData: true, // a customer's contact resumes their paused complaints (the paused markers go)
  },
  {
    id: 'listInteractions',
    method: 'GET',
    path: '/interactions',
    capability: 'interactions',
    handler: 'list',
    auth: 'agent',
    summary: 'List interactions, newest first, by customer, channel and date range',
    request: { query: ListInteractionsQuery },
    responses: { 200: json(InteractionPage, 'A page of interactions') },
  },
  {
    id: 'getInteraction',
    method: 'GET',
    path: '/interactions/{id}',
    capability: 'interactions',
    handler: 'get',
    auth: 'agent',
    summary: 'Read one interaction',
    request: { params: IdParams },
    responses: { 200: json(Interaction, 'The interaction') },
  },
  {
    id: 'patchInteraction',
    method: 'PATCH',
    path: '/interactions/{id}',
    capability: 'interactions',
    handler: 'patch',
    auth: 'agent',
    summary: 'Record the first response, resolution, overdue reason or category of an interaction',
    request: { params: IdParams, body: PatchInteractionBody },
    responses: { 200: json(Interaction, 'The updated interaction') },
  },
] as const satisfies readonly RouteDeclaration[];
