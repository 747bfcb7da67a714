/**
 * The product's shared vocabularies: lists of words that the schemas validate and the domain
 * reasons with. They live here, at the bottom, so shared/domain imports shared/schemas and never
 * the other way round.
 */

/**
 * Stable codes of field errors, so a form can show its own text (zh/en) for each; `message` is an
 * English hint for developers and may change. `params` carries the numbers or values a text needs.
 */
export const FIELD_ERROR_CODES = [
  /** The field is missing. */
  'required',
  /** Wrong JSON type (a number where text is expected, …). */
  'invalid_type',
  /** Text or list shorter than `params.minimum`. */
  'too_short',
  /** Text or list longer than `params.maximum`. */
  'too_long',
  /** Not one of `params.allowed`. */
  'not_in_list',
  /** A number outside `params.minimum`…`params.maximum`, or a time too far ahead. */
  'out_of_range',
  /** Not in the expected format (timestamp, date, e-mail, E.164 phone, id, …). */
  'invalid_format',
  /** Times out of order (`params.after` names the field this one must not precede). */
  'not_ordered',
  /** A field this request does not take. */
  'unknown_field',
  /** Names a record that does not exist. */
  'not_found',
  /** Anything else; `message` says what. */
  'invalid',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export interface FieldError {
  path: string;
  /** RFC 6901 JSON pointer to the field (unambiguous where a key holds a dot); derived from `path` when not given. */
  pointer?: string;
  code: FieldErrorCode;
  message: string;
  params?: Record<string, unknown>;
}

/** RFC 6901: `~` → `~0`, `/` → `~1`, each segment after a `/`; the whole document is ``. */
export const jsonPointer = (segments: readonly (string | number)[]): string =>
  segments.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

/** The pointer of a dotted path a use case wrote by hand (`(body)` is the whole body). */
export const pointerOfPath = (path: string): string =>
  path === '(body)' || path === '' ? '' : jsonPointer(path.split('.'));

/** How a call-back alert was closed (s004). */
/** How an alert was closed: a call-back's outcome, or (a surge) `assessed` once its special assessment was made. */
export const ALERT_OUTCOMES = ['called_back', 'unreachable', 'resolved', 'complaint_opened', 'assessed'] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];

/** The survey's rated dimensions (s001 评价维度), in the order of the form. */
export const DIMENSIONS = ['responsiveness', 'professionalism', 'attitude', 'resolution', 'convenience'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
/** What each dimension asks about (the OpenAPI texts of every schema of these values). */
export const DIMENSION_TEXT = {
  responsiveness: 'Responsiveness (响应速度): how quickly the customer was answered',
  professionalism: 'Professionalism (专业能力): whether the staff knew the answer and gave it right',
  attitude: 'Attitude (服务态度): courtesy and care',
  resolution: 'Resolution (问题解决): whether the problem was solved',
  convenience: 'Convenience (便捷性): how easy it was to get help',
} as const satisfies Record<Dimension, string>;

/** The channels a customer is messaged on, cheapest first (the default `messaging.channelOrder`). */
export const MESSAGING_CHANNELS = ['wechat', 'email', 'sms'] as const;
export type MessagingChannel = (typeof MESSAGING_CHANNELS)[number];

/**
 * The customer messages that go out as a WeChat template message, each with a template of its own
 * (`messaging.wechat.templates`, the ids the Official Account's template library gave them).
 */
export const WECHAT_TEMPLATE_KINDS = [
  'survey_invitation',
  'survey_reminder',
  'customer_notice',
  'complaint_confirmation',
  'problem_fixed',
  'suggestion_decision',
] as const;
export type WechatTemplateKind = (typeof WECHAT_TEMPLATE_KINDS)[number];

/**
 * The years the service deals in: timestamps before 2000-01-01 and periods outside 2000–2100 are
 * a 400 (shared/schemas/common.ts builds the checks from these).
 */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

/** How a customer got in touch (the `Channel` schema of shared/schemas/common.ts). */
export const CONTACT_CHANNELS = ['phone', 'chat', 'app', 'wechat', 'email', 'store'] as const;

/** The KPIs that get a red/amber/green status (`KpiName`, shared/schemas/settings.ts). */
export const KPI_NAMES = [
  'csat',
  'satisfiedShare',
  'nps',
  'surveyResponseRate',
  'firstResponse',
  'complexFeedback',
  'simpleResolution',
  'complexResolution',
  'firstContactResolution',
  'complaintRate',
  'respondedInTime',
  'solutionInTime',
  'closedInTime',
  'recurrenceRate',
  'escalationRate',
  'firstAttemptResolution',
  'escalatedResolution',
  'praiseShare',
  'recommendationShare',
  'surveyCoverage',
  'alertsHandledInTime',
  'negativeShare',
  'csi',
] as const;

/** Kinds of cause (`CauseKinds`, shared/schemas/causes.ts). */
export const CAUSE_KINDS = ['people', 'process', 'tools', 'product', 'policy', 'external'] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];

/** The overdue reasons contacts have recorded since v1.0, as cause kinds (`other` names none). */
export const OVERDUE_REASON_KINDS: Readonly<Record<string, CauseKind>> = {
  staffing: 'people',
  process: 'process',
  tooling: 'tools',
  customer: 'external',
};

/**
 * The roles of a token, from least to most rights (`Role`, shared/schemas/common.ts); here so the
 * domain's access rules, which every job imports, need no zod.
 */
export const ROLES = ['agent', 'supervisor', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** An improvement action's lifecycle (`ImprovementStatus`, shared/schemas/improvements.ts). */
export const IMPROVEMENT_STATUSES = ['draft', 'planned', 'in_progress', 'done', 'verified'] as const;
