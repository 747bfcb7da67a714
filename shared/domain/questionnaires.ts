/**
 * Questionnaires (s001 评价标准 and its sub-indicators, s002/s004 问卷设计): the three built-in
 * questionnaires, published as version 1, and the rules that read an answer against any
 * questionnaire. The built-ins' zh and en texts are what customers read.
 *
 * `service-transaction` is exactly the form every survey asked before questionnaires existed:
 * its question ids are the five dimensions, `overall`, `nps` and `comment`, so every stored
 * answer reads as it, with no migration.
 */
import type { Question, QuestionnaireRef } from '../schemas/questionnaires.js';
import type { FieldError, FieldErrorCode } from '../schemas/vocabulary.js';
import { DIMENSIONS } from '../schemas/vocabulary.js';
import { FORM_TEXT } from './surveys.js';
import { addMonths } from './time.js';

export type { Question, QuestionnaireRef };

export interface LocalizedText {
  zh: string;
  en: string;
}

export interface PublishedQuestionnaire {
  id: string;
  version: number;
  name: LocalizedText;
  questions: Question[];
}

export const SERVICE_TRANSACTION = 'service-transaction';
export const SERVICE_STANDARD = 'service-standard';
export const RELATIONSHIP = 'relationship';

/** The answer to a survey stored before questionnaires existed belongs to this version. */
export const LEGACY_QUESTIONNAIRE: QuestionnaireRef = { id: SERVICE_TRANSACTION, version: 1 };

/** Dimensions a questionnaire may use besides an admin's own lower_snake_case names. */
export const KNOWN_DIMENSIONS = [...DIMENSIONS, 'product', 'price', 'logistics', 'brand'] as const;

/** The satisfaction scale (s004: 非常不满意 … 非常满意), a verbal label on every point. */
export const SATISFACTION_LABELS: LocalizedText[] = ([1, 2, 3, 4, 5] as const).map((n) => ({
  zh: FORM_TEXT.zh.scale[n],
  en: FORM_TEXT.en.scale[n],
}));

/** How likely to buy again, 1–5. */
const LIKELIHOOD_LABELS: LocalizedText[] = [
  { zh: '肯定不会', en: 'Definitely not' },
  { zh: '可能不会', en: 'Probably not' },
  { zh: '说不准', en: 'Not sure' },
  { zh: '可能会', en: 'Probably' },
  { zh: '肯定会', en: 'Definitely' },
];

/**
 * The one builder of a built-in question: its id, type and words (zh, en), then what it adds —
 * whether it must be answered (a scale or NPS unless said otherwise; a choice or free text not), its
 * dimension and sub-indicator, a scale's labels (the satisfaction scale unless given), a choice
 * question's `[id, zh, en]` choices, the profile field it fills. The keys come out in one order, so
 * the published content does not depend on how a question is written here.
 */
const question = (
  id: string,
  type: Question['type'],
  [zh, en]: readonly [string, string],
  more: {
    required?: boolean;
    dimension?: string;
    subIndicator?: string;
    labels?: LocalizedText[];
    choices?: ReadonlyArray<readonly [string, string, string]>;
    profileField?: Question['profileField'];
  } = {},
): Question => ({
  id,
  type,
  text: { zh, en },
  required: more.required ?? (type === 'scale' || type === 'nps'),
  ...(more.dimension ? { dimension: more.dimension } : {}),
  ...(more.subIndicator ? { subIndicator: more.subIndicator } : {}),
  ...(type === 'scale' ? { labels: more.labels ?? SATISFACTION_LABELS } : {}),
  ...(more.choices
    ? { choices: more.choices.map(([choiceId, czh, cen]) => ({ id: choiceId, text: { zh: czh, en: cen } })) }
    : {}),
  ...(more.profileField ? { profileField: more.profileField } : {}),
});

const OVERALL = question('overall', 'scale', [FORM_TEXT.zh.overall, FORM_TEXT.en.overall]);
const NPS = question('nps', 'nps', [FORM_TEXT.zh.nps, FORM_TEXT.en.nps]);
const COMMENT = question('comment', 'text', [FORM_TEXT.zh.comment, FORM_TEXT.en.comment]);

