/**
 * The DynamoDB SDK as every store uses it: loaded with `require()`, not `import`. The functions are
 * ES modules and the SDK (the Lambda runtime's, external to each bundle) is CommonJS; Node's ESM
 * loader lexes every CommonJS module it imports for its named exports (cjs-module-lexer, over the
 * SDK's ~200 KiB and what it re-exports), which cost more than loading it: on Node 20, importing
 * `@aws-sdk/client-dynamodb` and `@aws-sdk/lib-dynamodb` took about twice the CPU of requiring them
 * (issue 26: cold import; `npm run bench -- bundles` prints a reference loaded each way). Same
 * modules, same classes: a test's `import` of the SDK and this `require` share Node's module cache,
 * so `instanceof` and aws-sdk-client-mock see the classes the stores use.
 *
 * Types come from the packages as usual; import values from here, never from the packages.
 */
import { createRequire } from 'node:module';
import type * as Client from '@aws-sdk/client-dynamodb';
import type * as Lib from '@aws-sdk/lib-dynamodb';

const load = createRequire(import.meta.url);
const client = load('@aws-sdk/client-dynamodb') as typeof Client;
const lib = load('@aws-sdk/lib-dynamodb') as typeof Lib;

export const { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } = client;
export type ConditionalCheckFailedException = Client.ConditionalCheckFailedException;
export type DynamoDBClient = Client.DynamoDBClient;
export type TransactionCanceledException = Client.TransactionCanceledException;

export const {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} = lib;
export type BatchGetCommand = Lib.BatchGetCommand;
export type DeleteCommand = Lib.DeleteCommand;
export type DynamoDBDocumentClient = Lib.DynamoDBDocumentClient;
export type GetCommand = Lib.GetCommand;
export type PutCommand = Lib.PutCommand;
export type QueryCommand = Lib.QueryCommand;
export type TransactWriteCommand = Lib.TransactWriteCommand;
export type UpdateCommand = Lib.UpdateCommand;
export type { PutCommandInput, QueryCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
