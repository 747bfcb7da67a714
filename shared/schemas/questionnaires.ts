/**
 * Questionnaires (contract "Questionnaires (v1.2)"): what a survey asks, as versioned data.
 * The rules a questionnaire must follow (five labels on a scale, choices on a choice question,
 * unique ids, lower_snake_case dimensions, at most 60 questions, text limits) are checked here,
 * each failure a 400 naming its field.
 */
import { Timestamp } from './common.js';
import { describeEnum } from './describe.js';
import { z } from './zod.js';

export const MAX_QUESTIONS = 60;
export const MAX_QUESTION_TEXT = 500;
export const MAX_NAME_TEXT = 100;
export const MAX_CHOICE_TEXT = 200;
export const MAX_CHOICES = 20;
export const MAX_TEXT_ANSWER = 2000;

/** lower_snake_case without a double underscore (counter names use `__` to separate parts). */
export const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** A questionnaire's id: lower kebab-case (built-ins: `service-transaction`, `service-standard`, `relationship`). */
export const QuestionnaireId = /* @__PURE__ */ z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower kebab-case (a-z, 0-9 and single -), at most 40 characters')
  .openapi({ example: 'service-standard' });

const Snake = (what: string) =>
  z
    .string()
    .min(1)
    .max(40)
    .regex(SNAKE, `${what} must be lower_snake_case (a-z, 0-9 and single _), at most 40 characters`);

export const QuestionId = /* @__PURE__ */ Snake('a question id').openapi({ example: 'first_response' });
export const DimensionName = /* @__PURE__ */ Snake('a dimension').openapi({
  description:
    'One of the five service dimensions (responsiveness, professionalism, attitude, resolution, convenience), product, price, logistics, brand, or your own name',
  example: 'responsiveness',
});

const Localized = (max: number) =>
  z.strictObject({ zh: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) });
export const LocalizedText = /* @__PURE__ */ Localized(MAX_QUESTION_TEXT).openapi('LocalizedText');

export const QuestionType = /* @__PURE__ */ z.enum(['scale', 'nps', 'single', 'multi', 'text']).openapi('QuestionType');
export type QuestionType = z.infer<typeof QuestionType>;
export const questionTypeText = /* @__PURE__ */ describeEnum(QuestionType, {
  scale: 'A 1–5 score with a verbal label on every point (`labels`); the answer is a whole number 1–5',
  nps: 'Likelihood to recommend, 0–10; the answer is a whole number 0–10',
  single: 'One of `choices`; the answer is the choice’s id',
  multi: 'Any of `choices`; the answer is a list of distinct choice ids',
  text: 'Free text up to 2000 characters',
});

export const ProfileField = /* @__PURE__ */ z.enum(['customerType', 'customerSince']).openapi('ProfileField');
export const profileFieldText = /* @__PURE__ */ describeEnum(ProfileField, {
  customerType:
    'Fills the profile’s `customerType` (its choices are `individual` and `business`); skipped when the profile holds it',
  customerSince: 'Fills the profile’s `customerSince` (a date); skipped when the profile holds it',
});

export const Choice = /* @__PURE__ */ z
  .strictObject({ id: QuestionId, text: Localized(MAX_CHOICE_TEXT) })
  .openapi('QuestionChoice');

export const Question = /* @__PURE__ */ z
  .strictObject({
    id: QuestionId,
    type: QuestionType,
    text: LocalizedText,
    required: z.boolean(),
    dimension: DimensionName.optional(),
    subIndicator: QuestionId.optional().openapi({
      description: 'A sub-indicator of the dimension (s001)',
      example: 'first_response',
    }),
    labels: z
      .array(Localized(MAX_CHOICE_TEXT))
      .optional()
      .openapi({ description: 'scale: the verbal label of each point 1–5, exactly five' }),
    choices: z.array(Choice).optional().openapi({ description: 'single and multi: 2–20 choices' }),
    profileField: ProfileField.optional().openapi({
      description: 'Asked only when the customer profile lacks it (a single question)',
    }),
  })
  .openapi('Question');
export type Question = z.infer<typeof Question>;

type Ctx = { addIssue: (issue: { code: 'custom'; message: string; path: (string | number)[] }) => void };

/** The cross-field rules of a list of questions; `required` says whether an empty list is refused. */
export function checkQuestions(questions: readonly Question[], ctx: Ctx, base: (string | number)[] = ['questions']) {
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    const at = (...rest: (string | number)[]) => [...base, i, ...rest];
    if (seen.has(q.id)) ctx.addIssue({ code: 'custom', message: `duplicates the question id ${q.id}`, path: at('id') });
    seen.add(q.id);
    if (q.type === 'scale') {
      if (q.labels?.length !== 5)
        ctx.addIssue({
          code: 'custom',
          message: 'a scale needs exactly five labels, one per point 1–5',
          path: at('labels'),
        });
    } else if (q.labels !== undefined)
      ctx.addIssue({ code: 'custom', message: 'only a scale question has labels', path: at('labels') });
    if (q.type === 'single' || q.type === 'multi') {
      if (!q.choices || q.choices.length < 2)
        ctx.addIssue({ code: 'custom', message: 'a choice question needs at least two choices', path: at('choices') });
      else if (q.choices.length > MAX_CHOICES)
        ctx.addIssue({ code: 'custom', message: `at most ${MAX_CHOICES} choices`, path: at('choices') });
      else {
        const ids = new Set<string>();
        q.choices.forEach((c, j) => {
          if (ids.has(c.id))
            ctx.addIssue({ code: 'custom', message: `duplicates the choice id ${c.id}`, path: at('choices', j, 'id') });
          ids.add(c.id);
        });
      }
    } else if (q.choices !== undefined)
      ctx.addIssue({ code: 'custom', message: 'only a single or multi question has choices', path: at('choices') });
    if (q.dimension !== undefined && q.type !== 'scale')
      ctx.addIssue({ code: 'custom', message: 'only a scale question belongs to a dimension', path: at('dimension') });
    if (q.subIndicator !== undefined && q.dimension === undefined)
      ctx.addIssue({ code: 'custom', message: 'a sub-indicator needs its dimension', path: at('subIndicator') });
    if (q.profileField !== undefined && q.type !== 'single')
      ctx.addIssue({
        code: 'custom',
        message: 'a profile question is a single-choice question',
        path: at('profileField'),
      });
  });
}

