import { Id, Timestamp } from './common.js';
import { Customer, Language, PreferredChannel } from './customers.js';
import { describeEnum } from './describe.js';
import { QuestionnaireId, QuestionnaireRef, QuestionType } from './questionnaires.js';
import { DIMENSION_TEXT, DIMENSIONS } from './vocabulary.js';
import { z } from './zod.js';

export const SurveySubjectType = /* @__PURE__ */ z.enum(['interaction', 'complaint']).openapi('SurveySubjectType');
export type SurveySubjectType = z.infer<typeof SurveySubjectType>;
export const surveySubjectTypeText = /* @__PURE__ */ describeEnum(SurveySubjectType, {
  interaction: 'A survey about a contact: `id` is the interaction',
  complaint: 'A survey about a complaint: `id` is the complaint',
});
/** What a stored survey is about: a contact, a complaint, or (sent by a campaign) the customer's relationship with us. */
export const SurveySubjectKind = /* @__PURE__ */ z
  .enum(['interaction', 'complaint', 'campaign'])
  .openapi('SurveySubjectKind', { description: 'campaign: sent by a campaign (its id and the customer)' });
export type SurveySubjectKind = z.infer<typeof SurveySubjectKind>;
export const surveySubjectKindText = /* @__PURE__ */ describeEnum(SurveySubjectKind, {
  interaction: 'About a contact: `id` is the interaction',
  complaint: 'About a complaint: `id` is the complaint',
  campaign: 'Sent by a campaign about the customer’s relationship with us: `id` is the campaign',
});

const InvitationChannel = /* @__PURE__ */ z.enum(['sms', 'email', 'wechat', 'link']);
export const invitationChannelText = /* @__PURE__ */ describeEnum(InvitationChannel, {
  sms: 'The link was sent by SMS',
  email: 'The link was sent by email',
  wechat: 'The link was sent as a WeChat template message',
  link: 'Nothing was sent (no consent or no address for the channel): hand the `url` to the customer yourself',
});
const FormDimension = /* @__PURE__ */ z.enum(DIMENSIONS);
export const formDimensionText = /* @__PURE__ */ describeEnum(FormDimension, DIMENSION_TEXT);
const ScaleMin = /* @__PURE__ */ z.literal(1);
export const scaleMinText = /* @__PURE__ */ describeEnum(ScaleMin, { 1: 'The lowest score: very dissatisfied' });
const ScaleMax = /* @__PURE__ */ z.literal(5);
export const scaleMaxText = /* @__PURE__ */ describeEnum(ScaleMax, { 5: 'The highest score: very satisfied' });
const AsksNps = /* @__PURE__ */ z.literal(true);
export const asksNpsText = /* @__PURE__ */ describeEnum(AsksNps, {
  true: 'The form always asks the NPS question (0–10)',
});
const NpsMin = /* @__PURE__ */ z.literal(0);
export const npsMinText = /* @__PURE__ */ describeEnum(NpsMin, { 0: 'Not at all likely to recommend' });
const NpsMax = /* @__PURE__ */ z.literal(10);
export const npsMaxText = /* @__PURE__ */ describeEnum(NpsMax, { 10: 'Extremely likely to recommend' });
const FlagCode = /* @__PURE__ */ z.enum(['missing_key_fields', 'straight_lining', 'too_fast']);
export const flagCodeText = /* @__PURE__ */ describeEnum(FlagCode, {
  missing_key_fields: 'A required answer is missing',
  straight_lining: 'The same score on every scale item (5 or more), contradicted by the NPS or the comment',
  too_fast:
    'Submitted faster than `surveys.minAnswerSeconds` (or the seconds per question shown), or without the form being opened',
});
const Sentiment = /* @__PURE__ */ z.enum(['positive', 'neutral', 'negative']);
export const sentimentText = /* @__PURE__ */ describeEnum(Sentiment, {
  positive: 'The comment reads positive (praise: counted in praiseShare)',
  neutral: 'No comment, or as positive as negative',
  negative: 'The comment reads negative (counted in negativeShare)',
});

