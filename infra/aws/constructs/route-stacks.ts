/**
 * Which CloudFormation stack holds a route's API Gateway resources and methods. The API itself
 * (RestApi, stage, authorizer, functions) lives in the main stack; its methods are the bulk of
 * the resources (a route is a method, often a path and a CORS preflight), so each concern's
 * routes go to a nested stack of their own and every template stays well inside the resource
 * budget (test/infra/aws/stack.test.ts counts every template). A top-level path belongs to one
 * stack (API Gateway allows one resource per path). A path not listed goes to `MoreRoutes`;
 * move it to its concern's stack before it is deployed (moving a deployed path between stacks
 * replaces its resources).
 */

export interface RouteStackDeclaration {
  /** The first segments of the paths it holds (`complaints` for `/complaints/{id}/events`). */
  segments: readonly string[];
  description: string;
}

/** Routes whose top-level path is listed here stay in the main stack: the API's own (health, the document, identity, settings). */
export const MAIN_STACK_SEGMENTS: readonly string[] = ['health', 'openapi.json', 'me', 'changes', 'staff', 'settings'];

export const ROUTE_STACKS: Readonly<Record<string, RouteStackDeclaration>> = {
  ComplaintRoutes: {
    segments: ['complaints', 'alerts', 'c'],
    description: 'CareLoop API routes: complaints, call-back alerts, the confirmation pages',
  },
  CustomerRoutes: {
    segments: ['customers', 'interactions'],
    description: 'CareLoop API routes: customers and service interactions',
  },
  SurveyRoutes: {
    segments: ['surveys', 's', 'followups', 'questionnaires', 'campaigns'],
    description: 'CareLoop API routes: surveys, the survey pages, follow-ups, questionnaires, campaigns',
  },
  ImprovementRoutes: {
    segments: ['improvements', 'suggestions'],
    description: 'CareLoop API routes: improvement actions and suggestions',
  },
  ReportRoutes: {
    segments: ['reports', 'metrics'],
    description: 'CareLoop API routes: KPIs and reports',
  },
  MoreRoutes: {
    segments: [],
    description: 'CareLoop API routes not yet assigned to a concern (infra/aws/constructs/route-stacks.ts)',
  },
};

/** The nested stack of a route's path, or undefined for the main stack. */
export function routeStackOf(path: string): string | undefined {
  const segment = path.split('/')[1] ?? '';
  if (MAIN_STACK_SEGMENTS.includes(segment)) return undefined;
  const found = Object.entries(ROUTE_STACKS).find(([, declaration]) => declaration.segments.includes(segment));
  return found?.[0] ?? 'MoreRoutes';
}
