import { getOpenApiMetadata } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';
import { CONTACT_CHANNELS, type ContactChannel, DateString, Email, pageOf, TeamId, Timestamp } from './common.js';
import { describeEnum } from './describe.js';
import { QuestionnaireId } from './questionnaires.js';
import { KPI_NAMES, MESSAGING_CHANNELS, WECHAT_TEMPLATE_KINDS } from './vocabulary.js';
import { z } from './zod.js';

/** Names that would reach an object's prototype if used as keys: never a calendar or category name. */
const RESERVED_KEYS = /* @__PURE__ */ new Set(['__proto__', 'constructor', 'prototype']);
const notReserved = (name: string) => !RESERVED_KEYS.has(name);

/** Targets are at most 90 days; SLA minutes and warnings at most a year: nothing overflows a date or a counter. */
const Seconds = /* @__PURE__ */ z
  .number()
  .int()
  .positive()
  .max(90 * 86_400);
const Minutes = /* @__PURE__ */ z
  .number()
  .int()
  .positive()
  .max(365 * 1440);

/** Whether the runtime's Intl knows the zone: every date, month and report is read through it. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name, e.g. Asia/Shanghai (UTC offsets like +08:00 are not zones). */
export const TimeZone = /* @__PURE__ */ z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone, e.g. Asia/Shanghai')
  .openapi({ example: 'Asia/Shanghai' });

/** A KPI value or target: shares (0–1), scores (1–5) and NPS (−100–100) all fit. */
export const KpiValue = /* @__PURE__ */ z
  .number()
  .min(-100)
  .max(100)
  // DynamoDB stores no number smaller than 1e-130 in magnitude; no KPI needs finer than a millionth.
  .refine((value) => value === 0 || Math.abs(value) >= 1e-6, 'must be 0 or at least 0.000001 in magnitude')
  // The document says the same: not a non-zero number closer to 0 than a millionth.
  .openapi({
    not: { type: 'number', exclusiveMinimum: -1e-6, exclusiveMaximum: 1e-6, not: { const: 0 } },
    description: 'from −100 to 100; 0 or at least 0.000001 in magnitude',
  });
const HourMinute = /* @__PURE__ */ z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)')
  .openapi({ example: '09:00' });
/** The end of a working period may be midnight at the end of the day. */
const EndHourMinute = /* @__PURE__ */ z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM (24 h), or 24:00')
  .openapi({ example: '18:00' });

export const ServiceTargets = /* @__PURE__ */ z
  .strictObject({
    /** First-response target per channel (线上咨询20秒接通率, 线下3分钟接待率, email 1 h). */
    firstResponseSeconds: z.strictObject(
      Object.fromEntries(CONTACT_CHANNELS.map((c) => [c, Seconds])) as Record<ContactChannel, typeof Seconds>,
    ),
    /** Complex issues get first feedback within this time (复杂问题1小时反馈率). */
    complexFirstFeedbackSeconds: Seconds,
    /** Resolution target by complexity (简单需求4小时办结率, 复杂需求72小时落地率). */
    resolutionSeconds: z.strictObject({ simple: Seconds, complex: Seconds }),
    /** s000 预警: an open contact past this share of a target is at risk (listed, its supervisor told). */
    warnAtShare: z.number().gt(0).lt(1).openapi({
      description:
        'an open contact past this share of a target is at risk (GET /interactions?atRisk=true); default 0.8',
    }),
  })
  .openapi('ServiceTargets');

/** s000 专项评估: when one category's complaints of 24 h open a surge alert. */
export const SurgeSettings = /* @__PURE__ */ z
  .strictObject({
    minCount: z.number().int().positive().max(100_000).openapi({
      description: 'at least this many complaints of one category in 24 h (default 5)',
    }),
    multipleOfMean: z.number().positive().max(1000).openapi({
      description: 'and at least this multiple of its daily mean over the previous 28 days (default 3)',
    }),
  })
  .openapi('SurgeSettings');