export const CreateSurveyBody = /* @__PURE__ */ z
  .strictObject({
    subject: z.strictObject({ type: SurveySubjectType, id: Id }),
    channel: PreferredChannel.optional().openapi({
      description:
        "How the link is sent; default the customer's preferred channel when they consented to it, else the link is only returned",
    }),
    questionnaireId: QuestionnaireId.optional().openapi({
      description: 'Ask this questionnaire (its newest published version) instead of settings surveys.questionnaireFor',
    }),
  })
  .openapi('CreateSurveyBody');
export type CreateSurveyBody = z.infer<typeof CreateSurveyBody>;

export const SurveyInvitation = /* @__PURE__ */ z
  .object({
    id: Id,
    token: z.string().openapi({ description: 'Signed, single-use, expiring; carries no personal data' }),
    url: z.string().openapi({ example: 'https://survey.careloop.example/s/AQ…' }),
    expiresAt: Timestamp,
    channel: InvitationChannel,
    language: Language,
  })
  .openapi('SurveyInvitation');

/** Tokens are checked by signature, not by shape: anything that does not verify is a 404. */
export const SurveyTokenParams = /* @__PURE__ */ z.strictObject({ token: z.string().min(1).max(512) });

export const SurveyFormQuery = /* @__PURE__ */ z.strictObject({
  lang: Language.optional().openapi({ description: "Labels in this language instead of the customer's" }),
});

export const Score = /* @__PURE__ */ z.number().int().min(1).max(5);
const Answer = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

export const SurveyDimensionScores = /* @__PURE__ */ z
  .strictObject({
    responsiveness: Answer(Score),
    professionalism: Answer(Score),
    attitude: Answer(Score),
    resolution: Answer(Score),
    convenience: Answer(Score),
  })
  .openapi('SurveyDimensionScores', {
    description: 'Integers 1–5. An unanswered question (null or absent) is kept but makes the response invalid.',
  });

/** One answer: a number (scale 1–5, NPS 0–10), a choice id or text (single, text), choice ids (multi). */
export const AnswerValue = /* @__PURE__ */ z
  .union([z.number(), z.string().max(2000), z.array(z.string().max(40)).max(20)])
  .openapi('AnswerValue');

export const SubmitSurveyResponseBody = /* @__PURE__ */ z
  .strictObject({
    answers: z.record(z.string().min(1).max(40), AnswerValue).optional().openapi({
      description:
        'Per question id of the survey’s questionnaire (GET /surveys/{token} lists them). A missing required answer, a value out of range or an unknown choice is a 400 naming answers.<questionId>',
    }),
    scores: SurveyDimensionScores.optional().openapi({
      description: 'v1.1 body, for a survey asking service-transaction (instead of answers)',
    }),
    overall: Answer(Score).openapi({ description: 'v1.1 body: 1–5; required for a valid response' }),
    nps: Answer(z.number().int().min(0).max(10)).openapi({
      description: 'v1.1 body: 0–10; required for a valid response',
    }),
    comment: z.string().max(2000).optional(),
  })
  .openapi('SubmitSurveyResponseBody');
export type SubmitSurveyResponseBody = z.infer<typeof SubmitSurveyResponseBody>;

/** A question as the customer reads it: in one language, scale points and choices labelled. */
export const FormQuestion = /* @__PURE__ */ z
  .object({
    id: z.string(),
    type: QuestionType,
    text: z.string(),
    required: z.boolean(),
    dimension: z.string().optional(),
    dimensionLabel: z.string().optional(),
    subIndicator: z.string().optional(),
    labels: z
      .array(z.object({ value: z.number().int(), label: z.string() }))
      .optional()
      .openapi({ description: 'scale: every point 1–5 with its words' }),
    choices: z.array(z.object({ id: z.string(), text: z.string() })).optional(),
  })
  .openapi('SurveyFormQuestion');

