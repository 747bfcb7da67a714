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

/** How long an export's link works; a new one comes with every read of the job. */
export const EXPORT_LINK_SECONDS = 15 * 60;
/** Export files and their job records are kept this long (the bucket's lifecycle rule, the items' TTL). */
export const EXPORT_RETENTION_DAYS = 7;
