/**
 * The tracer of every function: Powertools Tracer over X-Ray (active tracing is on for every
 * function and the state machine). Each invocation is a segment, each AWS SDK call a subsegment.
 *
 * Responses and errors are NOT recorded as trace metadata: answers carry customers' contact
 * data and link tokens, which must never reach a trace (the sampling rules of the token routes
 * sample none of them, see infra/aws/constructs/token-traces.ts). Outside Lambda (`npm start`,
 * tests) the tracer is off by itself and sends nothing.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SERVICE_NAME } from './logger.js';

export const tracer = new Tracer({ serviceName: SERVICE_NAME, captureHTTPsRequests: false });

/** An AWS SDK v3 client whose calls become subsegments of the invocation's trace (unchanged when tracing is off). */
export function traced<C>(client: C, by: Tracer = tracer): C {
  return by.captureAWSv3Client(client);
}

/** The middy middleware that opens the invocation's segment: no response and no error payload recorded. */
export function traceInvocation(by: Tracer = tracer) {
  return captureLambdaHandler(by, { captureResponse: false });
}
