import { DynamoDBClient, DynamoDBDocumentClient } from './sdk.js';

let baseClient: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;

/**
 * The low-level DynamoDB client of this process. Locally the runtime points it at
 * DynamoDB Local through AWS_ENDPOINT_URL_DYNAMODB, which the SDK reads by itself.
 */
export function rawDynamo(): DynamoDBClient {
  baseClient ??= new DynamoDBClient({ maxAttempts: 4 });
  return baseClient;
}

/** The document client shared by every repository in a process. */
export function dynamo(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(rawDynamo(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}