/** Today's form: the five dimensions, overall, NPS, comment (question ids = the v1.1 field names). */
const serviceTransaction: PublishedQuestionnaire = {
  id: SERVICE_TRANSACTION,
  version: 1,
  name: { zh: '服务满意度（单次服务）', en: 'Service satisfaction (one contact)' },
  questions: [
    ...DIMENSIONS.map((d) =>
      question(d, 'scale', [FORM_TEXT.zh.dimensions[d], FORM_TEXT.en.dimensions[d]], { dimension: d }),
    ),
    OVERALL,
    NPS,
    COMMENT,
  ],
};

/**
 * s001 客户服务满意度评价标准's sub-indicators, each rated on the satisfaction scale:
 * [dimension, sub-indicator (also the question id), zh, en, required (false: s001 "如适用")].
 */
const STANDARD_ITEMS: ReadonlyArray<readonly [string, string, string, string, boolean?]> = [
  [
    'responsiveness',
    'first_response',
    '首次响应：您联系我们后，我们第一次回复您的速度',
    'First response: how quickly we first replied after you contacted us',
  ],
  [
    'responsiveness',
    'resolution_time',
    '解决用时：从您提出问题到问题解决（或给出明确方案和时限）所用的时间',
    'Time to resolve: from raising your issue to having it solved (or a clear plan and timeline)',
  ],
  [
    'responsiveness',
    'proactive_updates',
    '主动告知：有进展、有延误或需要您配合时，我们是否及时主动地告诉您',
    'Keeping you informed: whether we told you promptly about progress, delays or anything we needed from you',
  ],
  [
    'professionalism',
    'knowledge',
    '业务知识：服务人员对产品、办理流程和相关政策的熟悉程度',
    'Knowledge: how well our staff knew the products, procedures and policies',
  ],
  [
    'professionalism',
    'diagnosis',
    '理解问题：是否快速、准确地弄清了您遇到的问题或需求',
    'Understanding: how quickly and accurately we understood your problem or need',
  ],
  [
    'professionalism',
    'solution_effectiveness',
    '方案有效：给出的解决方案是否切实可行、真正解决了问题',
    'Workable solution: whether the solution we offered was practical and actually worked',
  ],
  [
    'professionalism',
    'information_accuracy',
    '信息准确：告诉您的价格、条款、操作方法等信息是否准确无误',
    'Accurate information: whether the prices, terms and instructions we gave you were correct',
  ],
  [
    'attitude',
    'courtesy',
    '礼貌尊重：服务人员是否友善有礼，尊重您的意见和感受',
    'Courtesy: whether our staff were friendly and polite and respected your views and feelings',
  ],
  [
    'attitude',
    'empathy',
    '耐心体谅：是否耐心听您说完，理解您的心情，站在您的角度考虑问题',
    'Patience and empathy: whether we listened patiently, understood how you felt and saw things from your side',
  ],
  [
    'attitude',
    'clarity',
    '表达清楚：是否用您容易听懂的话把事情讲清楚、讲简洁，少用专业术语',
    'Clear explanations: whether we explained things clearly and briefly, in words you could follow',
  ],
  [
    'attitude',
    'initiative',
    '积极主动：是否主动询问您的需要、主动提供帮助，而不是等您开口或敷衍了事',
    'Initiative: whether we asked what you needed and offered help, rather than waiting to be asked',
  ],
  [
    'resolution',
    'first_contact',
    '一次解决：问题是否在第一次联系时就解决了，不用再次联系或被转来转去',
    'Solved first time: whether your problem was solved on the first contact, without contacting us again or being passed around',
  ],
  [
    'resolution',
    'solution_satisfaction',
    '处理结果：您对最终的解决方案是否满意',
    'Outcome: how satisfied you are with the final solution',
  ],
  [
    'resolution',
    'root_cause',
    '根源处理：是否找到了问题的原因，并采取措施避免再次发生',
    'Root cause: whether we found the cause and took steps so it does not happen again',
  ],
  [
    'resolution',
    'follow_up',
    '后续跟进：服务结束后是否有适当的回访，确认问题彻底解决',
    'Follow-up: whether we checked back afterwards to make sure the problem was fully solved',
  ],
  [
    'convenience',
    'channel_access',
    '联系方便：能否通过您习惯的方式（电话、App、网站、门店等）方便地找到我们',
    'Easy to reach: whether you could reach us easily the way you prefer (phone, app, website, store…)',
  ],
  [
    'convenience',
    'process_simplicity',
    '手续简便：办理过程中的步骤是否简单、容易操作',
    'Simple process: whether the steps you had to take were few and easy',
  ],
  [
    'convenience',
    'environment',
    '服务环境（到店时填写）：门店是否整洁舒适，是否注意保护您的隐私',
    'Service setting (if you visited a store): whether it was clean and comfortable and respected your privacy',
    false,
  ],
  [
    'convenience',
    'platform_stability',
    '线上服务（使用线上渠道时填写）：App、网站等是否稳定、打开快、功能好用',
    'Online service (if you used it): whether the app or website was stable, fast and worked as it should',
    false,
  ],
];

