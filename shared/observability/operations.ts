/**
 * The operational metrics CareLoop emits for its alarms, declared once: the jobs emit them
 * (CloudWatch embedded metric format, emf.ts) and the CDK app alarms on them
 * (infra/aws/constructs/operations.ts).
 */
import { writeCount } from './emf.js';

export const OPERATIONS_NAMESPACE = 'CareLoop/Operations';

export const OPERATIONAL_METRICS = {
  /** Follow-up tasks that ended in `failed` (after their last attempt) in one run of the job. */
  followUpsFailed: 'FollowUpsFailed',
  /** 1 when the check on the 2nd finds last month's report not emailed, else 0. */
  monthlyReportNotEmailed: 'MonthlyReportNotEmailed',
} as const;

type OperationalMetric = (typeof OPERATIONAL_METRICS)[keyof typeof OPERATIONAL_METRICS];

/**
 * Publishes one operational metric now (embedded metric format on stdout, which Lambda hands to
 * CloudWatch); the jobs call it once per run, including 0, so the alarm sees each run.
 */
export function emitOperationalMetric(name: OperationalMetric, value: number): void {
  writeCount(OPERATIONS_NAMESPACE, name, value);
}
