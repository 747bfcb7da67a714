/**
 * A campaign to a large audience (issue 22): the monthly NPS sample (s004: 5 % of last month's
 * active customers) of 10,000 and of 100,000 customers, in the same run. Each audience is written
 * in bulk (BatchWriteItem, not through HTTP): a profile and an audience marker per customer (the
 * item a contact writes for its month), 4 % without consent and 5 % inside a throttle window, in
 * a month of its own. Then the estimate (`POST /campaigns`: the draft answers at once, the estimate
 * job reads the audience) and the launch (`POST /campaigns/{id}/launch`, the job that walks the draw
 * and writes the invitations with their follow-up tasks in batched transactions): items read (counted on the DynamoDB client: Query
 * ScannedCount, BatchGetItem and GetItem items), per invited customer, the time until every
 * invitation is queued (the job done, the campaign `running`) and invitations per second.
 * `BENCH_CAMPAIGN_SIZES=10000,100000 npm run bench -- campaign` measures the 100,000 row (see campaignSizes).
 */
import { INLINE_ESTIMATE_READS } from '../functions/surveys/campaign-audience.js';
import type { LocalRuntime } from '../infra/local/runtime.js';
import { BulkLoad } from '../infra/local/seed/bulk.js';
import { addDays, localDate } from '../shared/domain/time.js';
import { dynamoCampaignStore } from '../shared/store/campaigns.js';
import { dynamo } from '../shared/store/client.js';
import { customerProfileItem } from '../shared/store/customers.js';
import { surveyThrottleItem } from '../shared/store/surveys.js';
import { ratio, table } from './stats.js';
import type { Section, SummaryRow } from './summary.js';

/** Items read through the shared DynamoDB client while it is installed. */
function countReads() {
  const counter = { items: 0 };
  dynamo().middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as {
        ScannedCount?: number;
        Count?: number;
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
      };
      if (output.Responses && !Array.isArray(output.Responses))
        counter.items += Object.values(output.Responses).reduce((sum, items) => sum + items.length, 0);
      else counter.items += output.ScannedCount ?? output.Count ?? (output.Item ? 1 : 0);
      return result;
    },
    { step: 'initialize', name: 'benchCampaignReads' },
  );
  return counter;
}

export interface CampaignBenchRow {
  customers: number;
  loadSeconds: number;
  estimate: {
    /** POST /campaigns answered after this long (the draft, its estimate pending when the audience is large). */
    requestMs: number;
    /** Whether the request computed the estimate itself (a small audience). */
    inRequest: boolean;
    /** Until the estimate was ready (the estimate job done). */
    ms: number;
    itemsRead: number;
    audience: number;
    eligible: number;
    sample: number;
  };
  launch: { ms: number; itemsRead: number; invited: number };
  itemsPerInvited: number;
  invitationsPerSecond: number;
}

