import { Customer, CustomerErasure, CustomerParams, PutCustomerBody } from '../../schemas/customers.js';
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
    summary: 'Read a customer with their derived segment and activity counts',
    request: { params: CustomerParams },
    responses: { 200: json(Customer, 'The customer') },
  },
  {
    id: 'eraseCustomer',
    method: 'DELETE',
    path: '/customers/{id}',
    capability: 'customers',
    handler: 'erase',
    auth: 'admin',
    summary: "Erase a customer's personal data everywhere (anonymous aggregates stay); safe to repeat",
    request: { params: CustomerParams },
    responses: { 204: { description: 'Erased (also when there was nothing to erase)' } },
  },
  {
    id: 'getCustomerErasure',
    method: 'GET',
    path: '/customers/{id}/erasure',
    capability: 'customers',
    handler: 'erasure',
    auth: 'manager',
    summary:
      'Who erased a customer and when (the erasure record names nobody: it is keyed by a keyed hash of the id); 404 when never erased',
    request: { params: CustomerParams },
    responses: { 200: json(CustomerErasure, 'The erasure') },
  },
] as const satisfies readonly RouteDeclaration[];
