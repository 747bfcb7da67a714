import { describeEnum } from './describe.js';
import { CONTACT_CHANNELS, FIELD_ERROR_CODES, FIRST_YEAR, LAST_YEAR, ROLES } from './vocabulary.js';
import { z } from './zod.js';

/**
 * The years the service deals in: timestamps before 2000-01-01 and periods (dates, months,
 * quarters, years) outside 2000–2100 are a 400 (contract, "Conventions"), so no record, service
 * day, deadline or report is ever computed from year 143 or 0000.
 */
export { FIRST_YEAR, LAST_YEAR };

const YEAR = '(20\\d\\d|2100)';
const EARLIEST_INSTANT = /* @__PURE__ */ Date.UTC(FIRST_YEAR, 0, 1);
const END_OF_LAST_YEAR = /* @__PURE__ */ Date.UTC(LAST_YEAR + 1, 0, 1);
const YEARS_MESSAGE = `must lie between ${FIRST_YEAR}-01-01 and ${LAST_YEAR}-12-31`;

/**
 * What the document states for a timestamp or a date: the very expression zod checks (seconds
 * required, an upper-case `T` and `Z`, an offset as ±hh:mm, no leap second — stricter than RFC 3339's
 * `date-time`, which a client reading only `format` would take), written in years 2000–2100.
 */
const inServiceYears = (pattern: RegExp) => `^(?=${YEAR}-)${pattern.source.slice(1)}`;
export const TIMESTAMP_PATTERN = /* @__PURE__ */ inServiceYears(
  z.regexes.datetime({ offset: true, local: false, precision: null }),
);
export const DATE_PATTERN = /* @__PURE__ */ inServiceYears(z.regexes.date);

/** ISO 8601 instant with an offset or Z, e.g. `2026-11-03T08:15:00Z`, from 2000-01-01 to 2100-12-31. */
export const Timestamp = /* @__PURE__ */ z.iso
  .datetime({ offset: true })
  .refine(
    (value) => {
      const instant = Date.parse(value);
      return instant >= EARLIEST_INSTANT && instant < END_OF_LAST_YEAR;
    },
    {
      message: YEARS_MESSAGE,
      params: {
        code: 'out_of_range',
        minimum: `${FIRST_YEAR}-01-01T00:00:00Z`,
        maximum: `${LAST_YEAR}-12-31T23:59:59Z`,
      },
    },
  )
  .openapi({
    description: `ISO 8601 timestamp with offset (seconds required, \`Z\` or ±hh:mm), from ${FIRST_YEAR}-01-01T00:00:00Z to ${LAST_YEAR}-12-31T23:59:59Z as an instant (so \`${FIRST_YEAR}-01-01T07:59:59+08:00\`, in 1999 in UTC, is refused)`,
    pattern: TIMESTAMP_PATTERN,
    example: '2026-11-03T08:15:00Z',
  });

/** Calendar date, `YYYY-MM-DD`, in 2000–2100. */
export const DateString = /* @__PURE__ */ z.iso
  .date()
  .refine((value) => new RegExp(`^${YEAR}-`).test(value), {
    message: YEARS_MESSAGE,
    params: { code: 'out_of_range', minimum: `${FIRST_YEAR}-01-01`, maximum: `${LAST_YEAR}-12-31` },
  })
  .openapi({ pattern: DATE_PATTERN, example: '2026-11-03' });

/** A report's period: a month, a quarter or a year, in 2000–2100. */
export const ReportPeriodName = /* @__PURE__ */ z
  .string()
  .regex(
    new RegExp(`^${YEAR}(-(0[1-9]|1[0-2])|-Q[1-4])?$`),
    `must be a month (YYYY-MM), a quarter (YYYY-Qn) or a year (YYYY), from ${FIRST_YEAR} to ${LAST_YEAR}`,
  )
  .openapi({ example: '2026-Q3' });

/** Calendar month, `YYYY-MM`, in 2000–2100. */
export const Month = /* @__PURE__ */ z
  .string()
  .regex(new RegExp(`^${YEAR}-(0[1-9]|1[0-2])$`), `must be a month as YYYY-MM, from ${FIRST_YEAR} to ${LAST_YEAR}`)
  .openapi({ example: '2026-10' });

/**
 * An e-mail address as the API accepts it. The document states the same rule as a pattern, so
 * a client (or a fuzzer) reading `format: email` is not surprised by addresses zod refuses
 * (quoted local parts, IP literals, dotless domains).
 */
export const Email = /* @__PURE__ */ z
  .email()
  .openapi({ pattern: z.regexes.email.source, example: 'service@example.com' });

/** Server-generated ULID. */
export const Id = /* @__PURE__ */ z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an id issued by this API')
  .openapi({ example: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV' });

/** Ids chosen by the caller's systems (customers, agents, teams): short, printable, no separators we use in keys. */
export const ExternalId = /* @__PURE__ */ z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:@-]+$/, 'may contain letters, digits and . _ : @ - only')
  .openapi({ example: 'C-10042' });