/** One audience of `customers`, in its own month: loaded, estimated, launched. */
async function runOne(
  runtime: LocalRuntime,
  customers: number,
  month: string,
  counter: { items: number },
  log: (line: string) => void = () => {},
): Promise<CampaignBenchRow> {
  const token = await runtime.token('bench-manager', ['manager']);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const now = runtime.clock.now();
  const prefix = `CB${month.replace('-', '')}-`;
  const load = new BulkLoad();
  const far = new Date(now.getTime() + 365 * 86_400_000).toISOString();
  for (let n = 0; n < customers; n += 1) {
    const id = `${prefix}${String(n).padStart(6, '0')}`;
    const consent = n % 25 !== 7; // 4 % without consent
    load.put(
      customerProfileItem(
        id,
        {
          phone: `+8617${String(100_000_000 + n).slice(-9)}`,
          preferredChannel: 'sms',
          language: n % 5 === 0 ? 'en' : 'zh',
          consent: { sms: consent, email: false },
        },
        now,
        'bench',
      ),
    );
    if (n % 20 === 3) load.put(surveyThrottleItem(id, far, `bench-${id}`)); // 5 % surveyed lately
    load.audience({
      customerId: id,
      kind: 'active',
      day: `${month}-${String((n % 28) + 1).padStart(2, '0')}`,
      team: n % 3 ? 'online' : 'hotline',
      channel: n % 3 ? 'chat' : 'phone',
    });
  }
  const loadStarted = performance.now();
  await load.write({ concurrency: 8 });
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  log(`    bulk load: ${loadSeconds.toFixed(0)} s`);

  const today = localDate(now, 'Asia/Shanghai');
  const body = {
    name: `Bench NPS sample ${customers}`,
    questionnaireId: 'service-transaction',
    audience: { activeBetween: { from: `${month}-01`, to: `${month}-28` } },
    sample: { share: 0.05 },
    window: { from: addDays(today, 1), to: addDays(today, 14) },
  };
  let before = counter.items;
  let started = performance.now();
  const created = await fetch(`${runtime.url}/campaigns`, { method: 'POST', headers, body: JSON.stringify(body) });
  const requestMs = performance.now() - started;
  const draft = (await created.json()) as { id: string; estimate: { status: string } };
  if (created.status !== 201) throw new Error(`POST /campaigns answered ${created.status}: ${JSON.stringify(draft)}`);
  // A large audience is estimated by the estimate job (estimate.status pending until it is done).
  await runtime.jobsSettled();
  const estimateMs = performance.now() - started;
  const estimateItems = counter.items - before;
  const read = await fetch(`${runtime.url}/campaigns/${draft.id}`, { headers });
  const campaign = (await read.json()) as {
    id: string;
    estimate: { status: string; audience: number; eligible: number; sample: number };
  };
  if (campaign.estimate.status !== 'ready') throw new Error(`the estimate is ${campaign.estimate.status}`);
  log(`    estimate ready: ${(estimateMs / 1000).toFixed(1)} s (POST answered in ${(requestMs / 1000).toFixed(1)} s)`);

  before = counter.items;
  started = performance.now();
  const launched = await fetch(`${runtime.url}/campaigns/${campaign.id}/launch`, { method: 'POST', headers });
  if (launched.status >= 300) throw new Error(`launch answered ${launched.status}`);
  await runtime.jobsSettled();
  const launchMs = performance.now() - started;
  const launchItems = counter.items - before;
  const record = await dynamoCampaignStore.get(campaign.id);
  if (record?.status !== 'running' || !record.walk?.done)
    throw new Error(`the launch did not finish: ${record?.status} ${JSON.stringify(record?.walk)}`);
  const invited = record.walk.invited;
  if (invited !== campaign.estimate.sample)
    throw new Error(`invited ${invited}, the sample is ${campaign.estimate.sample}`);
  return {
    customers,
    loadSeconds,
    estimate: {
      requestMs,
      inRequest: draft.estimate.status === 'ready',
      ms: estimateMs,
      itemsRead: estimateItems,
      audience: campaign.estimate.audience,
      eligible: campaign.estimate.eligible,
      sample: campaign.estimate.sample,
    },
    launch: { ms: launchMs, itemsRead: launchItems, invited },
    itemsPerInvited: (estimateItems + launchItems) / invited,
    invitationsPerSecond: invited / (launchMs / 1000),
  };
}

/**
 * The audience sizes measured: BENCH_CAMPAIGN_SIZES (comma-separated), else 1,000 and 10,000 (a few
 * minutes). The 100,000 row takes BENCH_CAMPAIGN_SIZES=10000,100000: its bulk load alone takes
 * about 6 minutes on DynamoDB Local, so it stays out of the default run.
 */
