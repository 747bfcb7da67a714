import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { rawDynamo } from '../store/client.js';
import { IDEMPOTENCY_TABLE, tableName } from '../store/table.js';
import { REPLAY_HEADER } from './headers.js';

/** What identifies a retry: the caller, their Idempotency-Key, and (for the 422 check) the body. */
export interface IdempotentCall {
  actor: string;
  key: string;
  body: unknown;
}

type Work<T> = () => Promise<T>;
export type IdempotentRunner = <T>(call: IdempotentCall, context: Context, work: Work<T>) => Promise<T>;

export { REPLAY_HEADER };

/**
 * A keyed POST whose use case has no transaction to put its claim in passes this as `idempotency`
 * to apiHandler (shared/http/api.ts): only the functions serving such a route bundle Powertools.
 *
 * Runs `work` at most once per (route, caller, Idempotency-Key) within 24 h, with
 * Powertools for AWS Lambda idempotency on DynamoDB: a retry gets the first answer back,
 * the same key with another body is refused (IdempotencyValidationError → 422).
 */
export function idempotentRunner(routeId: string): IdempotentRunner {
  let runner: ((call: IdempotentCall, work: Work<unknown>) => Promise<unknown>) | undefined;
  let config: IdempotencyConfig | undefined;
  // Built for one table: a process that is pointed at another (a test worker running the next file's
  // runtime) builds anew, or it would keep writing records to the table of the first file it served.
  let builtFor: string | undefined;
  return async <T>(call: IdempotentCall, context: Context, work: Work<T>): Promise<T> => {
    const table = tableName(IDEMPOTENCY_TABLE);
    if (!runner || !config || builtFor !== table) {
      builtFor = table;
      config = new IdempotencyConfig({
        eventKeyJmesPath: '[actor, key]',
        payloadValidationJmesPath: 'body',
        expiresAfterSeconds: 24 * 3600,
        throwOnNoIdempotencyKey: true,
        responseHook: (response) => {
          const reply = response as { headers?: Record<string, string> };
          return { ...reply, headers: { ...reply.headers, [REPLAY_HEADER]: 'true' } };
        },
      });
      const persistenceStore = new DynamoDBPersistenceLayer({
        tableName: table,
        awsSdkV3Client: rawDynamo(),
      });
      runner = makeIdempotent(async (_call: IdempotentCall, todo: Work<unknown>) => todo(), {
        persistenceStore,
        config,
        keyPrefix: `careloop.${routeId}`,
      });
    }
    config.registerLambdaContext(context);
    return (await runner(call, work)) as T;
  };
}
