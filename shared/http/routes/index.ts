/** All routes of the API. Add a capability's list here and CDK, the local runtime and OpenAPI follow. */
import { complaintRoutes } from './complaints.js';
import { interactionRoutes } from './interactions.js';
import type { RouteDeclaration } from './route.js';
import { systemRoutes } from './system.js';

export const ROUTES: readonly RouteDeclaration[] = [...systemRoutes, ...interactionRoutes, ...complaintRoutes];

export type { HttpMethod, RouteDeclaration, RouteResponse } from './route.js';