export function campaignSizes(env = process.env.BENCH_CAMPAIGN_SIZES): number[] {
  const sizes = (env ?? '1000,10000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  return sizes.length ? sizes : [1_000, 10_000];
}

export async function benchCampaign(
  runtime: LocalRuntime,
  options: { sizes?: number[]; log?: (line: string) => void } = {},
): Promise<Section & { measured: CampaignBenchRow[] }> {
  const sizes = options.sizes ?? campaignSizes();
  const counter = countReads();
  const rows: CampaignBenchRow[] = [];
  const failures: string[] = [];
  try {
    for (const [i, customers] of sizes.entries()) {
      // A month of its own per audience, far from the other sections' data.
      const month = `2025-${String(i + 1).padStart(2, '0')}`;
      options.log?.(`  campaign of ${customers.toLocaleString('en')} customers (audience month ${month})…`);
      try {
        rows.push(await runOne(runtime, customers, month, counter, options.log));
      } catch (error) {
        // Keep the sizes measured so far: a failure at a larger size is a finding, printed as such.
        failures.push(`${customers.toLocaleString('en')} customers: ${(error as Error).message.slice(0, 200)}`);
      }
    }
  } finally {
    dynamo().middlewareStack.remove('benchCampaignReads');
  }
  const base = rows[0];
  const largest = rows.at(-1);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const text = [
    `## A campaign to ${sizes.map((n) => n.toLocaleString('en')).join(' and ')} customers (5 % sample, estimate job + launch job)`,
    '',
    table(
      rows.map((r) => ({
        customers: r.customers.toLocaleString('en'),
        'bulk load': `${r.loadSeconds.toFixed(0)} s`,
        'POST /campaigns answered': `${s(r.estimate.requestMs)}${r.estimate.inRequest ? ' (estimated in it)' : ' (estimate pending)'}`,
        'estimate ready': `${s(r.estimate.ms)}, ${r.estimate.itemsRead} items read`,
        'audience / eligible / sample': `${r.estimate.audience} / ${r.estimate.eligible} / ${r.estimate.sample}`,
        'launch job: all invitations queued': `${s(r.launch.ms)}, ${r.launch.itemsRead} items read`,
        invited: r.launch.invited,
        'invitations/s': r.invitationsPerSecond.toFixed(1),
        'items read / invited': r.itemsPerInvited.toFixed(2),
        ratio: base ? ratio(r.itemsPerInvited / base.itemsPerInvited) : '',
      })),
    ),
    ...failures.map((f) => `\nNOT measured: ${f}`),
  ].join('\n');
  const summary: SummaryRow[] = [];
  for (const r of rows) {
    const n = r.customers.toLocaleString('en');
    summary.push({
      figure: `campaign of ${n}: items read per invited customer`,
      value: r.itemsPerInvited.toFixed(2),
      target: 'flat in the audience (ratio row)',
      met: null,
      note: `estimate ${r.estimate.itemsRead} + launch ${r.launch.itemsRead} items for ${r.launch.invited} invitations (the audience markers are read by both jobs)`,
    });
    summary.push({
      figure: `campaign of ${n}: time until every invitation is queued`,
      value: `${s(r.launch.ms)} (${r.invitationsPerSecond.toFixed(1)} invitations/s)`,
      target: 'a job, never inside one request',
      met: !r.estimate.inRequest || r.customers <= INLINE_ESTIMATE_READS,
      note: `POST /campaigns answered in ${s(r.estimate.requestMs)}${r.estimate.inRequest ? ' with its estimate' : ', estimate pending'}; estimate ready after ${s(r.estimate.ms)}; launch job on DynamoDB Local`,
    });
  }
  if (base && largest && largest !== base) {
    const r = largest.itemsPerInvited / base.itemsPerInvited;
    summary.push({
      figure: `campaign: items read per invited customer, ${largest.customers.toLocaleString('en')} ÷ ${base.customers.toLocaleString('en')} customers`,
      value: ratio(r),
      target: '≤ 1.30×',
      met: r <= 1.3,
      note: `${largest.itemsPerInvited.toFixed(2)} vs ${base.itemsPerInvited.toFixed(2)} items (estimate + launch job)`,
    });
  }
  for (const failure of failures)
    summary.push({ figure: 'campaign: not measured', value: '—', target: 'measured', met: false, note: failure });
  return { text, rows: summary, measured: rows };
}