/** A member of staff: the `sub` of their token and their id in the staff directory. */
export const StaffId = /* @__PURE__ */ ExternalId.openapi({
  description: 'A member of staff (token `sub`)',
  example: 'agent-017',
});

/** A team (`custom:team` of a token). */
export const TeamId = /* @__PURE__ */ ExternalId.openapi({
  description: 'A team (token `custom:team`)',
  example: 'shanghai-hotline',
});

/**
 * How a customer got in touch (a contact's or complaint's channel); the OpenAPI component keeps its
 * contract name `ContactChannel`. The channels a message goes out on are `MessageChannel` (shared/notify).
 */
export const ContactChannel = /* @__PURE__ */ z.enum(CONTACT_CHANNELS).openapi('Channel');
export const contactChannelText = /* @__PURE__ */ describeEnum(ContactChannel, {
  phone: 'A call to the hotline (first-response target `targets.firstResponseSeconds.phone`)',
  chat: 'Online chat on the website',
  app: 'A contact through the company’s mobile app',
  wechat: 'A message to the WeChat Official Account',
  email: 'An email to customer service',
  store: 'At the counter of a store (first-response target 3 minutes by default)',
});
export type ContactChannel = z.infer<typeof ContactChannel>;
export { CONTACT_CHANNELS };

export const Complexity = /* @__PURE__ */ z.enum(['simple', 'complex']).openapi('Complexity');
export const complexityText = /* @__PURE__ */ describeEnum(Complexity, {
  simple:
    'Answered within the channel’s first-response target and resolved within `targets.resolutionSeconds.simple` (4 h by default)',
  complex:
    'Needs work behind the scenes: first feedback within `targets.complexFirstFeedbackSeconds` (1 h by default) and resolution within `targets.resolutionSeconds.complex` (72 h by default)',
});
export type Complexity = z.infer<typeof Complexity>;

export const Role = /* @__PURE__ */ z.enum(ROLES).openapi('Role');
export const roleText = /* @__PURE__ */ describeEnum(Role, {
  agent: 'Records contacts and complaints of their own team or assigned to them, invites surveys, files suggestions',
  supervisor: 'An agent’s rights, plus every read, metrics and the alerts of their team',
  manager:
    'A supervisor’s rights, plus improvements, suggestion decisions, reports, goals, campaigns and reading settings',
  admin: 'A manager’s rights, plus changing settings, the staff directory and categories, and erasing a customer',
});
export type Role = z.infer<typeof Role>;

/** `assigneeId=me`, `agentId=me`: the caller (the token's `sub`). */
export const Me = /* @__PURE__ */ z.literal('me');
export const meText = /* @__PURE__ */ describeEnum(Me, { me: 'The caller: the token’s `sub`' });

/** `?limit=&cursor=` for every list. */
export const PageQuery = /* @__PURE__ */ z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25).openapi({ description: '1–100, default 25' }),
  cursor: z.string().max(2048).optional().openapi({ description: 'nextCursor of the previous page' }),
});

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().openapi({ description: 'null on the last page' }),
    })
    .openapi(name);

export const FieldErrorCode = /* @__PURE__ */ z.enum(FIELD_ERROR_CODES).openapi('FieldErrorCode', {
  description:
    'Stable code of a field error, for a form to translate: required, invalid_type, too_short, too_long, not_in_list, ' +
    'out_of_range, invalid_format, not_ordered, unknown_field, not_found, invalid',
});
export const fieldErrorCodeText = /* @__PURE__ */ describeEnum(FieldErrorCode, {
  required: 'The field is missing',
  invalid_type: 'Wrong JSON type (a number where text is expected, …); `params.expected` names the type',
  too_short: 'Text or list shorter than `params.min`',
  too_long: 'Text or list longer than `params.max`',
  not_in_list: 'Not one of `params.allowed` (an enum value, an active category code, …)',
  out_of_range: 'A number or time outside `params.min`…`params.max` (or a time too far ahead)',
  invalid_format: 'Not in the expected format (`params.format`: datetime, date, email, e164, id, …)',
  not_ordered: 'Times out of order: `params.after` names the field this one must not precede',
  unknown_field: 'A field this request does not take (unknown body fields are refused)',
  not_found: 'Names a record that does not exist (a complaint, a questionnaire, a member of staff, …)',
  invalid: 'Anything else; `message` says what',
});

