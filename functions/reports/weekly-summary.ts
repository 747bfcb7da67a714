/**
 * The weekly complaint summary job (s000 每周汇总): built from the week's counter cells and the
 * open-complaints index, emailed to `settings.complaintSummaryRecipients` once per week (the
 * message id is the week's, and the exactly-once sender claims it before sending).
 */
import { defined } from '../../shared/domain/errors.js';
import {
  buildComplaintSummary,
  type ComplaintSummary,
  weekEndedBefore,
  weekFromName,
} from '../../shared/domain/report/complaint-summary.js';
import type { EmailMessage } from '../../shared/notify/ports.js';
import { send } from '../../shared/notify/send.js';
import { logger } from '../../shared/observability/logger.js';
import { countEvent } from '../../shared/observability/metrics.js';
import { SCHEDULES } from '../../shared/schedules.js';
import { type CounterReader, dynamoCounterReader } from '../../shared/store/aggregates.js';
import { type ComplaintStore, dynamoComplaintStore } from '../../shared/store/complaints.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';
import { dynamoSurgeStore, type SurgeStore } from '../../shared/store/surges.js';
import { complaintSummaryEmail } from './email.js';

/** At most this many open complaints are read for the backlog figures (one bounded index read). */
export const BACKLOG_BUDGET = 2000;
/** At most this many surges of the week's months are read (one category and day opens one). */
export const SURGES_LISTED = 100;

export interface ComplaintSummaryDeps {
  settings: SettingsStore;
  complaints: Pick<ComplaintStore, 'openBacklog'>;
  surges: Pick<SurgeStore, 'ofMonths'>;
  /** The week's KPI counter cells (complaints by category, channel and team). */
  counters: Pick<CounterReader, 'readCounters'>;
  sendEmail(email: EmailMessage): Promise<{ status: string }>;
}

const defaults: ComplaintSummaryDeps = {
  settings: dynamoSettingsStore,
  complaints: dynamoComplaintStore,
  surges: dynamoSurgeStore,
  counters: dynamoCounterReader,
  sendEmail: (email) => send({ channel: 'email', ...email }),
};

const SCHEDULE = defined(
  SCHEDULES.find((schedule) => schedule.id === 'weeklyComplaintSummary'),
  'the weeklyComplaintSummary schedule',
);

export async function buildWeeklyComplaintSummary(
  now: Date,
  options: { week?: string | undefined } = {},
  deps: Partial<ComplaintSummaryDeps> = {},
): Promise<ComplaintSummary> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const week = options.week ? weekFromName(options.week) : weekEndedBefore(now, SCHEDULE.timezone);
  const [cells, backlog, surges] = await Promise.all([
    all.counters.readCounters(week.from, week.to),
    all.complaints.openBacklog(BACKLOG_BUDGET),
    // The surges of the week's (one or two) local months, from their sparse month index.
    all.surges.ofMonths([...new Set([week.from.slice(0, 7), week.to.slice(0, 7)])], SURGES_LISTED),
  ]);
  return buildComplaintSummary({
    week,
    generatedAt: now,
    timezone: settings.timezone,
    cells,
    backlog,
    surges: surges.items,
  });
}

/**
 * Builds the summary of the week that ended before `now` (or `options.week`) and emails it to
 * the complaints desk, once. No recipients configured: nothing is sent, and the log says so.
 */
export async function sendWeeklyComplaintSummary(
  now: Date,
  options: { week?: string | undefined } = {},
  deps: Partial<ComplaintSummaryDeps> = {},
): Promise<{
  week: string;
  recipients: number;
  email: 'sent' | 'duplicate' | 'not_configured';
  summary: ComplaintSummary;
}> {
  const all = { ...defaults, ...deps };
  const summary = await buildWeeklyComplaintSummary(now, options, all);
  const { settings } = await all.settings.current();
  const recipients = settings.complaintSummaryRecipients;
  if (!recipients.length) {
    logger.warn(
      'weekly complaint summary not emailed: no complaints desk configured (settings.complaintSummaryRecipients is empty)',
      { week: summary.week },
    );
    return { week: summary.week, recipients: 0, email: 'not_configured', summary };
  }
  const receipt = await all.sendEmail(
    complaintSummaryEmail(summary, { language: settings.reportLanguage, to: recipients }),
  );
  const email = receipt.status === 'duplicate' ? 'duplicate' : 'sent';
  if (email === 'sent') countEvent('ComplaintSummaryEmailed');
  logger.info('weekly complaint summary', { week: summary.week, email, recipients: recipients.length });
  return { week: summary.week, recipients: recipients.length, email, summary };
}
