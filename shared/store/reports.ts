/**
 * Monthly reports are stored in DynamoDB, one item per month: the report model is small
 * (tens of KB, far below the 400 KB item limit) and HTML/CSV are rendered from it on read,
 * so one store, one IAM grant and one backup (PITR) cover them. A second item tracks the
 * email delivery so a re-run never emails twice.
 */

import type { PeriodReport } from '../domain/report/model.js';
import { dynamo } from './client.js';
import { EntityType, reportKeys } from './keys.js';
import { ConditionalCheckFailedException, GetCommand, PutCommand, UpdateCommand } from './sdk.js';
import { MAIN_TABLE, tableName } from './table.js';

export interface StoredReport {
  report: PeriodReport;
  version: number;
}

/** Storage port for monthly reports and the state of their email. */
export interface ReportStore {
  getReport(month: string): Promise<StoredReport | undefined>;
  /** Stores (or rebuilds) a month's report; the version counts rebuilds. */
  putReport(report: PeriodReport): Promise<StoredReport>;
  getEmailState(month: string): Promise<EmailState | undefined>;
  /**
   * Claims the right to email a month's report. Succeeds once; again only after a failure,
   * or when an earlier claim has been stuck in `sending` past `staleBefore` (a crashed run).
   */
  claimEmail(month: string, now: Date, staleBefore: Date, recipients: number): Promise<boolean>;
  recordEmailOutcome(month: string, outcome: { sent: true; at: Date } | { sent: false; error: string }): Promise<void>;
}

async function getReport(month: string): Promise<StoredReport | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: tableName(MAIN_TABLE), Key: reportKeys.report(month) }),
  );
  return result.Item
    ? { report: result.Item.report as PeriodReport, version: result.Item.version as number }
    : undefined;
}

async function putReport(report: PeriodReport): Promise<StoredReport> {
  const result = await dynamo().send(
    new UpdateCommand({
      TableName: tableName(MAIN_TABLE),
      Key: reportKeys.report(report.month),
      UpdateExpression: 'SET #type = :type, #report = :report, #month = :month ADD #version :one',
      ExpressionAttributeNames: { '#type': 'type', '#report': 'report', '#month': 'month', '#version': 'version' },
      ExpressionAttributeValues: { ':type': EntityType.report, ':report': report, ':month': report.month, ':one': 1 },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return { report, version: result.Attributes?.version as number };
}

export type EmailState = {
  status: 'sending' | 'sent' | 'failed';
  attempts: number;
  claimedAt: string;
  sentAt?: string;
  error?: string;
  recipients: number;
};

async function getEmailState(month: string): Promise<EmailState | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: tableName(MAIN_TABLE), Key: reportKeys.email(month), ConsistentRead: true }),
  );
  return result.Item as EmailState | undefined;
}

async function claimEmail(month: string, now: Date, staleBefore: Date, recipients: number): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(MAIN_TABLE),
        Item: {
          ...reportKeys.email(month),
          type: EntityType.reportEmail,
          status: 'sending',
          claimedAt: now.toISOString(),
          recipients,
          attempts: 0,
        },
        ConditionExpression:
          'attribute_not_exists(pk) OR #status = :failed OR (#status = :sending AND #claimedAt < :stale)',
        ExpressionAttributeNames: { '#status': 'status', '#claimedAt': 'claimedAt' },
        ExpressionAttributeValues: { ':failed': 'failed', ':sending': 'sending', ':stale': staleBefore.toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

async function recordEmailOutcome(
  month: string,
  outcome: { sent: true; at: Date } | { sent: false; error: string },
): Promise<void> {
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(MAIN_TABLE),
      Key: reportKeys.email(month),
      UpdateExpression: outcome.sent
        ? 'SET #status = :sent, sentAt = :at ADD attempts :one'
        : 'SET #status = :failed, #error = :error ADD attempts :one',
      ExpressionAttributeNames: outcome.sent ? { '#status': 'status' } : { '#status': 'status', '#error': 'error' },
      ExpressionAttributeValues: outcome.sent
        ? { ':sent': 'sent', ':at': outcome.at.toISOString(), ':one': 1 }
        : { ':failed': 'failed', ':error': outcome.error.slice(0, 500), ':one': 1 },
    }),
  );
}

export const dynamoReportStore: ReportStore = {
  getReport,
  putReport,
  getEmailState,
  claimEmail,
  recordEmailOutcome,
};
