import { Cause } from './causes.js';
import { DateString, ReportPeriodName, Timestamp } from './common.js';
import { describeEnum } from './describe.js';
import { GoalStatusValues } from './goals.js';
import { ImprovementStatus } from './improvements.js';
import { Quadrant } from './metrics.js';
import { Direction, RagStatus } from './settings.js';
import { z } from './zod.js';

const RenderLanguage = /* @__PURE__ */ z.enum(['zh', 'en']);
export const renderLanguageText = /* @__PURE__ */ describeEnum(RenderLanguage, {
  zh: 'The report in Chinese',
  en: 'The report in English',
});
const Change = /* @__PURE__ */ z.enum(['up', 'down', 'flat']);
export const changeText = /* @__PURE__ */ describeEnum(Change, {
  up: 'Higher than the period before (↑)',
  down: 'Lower than the period before (↓)',
  flat: 'About the same: a move too small to count (→)',
});
const ReportKind = /* @__PURE__ */ z.enum(['month', 'quarter', 'year']);
export const reportKindText = /* @__PURE__ */ describeEnum(ReportKind, {
  month: 'A monthly report (period YYYY-MM), with row exports',
  quarter: 'A quarterly report (period YYYY-Qn), built the first day after the quarter',
  year: 'An annual report (period YYYY), built the first day after the year',
});
const EmailStatus = /* @__PURE__ */ z.enum(['sending', 'sent', 'failed']);
export const emailStatusText = /* @__PURE__ */ describeEnum(EmailStatus, {
  sending: 'The email to settings.reportRecipients is being sent',
  sent: 'Emailed (`sentAt`); a period is emailed at most once',
  failed: 'The email failed; generating the report again with `email: true` retries it',
});
const FindingKind = /* @__PURE__ */ z.enum(['red', 'change', 'focus']);
export const findingKindText = /* @__PURE__ */ describeEnum(FindingKind, {
  red: 'A KPI in red (`kpi`, `value`, `target`); up to three',
  change: 'One of the two largest moves against the period before (`kpi`, `value`, `previous`, `better`)',
  focus:
    'The lowest-scoring dimension (and sub-indicator): the focus for the next period (`dimension`, `average`, `csi`)',
});
const OverallTarget = /* @__PURE__ */ z.literal('overall');
export const overallTargetText = /* @__PURE__ */ describeEnum(OverallTarget, {
  overall: 'The dimensions are correlated with the overall satisfaction score (1–5)',
});
const ExportStatus = /* @__PURE__ */ z.enum(['running', 'ready', 'failed']);
export const exportStatusText = /* @__PURE__ */ describeEnum(ExportStatus, {
  running: 'The file is being written: poll `statusUrl` every few seconds',
  ready: 'The file is written: download it from `url`',
  failed: 'The export failed; it is retried: start a new one if it stays failed',
});

/** One KPI against its target in the report (the `kpis` rows; `shortfalls` are those off target). */
const ReportKpi = /* @__PURE__ */ z
  .object({
    name: z.string().openapi({ example: 'csat' }),
    value: z.number().nullable(),
    previous: z.number().nullable().openapi({ description: 'the previous period’s value' }),
    target: z.number(),
    amber: z.number().openapi({ description: 'where amber begins (red beyond it)' }),
    direction: Direction.openapi({ description: 'whether higher or lower is better' }),
    owner: z.string().openapi({ description: 'who answers for the KPI (settings kpis.<name>.owner)' }),
    status: RagStatus.nullable().openapi({ description: 'null without data' }),
  })
  .openapi('ReportKpi');

/** An improvement action as the report lists it. */
const ReportImprovement = /* @__PURE__ */ z
  .object({
    id: z.string(),
    problem: z.string(),
    measure: z.string(),
    department: z.string(),
    ownerId: z.string(),
    dueDate: DateString,
    status: ImprovementStatus,
    overdue: z.boolean(),
    cause: Cause.optional().openapi({ description: 'the cause it removes, linking it to the causes Pareto' }),
  })
  .openapi('ReportImprovement');

/** A causes Pareto in the report: each kind with its share, whether it is one of the vital few, and the open actions on it. */
const CauseRows = /* @__PURE__ */ z.object({
  total: z.number().int(),
  items: z.array(
    z.object({
      kind: z.string(),
      count: z.number().int(),
      share: z.number(),
      cumulativeShare: z.number(),
      large: z.boolean().openapi({ description: 'among the kinds that make up the first 80 % of cases' }),
      improvements: z
        .array(z.object({ id: z.string(), problem: z.string() }))
        .openapi({ description: 'open improvement actions (planned, in progress) naming this cause' }),
    }),
  ),
});

