import { Id, Timestamp } from './common.js';
import { Language, PreferredChannel } from './customers.js';
import { QuestionnaireId, QuestionnaireRef, QuestionType } from './questionnaires.js';
import { z } from './zod.js';

export const SurveySubjectType = /* @__PURE__ */ z.enum(['interaction', 'complaint']).openapi('SurveySubjectType');
export type SurveySubjectType = z.infer<typeof SurveySubjectType>;
/** What a stored survey is about: a contact, a complaint, or (sent by a campaign) the customer's relationship with us. */
export const SurveySubjectKind = /* @__PURE__ */ z
  .enum(['interaction', 'complaint', 'campaign'])
  .openapi('SurveySubjectKind', { description: 'campaign: sent by a campaign (its id and the customer)' });
export type SurveySubjectKind = z.infer<typeof SurveySubjectKind>;

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
    channel: z.enum(['sms', 'email', 'wechat', 'link']),
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
        key: z.enum(['responsiveness', 'professionalism', 'attitude', 'resolution', 'convenience']),
        label: z.string(),
      }),
    ),
    scale: z.object({ min: z.literal(1), max: z.literal(5), minLabel: z.string(), maxLabel: z.string() }),
    nps: z.literal(true),
    questions: z.object({ overall: z.string(), nps: z.string(), comment: z.string() }),
    npsScale: z.object({ min: z.literal(0), max: z.literal(10), minLabel: z.string(), maxLabel: z.string() }),
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

export const ValidityFlag = /* @__PURE__ */ z
  .object({ code: z.enum(['missing_key_fields', 'straight_lining', 'too_fast']), reason: z.string() })
  .openapi('ValidityFlag');

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
    sentiment: z.enum(['positive', 'neutral', 'negative']),
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
