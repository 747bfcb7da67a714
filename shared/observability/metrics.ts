/**
 * Business metrics, as CloudWatch metrics (Embedded Metric Format, emf.ts): each event is
 * published at once as one EMF entry in the function's log, which CloudWatch turns into a
 * metric in the `CareLoop` namespace, dimension `service`. No API call, no flush middleware. Where logs are readable lines (locally, see logger.ts) the event is one log line
 * instead: `metric ComplaintRegistered=1`.
 */
import { writeCount } from './emf.js';
import { logFormat, logger } from './logger.js';

export const METRICS_NAMESPACE = 'CareLoop';

/** Every business event counted, by the name of its metric. */
export const BUSINESS_EVENTS = [
  'ComplaintRegistered',
  'ComplaintEscalated',
  'ComplaintBreached',
  'SurveySubmitted',
  'SurveyInvalid',
  'FollowUpSent',
  'FollowUpFailed',
  'ReportEmailed',
  'ComplaintSummaryEmailed',
] as const;
export type BusinessEvent = (typeof BUSINESS_EVENTS)[number];

/** Counts a business event that has just happened (after its write succeeded, so a retry that writes nothing does not count). */
export function countEvent(event: BusinessEvent, count = 1): void {
  if (logFormat() === 'lines') {
    logger.info(`metric ${event}=${count}`);
    return;
  }
  writeCount(METRICS_NAMESPACE, event, count);
}
