/**
 * Metrics, per-agent metrics (40 agents) and report cost at 1× and 10× the records: latency and DynamoDB items read per
 * call must stay flat, because both read pre-aggregated counters only.
 *
 * The records are bulk-loaded the way a data migration would (BatchWriteItem of the
 * interaction items, then one ADD per counter cell with the summed contributions), since
 * writing 100 000 records one request at a time would take most of the run.
 */
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulidx';
import type { LocalRuntime } from '../infra/local/runtime.js';
import { seededRandom } from '../infra/local/seed/random.js';
import { type Contribution, contributionDelta } from '../shared/domain/aggregates.js';
import { defined } from '../shared/domain/errors.js';
import { customerGroupsOf } from '../shared/domain/groups.js';
import { targetsFor } from '../shared/domain/interactions.js';
import { answerCounters } from '../shared/domain/questionnaire-counters.js';
import { builtInVersion, SERVICE_TRANSACTION } from '../shared/domain/questionnaires.js';
import { DEFAULT_SETTINGS } from '../shared/domain/settings.js';
import { responseContribution } from '../shared/domain/surveys.js';
import { localDate } from '../shared/domain/time.js';
import { CONTACT_CHANNELS } from '../shared/schemas/common.js';
import { counterItemFor, counterUpdate } from '../shared/store/aggregates.js';
import { dynamo } from '../shared/store/client.js';
import { contributionsOf, type InteractionRecord, interactionItem } from '../shared/store/interactions.js';
import { MAIN_TABLE, tableName } from '../shared/store/table.js';
import { ms, pool, quantile, ratio, table, timeEach } from './stats.js';
import type { Section, SummaryRow } from './summary.js';

/** Items read per call at 10× the records ÷ at 1× (issue 26: flat between two full stores). */
export const TARGET_FLAT_RATIO = 1.3;

/** Counts the items DynamoDB returns to this process (Query/Get/BatchGet), to report items read per call. */
function countItemsRead() {
  const counter = { items: 0 };
  dynamo().middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as { Count?: number; Item?: unknown; Items?: unknown[] };
      counter.items += output.Count ?? (output.Item ? 1 : 0);
      return result;
    },
    { step: 'initialize', name: 'benchItemCounter' },
  );
  return counter;
}

const FORM = builtInVersion(SERVICE_TRANSACTION, 1);
const TIERS = ['none', 'silver', 'gold', 'platinum'] as const;

/**
 * One in three contacts answered today's form, by a customer of some tier: the response's counters
 * with its group and key-driver sums, in the contact's cell (what /metrics?groupBy=tier and
 * /metrics/drivers read). Their number grows with the records; the cells they land in do not.
 */
function answerOf(record: InteractionRecord, random: ReturnType<typeof seededRandom>): Contribution[] {
  if (!FORM || !random.chance(1 / 3)) return [];
  const score = () => random.int(1, 5);
  const scores = {
    responsiveness: score(),
    professionalism: score(),
    attitude: score(),
    resolution: score(),
    convenience: score(),
  };
  const items = { ...scores, overall: score(), nps: random.int(0, 10) };
  return [
    responseContribution({
      cell: { day: record.serviceDay, channel: record.channel, team: record.team ?? 'online' },
      subjectType: 'interaction',
      valid: true,
      answers: { scores, overall: items.overall, nps: items.nps, questionnaire: FORM, items, shown: FORM.questions },
      categories: [],
      alert: false,
      itemCounters: answerCounters(FORM, items),
      groups: customerGroupsOf({ tier: random.pick(TIERS) }, undefined, record.serviceDay),
    }),
  ];
}

