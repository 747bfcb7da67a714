/** Starts one DynamoDB Local (Amazon's own, Java) for the whole test run. */
import '../../infra/local/polyfills.js';
import { type LocalDynamo, startDynamoLocal } from '../../infra/local/dynamodb-process.js';

let dynamo: LocalDynamo | undefined;

export async function setup(): Promise<void> {
  // Reuse one already running (CARELOOP_TEST_DYNAMO_REUSE=http://127.0.0.1:PORT), e.g. on a busy shared machine.
  if (process.env.CARELOOP_TEST_DYNAMO_REUSE) {
    process.env.CARELOOP_TEST_DYNAMO_ENDPOINT = process.env.CARELOOP_TEST_DYNAMO_REUSE;
    return;
  }
  // Maps the JVM's class archive if `npm start` recorded one; recording it would lengthen the teardown.
  // A run is minutes of steady requests: the JVM's optimizing compiler pays for itself (~10 % of the run).
  dynamo = await startDynamoLocal({ recordClassArchive: false, compiler: 'optimizing' });
  // Workers are forked after this runs and inherit the environment.
  process.env.CARELOOP_TEST_DYNAMO_ENDPOINT = dynamo.endpoint;
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}
