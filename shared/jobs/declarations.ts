/**
 * Which code runs each job: the named export of functions/<capability>/handler.ts. The API
 * function of a route that starts a job (`startsJob` on its declaration) also carries the job's
 * handler and runs it when invoked with `{ careloopJob }` (infra/aws/entries.ts); the local
 * runtime runs the same export in-process.
 */
import type { JobKind } from './ports.js';

export const JOBS: Readonly<Record<JobKind, { capability: string; handler: string }>> = {
  reportExport: { capability: 'reports', handler: 'reportExportJob' },
  customerErasure: { capability: 'customers', handler: 'customerErasureJob' },
  campaignEstimate: { capability: 'surveys', handler: 'campaignEstimateJob' },
  campaignLaunch: { capability: 'surveys', handler: 'campaignLaunchJob' },
};

/** How long one run of a job may take: the timeout of a function that runs jobs (infra/aws/constructs/api.ts). */
export const JOB_TIMEOUT_SECONDS = 5 * 60;
/**
 * An export still `running` this long after it was (re)started will not finish: its job never
 * started (the request died between its write and the start), or every attempt died (Lambda runs
 * an asynchronous job at most three times, a minute and two minutes apart: 3 × 5 + 3 = 18 minutes).
 * Its reads show it failed, and starting the export again restarts it.
 */
export const EXPORT_STALE_SECONDS = 30 * 60;
/**
 * A campaign draft whose estimate is still `pending` this long after its `campaignEstimate` job was
 * started will not be estimated by that job: it never started (the request died between the draft's
 * write and the start) or every attempt died (at most three, 5 minutes each, a minute and two apart:
 * 18 minutes). The hourly wave job estimates it again (functions/surveys/campaign-waves.ts).
 */
export const ESTIMATE_STALE_SECONDS = 30 * 60;
/** How long an export's link works; a new one comes with every read of the job. */
export const EXPORT_LINK_SECONDS = 15 * 60;
/** Export files and their job records are kept this long (the bucket's lifecycle rule, the items' TTL). */
export const EXPORT_RETENTION_DAYS = 7;
