/**
 * The AWS job runner: the function invokes itself asynchronously (InvocationType Event) with the
 * job as its event; its generated entry hands `{ careloopJob }` events to the job's handler
 * (shared/http/dispatch.ts). Lambda retries a failed asynchronous run twice; jobs are safe to repeat.
 * The function may invoke only itself (infra/aws/constructs/api.ts grants it by its fixed name).
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { JobEvent, JobRunner } from './ports.js';

export function lambdaJobRunner(functionName = process.env.AWS_LAMBDA_FUNCTION_NAME): JobRunner {
  const client = new LambdaClient({});
  return {
    async start(job) {
      if (!functionName) throw new Error('AWS_LAMBDA_FUNCTION_NAME is not set: jobs start from inside Lambda');
      const event: JobEvent = { careloopJob: job };
      await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
    },
  };
}
