/**
 * Row-export jobs of a report period (functions/reports/exports.ts): one item per job, created
 * once (a repeated start finds the same job), then moved to `ready` with its file and counts, or
 * to `failed`. The item expires (table TTL) with the file it points to.
 */

import { dynamo } from './client.js';
import { EntityType, jobKeys } from './keys.js';
import { GetCommand, UpdateCommand } from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';
import { firstItemConditionFailed, type TransactItem } from './transact.js';
import { putIf } from './versioned.js';

export type ExportStatus = 'running' | 'ready' | 'failed';

export interface ExportJobRecord {
  id: string;
  period: string;
  status: ExportStatus;
  requestedAt: string;
  requestedBy: string;
  finishedAt?: string;
  /** Rows written per table (responses, complaints), when ready. */
  rows?: Record<string, number>;
  /** Items the job read from the table, when ready. */
  itemsRead?: number;
  /** Where the file is (FileStore key), when ready. */
  fileKey?: string;
  error?: string;
}

export interface ExportJobStore {
  /**
   * Records a new job; when one with this id exists, returns it instead (`created: false`). With
   * `also` (a keyed request's claim), the new job is written in one transaction with those writes.
   */
  create(
    job: ExportJobRecord,
    expiresAtEpochSeconds: number,
    also?: TransactItem[],
  ): Promise<{ job: ExportJobRecord; created: boolean }>;
  get(period: string, id: string): Promise<ExportJobRecord | undefined>;
  finish(period: string, id: string, outcome: Partial<ExportJobRecord> & { status: ExportStatus }): Promise<void>;
  /**
   * Starts `seen` (a failed or stale job) over: `running` again, requested at `requestedAt` by
   * `requestedBy`, its outcome cleared. False when the job changed since it was read (another
   * start, or its run, got there first): nothing is written then.
   */
  restart(seen: ExportJobRecord, requestedAt: string, requestedBy: string): Promise<boolean>;
}

const FIELDS = [
  'id',
  'period',
  'status',
  'requestedAt',
  'requestedBy',
  'finishedAt',
  'rows',
  'itemsRead',
  'fileKey',
  'error',
];
const strip = (item: Record<string, unknown>): ExportJobRecord =>
  Object.fromEntries(Object.entries(item).filter(([key]) => FIELDS.includes(key))) as unknown as ExportJobRecord;

export const dynamoExportJobStore: ExportJobStore = {
  async create(job, expiresAt, also = []) {
    const written = await putIf(
      {
        TableName: tableName(MAIN_TABLE),
        Item: { ...jobKeys.reportExport(job.period, job.id), type: EntityType.exportJob, ...job, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
      also,
    );
    if (written) return { job, created: true };
    const existing = await dynamoExportJobStore.get(job.period, job.id);
    if (!existing) throw new Error(`export ${job.period}/${job.id} exists and cannot be read`);
    return { job: existing, created: false };
  },
  async get(period, id) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(MAIN_TABLE), Key: jobKeys.reportExport(period, id), ConsistentRead: true }),
    );
    return Item ? strip(Item) : undefined;
  },
  async finish(period, id, outcome) {
    const entries = Object.entries(outcome).filter(([, value]) => value !== undefined);
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(MAIN_TABLE),
        Key: jobKeys.reportExport(period, id),
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  },
  async restart(seen, requestedAt, requestedBy) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(MAIN_TABLE),
          Key: jobKeys.reportExport(seen.period, seen.id),
          UpdateExpression: 'SET #status = :running, requestedAt = :at, requestedBy = :by REMOVE finishedAt, #error',
          ConditionExpression: '#status = :seenStatus AND requestedAt = :seenAt',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: {
            ':running': 'running',
            ':at': requestedAt,
            ':by': requestedBy,
            ':seenStatus': seen.status,
            ':seenAt': seen.requestedAt,
          },
        }),
      );
      return true;
    } catch (error) {
      if (firstItemConditionFailed(error)) return false;
      throw error;
    }
  },
};