/**
 * s001 客户服务满意度评价标准: each of the five dimensions by its 3–4 sub-indicators, every item
 * rated on the satisfaction scale. The two convenience items that apply only in a store or only
 * online (s001 "如适用") may be left blank.
 */
const serviceStandard: PublishedQuestionnaire = {
  id: SERVICE_STANDARD,
  version: 1,
  name: { zh: '客户服务满意度评价（标准版）', en: 'Customer service satisfaction (full standard)' },
  questions: [
    ...STANDARD_ITEMS.map(([dimension, subIndicator, zh, en, required]) =>
      question(subIndicator, 'scale', [zh, en], { dimension, subIndicator, required }),
    ),
    OVERALL,
    NPS,
    COMMENT,
  ],
};

/**
 * s002/s004 relationship survey (quarterly, 深度调研): basic information, usage scenario,
 * product, price, delivery and brand, the five service dimensions, overall, NPS, intention to
 * buy again, suggestions.
 */
const relationship: PublishedQuestionnaire = {
  id: RELATIONSHIP,
  version: 1,
  name: { zh: '客户关系满意度调查', en: 'Customer relationship survey' },
  questions: [
    question(
      'customer_type',
      'single',
      ['您是以哪种身份使用我们的产品或服务？', 'How do you use our products or services?'],
      {
        choices: [
          ['individual', '个人或家庭', 'Personally or for my household'],
          ['business', '企业或机构', 'For a company or organisation'],
        ],
        profileField: 'customerType',
      },
    ),
    question('customer_since', 'single', ['您使用我们的产品或服务多久了？', 'How long have you been our customer?'], {
      choices: [
        ['under_one_year', '不到 1 年', 'Less than a year'],
        ['one_to_three_years', '1 到 3 年', '1 to 3 years'],
        ['over_three_years', '3 年以上', 'More than 3 years'],
      ],
      profileField: 'customerSince',
    }),
    question('purchase_channel', 'single', ['您通常通过哪个渠道购买？', 'Where do you usually buy from us?'], {
      choices: [
        ['online_store', '官方网站或 App', 'Our website or app'],
        ['marketplace', '电商平台', 'An online marketplace'],
        ['physical_store', '实体门店', 'A physical store'],
        ['sales_rep', '销售人员或代理商', 'A sales representative or agent'],
      ],
    }),
    question(
      'usage',
      'multi',
      [
        '最近三个月，您在哪些情况下和我们打过交道？（可多选）',
        'In the last three months, what did you deal with us for? (choose all that apply)',
      ],
      {
        choices: [
          ['purchase', '选购商品或服务', 'Choosing and buying'],
          ['delivery', '收货或安装', 'Delivery or installation'],
          ['support', '咨询或使用指导', 'Questions or help using the product'],
          ['repair', '售后维修或退换货', 'Repairs, returns or exchanges'],
          ['complaint', '投诉', 'A complaint'],
        ],
      },
    ),
    question(
      'product_quality',
      'scale',
      ['产品质量：产品是否质量可靠、稳定耐用', 'Product quality: how reliable and durable our products are'],
      { dimension: 'product', subIndicator: 'quality' },
    ),
    question(
      'product_ease_of_use',
      'scale',
      ['使用体验：产品是否容易上手、方便使用', 'Ease of use: how easy our products are to learn and use'],
      { dimension: 'product', subIndicator: 'ease_of_use' },
    ),
    question(
      'price_value',
      'scale',
      [
        '性价比：价格与得到的质量和服务相比是否合理',
        'Value for money: whether the price is fair for the quality and service you get',
      ],
      { dimension: 'price', subIndicator: 'value' },
    ),
    question(
      'price_transparency',
      'scale',
      [
        '价格透明：收费标准是否清楚明白，没有意外收费',
        'Clear pricing: whether charges are clear, with no unexpected costs',
      ],
      { dimension: 'price', subIndicator: 'transparency' },
    ),
    question(
      'logistics_speed',
      'scale',
      ['送货速度：是否按承诺的时间送达', 'Delivery time: whether orders arrived when promised'],
      { dimension: 'logistics', subIndicator: 'speed' },
    ),
    question(
      'logistics_condition',
      'scale',
      [
        '送达状况：包装是否完好，商品是否准确无误',
        'Delivery condition: whether orders arrived complete, correct and undamaged',
      ],
      { dimension: 'logistics', subIndicator: 'condition' },
    ),
    question('brand_trust', 'scale', ['品牌信任：您对我们这个品牌的信任程度', 'Trust: how much you trust our brand'], {
      dimension: 'brand',
      subIndicator: 'trust',
    }),
    question(
      'brand_image',
      'scale',
      ['品牌形象：我们的品牌形象和口碑', 'Reputation: our brand’s image and reputation'],
      { dimension: 'brand', subIndicator: 'image' },
    ),
    ...DIMENSIONS.map((d) =>
      question(
        d,
        'scale',
        [`客户服务 · ${FORM_TEXT.zh.dimensions[d]}`, `Customer service · ${FORM_TEXT.en.dimensions[d]}`],
        {
          dimension: d,
        },
      ),
    ),
    OVERALL,
    NPS,
    question(
      'repurchase',
      'scale',
      ['今后您还会继续购买我们的产品或服务吗？', 'Will you buy our products or services again?'],
      { labels: LIKELIHOOD_LABELS },
    ),
    question('comment', 'text', [
      '为了做得更好，您对我们的产品或服务有什么建议？',
      'What could we do better? Any suggestions about our products or service are welcome.',
    ]),
  ],
};

