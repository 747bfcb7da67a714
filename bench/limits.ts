/**
 * Scale limits of the request path (issue 15 item 6): the row export of a month with 100,000
 * survey responses, run as the export job (time, items read, rows written: nothing cut short),
 * beside the request that hands it over (items a request reads before answering 202); and the
 * Queries and items one call of the widest allowed list reads (a 366-day interaction range
 * filtered by a team with no records: every day partition walked, none of it matching; and by an
 * agent with no records, which reads that agent's month index instead).
 */

import { INLINE_EXPORT_MAX_ITEMS } from '../functions/reports/exports.js';
import type { LocalRuntime } from '../infra/local/runtime.js';
import { dynamo } from '../shared/store/client.js';
import { dynamoExportJobStore } from '../shared/store/exports.js';
import { LIST_QUERY_BUDGET, LIST_READ_BUDGET } from '../shared/store/interactions.js';
import { writeResponses } from '../test/support/bulk-responses.js';
import { table } from './stats.js';
import type { Section } from './summary.js';

function countReads() {
  const counter = { queries: 0, items: 0 };
  dynamo().middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as { ScannedCount?: number; Count?: number; Item?: unknown };
      if ((args.input as { KeyConditionExpression?: string }).KeyConditionExpression) counter.queries += 1;
      counter.items += output.ScannedCount ?? output.Count ?? (output.Item ? 1 : 0);
      return result;
    },
    { step: 'initialize', name: 'benchLimitsCounter' },
  );
  return counter;
}

export async function benchLimits(runtime: LocalRuntime, options: { responses?: number } = {}): Promise<Section> {
  const responses = options.responses ?? 100_000;
  const month = '2026-06';
  const token = await runtime.token('bench-manager', ['manager']);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const counter = countReads();

  await writeResponses(month, responses, { prefix: 'bench' });
  const generated = await fetch(`${runtime.url}/reports/${month}/generate`, { method: 'POST', headers, body: '{}' });
  if (generated.status !== 200) throw new Error(`report build answered ${generated.status}`);

  // The request: reads at most INLINE_EXPORT_MAX_ITEMS + 1, then answers 202 with the job.
  const beforeRequest = counter.items;
  const started = Date.now();
  const request = await fetch(`${runtime.url}/reports/${month}/csv`, { headers });
  const requestMs = Date.now() - started;
  const requestItems = counter.items - beforeRequest;
  if (request.status !== 202) throw new Error(`GET csv answered ${request.status}, expected 202`);
  const job = (await request.json()) as { id: string; statusUrl: string };
  await runtime.jobsSettled();
  const jobMs = Date.now() - started;
  const record = await dynamoExportJobStore.get(month, job.id);
  const view = (await (await fetch(`${runtime.url}${job.statusUrl}`, { headers })).json()) as {
    status: string;
    rows: { responses: number } | null;
    url: string;
  };
  const file = await (await fetch(view.url)).text();
  const block = file.split('\r\n\r\n').find((b) => b.startsWith('# responses')) ?? '';
  const fileRows = block.split('\r\n').slice(2).filter(Boolean).length;

  // The widest allowed lists: 366 days filtered by what no record matches. A team is a filter inside
  // every day partition (the walk that meets the read budget); an agent is a key (its month index).
  const to = runtime.clock.now().toISOString().slice(0, 10);
  const from = new Date(Date.parse(to) - 366 * 86_400_000).toISOString().slice(0, 10);
  const walk = async (filter: string) => {
    const calls: Array<{ queries: number; items: number }> = [];
    let cursor: string | null = null;
    do {
      const before = { ...counter };
      const url = `${runtime.url}/interactions?from=${from}&to=${to}&${filter}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await fetch(url, { headers })).json()) as { nextCursor: string | null };
      calls.push({ queries: counter.queries - before.queries, items: counter.items - before.items });
      cursor = page.nextCursor;
    } while (cursor);
    return calls;
  };
  const byTeam = await walk('team=nobody');
  const byAgent = await walk('agentId=nobody');
  dynamo().middlewareStack.remove('benchLimitsCounter');

  const listCalls = [...byTeam, ...byAgent];
  const maxQueries = Math.max(...listCalls.map((c) => c.queries));
  const maxItems = Math.max(...listCalls.map((c) => c.items));
  const worst = (calls: typeof listCalls) =>
    `${Math.max(...calls.map((c) => c.queries))} / ${Math.max(...calls.map((c) => c.items)).toLocaleString('en')}`;
  const text = [
    `## Scale limits of the request path (${responses.toLocaleString('en')} responses in ${month})`,
    '',
    table([
      {
        figure: 'GET /reports/{month}/csv (the request)',
        measured: `202 in ${requestMs} ms, ${requestItems} items read`,
        target: `202, ≤ ${INLINE_EXPORT_MAX_ITEMS + 1} items read + the report`,
      },
      {
        figure: 'export job: rows written / responses stored',
        measured: `${record?.rows?.responses ?? 0} / ${responses} (file: ${fileRows})`,
        target: 'equal: nothing cut short',
      },
      {
        figure: 'export job: items read / rows written',
        measured: `${record?.itemsRead ?? 0} / ${(record?.rows?.responses ?? 0) + (record?.rows?.complaints ?? 0)} = ${((record?.itemsRead ?? 0) / Math.max(1, (record?.rows?.responses ?? 0) + (record?.rows?.complaints ?? 0))).toFixed(2)}×`,
        target: '1.00× (each row read once)',
      },
      {
        figure: 'export job: time to ready (local, DynamoDB Local)',
        measured: `${(jobMs / 1000).toFixed(1)} s (status ${view.status})`,
        target: '< 300 s (the job function’s timeout)',
      },
      {
        figure: 'widest list (366 days, team filter matching nothing): calls to the end',
        measured: String(byTeam.length),
        target: `≥ 367 day partitions / ${LIST_QUERY_BUDGET} Queries a call`,
      },
      {
        figure: 'the same list by team: Queries / items read, worst call',
        measured: worst(byTeam),
        target: `≤ ${LIST_QUERY_BUDGET} / ≤ ${LIST_READ_BUDGET}`,
      },
      {
        figure: 'the same range by an agent with no records (its month index): calls / worst call',
        measured: `${byAgent.length} / ${worst(byAgent)}`,
        target: `≤ ${LIST_QUERY_BUDGET} / ≤ ${LIST_READ_BUDGET}`,
      },
    ]),
  ].join('\n');
  return {
    text,
    rows: [
      {
        figure: 'widest list, worst call: Queries / items read',
        value: `${maxQueries} / ${maxItems.toLocaleString('en')}`,
        target: `≤ ${LIST_QUERY_BUDGET} / ≤ ${LIST_READ_BUDGET.toLocaleString('en')}`,
        met: maxQueries <= LIST_QUERY_BUDGET && maxItems <= LIST_READ_BUDGET,
        note: `GET /interactions over 366 days filtered by a team (${byTeam.length} calls) or an agent (${byAgent.length}) with no records`,
      },
    ],
  };
}
