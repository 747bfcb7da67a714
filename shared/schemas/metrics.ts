import { Channel, DateString, ExternalId } from './common.js';
import { KpiName } from './settings.js';
import { z } from './zod.js';

const ShareValue = z.number().min(0).max(1).nullable().openapi({ description: '0–1; null when there is no data' });
const Seconds = z.number().nullable();

export const MetricsQuery = z
  .strictObject({
    from: DateString.optional().openapi({
      description: 'inclusive, settings time zone; default first day of the current month',
    }),
    to: DateString.optional().openapi({ description: 'inclusive, settings time zone; default today' }),
    channel: Channel.optional(),
    team: ExternalId.optional(),
  })
  .openapi('MetricsQuery');
export type MetricsQuery = z.infer<typeof MetricsQuery>;

const DimensionFigures = z.object({ average: z.number().nullable(), satisfiedShare: ShareValue });
const Status = z.enum(['green', 'amber', 'red']);

export const MetricsResponse = z
  .object({
    period: z.object({
      from: DateString,
      to: DateString,
      timezone: z.string(),
      channel: z.string().optional(),
      team: z.string().optional(),
    }),
    satisfaction: z.object({
      responses: z.number().int(),
      validResponses: z.number().int(),
      csat: z.number().nullable().openapi({ description: 'mean overall (1–5) of valid responses' }),
      satisfiedShare: ShareValue,
      responseRate: ShareValue,
      dimensions: z.record(z.string(), DimensionFigures),
    }),
    nps: z.object({
      score: z.number().nullable(),
      promoters: z.number().int(),
      passives: z.number().int(),
      detractors: z.number().int(),
    }),
    service: z.object({
      interactions: z.number().int(),
      abandoned: z.number().int().openapi({ description: 'contacts the customer left before any answer' }),
      pending: z.object({ firstResponse: z.number().int(), resolution: z.number().int() }).openapi({
        description: 'contacts still inside their target, without the milestone: in no rate yet',
      }),
      firstResponse: z.object({
        p50Seconds: Seconds,
        p90Seconds: Seconds,
        withinTargetShare: ShareValue.openapi({
          description: 'answered in target ÷ (answered + unanswered or abandoned past the target)',
        }),
        answered: z.number().int(),
        unanswered: z.number().int().openapi({ description: 'no answer when the target passed (abandoned included)' }),
        byChannel: z.record(
          z.string(),
          z.object({
            interactions: z.number().int(),
            withinTargetShare: ShareValue,
            unanswered: z.number().int(),
            p50Seconds: Seconds,
            p90Seconds: Seconds,
            resolutionWithinTargetShare: ShareValue,
          }),
        ),
      }),
      resolution: z.object({
        simpleWithinTargetShare: ShareValue,
        complexWithinTargetShare: ShareValue,
        overdue: z.number().int().openapi({ description: 'unresolved when the resolution target passed' }),
        p50Seconds: Seconds,
        p90Seconds: Seconds,
      }),
      complexFeedbackWithinHourShare: ShareValue.openapi({
        description: 'complex contacts with a first feedback within their target (1 h) ÷ complex contacts decided',
      }),
      overdueByReason: z
        .object({ contacts: z.number().int() })
        .catchall(z.number().int())
        .openapi({ description: 'contacts that missed a target, by overdue reason (`unexplained` without one)' }),
      firstContactResolutionShare: ShareValue,
      averageHandlingSeconds: Seconds,
    }),
    complaints: z.object({
      count: z.number().int(),
      rate: ShareValue.openapi({ description: 'complaints per interaction' }),
      respondedInTimeShare: ShareValue,
      solutionInTimeShare: ShareValue,
      closedInTimeShare: ShareValue,
      escalations: z.number().int(),
      recurrenceRate: ShareValue,
      secondRoundSatisfiedShare: ShareValue,
      byCategory: z.record(z.string(), z.number().int()),
    }),
    alerts: z
      .object({
        due: z.number().int().openapi({ description: 'call-backs due in the period (valid answers)' }),
        handledInTime: z.number().int().openapi({ description: 'of them, with an outcome recorded by dueBy' }),
        handledInTimeShare: ShareValue.openapi({ description: 'alertsHandledInTime: handledInTime ÷ due' }),
      })
      .openapi({ description: 'The detractor call-back queue (GET /alerts)' }),
    values: z.record(KpiName, z.number().nullable()),
    counters: z
      .record(z.string(), z.number())
      .openapi({ description: 'the summed counters the figures were computed from' }),
    status: z
      .partialRecord(KpiName, Status)
      .openapi({ description: 'red/amber/green per KPI against settings.kpis; absent when the KPI has no data' }),
  })
  .openapi('Metrics');
