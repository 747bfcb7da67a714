/**
 * One Lambda serving several routes: the API Gateway event names the matched route
 * (`httpMethod` and `resource`, e.g. `GET /complaints/{id}`), and the dispatcher hands it to that
 * route's handler, which answers whatever it answers (JSON, HTML, CSV). The table comes from the
 * route declarations (see shared/http/routes/functions.ts); a request for a route this function
 * does not serve is a 404 problem, never another route's handler.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { NotFound } from '../domain/errors.js';
import { problemResponse } from './problem.js';

export type RouteHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * @example
 * export const handler = dispatch({ 'GET /health': health, 'GET /openapi.json': openapi });
 */
export function dispatch(handlers: Readonly<Record<string, RouteHandler>>): RouteHandler {
  const table = new Map(Object.entries(handlers));
  return async (event, context) => {
    const handler = table.get(`${event.httpMethod} ${event.resource}`);
    if (!handler) return problemResponse(new NotFound('No such route.'), event.resource).result;
    return handler(event, context);
  };
}
