import { Audited, DateString, Email, ExternalId, PageQuery, pageOf, Timestamp } from './common.js';
import { describeEnum } from './describe.js';
import { z } from './zod.js';

/** E.164: `+` and up to 15 digits, e.g. +8613812345678. */
export const PhoneNumber = /* @__PURE__ */ z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +8613812345678')
  .openapi({ example: '+8613812345678' });
/**
 * The channels a customer may be messaged on: a WeChat Official Account template message, SMS or email.
 * Named PreferredChannel here so it is not confused with where a contact came in (ContactChannel in
 * common.ts); the OpenAPI component keeps its contract name, ContactChannel.
 */
export const PreferredChannel = /* @__PURE__ */ z.enum(['sms', 'email', 'wechat']).openapi('ContactChannel');
export type PreferredChannel = z.infer<typeof PreferredChannel>;
export const preferredChannelText = /* @__PURE__ */ describeEnum(PreferredChannel, {
  sms: 'Messages go by SMS to `phone` (with `consent.sms`)',
  email: 'Messages go by email to `email` (with `consent.email`)',
  wechat: 'Messages go as WeChat template messages to `wechatOpenId` (with `consent.wechat`)',
});
/** A follower's openId on the organisation's WeChat Official Account. */
export const WechatOpenId = /* @__PURE__ */ z
  .string()
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'must be 6–64 letters, digits, _ or -')
  .openapi({ example: 'oXyZ_1a2b3c4d5e6f' });
export const Language = /* @__PURE__ */ z.enum(['zh', 'en']).openapi('Language');
export type Language = z.infer<typeof Language>;
export const languageText = /* @__PURE__ */ describeEnum(Language, {
  zh: 'Chinese: messages, survey forms and pages in Chinese',
  en: 'English: messages, survey forms and pages in English',
});
/** A customer's service tier (named apart from a complaint's `Tier`, 1 or 2, so the document has both). */
export const Tier = /* @__PURE__ */ z
  .enum(['silver', 'gold', 'diamond'])
  .openapi('CustomerTier', { description: 'The customer’s service tier; null where none is recorded' });
export const customerTierText = /* @__PURE__ */ describeEnum(Tier, {
  silver: 'The entry service tier',
  gold: 'The middle service tier',
  diamond: 'The highest service tier',
});
/** Who the customer is (s002/s004 基本信息): the choice ids of the `customerType` profile question. */
const CustomerTypeValues = /* @__PURE__ */ z.enum(['individual', 'business']);
export const CustomerType = /* @__PURE__ */ CustomerTypeValues.openapi('CustomerType');
export const customerTypeText = /* @__PURE__ */ describeEnum(CustomerTypeValues, {
  individual: 'A private person',
  business: 'A company or organisation',
});
/** CustomerType's values inline (a campaign's audience). */
export const CustomerTypeInline = CustomerTypeValues;
export type CustomerType = z.infer<typeof CustomerType>;
/** Since when they are a customer (s004 新老客户): a date, not in the future (checked against today by the use case). */
export const CustomerSince = /* @__PURE__ */ DateString.openapi({
  description: 'first purchase or contract date; a customer is new within 365 days of it, returning after',
});

export const Consent = /* @__PURE__ */ z
  .strictObject({
    sms: z.boolean(),
    email: z.boolean(),
    wechat: z.boolean().optional().openapi({ description: 'WeChat template messages; absent is no consent' }),
  })
  .openapi('Consent', { description: 'Whether the customer agreed to messages on each channel; false is an opt-out' });

export const CustomerParams = /* @__PURE__ */ z.strictObject({
  id: ExternalId.openapi({ description: "The customer's id in the caller's systems" }),
});

export const PutCustomerBody = /* @__PURE__ */ z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    phone: PhoneNumber.optional(),
    email: Email.max(254).optional(),
    preferredChannel: PreferredChannel,
    language: Language,
    tier: Tier.optional(),
    customerType: CustomerType.optional(),
    customerSince: CustomerSince.optional(),
    wechatOpenId: WechatOpenId.optional(),
    consent: Consent,
  })
  .superRefine((body, context) => {
    if (body.preferredChannel === 'wechat' && !body.wechatOpenId)
      context.addIssue({
        code: 'custom',
        path: ['preferredChannel'],
        message: 'may be wechat only with a wechatOpenId',
      });
    else if (body.preferredChannel === 'wechat' && body.consent.wechat !== true)
      context.addIssue({
        code: 'custom',
        path: ['preferredChannel'],
        message: 'may be wechat only with consent.wechat true',
      });
  })
  .openapi('PutCustomerBody', { description: 'The whole profile: fields left out are removed' });
