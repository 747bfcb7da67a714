/**
 * The AWS job runner: the function invokes itself asynchronously (InvocationType Event) with the
 * job as its event; its generated entry hands `{ careloopJob }` events to the job's handler
 * (shared/http/dispatch.ts). Lambda retries a failed asynchronous run twice; jobs are safe to repeat.
 * The function may invoke only itself (infra/aws/constructs/api.ts grants it by its fixed name).
 * The Lambda client loads when the first job starts, not when the function does (issue 26).
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { JobEvent, JobRunner } from './ports.js';

export function lambdaJobRunner(functionName = process.env.AWS_LAMBDA_FUNCTION_NAME): JobRunner {
  let loading: Promise<{ client: LambdaClient; sdk: typeof import('@aws-sdk/client-lambda') }> | undefined;
  const lambda = () => {
    loading ??= import('@aws-sdk/client-lambda').then(
      (sdk) => ({ client: new sdk.LambdaClient({}), sdk }),
      (error: unknown) => {
        loading = undefined; // the next job tries again
        throw error;
      },
    );
    return loading;
  };
  return {
    async start(job) {
      if (!functionName) throw new Error('AWS_LAMBDA_FUNCTION_NAME is not set: jobs start from inside Lambda');
      const { client, sdk } = await lambda();
      const event: JobEvent = { careloopJob: job };
      await client.send(
        new sdk.InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
    },
  };
}