export type ServiceTargets = z.infer<typeof ServiceTargets>;

/** How a complaint's deadlines use its calendar. */
export const Counting = /* @__PURE__ */ z.enum(['elapsed', 'working_time']);
export const countingText = /* @__PURE__ */ describeEnum(Counting, {
  elapsed:
    'The minutes run around the clock; a deadline that falls outside working time moves to the next working time (the default)',
  working_time:
    'Only working time counts: 60 minutes registered 10 minutes before closing fall due 50 minutes after the next opening',
});

export const SlaPolicy = /* @__PURE__ */ z
  .strictObject({
    respondMinutes: Minutes,
    solutionMinutes: Minutes,
    closeMinutes: Minutes,
    /** Name of a calendar in `calendars`: when the clock runs. */
    calendar: z.string().min(1).max(64),
    /**
     * How deadlines use the calendar. `elapsed` (default): the minutes run around the clock and a
     * deadline that falls outside working time moves to the next working time. `working_time`:
     * only working time counts (a 60-minute deadline registered 10 minutes before closing falls
     * 50 minutes after the next opening).
     */
    counting: Counting.optional().openapi({
      description: 'how deadlines use the calendar; absent (null in a patch removes it): elapsed',
    }),
  })
  .openapi('SlaPolicy');
export type SlaPolicy = z.infer<typeof SlaPolicy>;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const WorkingPeriod = /* @__PURE__ */ z
  .strictObject({ start: HourMinute, end: EndHourMinute })
  .refine((period) => minutesOf(period.end) > minutesOf(period.start), {
    message: 'must end after it starts (use 24:00 for midnight)',
    path: ['end'],
  });

export const Calendar = /* @__PURE__ */ z
  .strictObject({
    timezone: TimeZone,
    /** Working hours per ISO weekday (1 = Monday … 7 = Sunday); absent weekdays are closed. Empty = 24×7. */
    workingHours: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.array(WorkingPeriod).max(24)),
    /** Closed dates (YYYY-MM-DD) in the calendar's zone. */
    holidays: z.array(DateString).max(1000),
  })
  .refine(
    (calendar) =>
      Object.keys(calendar.workingHours).length === 0 ||
      Object.values(calendar.workingHours).some((periods) => (periods?.length ?? 0) > 0),
    { message: 'must have working time: list at least one period, or none at all for 24×7', path: ['workingHours'] },
  )
  .openapi('Calendar');
export type Calendar = z.infer<typeof Calendar>;

export const EscalationRole = /* @__PURE__ */ z.enum(['supervisor', 'department_head', 'executive']);
export type EscalationRole = z.infer<typeof EscalationRole>;
export const escalationRoleText = /* @__PURE__ */ describeEnum(EscalationRole, {
  supervisor:
    'The team’s supervisor: first owner of a tier 2 complaint (contacts: `escalation.teamContacts`, then `escalation.contacts`)',
  department_head:
    'The head of the customer-service department: first owner of a tier 1 complaint, next up from a supervisor',
  executive: 'The executive at the top of the ladders: the last level a missed deadline escalates to',
});

/** A complaint's tier: 1 serious, 2 ordinary (the component `Tier` of shared/schemas/complaints.ts, described there). */
export const TierValues = /* @__PURE__ */ z.union([z.literal(1), z.literal(2)]);

