/**
 * Work too long or too large for a request (a month's row export, a customer's erasure) runs as a
 * job: the request records the job and hands it to the runner; the job updates its record as it
 * goes, and the caller reads that record. A job is safe to run again (it is retried on failure).
 *
 * - `JobRunner`: Lambda invoking its own function asynchronously in AWS (shared/jobs/lambda.ts),
 *   the local runtime running the same job code in-process (infra/local/runtime.ts).
 * - `FileStore`: where a job's result goes and the expiring link it is fetched by: S3 and a
 *   presigned GET in AWS (shared/jobs/s3.ts), files served by the local runtime itself locally.
 */

/** A job as handed to the runner: which one, and its input (small, JSON). */
export type JobRequest =
  | { kind: 'reportExport'; period: string; id: string }
  | { kind: 'customerErasure'; customerId: string; actorId: string; requestedAt: string }
  | { kind: 'campaignEstimate'; campaignId: string }
  | { kind: 'campaignLaunch'; campaignId: string };

export type JobKind = JobRequest['kind'];

/** The event a function receives when the runner hands it a job (beside API Gateway's events). */
export interface JobEvent {
  careloopJob: JobRequest;
}

export const isJobEvent = (event: unknown): event is JobEvent =>
  typeof event === 'object' && event !== null && 'careloopJob' in event;

export interface JobRunner {
  /** Hands the job over and returns at once; the job runs on its own. */
  start(job: JobRequest): Promise<void>;
}

export interface FileStore {
  put(key: string, body: string | Uint8Array, contentType: string, fileName: string): Promise<void>;
  /** A link anyone holding it may GET the file with, until `expiresAt`. */
  link(key: string, expiresInSeconds: number): Promise<{ url: string; expiresAt: string }>;
}