async function bulkLoad(count: number, month: string, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const records: InteractionRecord[] = [];
  const cells = new Map<string, Contribution[]>();
  for (let i = 0; i < count; i += 1) {
    const channel = random.pick(CONTACT_CHANNELS);
    const complexity = random.chance(0.2) ? 'complex' : 'simple';
    const started = new Date(
      Date.UTC(year, monthNumber - 1, random.int(1, 28), random.int(0, 13), random.int(0, 59), random.int(0, 59)),
    );
    const id = ulid(started.getTime());
    const record: InteractionRecord = {
      id,
      customerId: `C-${random.int(1, 50_000)}`,
      channel,
      complexity,
      startedAt: started.toISOString(),
      serviceDay: localDate(started, DEFAULT_SETTINGS.timezone),
      team: channel === 'store' ? 'stores' : 'online',
      agentId: `agent-${random.int(1, 40)}`,
      firstResponseAt: new Date(started.getTime() + random.duration(15) * 1000).toISOString(),
      resolvedAt: new Date(started.getTime() + random.duration(3600) * 1000).toISOString(),
      ...targetsFor(channel, complexity, DEFAULT_SETTINGS.targets),
      createdAt: started.toISOString(),
      updatedAt: started.toISOString(),
      createdBy: 'bench',
      version: 1,
    };
    records.push(record);
    // Where the store's first attempt puts this record's counters: its agent's shard (counterItemFor).
    const shard = String(counterItemFor(record.agentId).shard);
    cells.set(shard, [...(cells.get(shard) ?? []), ...contributionsOf(record), ...answerOf(record, random)]);
  }
  await pool(Math.ceil(records.length / 25), 8, async (batch) => {
    let items = records.slice(batch * 25, batch * 25 + 25).map((record) => ({
      PutRequest: {
        // As the store writes it: every index key (the agent's month index too).
        Item: interactionItem(record),
      },
    }));
    while (items.length) {
      const result = await dynamo().send(new BatchWriteCommand({ RequestItems: { [tableName(MAIN_TABLE)]: items } }));
      items = (result.UnprocessedItems?.[tableName(MAIN_TABLE)] ?? []) as typeof items;
    }
  });
  // One ADD per (shard, cell) with the summed contributions of every record in it, on slot 0 of that
  // shard: the item an uncontended first attempt writes (counterItemFor). Placing each batch by a
  // record id instead would spread the load's cells over 32 slots that real traffic only reaches under
  // contention, and the 10× store (more batches) would read more items for that reason alone.
  const updates = [...cells.entries()].flatMap(([shard, contributions]) =>
    contributionDelta([], contributions).map((delta) => ({ delta, at: { shard: Number(shard), slot: 0 } })),
  );
  await pool(updates.length, 8, async (i) => {
    const { delta, at } = defined(updates[i], `counter update ${i}`);
    await dynamo().send(new UpdateCommand(counterUpdate(delta, at).Update as never));
  });
}