export const Contact = /* @__PURE__ */ z.strictObject({
  name: z.string().max(200),
  email: Email.optional(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be E.164')
    .optional()
    .openapi({ example: '+8613800000002' }),
});

/** A record's key rule as the document states it (zod-to-openapi renders no `propertyNames` for a record). */
const namesMatching = (pattern: RegExp) => ({
  type: 'string',
  pattern: pattern.source,
  not: { enum: [...RESERVED_KEYS] },
});
const COMMENT_CATEGORY_NAME = /^[a-z][a-z0-9_]{0,39}$/;
const CALENDAR_NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;

/** A comment category: the built-in ones or a new one named in lower snake case (it becomes a counter name). */
export const CommentCategoryName = /* @__PURE__ */ z
  .string()
  .regex(COMMENT_CATEGORY_NAME, 'must be lower_snake_case, at most 40 characters')
  .refine(notReserved, 'is a reserved name');

/** A calendar's name, as SLA policies refer to it. */
export const CalendarName = /* @__PURE__ */ z
  .string()
  .regex(CALENDAR_NAME, 'must be letters, digits, _ . or -, at most 64 characters')
  .refine(notReserved, 'is a reserved name');

export const SurveySettings = /* @__PURE__ */ z
  .strictObject({
    /** How long a survey link stays valid. */
    linkValidDays: z.number().int().min(1).max(90),
    /** A response submitted sooner than this after the form was opened is flagged too fast (s002 无效问卷). */
    minAnswerSeconds: z.number().int().min(0).max(3600),
    /**
     * A response with an NPS at or below this raises an alert to call back (−1: never for NPS alone).
     * Default 6: every detractor (0–6) is called back (s004). Stored settings that predate the name
     * (`negativeAlertNpsAtOrBelow`) are read under it (shared/domain/settings.ts, settingsFromStored).
     */
    alertNpsAtOrBelow: z.number().int().min(-1).max(10),
    /** …and sooner than this many seconds per question shown (a long questionnaire needs longer); minAnswerSeconds 0 turns both off. */
    minSecondsPerQuestion: z.number().min(0).max(60),
    /** Which questionnaire a survey about each kind of subject asks (its newest published version). */
    questionnaireFor: z.strictObject({ interaction: QuestionnaireId, complaint: QuestionnaireId }),
    /** Extra keywords per comment category, added to the built-in dictionary; a new name adds a category. */
    commentKeywords: z
      .record(CommentCategoryName, z.array(z.string().trim().min(1).max(50)).max(500))
      .refine((keywords) => Object.keys(keywords).length <= 100, 'at most 100 categories')
      .openapi({ maxProperties: 100, propertyNames: namesMatching(COMMENT_CATEGORY_NAME) } as never),
  })
  .openapi('SurveySettings');
export type SurveySettings = z.infer<typeof SurveySettings>;

/** A channel customers are messaged on. */
export const MessagingChannel = /* @__PURE__ */ z.enum(MESSAGING_CHANNELS).openapi('MessagingChannel');
export const messagingChannelText = /* @__PURE__ */ describeEnum(MessagingChannel, {
  wechat:
    'A WeChat Official Account template message to the customer’s `wechatOpenId` (needs `consent.wechat` and a template per message kind)',
  email: 'An email to the customer’s address (needs `consent.email`)',
  sms: 'An SMS to the customer’s phone (needs `consent.sms`; priced per segment)',
});
/** A list price in USD (per message; per segment for SMS). */
const ListPrice = /* @__PURE__ */ z.number().min(0).max(100);

export const MessagingSettings = /* @__PURE__ */ z
  .strictObject({
    /**
     * The order channels are tried in when the customer's preferred one is impossible (no consent, no
     * address, unsubscribed, refused, bounced): each channel once, cheapest first by default.
     */
    channelOrder: z
      .array(MessagingChannel)
      .min(1)
      .max(MESSAGING_CHANNELS.length)
      .refine((order) => new Set(order).size === order.length, 'must name each channel at most once')
      .openapi({ uniqueItems: true }),
    /** List price per message (SMS: per segment), in USD: what `/metrics` `messaging` sums. */
    prices: z.strictObject({ wechat: ListPrice, email: ListPrice, sms: ListPrice }),
    wechat: z.strictObject({
      /** The Official Account's template id for each customer message; a message without one is not sent on WeChat. */
      templates: z.partialRecord(
        z.enum(WECHAT_TEMPLATE_KINDS),
        z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a WeChat template id (letters, digits, _ or -)'),
      ),
    }),
  })
  .openapi('MessagingSettings');
export type MessagingSettings = z.infer<typeof MessagingSettings>;

export { KPI_NAMES };
export const KpiName = /* @__PURE__ */ z.enum(KPI_NAMES);
/** What each KPI measures (its value in `/metrics` `kpis.<name>.value`; shares are 0–1). */
export const KPI_TEXT = {
  csat: 'Overall satisfaction: the mean `overall` score (1–5) of valid survey answers',
  satisfiedShare: 'Satisfied share: valid answers whose `overall` is 4 or 5 ÷ valid answers',
  nps: 'Net Promoter Score: (promoters 9–10 − detractors 0–6) ÷ valid answers × 100',
  surveyResponseRate: 'Survey response rate: answers ÷ invitations sent',
  firstResponse:
    'First response on target: contacts answered within their channel’s first-response target ÷ contacts whose target time has passed',
  complexFeedback:
    'Complex issues given first feedback within 1 h (`targets.complexFirstFeedbackSeconds`) ÷ complex contacts due',
  simpleResolution: 'Simple needs resolved within their target (4 h by default) ÷ simple contacts due',
  complexResolution: 'Complex needs resolved within their target (72 h by default) ÷ complex contacts due',
  firstContactResolution: 'Contacts resolved on the first contact ÷ resolved contacts',
  complaintRate: 'Complaints registered ÷ contacts (interactions) in the period',
  respondedInTime:
    'Complaints whose respond milestone was met (1 h by default) ÷ complaints whose milestone is decided (met or missed)',
  solutionInTime:
    'Complaints whose solution milestone was met (24 h by default) ÷ complaints whose milestone is decided (met or missed)',
  closedInTime:
    'Complaints whose close milestone was met (72 h by default) ÷ complaints whose milestone is decided (met or missed)',
  recurrenceRate: 'Complaints repeating one of the same customer and category closed within 30 days ÷ complaints',
  escalationRate: 'Escalations ÷ complaints registered',
  firstAttemptResolution:
    'Complaints resolved at the first attempt (never reopened) ÷ complaints registered, open ones included',
  escalatedResolution: 'Escalated complaints that were resolved ÷ escalated complaints',
  praiseShare: 'Valid answers whose comment is praise ÷ valid answers',
  recommendationShare: 'Promoters (NPS 9–10) ÷ valid answers',
  surveyCoverage: 'Subjects invited to a survey ÷ subjects eligible (never above 1)',
  alertsHandledInTime: 'Call-back alerts with an outcome by their `dueBy` (two business days) ÷ alerts due',
  negativeShare: 'Valid answers with `overall` ≤ 2 or a negative comment ÷ valid answers (s000: at most 3 %)',
  csi: 'Customer satisfaction index on 0–10: the dimension scores ((mean − 1) ÷ 4 × 10) weighted by `kpis.csiWeights`',
} as const satisfies Record<(typeof KPI_NAMES)[number], string>;
export const kpiNameText = /* @__PURE__ */ describeEnum(KpiName, KPI_TEXT);

/** Whether a higher or a lower value of a KPI is better. */
export const Direction = /* @__PURE__ */ z.enum(['higher', 'lower']);
export const directionText = /* @__PURE__ */ describeEnum(Direction, {
  higher: 'Higher is better: green at or above `target`, amber down to `amber`, red below',
  lower: 'Lower is better: green at or below `target`, amber up to `amber`, red above',
});
export type KpiName = z.infer<typeof KpiName>;

export const KpiTarget = /* @__PURE__ */ z
  .strictObject({
    /** Green at or beyond this value. */
    target: KpiValue,
    /** Amber between this and the target; red beyond it. */
    amber: KpiValue,
    direction: Direction.openapi({ description: 'whether higher values are better' }),
    /** Who answers for a shortfall (shown in the monthly report). */
    owner: z.string().max(100),
  })
  .refine((t) => (t.direction === 'higher' ? t.amber <= t.target : t.amber >= t.target), {
    message: 'amber must be on the worse side of target',
    path: ['amber'],
  })
  .openapi('KpiTarget');
export type KpiTarget = z.infer<typeof KpiTarget>;

/** A dimension of the questionnaires: one of the five service dimensions, product, price… or an admin's lower_snake_case name. */
const DimensionKey = /* @__PURE__ */ z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower_snake_case');

const Weight = /* @__PURE__ */ z.number().min(0).max(1);
/** Weights sum to 1 (± 0.001) and name at least one key. */
const weighs = [
  (weights: Partial<Record<string, number>>) =>
    Object.keys(weights).length > 0 &&
    Math.abs(Object.values(weights).reduce((sum: number, w) => sum + (w ?? 0), 0) - 1) <= 0.001,
  'weights must sum to 1 (± 0.001)',
] as const;

const ReportLanguage = /* @__PURE__ */ z.enum(['zh', 'en']);
export const reportLanguageText = /* @__PURE__ */ describeEnum(ReportLanguage, {
  zh: 'The emailed reports are in Chinese (the default)',
  en: 'The emailed reports are in English',
});

/** A KPI's light against its target (s004 红黄绿灯). */
export const RagStatus = /* @__PURE__ */ z.enum(['green', 'amber', 'red']);
export const ragStatusText = /* @__PURE__ */ describeEnum(RagStatus, {
  green: 'At or beyond its target',
  amber: 'Short of its target but not beyond its amber bound',
  red: 'Beyond its amber bound: the owner answers for it in the report',
});

export const Settings = /* @__PURE__ */ z
  .strictObject({
    /** IANA zone in which dates, months and reports are read. */
    timezone: TimeZone,
    targets: ServiceTargets,
    sla: z.strictObject({
      policies: z.strictObject({ high: SlaPolicy, medium: SlaPolicy, low: SlaPolicy }),
      /** A `deadline_warning` is recorded this long before each deadline. */
      warningMinutes: z
        .number()
        .int()
        .min(0)
        .max(30 * 1440),
    }),
    calendars: z
      .record(CalendarName, Calendar)
      .refine((calendars) => Object.keys(calendars).length <= 50, 'at most 50 calendars')
      .openapi({ maxProperties: 50, propertyNames: namesMatching(CALENDAR_NAME) } as never),
    escalation: z.strictObject({
      /** Tier a severity gets when the complaint does not name one. */
      defaultTier: z.strictObject({
        high: TierValues,
        medium: TierValues,
        low: TierValues,
      }),
      /** The ladder of owners per tier, lowest first: tier 1 is led by a department head, tier 2 by a supervisor. */
      ladders: z.strictObject({ '1': z.array(EscalationRole).min(1), '2': z.array(EscalationRole).min(1) }),
      contacts: z.partialRecord(EscalationRole, Contact),
      /** Contacts per team (by team id), each role falling back to `contacts` when the team names none. */
      teamContacts: z
        .record(TeamId, z.partialRecord(EscalationRole, Contact))
        .refine((teams) => Object.keys(teams).length <= 200, 'at most 200 teams')
        .openapi({ maxProperties: 200 })
        .optional(),
    }),
    reportRecipients: z.array(Email),
    /** The complaints desk: who gets the weekly complaint summary (s000 每周汇总); empty = it is not sent. */
    complaintSummaryRecipients: z.array(Email).max(50),
    /** Complaints beyond the SLA: when a category's rise is a surge (api-contract.md "Categories and causes"). */
    complaints: z.strictObject({ surge: SurgeSettings }),
    /** Language of the emailed monthly report (the API serves both). */
    reportLanguage: ReportLanguage.openapi({
      description: 'the language of the emailed reports (a patch may change it, not remove it: null is a 400)',
    }),
    /** Messages to customers wait outside these local hours (high-severity escalations do not). */
    quietHours: z.strictObject({ start: HourMinute, end: HourMinute }),
    surveyThrottleDays: z.number().int().min(0).max(365),
    surveys: SurveySettings,
    /** Channels: their order, list prices and WeChat templates (api-contract.md "Channels (v1.2)"). */
    messaging: MessagingSettings,
    /** How the API treats writes (api-contract.md "For screens (v1.2)"). */
    api: z.strictObject({
      requireIfMatch: z.boolean().openapi({
        description:
          'true: a PUT, PATCH or POST …/events without If-Match is a 428 (default false: If-Match is optional)',
      }),
    }),
    /** Targets and owners of the KPIs (s004 红黄绿灯), and how they are weighed (CSI, scorecard, groups). */
    kpis: z.strictObject({
      ...(Object.fromEntries(KPI_NAMES.map((name) => [name, KpiTarget])) as Record<KpiName, typeof KpiTarget>),
      csiWeights: z
        .record(DimensionKey, Weight)
        .refine(...weighs)
        .optional()
        .openapi({
          description: 'CSI weight per dimension (sum 1 ± 0.001); absent: every dimension with answers equally',
        }),
      minGroupSize: z.number().int().min(1).max(10_000).optional().openapi({
        description: 'a group (`groupBy`) with fewer valid answers shows its `n` and null figures (default 5)',
      }),
      scorecard: z
        .partialRecord(KpiName, Weight)
        .refine(...weighs)
        .optional()
        .openapi({
          description:
            's004 权重设定: weight per KPI of the scorecard `score` (sum 1 ± 0.001); default NPS 0.3, csat 0.25, firstAttemptResolution 0.2, firstResponse and firstContactResolution 0.125 each',
        }),
    }),
  })
  .openapi('Settings');
export type Settings = z.infer<typeof Settings>;

type Def = { type: string; shape?: Record<string, ZodType>; keyType?: ZodType; valueType?: ZodType };

/**
 * The merge-patch form of a schema (RFC 7396): every object field optional, `null` deletes it.
 * Derived from Settings itself, so the document says which fields a patch may name and what
 * values they take; the merged result is then validated as a whole (cross-field rules too).
 */
function mergePatchOf(schema: ZodType): ZodType {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  if (def.type === 'object' && def.shape)
    return z.strictObject(
      Object.fromEntries(
        Object.entries(def.shape).map(([key, value]) => [key, mergePatchOf(value).nullable().optional()]),
      ),
    );
  if (def.type === 'record' && def.keyType && def.valueType) {
    const patch = z.partialRecord(def.keyType as never, mergePatchOf(def.valueType).nullable());
    // The names a patch may use are the names the record takes (a map's size is checked on the merged result).
    const { propertyNames } = getOpenApiMetadata(schema) as { propertyNames?: unknown };
    return propertyNames ? patch.openapi({ propertyNames } as never) : patch;
  }
  return schema;
}

export const SettingsPatch = /* @__PURE__ */ (mergePatchOf(Settings) as z.ZodObject).openapi('SettingsPatch', {
  minProperties: 1,
  description:
    'RFC 7396 JSON merge patch of Settings: name only what changes; null removes a field. The merged result must be valid Settings.',
});

/**
 * The settings with their version. Built from Settings' shape rather than `.extend`, which the
 * document would render as `allOf` of two closed schemas that no real answer can satisfy.
 */
export const SettingsChange = /* @__PURE__ */ z
  .object({
    version: z.number().int(),
    updatedAt: Timestamp,
    updatedBy: z.string(),
    fields: z.array(z.string()).openapi({
      description: 'the paths the change set, e.g. `kpis.csat.target` (empty for versions stored before this field)',
    }),
  })
  .openapi('SettingsChange');
export const SettingsHistoryPage = /* @__PURE__ */ pageOf(SettingsChange, 'SettingsHistoryPage');

export const VersionedSettings = /* @__PURE__ */ z
  .strictObject({
    ...Settings.shape,
    version: z.number().int().openapi({ description: '0 before the first change; If-Match takes it as the ETag' }),
    updatedAt: Timestamp.nullable(),
    updatedBy: z.string().nullable(),
  })
  .openapi('VersionedSettings');
