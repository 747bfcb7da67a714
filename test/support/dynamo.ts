/** Gives a test file its own freshly created tables in the shared DynamoDB Local. */
import { randomBytes } from 'node:crypto';
import { ensureTables, useLocalDynamo } from '../../infra/local/dynamodb.js';
import { forgetCachedSettings } from '../../shared/store/settings.js';

export function dynamoEndpoint(): string {
  const endpoint = process.env.CARELOOP_TEST_DYNAMO_ENDPOINT;
  if (!endpoint) throw new Error('CARELOOP_TEST_DYNAMO_ENDPOINT is not set: run the tests through vitest (npm test)');
  return endpoint;
}

export const uniquePrefix = () => `t${randomBytes(4).toString('hex')}-`;

/** Creates this file's tables and points the store at them. Call in beforeAll. */
export async function useTestTables(): Promise<{ endpoint: string; prefix: string }> {
  const endpoint = dynamoEndpoint();
  const prefix = uniquePrefix();
  useLocalDynamo(endpoint);
  await ensureTables(endpoint, prefix);
  forgetCachedSettings();
  return { endpoint, prefix };
}