export async function benchScale(runtime: LocalRuntime, options: { base?: number } = {}): Promise<Section> {
  const base = options.base ?? 10_000;
  const month = '2026-09';
  const token = await runtime.token('bench-manager', ['manager']);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const counter = countItemsRead();

  const measure = async (label: string) => {
    const getMetrics = async () => {
      const response = await fetch(`${runtime.url}/metrics?from=${month}-01&to=${month}-30`, { headers });
      if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
      await response.arrayBuffer();
    };
    const buildReport = async () => {
      const response = await fetch(`${runtime.url}/reports/${month}/generate`, { method: 'POST', headers, body: '{}' });
      if (response.status !== 200) throw new Error(`report build answered ${response.status}`);
      await response.arrayBuffer();
    };
    const getAgentMetrics = async () => {
      const response = await fetch(`${runtime.url}/metrics/agents?from=${month}-01&to=${month}-30`, { headers });
      if (response.status !== 200) throw new Error(`GET /metrics/agents answered ${response.status}`);
      await response.arrayBuffer();
    };
    for (let i = 0; i < 5; i += 1) await getMetrics();
    const before = counter.items;
    const metrics = await timeEach(60, getMetrics);
    const metricsItems = (counter.items - before) / 60;
    const getByTier = async () => {
      const response = await fetch(`${runtime.url}/metrics?from=${month}-01&to=${month}-30&groupBy=tier`, { headers });
      if (response.status !== 200) throw new Error(`GET /metrics?groupBy=tier answered ${response.status}`);
      await response.arrayBuffer();
    };
    const getDrivers = async () => {
      const response = await fetch(`${runtime.url}/metrics/drivers?from=${month}-01&to=${month}-30`, { headers });
      if (response.status !== 200) throw new Error(`GET /metrics/drivers answered ${response.status}`);
      await response.arrayBuffer();
    };
    const beforeTier = counter.items;
    const tier = await timeEach(30, getByTier);
    const tierItems = (counter.items - beforeTier) / 30;
    const beforeDrivers = counter.items;
    const drivers = await timeEach(30, getDrivers);
    const driverItems = (counter.items - beforeDrivers) / 30;
    const beforeAgents = counter.items;
    const agents = await timeEach(30, getAgentMetrics);
    const agentItems = (counter.items - beforeAgents) / 30;
    const beforeReport = counter.items;
    const report = await timeEach(15, buildReport);
    const reportItems = (counter.items - beforeReport) / 15;
    return {
      label,
      metricsP50: quantile(metrics, 0.5),
      metricsItems,
      tierP50: quantile(tier, 0.5),
      tierItems,
      driversP50: quantile(drivers, 0.5),
      driverItems,
      agentsP50: quantile(agents, 0.5),
      agentItems,
      reportP50: quantile(report, 0.5),
      reportItems,
    };
  };

  await bulkLoad(base, month, 1);
  const small = await measure(`${base.toLocaleString('en')} interactions`);
  await bulkLoad(base * 9, month, 2);
  const large = await measure(`${(base * 10).toLocaleString('en')} interactions`);

  const rows = [small, large].map((r) => ({
    store: r.label,
    'GET /metrics p50': ms(r.metricsP50),
    'items read / metrics call': r.metricsItems.toFixed(0),
    'groupBy=tier p50': ms(r.tierP50),
    'items read / groupBy=tier': r.tierItems.toFixed(0),
    '/metrics/drivers p50': ms(r.driversP50),
    'items read / drivers': r.driverItems.toFixed(0),
    'GET /metrics/agents p50': ms(r.agentsP50),
    'items read / agents call': r.agentItems.toFixed(0),
    'report build p50': ms(r.reportP50),
    'items read / report build': r.reportItems.toFixed(0),
  }));
  rows.push({
    store: 'ratio 10× / 1×',
    'GET /metrics p50': ratio(large.metricsP50 / small.metricsP50),
    'items read / metrics call': ratio(large.metricsItems / small.metricsItems),
    'groupBy=tier p50': ratio(large.tierP50 / small.tierP50),
    'items read / groupBy=tier': ratio(large.tierItems / small.tierItems),
    '/metrics/drivers p50': ratio(large.driversP50 / small.driversP50),
    'items read / drivers': ratio(large.driverItems / small.driverItems),
    'GET /metrics/agents p50': ratio(large.agentsP50 / small.agentsP50),
    'items read / agents call': ratio(large.agentItems / small.agentItems),
    'report build p50': ratio(large.reportP50 / small.reportP50),
    'items read / report build': ratio(large.reportItems / small.reportItems),
  });
  const flat = (figure: string, key: 'metricsItems' | 'tierItems' | 'driverItems' | 'agentItems' | 'reportItems') => {
    const value = large[key] / small[key];
    return {
      figure: `${figure} items read, 10× ÷ 1× records`,
      value: ratio(value),
      target: `≤ ${TARGET_FLAT_RATIO}×`,
      met: value <= TARGET_FLAT_RATIO,
      note: `${small[key].toFixed(0)} → ${large[key].toFixed(0)} items a call (${small.label} → ${large.label})`,
    } satisfies SummaryRow;
  };
  return {
    text: [
      `### Metrics and report at 1× and 10× the records (one month; target: flat, ratio ≤ ${TARGET_FLAT_RATIO})`,
      table(rows),
    ].join('\n'),
    rows: [
      flat('`/metrics/agents`', 'agentItems'),
      flat('`/metrics/drivers`', 'driverItems'),
      flat('`/metrics?groupBy=tier`', 'tierItems'),
      flat('`/metrics`', 'metricsItems'),
      flat('report build', 'reportItems'),
    ],
  };
}
