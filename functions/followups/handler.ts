/** Lambda entry points of follow-ups: the scheduled job, delivery receipts and the operator's list of failures. */

import { previousMonth } from '../../shared/domain/time.js';
import { apiHandler, ok } from '../../shared/http/api.js';
import { followUpRoutes } from '../../shared/http/routes/followups.js';
import { pick } from '../../shared/http/routes/route.js';
import { awsSenders } from '../../shared/notify/aws.js';
import { logger } from '../../shared/observability/logger.js';
import { emitOperationalMetric, OPERATIONAL_METRICS } from '../../shared/observability/operations.js';
import { ports, provideDefaults } from '../../shared/ports.js';
import { dynamoFollowUpStore } from '../../shared/store/followups.js';
import { followUpNeeds, tellGoalOwnersAtRisk } from '../composition.js';
import { receiptRecordsOf, recordDeliveryReceipts } from './delivery.js';
import { runAlertDigest, runFollowUps } from './service.js';

provideDefaults(awsSenders('email', 'sms', 'wechat'));

/** EventBridge Scheduler target, every 15 minutes. Safe to run twice at once: tasks are claimed one run at a time. */
export async function scheduledFollowUps() {
  const summary = await runFollowUps(ports().clock.now(), followUpNeeds);
  logger.info('follow-ups run', { ...summary });
  emitOperationalMetric(OPERATIONAL_METRICS.followUpsFailed, summary.failed);
  return summary;
}

/**
 * EventBridge Scheduler target, 09:00 daily: the supervisors' digest of open call-backs (once a day),
 * and the goal check (an owner told once when their goal turns at_risk). Each runs whatever the
 * other does; a failure of either fails the run, and the scheduler's retry repeats both safely.
 */
export async function scheduledAlertDigest() {
  const now = ports().clock.now();
  const [digest, goals] = await Promise.allSettled([runAlertDigest(now, followUpNeeds), tellGoalOwnersAtRisk(now)]);
  if (digest.status === 'fulfilled') logger.info('alert digest run', { outcome: digest.value });
  if (goals.status === 'fulfilled') {
    const { outcomes: _, notices, ...counts } = goals.value;
    logger.info('goal check run', { ...counts, notices: notices.length });
  }
  for (const result of [digest, goals]) if (result.status === 'rejected') throw result.reason;
  return {
    outcome: digest.status === 'fulfilled' ? digest.value : undefined,
    goalNotices: goals.status === 'fulfilled' ? goals.value.notices.length : undefined,
  };
}

/**
 * Delivery receipts: SES events from the delivery queue (SQS, partial batch response: a record
 * that failed comes back alone, and after its last receive goes to the dead-letter queue), and
 * SNS SMS delivery status from its log group (CloudWatch Logs subscription; a failure is retried).
 */
export async function deliveryEvents(event: unknown) {
  const summary = await recordDeliveryReceipts(receiptRecordsOf(event), ports().clock.now());
  logger.info('delivery receipts', { ...summary, failed: summary.failed.length });
  if (!(event as { Records?: unknown }).Records && summary.failed.length)
    throw new Error(`${summary.failed.length} delivery status lines not recorded`);
  return { batchItemFailures: summary.failed.map((itemIdentifier) => ({ itemIdentifier })) };
}

export const listFollowUps = /* @__PURE__ */ apiHandler(
  /* @__PURE__ */ pick(followUpRoutes, 'listFollowUps'),
  async ({ query, now }) => {
    const months = [now.toISOString().slice(0, 7)];
    for (let month = now.toISOString().slice(0, 7); months.length < query.months; months.push(month))
      month = previousMonth(month);
    return ok(await dynamoFollowUpStore.failedTasks(months, { limit: query.limit, cursor: query.cursor }));
  },
);