export const SurveyForm = /* @__PURE__ */ z
  .object({
    dimensions: z.array(
      z.object({
        key: FormDimension,
        label: z.string(),
      }),
    ),
    scale: z.object({ min: ScaleMin, max: ScaleMax, minLabel: z.string(), maxLabel: z.string() }),
    nps: AsksNps,
    questions: z.object({ overall: z.string(), nps: z.string(), comment: z.string() }),
    npsScale: z.object({ min: NpsMin, max: NpsMax, minLabel: z.string(), maxLabel: z.string() }),
    questionnaire: z
      .object({
        id: QuestionnaireId,
        version: z.number().int().min(1),
        name: z.string(),
        questions: z.array(FormQuestion),
      })
      .openapi({
        description: 'What this survey asks: its questionnaire version, each question in the customer’s language',
      }),
    language: Language,
    expiresAt: Timestamp,
  })
  .openapi('SurveyForm');
export type SurveyForm = z.infer<typeof SurveyForm>;

export { QuestionnaireRef };

export const ValidityFlag = /* @__PURE__ */ z.object({ code: FlagCode, reason: z.string() }).openapi('ValidityFlag');

export const SurveyResponseReceipt = /* @__PURE__ */ z
  .object({
    id: Id,
    valid: z.boolean().openapi({ description: 'false: kept, but left out of the KPIs (see flags)' }),
    flags: z.array(ValidityFlag),
    categories: z
      .array(z.string())
      .openapi({ description: 'Problem categories found in the comment', example: ['slow_response'] }),
  })
  .openapi('SurveyResponseReceipt');
export type SurveyResponseReceipt = z.infer<typeof SurveyResponseReceipt>;

/** One survey answer as the customer view shows it (the comment is gone once the customer is erased). */
export const CustomerSurveyResponse = /* @__PURE__ */ z
  .object({
    id: Id,
    surveyId: Id,
    subject: z.object({ type: SurveySubjectKind, id: z.string() }),
    questionnaire: QuestionnaireRef.openapi({ description: 'The questionnaire version answered' }),
    answers: z
      .record(z.string(), AnswerValue)
      .optional()
      .openapi({ description: 'Per question (free text aside); answers before v1.2 are in scores, overall and nps' }),
    scores: z.object({
      responsiveness: Score.nullable(),
      professionalism: Score.nullable(),
      attitude: Score.nullable(),
      resolution: Score.nullable(),
      convenience: Score.nullable(),
    }),
    overall: Score.nullable(),
    nps: z.number().int().min(0).max(10).nullable(),
    comment: z.string().optional(),
    valid: z.boolean().openapi({ description: 'false: kept, but left out of the KPIs (see flags)' }),
    flags: z.array(ValidityFlag),
    categories: z.array(z.string()),
    sentiment: Sentiment,
    submittedAt: Timestamp,
  })
  .openapi('CustomerSurveyResponse');
export type CustomerSurveyResponse = z.infer<typeof CustomerSurveyResponse>;

export const CustomerSurveyResponsePage = /* @__PURE__ */ z
  .object({
    items: z.array(CustomerSurveyResponse),
    nextCursor: z.string().nullable().openapi({ description: 'null on the last page' }),
  })
  .openapi('CustomerSurveyResponsePage');

/** A customer as GET /customers/{id} answers it: with `?include=responses`, their first page of survey answers too. */
export const CustomerView = /* @__PURE__ */ Customer.extend({
  // Described on CustomerView: a description here would become CustomerSurveyResponsePage's own.
  responses: CustomerSurveyResponsePage.optional(),
}).openapi('CustomerView', {
  description:
    'A customer; `responses` only with `?include=responses`: the first page of GET /customers/{id}/responses (the last 90 days, newest invitation first, up to 25 answers), whose `nextCursor` pages on with that route',
});
export type CustomerView = z.infer<typeof CustomerView>;
