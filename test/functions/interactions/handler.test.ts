/**
 * The interactions handlers as Lambda runs them, with DynamoDB replaced by
 * aws-sdk-client-mock: what reaches DynamoDB, and how its failures are answered.
 */
import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { create, get, patch } from '../../../functions/interactions/handler.js';
import { interactionRoutes } from '../../../shared/http/routes/interactions.js';
import { pick } from '../../../shared/http/routes/route.js';
import { forgetCachedSettings } from '../../../shared/store/settings.js';
import { anInteraction } from '../../support/builders/interactions.js';
import { invoke } from '../../support/events.js';

const documentClient = mockClient(DynamoDBDocumentClient);
const rawClient = mockClient(DynamoDBClient);
const createRoute = pick(interactionRoutes, 'createInteraction');
const getRoute = pick(interactionRoutes, 'getInteraction');
const patchRoute = pick(interactionRoutes, 'patchInteraction');
const ID = '01JC0ZQ8M3Y7D5T2N4K6P8R0SV';

beforeEach(() => {
  documentClient.reset();
  rawClient.reset();
  forgetCachedSettings();
  documentClient.on(GetCommand, { Key: { pk: 'SETTINGS', sk: 'CURRENT' } }).resolves({});
});
afterEach(() => documentClient.reset());

