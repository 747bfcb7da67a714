/**
 * One Lambda serving several routes: the API Gateway event names the matched route
 * (`httpMethod` and `resource`, e.g. `GET /complaints/{id}`), and the dispatcher hands it to that
 * route's handler, which answers whatever it answers (JSON, HTML, CSV). The table comes from the
 * route declarations (see shared/http/routes/functions.ts); a request for a route this function
 * does not serve is a 404 problem, never another route's handler.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { NotFound } from '../domain/errors.js';
import { isJobEvent, type JobKind, type JobRequest } from '../jobs/ports.js';
import { problemResponse } from './problem.js';

export type RouteHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * @example
 * export const handler = dispatch({ 'GET /health': health, 'GET /openapi.json': openapi });
 */
export function dispatch(
  handlers: Readonly<Record<string, RouteHandler>>,
  jobs: Partial<Record<JobKind, (job: JobRequest) => Promise<unknown>>> = {},
): RouteHandler {
  const table = new Map(Object.entries(handlers));
  return async (event, context) => {
    // The function invoking itself with a job (shared/jobs/lambda.ts): run it; a failure throws, so Lambda retries.
    if (isJobEvent(event)) {
      const run = jobs[event.careloopJob.kind];
      if (!run) throw new Error(`This function runs no ${event.careloopJob.kind} job`);
      await run(event.careloopJob);
      return { statusCode: 204, body: '' };
    }
    const handler = table.get(`${event.httpMethod} ${event.resource}`);
    if (!handler) return problemResponse(new NotFound('No such route.'), event.resource).result;
    return handler(event, context);
  };
}
