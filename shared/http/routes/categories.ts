import { Category, CategoryList, CategoryParams, PutCategoryBody } from '../../schemas/categories.js';
import { json, type RouteDeclaration } from './route.js';

/** The managed complaint category list (contract "Categories and causes (v1.2)"), served by the settings capability. */
export const categoryRoutes = [
  {
    id: 'listCategories',
    method: 'GET',
    path: '/categories',
    capability: 'settings',
    handler: 'listCategories',
    auth: 'agent',
    summary:
      'The complaint category list (bilingual, with parents and active flags) every complaint and improvement names',
    responses: { 200: json(CategoryList, 'Every category, by code') },
  },
  {
    id: 'getCategory',
    method: 'GET',
    path: '/categories/{code}',
    capability: 'settings',
    handler: 'getCategory',
    auth: 'agent',
    summary: 'One category, with its version as ETag',
    request: { params: CategoryParams },
    responses: { 200: json(Category, 'The category') },
  },
  {
    id: 'putCategory',
    method: 'PUT',
    path: '/categories/{code}',
    capability: 'settings',
    handler: 'putCategory',
    auth: 'admin',
    summary: 'Add a category or change its names, parent or active flag (the code, and so every figure, stays)',
    request: { params: CategoryParams, body: PutCategoryBody },
    example: { name: { zh: '快递延误', en: 'Courier delay' }, parent: 'logistics', active: true },
    responses: { 200: json(Category, 'The changed category'), 201: json(Category, 'The new category') },
  },
] as const satisfies readonly RouteDeclaration[];
