/**
 * GET /metrics/agents reads one item per day × team × agent cell, however many contacts filled it
 * (issue 26: items read flat in the number of records): a write that counts for an agent puts its
 * counters in that agent's own shard (slot 0) on its first attempt. The figures are checked exactly,
 * so a layout change that lost or doubled a contribution fails here as well as one that spread a
 * cell over more items again.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../shared/store/client.js';
import { AGGREGATE_SHARDS, aggregateKeys } from '../../shared/store/keys.js';
import { MAIN_TABLE, tableName } from '../../shared/store/table.js';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
const AGENTS = ['agent-k0', 'agent-k1', 'agent-k2'];
const DAYS = ['2026-10-13', '2026-10-14'];
const PER_CELL = 4;

beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z') });
  for (const [k, agentId] of AGENTS.entries())
    for (const day of DAYS)
      for (let j = 0; j < PER_CELL; j += 1) {
        const started = Date.parse(`${day}T02:0${j}:00Z`);
        // Agent k answers contact j after 5 + 10·j·(k+1) s (a chat's target is 20 s) and resolves
        // the first k+1 of each day's four on first contact.
        const reply = await api.call('POST', '/interactions', {
          body: anInteraction({
            customerId: `C-cells-${k}-${day}-${j}`,
            channel: 'chat',
            team: 'online',
            agentId,
            startedAt: new Date(started).toISOString(),
            firstResponseAt: new Date(started + (5 + 10 * j * (k + 1)) * 1000).toISOString(),
            resolvedAt: new Date(started + 600_000).toISOString(),
            resolvedOnFirstContact: j <= k,
          }),
        });
        expect(reply.status).toBe(201);
      }
});
afterAll(async () => {
  await api?.runtime.stop();
});

const PERIOD = `from=${DAYS[0]}&to=${DAYS[1]}`;

async function agentCellItems(): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  for (let shard = 0; shard < AGGREGATE_SHARDS; shard += 1) {
    const page = await dynamo().send(
      new QueryCommand({
        TableName: tableName(MAIN_TABLE),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': aggregateKeys.agentMonthPartition('2026-10', shard) },
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []));
  }
  return items;
}

describe('GET /metrics/agents over day × agent cells of one item each', () => {
  it('answers each agent’s exact figures', async () => {
    const { status, body } = await api.call('GET', `/metrics/agents?${PERIOD}`, { as: 'manager' });
    expect(status).toBe(200);
    expect(body.items).toHaveLength(3);
    expect(body.items).toEqual([
      // 5, 15 of 5, 15, 25, 35 s within 20 s; 1 of 4 on first contact
      expect.objectContaining({
        agentId: 'agent-k0',
        teams: ['online'],
        interactions: 8,
        firstResponseWithinTargetShare: 0.5,
        firstContactResolutionShare: 0.25,
        averageFirstResponseSeconds: 20,
      }),
      // 5 of 5, 25, 45, 65 s; 2 of 4
      expect.objectContaining({
        agentId: 'agent-k1',
        teams: ['online'],
        interactions: 8,
        firstResponseWithinTargetShare: 0.25,
        firstContactResolutionShare: 0.5,
        averageFirstResponseSeconds: 35,
      }),
      // 5 of 5, 35, 65, 95 s; 3 of 4
      expect.objectContaining({
        agentId: 'agent-k2',
        teams: ['online'],
        interactions: 8,
        firstResponseWithinTargetShare: 0.25,
        firstContactResolutionShare: 0.75,
        averageFirstResponseSeconds: 50,
      }),
    ]);
    // The team's own cells hold the same contacts again.
    const team = await api.call('GET', `/metrics?${PERIOD}&team=online`, { as: 'manager' });
    expect(team.body.service.interactions).toBe(AGENTS.length * DAYS.length * PER_CELL);
  });

  it('stores one item per day × team × agent, not one per shard it happened to land in', async () => {
    const items = await agentCellItems();
    const cells = items.map((item) => `${item.day}#${item.team}#${item.agent}`);
    expect(new Set(cells).size).toBe(AGENTS.length * DAYS.length);
    // 4 contacts per cell, each an ADD into the same item (a random shard per write would make up to 4)
    expect(items).toHaveLength(AGENTS.length * DAYS.length);
    for (const item of items) expect(item.interactions).toBe(PER_CELL);
  });
});