/** What a translated text of a field error needs, per code (every member typed: no open map). */
export const FieldErrorParams = /* @__PURE__ */ z
  .object({
    min: z
      .union([z.number(), z.string()])
      .optional()
      .openapi({ description: 'too_short, out_of_range: the least allowed (a length, a number, or a date/time)' }),
    max: z
      .union([z.number(), z.string()])
      .optional()
      .openapi({ description: 'too_long, out_of_range: the most allowed (a length, a number, or a date/time)' }),
    minimum: z
      .union([z.number(), z.string()])
      .optional()
      .openapi({ description: 'the same as `min` (earlier name, kept)' }),
    maximum: z
      .union([z.number(), z.string()])
      .optional()
      .openapi({ description: 'the same as `max` (earlier name, kept)' }),
    multipleOf: z.number().optional().openapi({ description: 'out_of_range: the step a number must follow' }),
    allowed: z
      .array(z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .openapi({ description: 'not_in_list: the values accepted' }),
    format: z
      .string()
      .optional()
      .openapi({ description: 'invalid_format: the format expected (datetime, date, email, e164, …)' }),
    expected: z.string().optional().openapi({ description: 'invalid_type: the JSON type expected' }),
    after: z.string().optional().openapi({ description: 'not_ordered: the field this one must not precede' }),
  })
  .openapi('FieldErrorParams', { example: { min: 1, max: 100, maximum: 100, minimum: 1 } });

export const FieldError = /* @__PURE__ */ z
  .object({
    path: z.string().openapi({ description: 'The field, dotted as the caller wrote it', example: 'startedAt' }),
    pointer: z.string().openapi({
      description:
        'RFC 6901 JSON pointer to the field in the body (or query/path parameters); unambiguous where a key holds a dot',
      example: '/startedAt',
    }),
    code: FieldErrorCode,
    message: z.string().openapi({ description: 'English hint for developers; show a text chosen by `code` instead' }),
    params: FieldErrorParams.optional(),
  })
  .openapi('FieldError');

/** An alert's states (the component `AlertStatus` of shared/schemas/alerts.ts, described there). */
export const AlertStatusValues = /* @__PURE__ */ z.enum(['open', 'claimed', 'done']);

export const Problem = /* @__PURE__ */ z
  .object({
    type: z.string().openapi({ example: 'https://careloop.dev/problems/validation' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z
      .string()
      .optional()
      .openapi({ description: 'The request path the problem occurred on', example: '/interactions' }),
    errors: z.array(FieldError).optional().openapi({ description: 'Validation failures, one per field' }),
    currentStatus: z
      .string()
      .optional()
      .openapi({ description: 'On a refused complaint transition (409): the complaint’s status now' }),
    allowedEvents: z
      .array(z.string())
      .optional()
      .openapi({ description: 'On a refused complaint transition (409): the events the complaint accepts now' }),
    nextDeadline: z
      .object({ milestone: z.string(), dueBy: z.string(), secondsLeft: z.number().int() })
      .nullable()
      .optional()
      .openapi({ description: 'On a refused complaint transition (409): its next deadline now, as list rows show it' }),
    alertStatus: AlertStatusValues.optional().openapi({
      description: 'On a refused alert claim or outcome (409): where the alert stands now',
    }),
    claimedBy: z
      .string()
      .optional()
      .openapi({ description: 'On a refused alert claim or outcome (409): who holds the alert' }),
    children: z
      .array(z.string())
      .optional()
      .openapi({ description: 'On a refused category deactivation (409): the active categories under it' }),
    draftVersion: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'On a refused new draft (409): the version of the draft that exists already' }),
    latestVersion: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'On a refused edit of a published questionnaire (409): its newest published version' }),
  })
  .openapi('Problem', {
    description:
      'RFC 9457 problem details (application/problem+json). `type` ends in validation, unauthenticated, ' +
      'token-expired, forbidden, not-found, conflict, precondition-failed, gone, …',
  });
export type Problem = z.infer<typeof Problem>;

const NoticeChannel = /* @__PURE__ */ z.enum(['email', 'sms', 'none']);
export const noticeChannelText = /* @__PURE__ */ describeEnum(NoticeChannel, {
  email: 'The notice went by email to the role’s contact',
  sms: 'The notice went by SMS to the role’s contact',
  none: 'Nobody was told: no contact could be reached (`notSent` says why)',
});

/** One change of a record: who made it, when, what kind, which fields (names only, never values). */
export const Change = /* @__PURE__ */ z
  .object({
    at: Timestamp,
    actor: z.string().openapi({ description: 'the token `sub` of who made it (`customer` for the customer pages)' }),
    action: z.string().openapi({ example: 'updated' }),
    fields: z.array(z.string()).optional(),
    notice: z
      .object({
        template: z.string().openapi({ example: 'overdue' }),
        role: z.string().openapi({ description: 'who was told: `owner` or `department_head`' }),
        channel: NoticeChannel,
        messageId: z.string().optional(),
        notSent: z.string().optional().openapi({ description: 'why nobody was told (channel `none`)' }),
      })
      .optional()
      .openapi({ description: 'on a `notified` entry: what was sent to whom (a role, never an address)' }),
  })
  .openapi('Change');

/** The audit fields every changeable record answers (contract: every write stores who made it and when). */
export const Audited = {
  updatedBy: z
    .string()
    .optional()
    .openapi({ description: 'who made the last change (absent on records older than this field)' }),
  history: z
    .array(Change)
    .optional()
    .openapi({ description: "the record's changes, oldest first (the newest 50): who changed what, when" }),
};
