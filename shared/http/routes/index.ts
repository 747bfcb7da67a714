/** All routes of the API. Add a capability's list here and CDK, the local runtime and OpenAPI follow. */
import { alertRoutes } from './alerts.js';
import { campaignRoutes } from './campaigns.js';
import { categoryRoutes } from './categories.js';
import { complaintRoutes } from './complaints.js';
import { customerRoutes } from './customers.js';
import { followUpRoutes } from './followups.js';
import { goalRoutes } from './goals.js';
import { improvementRoutes } from './improvements.js';
import { interactionRoutes } from './interactions.js';
import { metricsRoutes } from './metrics.js';
import { pageRoutes } from './pages.js';
import { questionnaireRoutes } from './questionnaires.js';
import { reportRoutes } from './reports.js';
import type { RouteDeclaration } from './route.js';
import { settingsRoutes } from './settings.js';
import { staffRoutes } from './staff.js';
import { surveyRoutes } from './surveys.js';
import { systemRoutes } from './system.js';

export const ROUTES: readonly RouteDeclaration[] = [
  ...systemRoutes,
  ...staffRoutes,
  ...interactionRoutes,
  ...complaintRoutes,
  ...metricsRoutes,
  ...reportRoutes,
  ...improvementRoutes,
  ...followUpRoutes,
  ...settingsRoutes,
  ...categoryRoutes,
  ...goalRoutes,
  ...customerRoutes,
  ...surveyRoutes,
  ...questionnaireRoutes,
  ...campaignRoutes,
  ...alertRoutes,
  ...pageRoutes,
];

export type { HttpMethod, RouteDeclaration, RouteResponse } from './route.js';