export const ReportParams = /* @__PURE__ */ z.strictObject({ period: ReportPeriodName });
export const ReportRenderQuery = /* @__PURE__ */ z.strictObject({
  lang: RenderLanguage.optional().openapi({ description: 'default: settings.reportLanguage' }),
});
export const GenerateReportBody = /* @__PURE__ */ z
  .strictObject({
    email: z
      .boolean()
      .optional()
      .openapi({ description: 'email it to settings.reportRecipients (at most once per period)' }),
  })
  .openapi('GenerateReportBody');

const Share = /* @__PURE__ */ z.number().nullable();
const ChangeOrNull = /* @__PURE__ */ Change.nullable().openapi({
  description: 'against the period before; null when either period has no value',
});

/** The report of a month, quarter or year; the OpenAPI component keeps its contract name `PeriodReport`. */
export const PeriodReport = /* @__PURE__ */ z
  .object({
    month: ReportPeriodName.openapi({
      description: "the report's period (named `month` since monthly reports came first): YYYY-MM, YYYY-Qn or YYYY",
    }),
    kind: ReportKind,
    generatedAt: Timestamp,
    version: z.number().int().openapi({ description: 'how many times this period was built' }),
    email: z
      .object({
        status: EmailStatus,
        sentAt: Timestamp.optional(),
        recipients: z.number().int(),
      })
      .nullable(),
    period: z.object({ from: z.string(), to: z.string(), timezone: z.string() }),
    overview: z.object({
      interactions: z.number(),
      complaints: z.number(),
      responses: z.number(),
      validResponses: z.number(),
      responseRate: Share,
    }),
    satisfaction: z.object({
      csat: z.number().nullable(),
      previousCsat: z.number().nullable(),
      satisfiedShare: Share,
      previousSatisfiedShare: Share,
      change: ChangeOrNull,
      csi: z.number().nullable().openapi({ description: 's004 CSI on 0–10 (kpis.csiWeights)' }),
      previousCsi: z.number().nullable(),
      lowestDimension: z.object({ dimension: z.string(), csi: z.number() }).nullable(),
      subIndicators: z.record(
        z.string(),
        z.object({
          n: z.number(),
          average: z.number().nullable(),
          satisfiedShare: Share,
          csi: z.number().nullable(),
        }),
      ),
      lowestSubIndicator: z.object({ subIndicator: z.string(), csi: z.number() }).nullable(),
      lowestSubIndicators: z
        .array(z.object({ subIndicator: z.string(), n: z.number(), average: z.number().nullable(), csi: z.number() }))
        .openapi({
          description: 'the three lowest sub-indicators (`<dimension>.<subIndicator>`, CSI 0–10), lowest first',
        }),
      dimensions: z.array(
        z.object({
          dimension: z.string(),
          average: z.number().nullable(),
          satisfiedShare: Share,
          csi: z.number().nullable(),
          previousCsi: z.number().nullable(),
          previousAverage: z.number().nullable(),
          previousSatisfiedShare: Share,
          change: ChangeOrNull,
        }),
      ),
    }),
    nps: z.object({
      score: z.number().nullable(),
      promoters: z.number(),
      passives: z.number(),
      detractors: z.number(),
      previousScore: z.number().nullable(),
      change: ChangeOrNull,
    }),
    complaints: z.object({
      count: z.number(),
      rate: Share,
      respondedInTimeShare: Share,
      solutionInTimeShare: Share,
      closedInTimeShare: Share,
      escalations: z.number(),
      recurrenceRate: Share,
      secondRoundSatisfiedShare: Share,
      byCategory: z.record(z.string(), z.number()),
    }),
    serviceEfficiency: z.array(
      z.object({
        channel: z.string(),
        interactions: z.number(),
        firstResponseWithinTargetShare: Share,
        p50Seconds: z.number().nullable(),
        p90Seconds: z.number().nullable(),
        resolutionWithinTargetShare: Share,
      }),
    ),
    service: z.record(z.string(), z.number().nullable()),
    topProblems: z.array(
      z.object({
        category: z.string(),
        count: z.number(),
        share: z.number(),
        examples: z
          .array(
            z.object({
              text: z.string(),
              lowestScore: z.number().nullable(),
              day: z.string(),
              channel: z.string(),
            }),
          )
          .openapi({
            description:
              "up to two of the customers' own words about this problem (s002 客户原话): valid answers, the lowest-scored first, personal data masked",
          }),
      }),
    ),
    kpis: z.array(ReportKpi),
    shortfalls: z.array(ReportKpi).openapi({ description: 'The KPIs off target (`kpis` rows), red before amber' }),
    findings: z
      .array(
        z.object({
          kind: FindingKind,
          kpi: z.string().optional(),
          dimension: z.string().optional(),
          value: z.number().optional(),
          previous: z.number().optional(),
          target: z.number().optional(),
          better: z.boolean().optional(),
          average: z.number().optional(),
          csi: z.number().optional(),
          subIndicator: z.string().optional(),
          subIndicatorCsi: z.number().optional(),
        }),
      )
      .openapi({
        description:
          'written from the data: red KPIs (up to 3), the two largest moves against the period before, the lowest-scoring dimension (and sub-indicator) as the focus',
      }),
    teams: z.array(
      z.object({
        team: z.string(),
        interactions: z.number().int(),
        firstResponseWithinTargetShare: Share,
        firstContactResolutionShare: Share,
        csat: z.number().nullable(),
        nps: z.number().nullable(),
        complaints: z.number().int(),
      }),
    ),
    overdueReasons: z
      .object({ contacts: z.number().int() })
      .catchall(z.number().int())
      .openapi({ description: 'contacts that missed a target, by overdue reason' }),
    causes: z.object({ complaints: CauseRows, misses: CauseRows }).openapi({
      description: 's000/s002 原因分析: why complaints arose and contacts missed, with the open actions on each',
    }),
    improvements: z.array(ReportImprovement),
    trend: z.array(
      z.object({
        month: z.string().openapi({ description: 'the period (same kind as the report)' }),
        csat: z.number().nullable(),
        satisfiedShare: Share,
        nps: z.number().nullable(),
        responses: z.number(),
        complaints: z.number(),
      }),
    ),
    goals: z
      .array(
        z.object({
          id: z.string(),
          name: z.string().optional(),
          kpi: z.string(),
          scope: z.object({ team: z.string().optional(), channel: z.string().optional() }),
          owner: z.string(),
          by: z.string(),
          baselineValue: z.number().nullable(),
          targetValue: z.number().nullable(),
          expectedNow: z.number().nullable(),
          current: z.number().nullable(),
          status: GoalStatusValues,
          asOf: z
            .string()
            .openapi({ description: "the day the figures are of: the period's last, or today while it runs" }),
        }),
      )
      .openapi({
        description:
          'the goals alive in the period (baseline ended before its end, due on or after its start), with their progress (GET /goals)',
      }),
    drivers: z
      .object({
        target: OverallTarget,
        minAnswers: z.number().int(),
        items: z.array(
          z.object({
            dimension: z.string(),
            n: z.number().int(),
            r: z.number().nullable(),
            csi: z.number().nullable(),
            priority: z.number().int().nullable(),
            quadrant: Quadrant.nullable().openapi({
              description: 'importance × performance; null when the dimension has too few answers to rank',
            }),
          }),
        ),
      })
      .openapi({
        description:
          'key drivers of overall satisfaction (GET /metrics/drivers over the period): importance r × score, fix_first first; figures null below minAnswers',
      }),
    campaigns: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          questionnaire: z.object({ id: z.string(), version: z.number().int() }),
          window: z.object({ from: z.string(), to: z.string() }),
          status: z.string(),
          audience: z.number().int(),
          invited: z.number().int(),
          answered: z.number().int(),
          valid: z.number().int(),
          responseRate: Share,
          marginOfError: Share,
        }),
      )
      .openapi({
        description:
          'the survey campaigns whose window overlaps the period (drafts left out), with response rate and margin of error (95 %)',
      }),
  })
  .openapi('MonthlyReport');

