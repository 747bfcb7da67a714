/**
 * The month's rows for the report CSV (one per survey response and per complaint), for
 * managers to dig into in a spreadsheet. No personal data: ids, scores, categories and times
 * only — never names, contact data, comments or descriptions.
 *
 * Rows are read a page at a time to the end: an export is never cut short. A request reads at
 * most `maxItems` (INLINE_EXPORT_MAX_ITEMS) and, when the month holds more, says so
 * (`complete: false`) so the route hands the export to a job (reportExportJob) that reads them all
 * and writes the file, fetched by an expiring link.
 */
import type { RowExport } from '../../shared/domain/report/csv.js';
import { addDays, datesBetween, monthRange, startOfLocalDay } from '../../shared/domain/time.js';
import { DIMENSIONS } from '../../shared/schemas/vocabulary.js';
import { dynamoComplaintStore } from '../../shared/store/complaints.js';
import { dynamoSettingsStore } from '../../shared/store/settings.js';
import { responsesOfDays } from '../../shared/store/surveys.js';

/** What one request reads at most for an inline CSV (≈ 1 MB of CSV, well inside 10 s and the 6 MB answer limit). */
export const INLINE_EXPORT_MAX_ITEMS = 5_000;
/** The limit in force: INLINE_EXPORT_MAX_ITEMS, or CARELOOP_INLINE_EXPORT_MAX_ITEMS (tests lower it to stay cheap). */
export const inlineExportMaxItems = () =>
  Number(process.env.CARELOOP_INLINE_EXPORT_MAX_ITEMS ?? '') || INLINE_EXPORT_MAX_ITEMS;
/** Items per read of the row export (one DynamoDB page holds at most 1 MB anyway). */
const PAGE = 1_000;

export interface MonthRows {
  exports: RowExport[];
  /** Items read from the table (responses and complaints). */
  itemsRead: number;
  /** False when `maxItems` was reached before the end: `exports` is then not to be used. */
  complete: boolean;
}

export async function monthRowExports(month: string, options: { maxItems?: number } = {}): Promise<MonthRows> {
  const max = options.maxItems ?? Number.POSITIVE_INFINITY;
  const { settings } = await dynamoSettingsStore.current();
  const { from, to } = monthRange(month);
  const days = datesBetween(from, to);
  const responses = [];
  let cursor: string | undefined;
  do {
    const page = await responsesOfDays(days, {
      limit: Math.min(PAGE, max + 1 - responses.length),
      cursor,
    });
    responses.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (responses.length > max) return { exports: [], itemsRead: responses.length, complete: false };
  } while (cursor);
  const complaints = [];
  cursor = undefined;
  do {
    const page = await dynamoComplaintStore.list({
      fromInstant: startOfLocalDay(from, settings.timezone).toISOString(),
      toInstant: new Date(startOfLocalDay(addDays(to, 1), settings.timezone).getTime() - 1).toISOString(),
      limit: 100,
      cursor,
    });
    complaints.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (responses.length + complaints.length > max)
      return { exports: [], itemsRead: responses.length + complaints.length, complete: false };
  } while (cursor);

  const exports: RowExport[] = [
    {
      title: 'responses',
      headers: [
        'response_id',
        'survey_id',
        'subject_type',
        'subject_id',
        'service_day',
        'channel',
        'team',
        'valid',
        'flags',
        'overall',
        'nps',
        ...DIMENSIONS,
        'categories',
        'sentiment',
        'submitted_at',
      ],
      rows: responses
        .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))
        .map((r) => [
          r.id,
          r.surveyId,
          r.subject.type,
          r.subject.id,
          r.cell.day,
          r.cell.channel,
          r.cell.team,
          r.valid,
          r.flags.map((f) => f.code).join(' '),
          r.overall,
          r.nps,
          ...DIMENSIONS.map((d) => r.scores[d]),
          r.categories.join(' '),
          r.sentiment,
          r.submittedAt,
        ]),
    },
    {
      title: 'complaints',
      headers: [
        'complaint_id',
        'service_day',
        'registered_at',
        'channel',
        'team',
        'category',
        'severity',
        'tier',
        'status',
        'escalation_level',
        'respond',
        'solution',
        'close',
        'breached',
        'recurrence',
        'paused_minutes',
        'closed_at',
      ],
      rows: complaints
        .sort((a, b) => a.registeredAt.localeCompare(b.registeredAt))
        .map((c) => [
          c.id,
          c.serviceDay,
          c.registeredAt,
          c.channel,
          c.team,
          c.category,
          c.severity,
          c.tier,
          c.status,
          c.escalationLevel,
          c.kpi.respond,
          c.kpi.solution,
          c.kpi.close,
          c.breached,
          !!c.recurrenceOf,
          c.pausedMinutes,
          c.closedAt,
        ]),
    },
  ];
  return { exports, itemsRead: responses.length + complaints.length, complete: true };
}
