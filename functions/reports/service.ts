/**
 * Use cases of the monthly report: build it from counters (this month, the month before
 * and four more for the trend), store it, render it, and email it at most once per month.
 */

import { realSpan } from '../../shared/domain/clock.js';
import { Invalid, NotFound } from '../../shared/domain/errors.js';
import { computeMetrics } from '../../shared/domain/metrics.js';
import type { RowExport } from '../../shared/domain/report/csv.js';
import { buildReport, type ImprovementSummary, type MonthlyReport } from '../../shared/domain/report/model.js';
import { localDate, monthRange, previousMonth } from '../../shared/domain/time.js';
import type { EmailMessage } from '../../shared/notify/ports.js';
import { ports } from '../../shared/ports.js';
import { SCHEDULES } from '../../shared/schedules.js';
import type { Settings } from '../../shared/schemas/settings.js';
import { readCounters } from '../../shared/store/aggregates.js';
import { claimEmail, getEmailState, getReport, putReport, recordEmailOutcome } from '../../shared/store/reports.js';
import { currentSettings } from '../../shared/store/settings-store.js';
import { improvementsForReport } from '../improvements/service.js';
import { reportEmail } from './email.js';
import { monthRowExports } from './exports.js';

export interface ReportDeps {
  /** Improvement actions to list in the report (the improvements capability provides them). */
  improvements(month: string, now: Date): Promise<ImprovementSummary[]>;
  /** Row-level exports of the month for the CSV (survey responses, complaints), without personal data. */
  rowExports(month: string): Promise<RowExport[]>;
  /** Delivers the email (SES in AWS, the outbox locally), once per message id. */
  sendEmail(email: EmailMessage): Promise<unknown>;
}

const defaults: ReportDeps = {
  improvements: improvementsForReport,
  rowExports: monthRowExports,
  sendEmail: (email) => ports().email.send(email),
};

let configured: ReportDeps = defaults;
/** Plug in the parts other capabilities own (the local runtime and the Lambda composition root call this). */
export function configureReports(deps: Partial<ReportDeps>): void {
  configured = { ...configured, ...deps };
}

/** A claim older than this is taken to belong to a run that crashed mid-send. */
const EMAIL_CLAIM_TIMEOUT_MS = 15 * 60 * 1000;

async function metricsOfMonth(month: string, settings: Settings) {
  const { from, to } = monthRange(month);
  return computeMetrics(await readCounters(from, to), { from, to, timezone: settings.timezone }, settings);
}

export async function buildMonthlyReport(month: string, now: Date, deps = configured): Promise<MonthlyReport> {
  const { settings } = await currentSettings();
  if (month > localDate(now, settings.timezone).slice(0, 7)) throw Invalid.field('month', 'is in the future');
  const months = [month];
  for (let i = 0; i < 5; i += 1) months.unshift(previousMonth(months[0]!));
  const metrics = await Promise.all(months.map((m) => metricsOfMonth(m, settings)));
  const current = metrics[metrics.length - 1]!;
  const previous = metrics[metrics.length - 2]!;
  return buildReport({
    month,
    generatedAt: now,
    settings,
    current,
    previous,
    history: months.slice(0, -1).map((m, i) => ({ month: m, metrics: metrics[i]! })),
    improvements: await deps.improvements(month, now),
  });
}

async function view(month: string) {
  const stored = await getReport(month);
  if (!stored) throw new NotFound(`The report for ${month} has not been built yet.`);
  const email = await getEmailState(month);
  return {
    ...stored.report,
    version: stored.version,
    email: email
      ? { status: email.status, recipients: email.recipients, ...(email.sentAt ? { sentAt: email.sentAt } : {}) }
      : null,
  };
}

/**
 * Builds and stores the report of `month` and, when asked, emails it to the recipients in
 * settings — once: a re-run rebuilds the stored report but does not email again, unless the
 * earlier email failed. An email failure leaves the stored report intact and is reported
 * (the scheduled job throws so EventBridge retries it).
 */
export async function generateMonthlyReport(month: string, now: Date, options: { email: boolean }, deps = configured) {
  const report = await buildMonthlyReport(month, now, deps);
  await putReport(report);
  let emailError: Error | undefined;
  if (options.email) {
    const { settings } = await currentSettings();
    const recipients = settings.reportRecipients;
    if (
      recipients.length &&
      (await claimEmail(
        month,
        now,
        new Date(now.getTime() - realSpan(ports().clock, EMAIL_CLAIM_TIMEOUT_MS)),
        recipients.length,
      ))
    ) {
      try {
        await deps.sendEmail(
          reportEmail(report, {
            language: settings.reportLanguage,
            to: recipients,
            exports: await deps.rowExports(month),
          }),
        );
        await recordEmailOutcome(month, { sent: true, at: now });
      } catch (error) {
        emailError = error as Error;
        await recordEmailOutcome(month, { sent: false, error: emailError.message });
      }
    }
  }
  return { report: await view(month), emailError };
}

export const readReport = view;

export async function reportForRendering(month: string) {
  const stored = await getReport(month);
  if (!stored) throw new NotFound(`The report for ${month} has not been built yet.`);
  const { settings } = await currentSettings();
  return { report: stored.report, language: settings.reportLanguage, exports: () => configured.rowExports(month) };
}

/** The month a scheduled run at `now` reports on: the previous calendar month in the settings' zone. */
const MONTHLY_REPORT_SCHEDULE = SCHEDULES.find((schedule) => schedule.id === 'monthlyReport')!;

export function monthToReport(now: Date, scheduleZone: string = MONTHLY_REPORT_SCHEDULE.timezone): string {
  // The month that just ended where the schedule fired (the 1st, 08:00 in its zone); read in a zone
  // west of it, the same instant is still the last day of the month before, and a month would be skipped.
  return previousMonth(localDate(now, scheduleZone).slice(0, 7));
}
