/** Starts one DynamoDB Local (Amazon's own, Java) for the whole test run. */
import '../../infra/local/polyfills.js';
import { type LocalDynamo, startDynamoLocal } from '../../infra/local/dynamodb.js';

let dynamo: LocalDynamo | undefined;

export async function setup(): Promise<void> {
  dynamo = await startDynamoLocal();
  // Workers are forked after this runs and inherit the environment.
  process.env.CARELOOP_TEST_DYNAMO_ENDPOINT = dynamo.endpoint;
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}
