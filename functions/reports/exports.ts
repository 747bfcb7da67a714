/**
 * The month's rows for the report CSV (one per survey response and per complaint), for
 * managers to dig into in a spreadsheet. No personal data: ids, scores, categories and times
 * only — never names, contact data, comments or descriptions.
 */
import type { RowExport } from '../../shared/domain/report/csv.js';
import { DIMENSIONS } from '../../shared/domain/surveys.js';
import { addDays, datesBetween, monthRange, startOfLocalDay } from '../../shared/domain/time.js';
import { dynamoComplaintStore } from '../../shared/store/complaints.js';
import { currentSettings } from '../../shared/store/settings.js';
import { dynamoSurveyStore } from '../../shared/store/surveys.js';

export async function monthRowExports(month: string): Promise<RowExport[]> {
  const { settings } = await currentSettings();
  const { from, to } = monthRange(month);
  const responses = await dynamoSurveyStore.responsesOfDays(datesBetween(from, to));
  const complaints = [];
  let cursor: string | undefined;
  do {
    const page = await dynamoComplaintStore.list({
      fromInstant: startOfLocalDay(from, settings.timezone).toISOString(),
      toInstant: new Date(startOfLocalDay(addDays(to, 1), settings.timezone).getTime() - 1).toISOString(),
      limit: 100,
      cursor,
    });
    complaints.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);

  return [
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
}
