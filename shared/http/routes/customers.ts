import {
  Customer,
  CustomerErasure,
  CustomerParams,
  CustomerQuery,
  CustomerResponsesQuery,
  PutCustomerBody,
  SegmentList,
  SegmentListQuery,
} from '../../schemas/customers.js';
import { CustomerSurveyResponsePage, CustomerView } from '../../schemas/surveys.js';
import { json, type RouteDeclaration } from './route.js';

export const customerRoutes = [
  {
    id: 'putCustomer',
    method: 'PUT',
    path: '/customers/{id}',
    capability: 'customers',
    handler: 'put',
    auth: 'agent',
    summary: "Create or replace a customer's profile: contact data, preferred channel, language, tier and consent",
    request: { params: CustomerParams, body: PutCustomerBody },
    example: {
      name: '王小明',
      phone: '+8613812345678',
      email: 'wang.xiaoming@example.com',
      preferredChannel: 'sms',
      language: 'zh',
      tier: 'gold',
      consent: { sms: true, email: false },
    },
    responses: { 200: json(Customer, 'The replaced profile'), 201: json(Customer, 'The new profile') },
  },
  {
    id: 'getCustomer',
    method: 'GET',
    path: '/customers/{id}',
    capability: 'customers',
    handler: 'get',
    auth: 'agent',
    summary:
      'Read a customer with their derived segment and activity counts; `?include=responses` adds the first page of their survey answers (the customer view in three calls)',
    request: { params: CustomerParams, query: CustomerQuery },
    responses: { 200: json(CustomerView, 'The customer (with `responses` when asked)') },
  },
  {
    id: 'listCustomerResponses',
    method: 'GET',
    path: '/customers/{id}/responses',
    capability: 'customers',
    handler: 'responses',
    auth: 'agent',
    summary:
      "A customer's survey answers, newest invitation first; the first page also comes with GET /customers/{id}?include=responses",
    request: { params: CustomerParams, query: CustomerResponsesQuery },
    responses: { 200: json(CustomerSurveyResponsePage, 'The survey answers') },
  },
  {
    id: 'listSegment',
    method: 'GET',
    path: '/customers',
    capability: 'customers',
    handler: 'listSegment',
    auth: 'supervisor',
    summary:
      'Customers in a segment (at risk, detractors, frequent complainers), optionally of one tier, from a sparse list: contact data masked',
    request: { query: SegmentListQuery },
    responses: { 200: json(SegmentList, 'One page of the segment, by tier then id') },
  },
  {
    id: 'eraseCustomer',
    method: 'DELETE',
    path: '/customers/{id}',
    capability: 'customers',
    handler: 'erase',
    auth: 'admin',
    summary:
      "Erase a customer's personal data everywhere (anonymous aggregates stay); safe to repeat. A customer with more items than one request erases is erased by a job: 202, then follow GET /customers/{id}/erasure",
    request: { params: CustomerParams },
    responses: {
      204: { description: 'Erased (also when there was nothing to erase)' },
      202: {
        ...json(
          CustomerErasure,
          'Too many items to erase in one request: a job erases them (Location: GET /customers/{id}/erasure, `running` until `done`)',
        ),
        headers: {
          Location: { description: 'Where the erasure’s progress is read', example: '/customers/C-10042/erasure' },
        },
      },
    },
    deletesData: true, // erasure removes the customer's own partition
    startsJob: 'customerErasure',
  },
  {
    id: 'getCustomerErasure',
    method: 'GET',
    path: '/customers/{id}/erasure',
    capability: 'customers',
    handler: 'erasure',
    auth: 'manager',
    summary:
      'Who erased a customer and when, and whether the erasure is still running (the record names nobody: it is keyed by a keyed hash of the id); 404 when never erased',
    request: { params: CustomerParams },
    responses: { 200: json(CustomerErasure, 'The erasure') },
  },
] as const satisfies readonly RouteDeclaration[];
