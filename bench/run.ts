/**
 * `npm run bench`: speed and cost figures, each printed beside a baseline measured in
 * the same run (ratios, not absolute timings, are what to compare across machines).
 */
import './quiet.js';
import { startLocalRuntime } from '../infra/local/runtime.js';
import { benchApi } from './api.js';
import { benchBundles } from './bundles.js';
import { benchContention } from './contention.js';
import { benchEscalation } from './escalation.js';
import { benchScale } from './scale.js';

async function main() {
  const sections: string[] = [];
  const started = Date.now();
  console.error('bundling every Lambda…');
  sections.push(await benchBundles());
  const runtime = await startLocalRuntime({ schedules: false, log: (line) => console.error(line) });
  try {
    console.error('benchmarking the API…');
    sections.push(await benchApi(runtime));
    console.error('benchmarking contention on one counter cell with TransactionConflict injected…');
    sections.push(await benchContention(runtime));
    console.error('benchmarking metrics and the report at 1× and 10× the records (bulk-loading 100 000 interactions)…');
    sections.push(await benchScale(runtime));
    console.error('counting escalation workflow transitions per path…');
    sections.push(await benchEscalation(runtime));
  } finally {
    await runtime.stop();
  }
  console.log(
    `# CareLoop benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${Math.round((Date.now() - started) / 1000)} s)\n`,
  );
  console.log(sections.join('\n\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