export type PutCustomerBody = z.infer<typeof PutCustomerBody>;

const NpsClass = /* @__PURE__ */ z.enum(['promoter', 'passive', 'detractor']);
export const npsClassText = /* @__PURE__ */ describeEnum(NpsClass, {
  promoter: 'The latest valid NPS answer was 9–10',
  passive: 'The latest valid NPS answer was 7–8',
  detractor: 'The latest valid NPS answer was 0–6',
});

/** The segment lists (GET /customers?segment=, a campaign's audience). */
export const Segment = /* @__PURE__ */ z.enum(['at_risk', 'detractor', 'frequent_complainer']);
export const segmentText = /* @__PURE__ */ describeEnum(Segment, {
  at_risk:
    'Win-back list: a detractor who complained or left negative feedback in the current and two previous months, two or more negative-feedback alerts then, or a frequent complainer who is not a promoter',
  detractor: 'The latest valid NPS answer was 0–6',
  frequent_complainer: 'Three or more complaints in the current month and the two before it',
});

export const CustomerSegment = /* @__PURE__ */ z
  .object({
    nps: NpsClass.nullable().openapi({ description: 'From the latest valid NPS answer; null before the first' }),
    frequentComplainer: z
      .boolean()
      .openapi({ description: '3 or more complaints in the current and two previous months' }),
    atRisk: z.boolean(),
    labels: z.array(z.string()).openapi({ example: ['detractor', 'at_risk'] }),
  })
  .openapi('CustomerSegment');

/** What a list row shows of its customer (null name: unknown or erased). */
export const CustomerSummary = /* @__PURE__ */ z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    tier: Tier.nullable(),
    segment: CustomerSegment,
  })
  .openapi('CustomerSummary');
export type CustomerSummary = z.infer<typeof CustomerSummary>;

/** A customer as an interaction row shows it. */
export const CustomerName = /* @__PURE__ */ z
  .object({ id: z.string(), name: z.string().nullable() })
  .openapi('CustomerName');

export const CustomerCounts = /* @__PURE__ */ z
  .object({
    complaints: z.number().int(),
    complaintsLast3Months: z.number().int(),
    surveys: z.number().int().openapi({ description: 'Survey invitations' }),
    responses: z.number().int(),
    validResponses: z.number().int(),
    negativeFeedback: z.number().int().openapi({ description: 'negative_feedback alerts raised' }),
  })
  .openapi('CustomerCounts');

/** What went wrong delivering to a customer's address (api-contract.md "Channels (v1.2)", delivery status). */
export const DeliveryProblemKind = /* @__PURE__ */ z
  .enum(['hard_bounce', 'soft_bounce', 'complaint', 'refused', 'undeliverable'])
  .openapi({
    description:
      'hard_bounce / soft_bounce / complaint (email, from SES), refused (an SMS number opted out or invalid, a WeChat follower who refused, 43004/43101), undeliverable (an SMS the network could not deliver)',
  });
export type DeliveryProblemKind = z.infer<typeof DeliveryProblemKind>;
export const deliveryProblemKindText = /* @__PURE__ */ describeEnum(DeliveryProblemKind, {
  hard_bounce: 'Email: the address does not exist or refuses mail for good (SES); the address is not used again',
  soft_bounce: 'Email: a passing failure (a full mailbox); the address stays in use',
  complaint: 'Email: the customer marked the message as spam (SES); the address is not used again',
  refused:
    'SMS: the number opted out or is invalid; WeChat: the follower unsubscribed or refused (errcode 43004/43101)',
  undeliverable: 'SMS: the network could not deliver the message',
});

export const DeliveryProblem = /* @__PURE__ */ z
  .object({
    at: Timestamp,
    kind: DeliveryProblemKind,
    reason: z.string().openapi({ description: "the provider's words, personal data masked" }),
    suppressed: z.boolean().openapi({
      description: 'true: this address is not used again until the profile names another (the next channel is used)',
    }),
  })
  .openapi('DeliveryProblem');
