/** `npm run seed`: load the demo data set into CARELOOP_DATA_DIR without serving the API. */
import '../polyfills.js';
import { startLocalRuntime } from '../runtime.js';
import { seedDemo } from './demo.js';

const dataDir = process.env.CARELOOP_DATA_DIR;
if (!dataDir) {
  console.error('Set CARELOOP_DATA_DIR to the directory to seed (npm start loads demo data in memory by itself).');
  process.exit(2);
}
process.env.LOG_LEVEL ??= 'SILENT';
const runtime = await startLocalRuntime({ dataDir, schedules: false, log: (line) => console.log(line) });
try {
  const loaded = await seedDemo(runtime.clock.now(), (stage, done, total) => {
    if (done === total || done % 500 === 0) console.log(`  ${stage}: ${done}/${total}`);
  });
  console.log(loaded ? `Demo data loaded into ${dataDir}.` : `${dataDir} already holds the demo data.`);
} finally {
  await runtime.stop();
}