export const ReportExportParams = /* @__PURE__ */ z.strictObject({
  period: ReportPeriodName,
  id: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .openapi({ description: 'the export job id, as answered when it was started' }),
});

export const ReportExport = /* @__PURE__ */ z
  .object({
    id: z.string(),
    period: ReportPeriodName,
    status: ExportStatus.openapi({
      description:
        '`running` until the file is written; poll `statusUrl` (every few seconds) until `ready` or `failed`',
    }),
    statusUrl: z.string().openapi({ description: 'where to read this job again: GET /reports/{period}/exports/{id}' }),
    requestedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    rows: z
      .object({ responses: z.number().int(), complaints: z.number().int() })
      .nullable()
      .openapi({ description: 'rows written per table, every row of the month: an export is never cut short' }),
    url: z.string().nullable().openapi({
      description:
        'when ready: the CSV (UTF-8 with BOM), fetched with a plain GET and no Authorization header; a new link is issued on every read of the job',
    }),
    expiresAt: Timestamp.nullable().openapi({
      description: 'when `url` stops working; read the job again for a new one',
    }),
    error: z.string().nullable(),
  })
  .openapi('ReportExport', {
    description:
      "A row-level export of a report period, built by a job outside the request: the file is fetched by an expiring link. Files are kept for 7 days; the job's record as long.",
  });