export const BUILT_IN_QUESTIONNAIRES: readonly PublishedQuestionnaire[] = [
  serviceTransaction,
  serviceStandard,
  relationship,
];

export const isBuiltIn = (id: string) => BUILT_IN_QUESTIONNAIRES.some((q) => q.id === id);

export const builtInVersion = (id: string, version: number) =>
  version === 1 ? BUILT_IN_QUESTIONNAIRES.find((q) => q.id === id) : undefined;

/** An answer as sent: a number (scale, NPS), a string (single, text) or a list of choice ids (multi). */
export type AnswerValue = number | string | string[];
export type Answers = Record<string, AnswerValue>;

export type AnswerError = FieldError;

/** The profile fields a questionnaire may ask (contract: `profileField`). */
export type ProfileFields = { customerType?: 'individual' | 'business'; customerSince?: string };

/** The questions shown to a customer: a profile question is skipped when the profile already holds its answer. */
export function questionsShown(
  questions: readonly Question[],
  profile: Partial<Record<'customerType' | 'customerSince', unknown>> = {},
): Question[] {
  return questions.filter((q) => !q.profileField || profile[q.profileField] == null);
}

/**
 * Answers to profile questions the profile already holds are dropped (the page or form was shown
 * before someone filled the field): the profile keeps its value and the answer is not an error.
 */
export function withoutAnsweredProfileFields(
  questions: readonly Question[],
  shown: readonly Question[],
  answers: Answers,
) {
  const hidden = new Set(questions.filter((q) => q.profileField && !shown.includes(q)).map((q) => q.id));
  return Object.fromEntries(Object.entries(answers).filter(([id]) => !hidden.has(id)));
}

/** When a customer who has been one "for `choice`" started, at the latest (so new / returning holds from `day` on). */
const SINCE_YEARS: Record<string, number> = { under_one_year: 0, one_to_three_years: 1, over_three_years: 3 };

/**
 * What the answers to the profile questions shown put into the profile: `customerType` the choice
 * id (individual / business); `customerSince` the latest date the answer allows (`under_one_year` →
 * the answer's day, `one_to_three_years` → a year before, `over_three_years` → three years before),
 * so "new within 365 days, returning after" is right from the answer on. A choice that names no
 * value (an admin's own choices) fills nothing.
 */
