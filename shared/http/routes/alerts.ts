import { Alert, AlertIdParams, AlertOutcomeBody, AlertPage, ListAlertsQuery } from '../../schemas/alerts.js';
import { json, type RouteDeclaration } from './route.js';

export const alertRoutes = [
  {
    id: 'listAlerts',
    method: 'GET',
    path: '/alerts',
    capability: 'alerts',
    handler: 'listAlerts',
    auth: 'supervisor',
    summary: 'Negative answers to call back: open and claimed ones soonest due first, or the done ones',
    request: { query: ListAlertsQuery },
    responses: { 200: json(AlertPage, 'A page of alerts') },
  },
  {
    id: 'claimAlert',
    method: 'POST',
    path: '/alerts/{id}/claim',
    capability: 'alerts',
    handler: 'claimAlert',
    auth: 'supervisor',
    summary: 'Take an alert to call the customer back (409 when someone else has it)',
    conflictCarriesCurrent: true,
    request: { params: AlertIdParams },
    responses: { 200: json(Alert, 'The claimed alert') },
  },
  {
    id: 'recordAlertOutcome',
    method: 'POST',
    path: '/alerts/{id}/outcome',
    capability: 'alerts',
    handler: 'recordAlertOutcome',
    auth: 'supervisor',
    summary: 'Record how the call-back went; complaint_opened links the complaint it led to',
    conflictCarriesCurrent: true,
    request: { params: AlertIdParams, body: AlertOutcomeBody },
    example: { outcome: 'called_back', note: 'Apologised; a voucher was sent.' },
    responses: { 200: json(Alert, 'The handled alert') },
  },
] as const satisfies readonly RouteDeclaration[];