export type DeliveryProblem = z.infer<typeof DeliveryProblem>;

export const Customer = /* @__PURE__ */ z
  .object({
    id: z.string(),
    name: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    wechatOpenId: z.string().optional(),
    preferredChannel: PreferredChannel,
    language: Language,
    tier: Tier.optional(),
    customerType: CustomerType.optional(),
    customerSince: DateString.optional(),
    consent: Consent,
    segment: CustomerSegment,
    counts: CustomerCounts,
    latestNps: z.object({ score: z.number().int(), at: Timestamp }).optional(),
    deliveryProblems: z
      .object({
        email: DeliveryProblem.optional(),
        sms: DeliveryProblem.optional(),
        wechat: DeliveryProblem.optional(),
      })
      .optional()
      .openapi({ description: 'The last delivery problem per channel; absent when there was none' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    ...Audited,
    version: z.number().int(),
  })
  .openapi('Customer');
export type Customer = z.infer<typeof Customer>;

/** What `GET /customers/{id}?include=` may add to the customer (one call instead of two for the customer 360). */
const CustomerIncludeValues = /* @__PURE__ */ z.enum(['responses']);
export const customerIncludeText = /* @__PURE__ */ describeEnum(CustomerIncludeValues, {
  responses:
    'Add `responses`: the first page of GET /customers/{id}/responses (the last 90 days, newest first, up to 25 answers); page on there with its `nextCursor`',
});

export const CustomerQuery = /* @__PURE__ */ z.strictObject({
  include: CustomerIncludeValues.optional().openapi({
    description:
      'Add to the answer: `responses` (the first page of the customer’s survey answers, as GET /customers/{id}/responses answers it without parameters)',
    example: 'responses',
  }),
});
export type CustomerQuery = z.infer<typeof CustomerQuery>;

export const CustomerResponsesQuery = /* @__PURE__ */ PageQuery.extend({
  from: DateString.optional().openapi({
    description: 'invited on or after (settings time zone); default 90 days before `to`',
  }),
  to: DateString.optional().openapi({ description: 'invited on or before (settings time zone); default today' }),
});
export type CustomerResponsesQuery = z.infer<typeof CustomerResponsesQuery>;

const ErasureStatus = /* @__PURE__ */ z.enum(['running', 'failed']);
export const erasureStatusText = /* @__PURE__ */ describeEnum(ErasureStatus, {
  running: 'A job is erasing the customer (DELETE answered 202): read again until the customer is gone',
  failed: 'The erasure job failed; it is retried, or DELETE again to restart it',
});

export const CustomerErasure = /* @__PURE__ */ z
  .object({
    status: ErasureStatus.optional().openapi({
      description:
        '`running` while a job erases a customer with too many items for one request (DELETE answered 202; read this again until it is gone), `failed` if that job failed (it is retried; DELETE again to restart it); absent once erased',
    }),
    erasedAt: Timestamp.nullable().openapi({ description: 'when the erasure finished; null while running' }),
    erasedBy: z.string().openapi({ description: 'the admin who erased the customer' }),
  })
  .openapi('CustomerErasure');

export const SegmentListQuery = /* @__PURE__ */ PageQuery.extend({
  segment: Segment.openapi({
    description:
      'at_risk (win-back list), detractor (latest valid NPS 0–6), frequent_complainer (3+ complaints in three months)',
  }),
  tier: Tier.optional(),
}).openapi('SegmentListQuery');
export type SegmentListQuery = z.infer<typeof SegmentListQuery>;

export const SegmentMember = /* @__PURE__ */ z
  .object({
    id: z.string(),
    name: z.string().optional().openapi({ description: 'masked (王**)' }),
    phone: z.string().optional().openapi({ description: 'masked (+86*******5678)' }),
    email: z.string().optional().openapi({ description: 'masked (w***@example.com)' }),
    tier: Tier.optional(),
    segment: CustomerSegment,
    counts: CustomerCounts,
    latestNps: z.object({ score: z.number().int(), at: Timestamp }).optional(),
  })
  .openapi('SegmentMember', { description: 'A customer in a segment list, contact data masked' });

export const SegmentList = /* @__PURE__ */ pageOf(SegmentMember, 'SegmentList');