const QuestionList = /* @__PURE__ */ z.array(Question).max(MAX_QUESTIONS);

export const QuestionnaireName = /* @__PURE__ */ Localized(MAX_NAME_TEXT).openapi('QuestionnaireName');

export const CreateQuestionnaireBody = /* @__PURE__ */ z
  .strictObject({
    id: QuestionnaireId.optional().openapi({
      description:
        'A new id, or an existing questionnaire’s id to open the draft of its next version; default a new generated id',
    }),
    name: QuestionnaireName.optional().openapi({ description: 'Default: the copied questionnaire’s name' }),
    questions: QuestionList.optional(),
    copyOf: z
      .strictObject({ id: QuestionnaireId, version: z.number().int().min(1).max(999_999).optional() })
      .optional()
      .openapi({ description: 'Start from this questionnaire (its latest published version unless `version`)' }),
  })
  .superRefine((body, ctx) => {
    if (body.questions) checkQuestions(body.questions, ctx);
    if (body.questions && body.copyOf)
      ctx.addIssue({ code: 'custom', message: 'send either questions or copyOf, not both', path: ['copyOf'] });
  })
  .openapi('CreateQuestionnaireBody');
export type CreateQuestionnaireBody = z.infer<typeof CreateQuestionnaireBody>;

export const PutQuestionnaireDraftBody = /* @__PURE__ */ z
  .strictObject({
    name: QuestionnaireName,
    questions: QuestionList.min(1, 'a questionnaire needs at least one question'),
  })
  .superRefine((body, ctx) => checkQuestions(body.questions, ctx))
  .openapi('PutQuestionnaireDraftBody');
export type PutQuestionnaireDraftBody = z.infer<typeof PutQuestionnaireDraftBody>;

export const QuestionnaireStatus = /* @__PURE__ */ z
  .enum(['draft', 'published', 'retired'])
  .openapi('QuestionnaireStatus');
export type QuestionnaireStatus = z.infer<typeof QuestionnaireStatus>;
export const questionnaireStatusText = /* @__PURE__ */ describeEnum(QuestionnaireStatus, {
  draft: 'Being written (PUT …/draft): surveys do not ask it until it is published',
  published: 'Published: an immutable version surveys and campaigns ask',
  retired: 'Retired: surveys can no longer ask it (409); answers given on it stay',
});

export const Questionnaire = /* @__PURE__ */ z
  .object({
    id: QuestionnaireId,
    version: z.number().int().min(1),
    status: QuestionnaireStatus,
    name: QuestionnaireName,
    questions: z.array(Question),
    builtIn: z.boolean(),
    /** A draft's edit count, its ETag (If-Match of PUT …/draft). */
    revision: z.number().int().min(1).optional(),
    publishedAt: Timestamp.optional(),
    publishedBy: z.string().optional(),
    retiredAt: Timestamp.optional(),
    updatedAt: Timestamp.optional(),
    updatedBy: z.string().optional(),
  })
  .openapi('Questionnaire');
export type Questionnaire = z.infer<typeof Questionnaire>;

export const QuestionnaireSummary = /* @__PURE__ */ z
  .object({
    id: QuestionnaireId,
    status: QuestionnaireStatus,
    name: QuestionnaireName,
    builtIn: z.boolean(),
    latestVersion: z.number().int().min(0).openapi({ description: 'The newest published version (0: none yet)' }),
    draftVersion: z
      .number()
      .int()
      .min(1)
      .nullable()
      .openapi({ description: 'The version a draft is being written for' }),
    questions: z.number().int().openapi({ description: 'Questions of the newest version (or the draft)' }),
  })
  .openapi('QuestionnaireSummary');

export const QuestionnaireList = /* @__PURE__ */ z
  .object({ items: z.array(QuestionnaireSummary) })
  .openapi('QuestionnaireList');

export const QuestionnaireParams = /* @__PURE__ */ z.strictObject({ id: QuestionnaireId });
export const QuestionnaireQuery = /* @__PURE__ */ z.strictObject({
  version: z
    .string()
    .regex(/^(draft|[1-9]\d{0,5})$/, 'must be a version number or draft')
    .optional()
    .openapi({
      description: 'A version number, or `draft`; default the newest published version (the draft when none)',
    }),
});

/** A questionnaire's reference, as a response and an invitation record it. */
export const QuestionnaireRef = /* @__PURE__ */ z
  .object({ id: QuestionnaireId, version: z.number().int().min(1) })
  .openapi('QuestionnaireRef');
export type QuestionnaireRef = z.infer<typeof QuestionnaireRef>;