describe('POST /interactions handler', () => {
  it('writes the interaction and its KPI counters in one transaction, keyed for every list', async () => {
    documentClient.on(TransactWriteCommand).resolves({});
    const reply = await invoke(create, createRoute, {
      body: anInteraction({ channel: 'store', customerId: 'C-7', startedAt: '2026-11-03T08:00:00+08:00' }),
    });
    expect(reply.statusCode).toBe(201);
    const [call] = documentClient.commandCalls(TransactWriteCommand);
    const items = call!.args[0].input.TransactItems!;
    const put = items[0]!.Put!;
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put.Item).toMatchObject({
      pk: `INTERACTION#${reply.json.id}`,
      gsi1pk: 'CUSTOMER#C-7',
      gsi2pk: 'INTERACTIONS#store#2026-11-03',
      startedAt: '2026-11-03T00:00:00.000Z',
      serviceDay: '2026-11-03',
      responseTargetSeconds: 180,
    });
    // In the same transaction: the customer's audience marker for campaigns, the changes feed's item,
    // and the counters of the team's and the agent's cells.
    const audience = items.find((item) => String(item.Update?.Key?.sk).startsWith('AUDIENCE#'));
    expect(audience?.Update?.Key).toEqual({ pk: 'CUSTOMER#C-7', sk: 'AUDIENCE#active#2026-11' });
    expect(items.find((item) => item.Put?.Item?.type === 'change')?.Put?.Item).toMatchObject({
      type: 'change',
      changeType: 'interaction',
      id: reply.json.id,
      version: 1,
    });
    const counters = items.filter((item) => item.Update?.UpdateExpression?.includes('ADD'));
    expect(counters.map((item) => String(item.Update?.Key?.pk).split('#')[0])).toEqual(
      expect.arrayContaining(['AGG', 'AGGAGENT']),
    );
  });

  it('schedules the survey invitation of a resolved contact in the same transaction as the record', async () => {
    documentClient.on(TransactWriteCommand).resolves({});
    const resolvedAt = new Date(Date.now() - 60_000);
    const startedAt = new Date(resolvedAt.getTime() - 600_000);
    const reply = await invoke(create, createRoute, {
      body: anInteraction({ startedAt: startedAt.toISOString(), resolvedAt: resolvedAt.toISOString() }),
    });
    expect(reply.statusCode).toBe(201);
    const items = documentClient.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const task = items.find((item) => String(item.Put?.Item?.pk).startsWith('FOLLOWUP#'))!;
    expect(task.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        pk: `FOLLOWUP#invite:interaction:${reply.json.id}`,
        kind: 'survey_invitation',
        status: 'pending',
        subject: { type: 'interaction', id: reply.json.id },
      },
    });
  });

  it('answers 401 without claims and 403 for a caller whose groups hold no role, before touching DynamoDB', async () => {
    expect((await invoke(create, createRoute, { as: null, body: anInteraction() })).statusCode).toBe(401);
    const reply = await invoke(create, createRoute, {
      claims: { sub: 'x', 'cognito:groups': 'visitor' },
      body: anInteraction(),
    });
    expect(reply.statusCode).toBe(403);
    expect(documentClient.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('reads groups whether the authorizer sends them comma-joined or bracketed', async () => {
    documentClient.on(TransactWriteCommand).resolves({});
    for (const groups of ['visitor,agent', '[visitor agent]']) {
      const reply = await invoke(create, createRoute, {
        claims: { sub: 'x', 'cognito:groups': groups },
        body: anInteraction(),
      });
      expect(reply.statusCode).toBe(201);
    }
  });

  it('names each invalid field in a problem+json 400', async () => {
    const reply = await invoke(create, createRoute, { body: { ...anInteraction(), channel: 'fax', extra: 1 } });
    expect(reply.statusCode).toBe(400);
    expect(reply.headers?.['content-type']).toBe('application/problem+json');
    expect(reply.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['channel', 'extra']);
  });

  it('refuses times out of order with 400 and writes nothing', async () => {
    const reply = await invoke(create, createRoute, {
      body: anInteraction({ firstResponseAt: '2026-11-03T07:59:00Z' }),
    });
    expect(reply.statusCode).toBe(400);
    expect(reply.json.errors[0].path).toBe('firstResponseAt');
    expect(documentClient.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 503 with Retry-After when DynamoDB throttles, never a bare 500', async () => {
    documentClient
      .on(TransactWriteCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const reply = await invoke(create, createRoute, { body: anInteraction() });
    expect(reply.statusCode).toBe(503);
    expect(reply.headers?.['retry-after']).toBeDefined();
  });

  it('answers an unexpected failure with a 500 problem that reveals no internals', async () => {
    documentClient.on(TransactWriteCommand).rejects(new Error('disk on fire at /var/lib/secret'));
    const reply = await invoke(create, createRoute, { body: anInteraction() });
    expect(reply.statusCode).toBe(500);
    expect(reply.body).not.toContain('secret');
    expect(reply.body).not.toContain('at ');
  });
});

describe('PATCH /interactions/{id} handler', () => {
  const stored = {
    pk: `INTERACTION#${ID}`,
    sk: 'INTERACTION',
    id: ID,
    customerId: 'C-1',
    channel: 'chat',
    complexity: 'simple',
    startedAt: '2026-11-03T08:00:00.000Z',
    serviceDay: '2026-11-03',
    responseTargetSeconds: 20,
    resolutionTargetSeconds: 14400,
    createdAt: '2026-11-03T08:00:00.000Z',
    updatedAt: '2026-11-03T08:00:00.000Z',
    createdBy: 'x',
    version: 3,
  };

  it('re-reads and re-applies the patch when another writer got there first', async () => {
    documentClient
      .on(GetCommand, { Key: { pk: `INTERACTION#${ID}`, sk: 'INTERACTION' } })
      .resolvesOnce({ Item: stored })
      .resolves({ Item: { ...stored, version: 4, category: 'billing' } });
    documentClient
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
        }),
      )
      .resolves({});
    const reply = await invoke(patch, patchRoute, {
      pathParameters: { id: ID },
      body: { resolvedAt: '2026-11-03T08:30:00Z' },
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.json).toMatchObject({
      category: 'billing',
      resolvedAt: '2026-11-03T08:30:00.000Z',
      version: 5,
      status: 'resolved',
    });
    const conditions = documentClient
      .commandCalls(TransactWriteCommand)
      .map((c) => c.args[0].input.TransactItems![0]!.Put!.ExpressionAttributeValues![':expected']);
    expect(conditions).toEqual([3, 4]);
  });

  it('answers 404 for an unknown id', async () => {
    documentClient.on(GetCommand, { Key: { pk: `INTERACTION#${ID}`, sk: 'INTERACTION' } }).resolves({});
    expect((await invoke(get, getRoute, { pathParameters: { id: ID } })).statusCode).toBe(404);
  });

  it('answers 400 for an id this API never issues', async () => {
    const reply = await invoke(get, getRoute, { pathParameters: { id: 'not-an-id' } });
    expect(reply.statusCode).toBe(400);
    expect(reply.json.errors[0].path).toBe('id');
  });
});
