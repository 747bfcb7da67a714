/**
 * Every scheduled job, declared once: the CDK app turns each into an EventBridge Scheduler
 * schedule (with its time zone), the local runtime fires the same expressions from the shared clock.
 */
import { DEFAULT_SETTINGS } from './domain/settings.js';

export interface ScheduleDeclaration {
  id: string;
  description: string;
  /** EventBridge Scheduler expression: `cron(min hour day-of-month month day-of-week year)` or `rate(n minutes)`. */
  expression: string;
  /** IANA zone the cron is read in. */
  timezone: string;
  /** functions/<capability>/handler.ts export that runs the job. */
  capability: string;
  handler: string;
}

export const SCHEDULES = [
  {
    id: 'monthlyReport',
    description:
      "Build and email the previous month's satisfaction report, 08:00 on the 1st; on the 1st of a quarter (year) also the quarter's (year's)",
    expression: 'cron(0 8 1 * ? *)',
    timezone: DEFAULT_SETTINGS.timezone,
    capability: 'reports',
    handler: 'scheduledMonthlyReport',
  },
  {
    id: 'monthlyReportCheck',
    description:
      "Check that last month's report was emailed; alarms (MonthlyReportNotEmailed) when not, 08:00 on the 2nd",
    expression: 'cron(0 8 2 * ? *)',
    timezone: DEFAULT_SETTINGS.timezone,
    capability: 'reports',
    handler: 'scheduledMonthlyReportCheck',
  },
  {
    id: 'weeklyComplaintSummary',
    description:
      "Email the complaints desk the week's complaint summary (new, resolved, escalated, open and overdue, the oldest open), 08:00 on Mondays",
    // EventBridge counts day-of-week from Sunday = 1: MON is 2.
    expression: 'cron(0 8 ? * MON *)',
    timezone: DEFAULT_SETTINGS.timezone,
    capability: 'reports',
    handler: 'scheduledWeeklyComplaintSummary',
  },
  {
    id: 'followUps',
    description:
      'Send due follow-ups: survey invitations and reminders, "fixed" messages, complaint notices to customers and owners',
    expression: 'rate(15 minutes)',
    timezone: DEFAULT_SETTINGS.timezone,
    capability: 'followups',
    handler: 'scheduledFollowUps',
  },
  {
    id: 'alertDigest',
    description:
      "Email each team's supervisor the day's open call-backs (negative answers, GET /alerts): one digest a day, not one email per alert; and tell each goal's owner once when it turns at_risk",
    expression: 'cron(0 9 * * ? *)',
    timezone: DEFAULT_SETTINGS.timezone,
    capability: 'followups',
    handler: 'scheduledAlertDigest',
  },
  {
    id: 'overdueSweep',
    description:
      'Contacts whose first-response or resolution target passed without it become misses in the KPIs (exactly once)',
    expression: 'rate(5 minutes)',
    timezone: DEFAULT_SETTINGS.timezone,
    capability: 'interactions',
    handler: 'scheduledOverdueSweep',
  },
  {
    id: 'campaignWaves',
    description:
      'Campaigns: close those whose window ended (finished), launch the next wave of each recurring campaign whose period began, finish launches left unfinished, estimate drafts whose estimate job was lost',
    expression: 'rate(1 hour)',
    timezone: DEFAULT_SETTINGS.timezone,
    capability: 'surveys',
    handler: 'scheduledCampaignWaves',
  },
] as const satisfies readonly ScheduleDeclaration[];
