/** `npm start`: the CareLoop API on this machine, with demo data. */
import './polyfills.js';
// Only this light module is imported up front: the JVM starts first, and the runtime (every handler,
// its schemas and SDK clients: seconds of loading) loads while it does; see README "First start".
import { startDynamoLocal } from './dynamodb-process.js';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const timeScale = Number(env.CARELOOP_TIME_SCALE ?? 1);
const seed = env.CARELOOP_SEED ?? 'demo';

function progressBar(stage: string, done: number, total: number) {
  if (!process.stdout.isTTY && done !== total && done % 500 !== 0) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const line = `  seeding ${stage.padEnd(13)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
  if (process.stdout.isTTY) process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
  else console.log(line);
}

async function main() {
  if (!Number.isFinite(timeScale) || timeScale <= 0) throw new Error('CARELOOP_TIME_SCALE must be a positive number');
  if (seed !== 'demo' && seed !== 'none') throw new Error('CARELOOP_SEED must be demo or none');
  console.log('Starting DynamoDB Local (Java)…');
  const dynamo = startDynamoLocal({ dataDir: env.CARELOOP_DATA_DIR });
  dynamo.catch(() => undefined); // awaited by the runtime; a failure there, not as an unhandled rejection
  const [{ startLocalRuntime }, { startDemoLoad }] = await Promise.all([
    import('./runtime.js'),
    import('./seed/demo.js'),
  ]);
  const runtime = await startLocalRuntime({
    dynamo,
    port,
    dataDir: env.CARELOOP_DATA_DIR,
    timeScale,
    jwtSecret: env.CARELOOP_DEV_JWT_SECRET,
    outboxDir: env.CARELOOP_OUTBOX_DIR,
    publicBaseUrl: env.CARELOOP_PUBLIC_BASE_URL || undefined,
    log: (line) => console.log(line),
  });
  const shutdown = async () => {
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  // The escalation workflow is synthesized from the CDK construct once: seconds of CPU on this thread.
  // With the demo data, the first complaint of the background load starts it (and waits for it), so
  // the server answers without waiting for it; otherwise now, while nothing else runs.
  let preparing: Promise<unknown> | undefined;
  const prepareWorkflow = () => {
    if (!preparing) {
      preparing = runtime.workflows.prepare();
      preparing.catch((error: Error) =>
        console.error(`  the escalation workflow could not be prepared: ${error.message}`),
      );
    }
    return preparing;
  };
  if (seed !== 'demo') prepareWorkflow();
  let seeded = false;
  /** The rest of the demo data, still being written once the server answers (undefined: nothing left). */
  let loading: Promise<unknown> | undefined;
  if (seed === 'demo') {
    console.log('Loading the demo data set…');
    // The server answers as soon as the figures are stored (GET /metrics is then complete for contacts and
    // surveys); the records and the complaints, lived event by event, go on loading in the background. The
    // scheduled jobs (and /_local/jobs/*) wait for the load: the follow-up job would otherwise send what the
    // load closes as history (the notices of the demo's past; infra/local/seed/demo.ts).
    let background = false;
    const { ready, loaded: seeding } = startDemoLoad(runtime, (stage, done, total) => {
      if (!background) progressBar(stage, done, total);
    });
    const first = await ready;
    if (first === 'figures') {
      background = true;
      seeded = true;
      const startedAt = performance.now();
      loading = seeding.then(
        () =>
          console.log(
            `  demo data loaded: lists and complaints complete (${((performance.now() - startedAt) / 1000).toFixed(0)} s after the server answered)`,
          ),
        (error: Error) => console.error(`  the demo data did not finish loading: ${error.message}`),
      );
    } else {
      seeded = first;
      if (!seeded) console.log('  demo data already present (CARELOOP_DATA_DIR); not loaded again');
    }
  }
  if (env.CARELOOP_DATA_DIR && !seeded) {
    await prepareWorkflow();
    const resumed = await runtime.workflows.resumeOpenComplaints(runtime.clock.now());
    if (resumed) console.log(`  escalation workflows restarted for ${resumed} open complaint(s)`);
  }
  const token = await runtime.token('agent-demo', ['admin']);
  const base = `http://localhost:${port}`;
  console.log(`
CareLoop is running on ${base}   (Ctrl-C stops it)
  storage      DynamoDB Local, ${env.CARELOOP_DATA_DIR ? `persisted in ${env.CARELOOP_DATA_DIR}` : 'in memory'}${
    loading
      ? `
  demo data    STILL LOADING in the background: /metrics already has the figures of every contact and survey;
               the lists fill in and the complaints are lived event by event (a line below says when it is done);
               the notices of that past are recorded as sent, not delivered: the outbox shows what happens from now on`
      : ''
  }
  clock        ${timeScale === 1 ? 'real time' : `${timeScale}× real time`} (CARELOOP_TIME_SCALE)
  OpenAPI      ${base}/openapi.json
  health       ${base}/health
  dev tokens   POST ${base}/_local/token  {"sub":"me","groups":["agent"]}
  outbox       ${runtime.outbox.dir}  (GET ${base}/_local/outbox)
  /_local/*    each needs an admin token (the one below) but /_local/token, which answers this machine only
  jobs         POST ${base}/_local/jobs/monthly-report  {"month":"YYYY-MM"}   ·   POST ${base}/_local/jobs/follow-ups
               POST ${base}/_local/jobs/overdue  (targets passed → misses)  ·  POST ${base}/_local/jobs/campaign-waves
               (all also run on their schedules: 08:00 on the 1st, every 15 and every 5 minutes, hourly)
  escalation   the CDK-synthesized Step Functions definition, run locally (GET ${base}/_local/executions)
  pages        ${base}/suggestions/board · survey and confirmation links (/s/…, /c/…) in the outbox's messages

Try it (this admin token is valid for 12 hours):
  export TOKEN=${token}
  curl -s "${base}/interactions?limit=3" -H "Authorization: Bearer $TOKEN"
  curl -s "${base}/customers/C-01001" -H "Authorization: Bearer $TOKEN"      # profile, segment and counts
  curl -s -X POST ${base}/interactions -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '{"customerId":"C-01001","channel":"chat","complexity":"simple","startedAt":"${runtime.clock.now().toISOString()}"}'
  # a complaint nobody answers escalates at its 1 h deadline (try CARELOOP_TIME_SCALE=3600):
  curl -s -X POST ${base}/complaints -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '{"customerId":"C-01001","channel":"phone","category":"logistics","severity":"medium","description":"Parcel never arrived"}'
  curl -s "${base}/complaints/<id>/timeline" -H "Authorization: Bearer $TOKEN"; curl -s ${base}/_local/outbox -H "Authorization: Bearer $TOKEN"
`);
}

main().catch((error: Error) => {
  console.error(`\nCareLoop could not start: ${error.message}`);
  process.exit(1);
});
