/**
 * `npm run bench`: speed and cost figures, each printed beside a baseline measured in
 * the same run (ratios, not absolute timings, are what to compare across machines).
 * `npm run bench -- start api` runs only the named sections (start, bundles, api, scale, limits, escalation, cost,
 * surges, changes, test, campaign); the summary at the end shows the target rows of the sections that ran.
 */
import './quiet.js';
import { startLocalRuntime } from '../infra/local/runtime.js';
import { benchApi } from './api.js';
import { benchBundles } from './bundles.js';
import { benchCampaign } from './campaign.js';
import { benchChanges } from './changes.js';
import { benchContention } from './contention.js';
import { benchCost } from './cost.js';
import { benchEscalation } from './escalation.js';
import { benchFirstStart } from './first-start.js';
import { benchLimits } from './limits.js';
import { benchScale } from './scale.js';
import { npmTestSection, type Section, summaryTable } from './summary.js';
import { benchSurges } from './surges.js';

const SECTIONS = [
  'start',
  'bundles',
  'api',
  'scale',
  'limits',
  'escalation',
  'cost',
  'surges',
  'changes',
  'test',
  'campaign',
] as const;
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(SECTIONS as readonly string[]).includes(name));
if (unknown.length) {
  console.error(`unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const runs = (section: (typeof SECTIONS)[number]) => wanted.length === 0 || wanted.includes(section);

async function main() {
  const sections: Section[] = [];
  const started = Date.now();
  console.log(`# CareLoop benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version})\n`);
  // Each section's tables as soon as it ends (a long run shows what it has), the summary at the end.
  const done = (section: Section) => {
    sections.push(section);
    console.log(`${section.text}\n`);
  };
  if (runs('start')) {
    // First, while nothing else of the benchmark runs.
    console.error('timing the first start (npm start with demo data)…');
    done(await benchFirstStart());
  }
  if (runs('bundles')) {
    console.error('bundling every Lambda…');
    done(await benchBundles());
  }
  if (
    runs('api') ||
    runs('scale') ||
    runs('limits') ||
    runs('escalation') ||
    runs('cost') ||
    runs('surges') ||
    runs('changes') ||
    runs('campaign')
  ) {
    const runtime = await startLocalRuntime({ schedules: false, log: (line) => console.error(line) });
    try {
      if (runs('api')) {
        console.error('benchmarking the API…');
        done(await benchApi(runtime));
        console.error('benchmarking contention on one counter cell with TransactionConflict injected…');
        done(await benchContention(runtime));
      }
      if (runs('scale')) {
        console.error(
          'benchmarking metrics and the report at 1× and 10× the records (bulk-loading 100 000 interactions)…',
        );
        done(await benchScale(runtime));
      }
      if (runs('limits')) {
        console.error('benchmarking scale limits: the export of 100 000 responses as a job, the widest list…');
        done(await benchLimits(runtime));
      }
      if (runs('escalation')) {
        console.error('counting escalation workflow transitions per path…');
        done(await benchEscalation(runtime));
      }
      if (runs('cost')) {
        console.error('measuring capacity units, requests, transitions and messages for the cost model…');
        done(await benchCost(runtime));
      }
      if (runs('surges')) {
        console.error('counting the requests surge detection adds to a complaint registration…');
        done(await benchSurges(runtime));
      }
      if (runs('changes')) {
        console.error('measuring the changes feed: WCU per change and a 10 000-change poll…');
        done(await benchChanges(runtime));
      }
      if (runs('campaign')) {
        console.error(
          'a campaign to each BENCH_CAMPAIGN_SIZES audience (default 1 000 and 10 000): bulk-loading the audiences, estimate, launch job…',
        );
        sections.push(await benchCampaign(runtime, { log: (line) => console.error(line) }));
      }
    } finally {
      await runtime.stop();
    }
  }
  if (runs('test')) done(npmTestSection());
  console.log(summaryTable(sections.flatMap((section) => section.rows)));
  console.log(`\n(${Math.round((Date.now() - started) / 1000)} s in all)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