export function profileFromAnswers(shown: readonly Question[], answers: Answers, day: string): ProfileFields {
  const filled: ProfileFields = {};
  for (const q of shown) {
    const value = answers[q.id];
    if (!q.profileField || typeof value !== 'string') continue;
    if (q.profileField === 'customerType' && (value === 'individual' || value === 'business'))
      filled.customerType = value;
    const years = SINCE_YEARS[value];
    if (q.profileField === 'customerSince' && years !== undefined) filled.customerSince = addMonths(day, -12 * years);
  }
  return filled;
}

/**
 * Checks answers against the questions shown: every required one answered, each value in its
 * range or among its choices, no unknown question. Errors name `answers.<questionId>`.
 */
export function checkAnswers(questions: readonly Question[], answers: Answers): AnswerError[] {
  const errors: AnswerError[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const fail = (id: string, code: FieldErrorCode, message: string) =>
    errors.push({ path: `answers.${id}`, code, message });
  for (const id of Object.keys(answers))
    if (!byId.has(id)) fail(id, 'unknown_field', 'is not a question of this survey');
  for (const q of questions) {
    const value = answers[q.id];
    const blank = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
    if (blank) {
      if (q.required) fail(q.id, 'required', 'is required');
      continue;
    }
    const isInt = (min: number, max: number) =>
      typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
    switch (q.type) {
      case 'scale':
        if (!isInt(1, 5)) fail(q.id, 'out_of_range', 'must be a whole number from 1 to 5');
        break;
      case 'nps':
        if (!isInt(0, 10)) fail(q.id, 'out_of_range', 'must be a whole number from 0 to 10');
        break;
      case 'single':
        if (typeof value !== 'string' || !q.choices?.some((c) => c.id === value))
          fail(q.id, 'not_in_list', 'must be the id of one of its choices');
        break;
      case 'multi':
        if (
          !Array.isArray(value) ||
          value.some((v) => !q.choices?.some((c) => c.id === v)) ||
          new Set(value).size !== value.length
        )
          fail(q.id, 'not_in_list', 'must be a list of distinct ids of its choices');
        break;
      case 'text':
        if (typeof value !== 'string') fail(q.id, 'invalid_type', 'must be text');
        else if (value.length > 2000) fail(q.id, 'too_long', 'must be at most 2000 characters');
        break;
    }
  }
  return errors;
}

/** The question that measures overall satisfaction (`overall`, a scale), the NPS question and the comment, if any. */
export function roles(questions: readonly Question[]) {
  return {
    overall: questions.find((q) => q.id === 'overall' && q.type === 'scale'),
    nps: questions.find((q) => q.type === 'nps'),
    comment: questions.find((q) => q.id === 'comment' && q.type === 'text'),
  };
}

/** The heading of a dimension's questions (custom dimensions: their name in words). */
export function dimensionLabel(dimension: string, lang: 'zh' | 'en'): string {
  const service = (FORM_TEXT[lang].dimensions as Record<string, string>)[dimension];
  if (service) return service;
  const known: Record<string, LocalizedText> = {
    product: { zh: '产品', en: 'Product' },
    price: { zh: '价格', en: 'Price' },
    logistics: { zh: '物流配送', en: 'Delivery' },
    brand: { zh: '品牌', en: 'Brand' },
  };
  const words = dimension.replace(/_/g, ' ');
  return known[dimension]?.[lang] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

/** A question as a customer reads it, in one language. */
export function localizeQuestion(q: Question, lang: 'zh' | 'en') {
  return {
    id: q.id,
    type: q.type,
    text: q.text[lang],
    required: q.required,
    ...(q.dimension ? { dimension: q.dimension, dimensionLabel: dimensionLabel(q.dimension, lang) } : {}),
    ...(q.subIndicator ? { subIndicator: q.subIndicator } : {}),
    ...(q.labels ? { labels: q.labels.map((label, i) => ({ value: i + 1, label: label[lang] })) } : {}),
    ...(q.choices ? { choices: q.choices.map((c) => ({ id: c.id, text: c.text[lang] })) } : {}),
  };
}
