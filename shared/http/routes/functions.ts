/**
 * Which Lambda function serves which route, derived from the route declarations: one function per
 * capability for the staff routes, reads apart from writes (a read function holds no write grant),
 * and the public routes of a capability in one function of their own (it never holds a staff
 * route's grants): `systemPublic` (health, the document), `surveysPublic` (the survey links and
 * page), `complaintsPublic` (the confirmation page), `improvementsPublic` (the suggestion board).
 * One function for every public route bundled all four capabilities' use cases and pages (465 KiB,
 * over the 350 KiB budget of issue 26); apart, each carries its own (README, "Benchmark figures").
 * CDK deploys one function per entry of `apiFunctions(ROUTES)`; the local runtime dispatches
 * through the same grouping, so both serve exactly the declared routes.
 *
 * What a function may do to the main table follows from its routes (`tableActionsOf`): reads get
 * GetItem, BatchGetItem (the same items GetItem reaches, many keys a call: `shared/store/batch.ts`)
 * and Query; writes also PutItem and UpdateItem (single items and TransactWriteItems);
 * DeleteItem only where a route declares `deletesData`. No BatchWriteItem or ConditionCheck
 * action: no route uses one.
 */
import type { RouteDeclaration } from './route.js';

export interface ApiFunctionDeclaration {
  /** Stable id, also the CDK construct id: `<capability>`, `<capability>Read` or `<capability>Public`. */
  id: string;
  /** True for a function serving public routes (and only those). */
  public: boolean;
  routes: RouteDeclaration[];
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when the route changes stored data (any write method, or a GET declared `writesData`). */
export const writes = (route: RouteDeclaration): boolean =>
  route.writesData === true || WRITE_METHODS.has(route.method);

/** The key a dispatcher looks a request up by: API Gateway's `httpMethod` and `resource`, e.g. `GET /complaints/{id}`. */
export const routeKey = (route: Pick<RouteDeclaration, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/** The id of the function serving a route. */
export function apiFunctionIdOf(route: RouteDeclaration): string {
  if (route.auth === 'public') return `${route.capability}Public`;
  return writes(route) ? route.capability : `${route.capability}Read`;
}

/** The functions serving `routes`, in declaration order of their first route. */
export function apiFunctions(routes: readonly RouteDeclaration[]): ApiFunctionDeclaration[] {
  const byId = new Map<string, ApiFunctionDeclaration>();
  const keys = new Set<string>();
  for (const route of routes) {
    const key = routeKey(route);
    if (keys.has(key)) throw new Error(`${key} is declared twice`);
    keys.add(key);
    const id = apiFunctionIdOf(route);
    let fn = byId.get(id);
    if (!fn) byId.set(id, (fn = { id, public: route.auth === 'public', routes: [] }));
    fn.routes.push(route);
  }
  return [...byId.values()];
}

export const READ_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'] as const;
export const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
export const DELETE_ACTIONS = ['dynamodb:DeleteItem'] as const;

/** The main-table item actions the routes of one function use, sorted. */
export function tableActionsOf(routes: readonly RouteDeclaration[]): string[] {
  const actions = new Set<string>(READ_ACTIONS);
  if (routes.some(writes)) for (const action of WRITE_ACTIONS) actions.add(action);
  if (routes.some((route) => route.deletesData)) for (const action of DELETE_ACTIONS) actions.add(action);
  return [...actions].sort();
}
