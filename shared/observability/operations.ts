/**
 * The operational metrics CareLoop emits for its alarms, declared once: the jobs emit them
 * (Powertools Metrics, CloudWatch embedded metric format) and the CDK app alarms on them
 * (infra/aws/constructs/operations.ts).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME } from './logger.js';

export const OPERATIONS_NAMESPACE = 'CareLoop/Operations';

export const OPERATIONAL_METRICS = {
  /** Follow-up tasks that ended in `failed` (after their last attempt) in one run of the job. */
  followUpsFailed: 'FollowUpsFailed',
  /** 1 when the check on the 2nd finds last month's report not emailed, else 0. */
  monthlyReportNotEmailed: 'MonthlyReportNotEmailed',
} as const;

type OperationalMetric = (typeof OPERATIONAL_METRICS)[keyof typeof OPERATIONAL_METRICS];

let metrics: Metrics | undefined;

/**
 * Publishes one operational metric now (embedded metric format on stdout, which Lambda hands to
 * CloudWatch); the jobs call it once per run, including 0, so the alarm sees each run.
 */
export function emitOperationalMetric(name: OperationalMetric, value: number): void {
  metrics ??= new Metrics({ namespace: OPERATIONS_NAMESPACE, serviceName: SERVICE_NAME });
  metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
}
