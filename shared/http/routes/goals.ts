import { CreateGoalBody, Goal, GoalList, GoalListQuery, GoalParams, PatchGoalBody } from '../../schemas/goals.js';
import { json, type RouteDeclaration } from './route.js';

/** Goals (contract "Analysis (v1.2)"), served by the settings capability: targets a manager sets, read with progress. */
export const goalRoutes = [
  {
    id: 'createGoal',
    method: 'POST',
    path: '/goals',
    capability: 'settings',
    handler: 'createGoal',
    auth: 'manager',
    summary:
      'Set a goal: a KPI (optionally of a team or channel) from its baseline period’s value to a target value or change by a date, with an owner',
    request: { body: CreateGoalBody },
    example: {
      kpi: 'csi',
      baseline: { from: '2026-07-01', to: '2026-09-30' },
      target: { value: 8 },
      by: '2026-12-31',
      owner: 'manager-1',
    },
    responses: { 201: json(Goal, 'The goal with its baseline value, target value and progress') },
  },
  {
    id: 'listGoals',
    method: 'GET',
    path: '/goals',
    capability: 'settings',
    handler: 'listGoals',
    auth: 'supervisor',
    summary:
      'Every goal with baselineValue, targetValue, current, expectedNow and status (on_track, at_risk, achieved, missed)',
    request: { query: GoalListQuery },
    responses: { 200: json(GoalList, 'The goals, oldest first') },
  },
  {
    id: 'getGoal',
    method: 'GET',
    path: '/goals/{id}',
    capability: 'settings',
    handler: 'getGoal',
    auth: 'supervisor',
    summary: 'One goal with its progress, its version as ETag',
    request: { params: GoalParams },
    responses: { 200: json(Goal, 'The goal') },
  },
  {
    id: 'patchGoal',
    method: 'PATCH',
    path: '/goals/{id}',
    capability: 'settings',
    handler: 'patchGoal',
    auth: 'manager',
    summary: 'Change a goal’s target, date, owner or name (If-Match: its ETag); the KPI, scope and baseline stay',
    request: { params: GoalParams, body: PatchGoalBody },
    example: { by: '2027-03-31' },
    responses: { 200: json(Goal, 'The changed goal') },
  },
] as const satisfies readonly RouteDeclaration[];
