/**
 * Satisfaction surveys (s001 评价维度, s002 问卷设计/无效问卷, s004 NPS): the form, the
 * validity rules that keep a response out of the KPIs, the negative-feedback alert, and
 * what a response adds to the pre-aggregated counters.
 */

import { DIMENSIONS, type Dimension } from '../schemas/vocabulary.js';
import { type AggregateCell, type Contribution, counterName, NO_TEAM } from './aggregates.js';
import { driverCounters } from './analysis.js';
import { defined } from './errors.js';
import { type CustomerGroups, groupCounters } from './groups.js';
import type { Answers, PublishedQuestionnaire, Question } from './questionnaires.js';

export type Language = 'zh' | 'en';

/** The labels of the form in each language (dimension names from s001). */
export const FORM_TEXT: Record<
  Language,
  {
    dimensions: Record<Dimension, string>;
    overall: string;
    nps: string;
    comment: string;
    /** A verbal label on every point of the 1–5 scale (s004: 非常不满意 … 非常满意). */
    scale: Record<1 | 2 | 3 | 4 | 5, string>;
    npsScale: Record<0 | 10, string>;
  }
> = {
  zh: {
    dimensions: {
      responsiveness: '响应与及时性',
      professionalism: '专业性与准确性',
      attitude: '态度与沟通',
      resolution: '问题解决与结果',
      convenience: '环境与便捷性',
    },
    overall: '总体满意度',
    nps: '您有多大可能向朋友或同事推荐我们?',
    comment: '您还有什么意见或建议?',
    scale: { 1: '非常不满意', 2: '不满意', 3: '一般', 4: '满意', 5: '非常满意' },
    npsScale: { 0: '完全不可能', 10: '非常可能' },
  },
  en: {
    dimensions: {
      responsiveness: 'Responsiveness and timeliness',
      professionalism: 'Professionalism and accuracy',
      attitude: 'Attitude and communication',
      resolution: 'Problem resolution and outcome',
      convenience: 'Environment and convenience',
    },
    overall: 'Overall satisfaction',
    nps: 'How likely are you to recommend us to a friend or colleague?',
    comment: 'Is there anything else you would like to tell us?',
    scale: { 1: 'Very dissatisfied', 2: 'Dissatisfied', 3: 'Neutral', 4: 'Satisfied', 5: 'Very satisfied' },
    npsScale: { 0: 'Not at all likely', 10: 'Extremely likely' },
  },
};

export type NpsClass = 'promoter' | 'passive' | 'detractor';

/** NPS groups (s004): promoters 9–10, passives 7–8, detractors 0–6. */
export function npsClass(score: number): NpsClass {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

/** "满意+较满意": a 4 or a 5. */
export const isSatisfied = (score: number) => score >= 4;

/** What the respondent sent; a field left out of the form is null. */
export interface SurveyAnswers {
  scores: Record<Dimension, number | null>;
  overall: number | null;
  nps: number | null;
  comment?: string | undefined;
  /**
   * The questionnaire version asked and its answers per question (every response since v1.2).
   * Absent: the v1.1 form, judged by the v1.1 rules (domain tests of those rules).
   */
  questionnaire?: PublishedQuestionnaire;
  items?: Answers;
  /** The questions the customer was shown (profile questions already answered are not). */
  shown?: readonly Question[];
}

export type ValidityFlagCode = 'missing_key_fields' | 'straight_lining' | 'too_fast';

export interface ValidityFlag {
  code: ValidityFlagCode;
  /** Why, in words a supervisor reads. */
  reason: string;
}

export interface ValidityContext {
  /** When the form was first read (GET), if it was. */
  openedAt?: Date | undefined;
  submittedAt: Date;
  /** Below this many seconds between opening and submitting, nobody read the questions. */
  minAnswerSeconds: number;
  /** …nor below this many seconds per question shown (`surveys.minSecondsPerQuestion`). */
  minSecondsPerQuestion?: number;
  /** The comment's tone, from the classifier. */
  commentSentiment?: 'positive' | 'neutral' | 'negative' | undefined;
}

/** How far apart a straight-lined score and the NPS may be (both scaled to 0–1) before they contradict. */
const CONTRADICTION_GAP = 0.6;

/**
 * The s002 rules for an invalid questionnaire (剔除无效问卷). Every response is kept; one
 * with any flag is left out of the KPIs, and each flag says why.
 * - missing key fields: every dimension, overall and NPS are key;
 * - straight-lining: the same score everywhere, contradicted by the NPS (e.g. all 5 with
 *   NPS 2) or by the comment (all 5 with a complaint, all 1 with praise);
 * - too fast: submitted sooner than a person can read the form after opening it (or
 *   without the form ever being opened).
 */
export function assessValidity(
  answers: SurveyAnswers,
  context: ValidityContext,
): { valid: boolean; flags: ValidityFlag[] } {
  const flags: ValidityFlag[] = [];
  const questions = answers.shown ?? answers.questionnaire?.questions;
  const items = answers.items ?? {};
  const blank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
  const missing = questions
    ? questions.filter((q) => q.required && blank(items[q.id])).map((q) => `answers.${q.id}`)
    : [
        ...DIMENSIONS.filter((d) => answers.scores[d] == null).map((d) => `scores.${d}`),
        ...(answers.overall == null ? ['overall'] : []),
        ...(answers.nps == null ? ['nps'] : []),
      ];
  if (missing.length) flags.push({ code: 'missing_key_fields', reason: `Not answered: ${missing.join(', ')}.` });

  // Straight-lining: the same point on every scale item (at least five of them), contradicted.
  const scaleCount = questions ? questions.filter((q) => q.type === 'scale').length : DIMENSIONS.length + 1;
  const answered = questions
    ? questions
        .filter((q) => q.type === 'scale')
        .map((q) => items[q.id])
        .filter((v): v is number => typeof v === 'number')
    : [...DIMENSIONS.map((d) => answers.scores[d]), answers.overall].filter((s): s is number => s != null);
  if (scaleCount >= 5 && answered.length === scaleCount && new Set(answered).size === 1) {
    const score = defined(answered[0], 'the answered score');
    const level = (score - 1) / 4;
    const because: string[] = [];
    if (answers.nps != null && Math.abs(level - answers.nps / 10) >= CONTRADICTION_GAP)
      because.push(`an NPS of ${answers.nps}`);
    if (score >= 4 && context.commentSentiment === 'negative') because.push('a negative comment');
    if (score <= 2 && context.commentSentiment === 'positive') because.push('a positive comment');
    if (because.length)
      flags.push({
        code: 'straight_lining',
        reason: `Every score is ${score}, contradicted by ${because.join(' and ')}.`,
      });
  }

  // minAnswerSeconds 0 turns the rule off; otherwise a longer questionnaire needs longer.
  const minSeconds =
    context.minAnswerSeconds === 0
      ? 0
      : Math.max(context.minAnswerSeconds, (context.minSecondsPerQuestion ?? 0) * (questions?.length ?? 0));
  if (!context.openedAt) {
    flags.push({ code: 'too_fast', reason: 'Submitted without the form ever being opened.' });
  } else {
    const seconds = (context.submittedAt.getTime() - context.openedAt.getTime()) / 1000;
    if (seconds < minSeconds) {
      flags.push({
        code: 'too_fast',
        reason: `Submitted ${Math.max(0, Math.round(seconds))} s after the form was opened; at least ${minSeconds} s are needed to read it.`,
      });
    }
  }
  return { valid: flags.length === 0, flags };
}

/** Strongly negative feedback or a low NPS asks for a human to call back (s004 情绪识别). */
export function negativeFeedbackReasons(input: {
  nps: number | null;
  strongNegativeComment: boolean;
  npsAtOrBelow: number;
}): string[] {
  const reasons: string[] = [];
  if (input.nps != null && input.nps <= input.npsAtOrBelow)
    reasons.push(`NPS ${input.nps} (alert at ${input.npsAtOrBelow} or below)`);
  if (input.strongNegativeComment) reasons.push('strongly negative comment');
  return reasons;
}

/** The cell a survey is counted in: its subject's service day, channel and team. */
export function subjectCell(subject: {
  serviceDay: string;
  channel: string;
  team?: string | undefined;
}): AggregateCell {
  return { day: subject.serviceDay, channel: subject.channel, team: subject.team ?? NO_TEAM };
}

/** Why a survey the follow-up job owed a subject was not sent (`surveys.skipped` in /metrics). */
export type InvitationSkip = 'throttled' | 'no_consent' | 'no_contact';

/**
 * An invitation counts toward the response rate of its subject's cell (`invitations`) and, when it
 * reaches the customer (sent, or a link handed over by staff), toward coverage as an invited subject
 * of its kind (`invited_interaction` / `invited_complaint`: the numerator of `surveys.coverageShare`,
 * whose denominator is the eligible subjects of the same kinds). A survey the follow-up job created
 * without any channel to send it on is counted as skipped instead (`survey_skipped_<reason>`).
 */
export function invitationContribution(
  cell: AggregateCell,
  subjectType: 'interaction' | 'complaint' | 'campaign',
  skipped?: Exclude<InvitationSkip, 'throttled'>,
): Contribution {
  return {
    cell,
    counters: skipped
      ? { invitations: 1, [`survey_skipped_${skipped}`]: 1 }
      : { invitations: 1, [`invited_${subjectType}`]: 1 },
  };
}

/** A survey the follow-up job could not create because the customer was surveyed lately (counted once per subject). */
export function throttledInvitationContribution(cell: AggregateCell): Contribution {
  return { cell, counters: { survey_skipped_throttled: 1 } };
}

/**
 * Each dimension's score in one answer, as the key-driver sums take it: the mean of the answered
 * scale items under the dimension (s001's standard asks 3–4 per dimension; today's form one, whose
 * mean is that answer), or the v1.1 form's scores. A dimension with no answered item is left out.
 */
export function driverScores(answers: SurveyAnswers): Partial<Record<string, number>> {
  if (!answers.questionnaire || !answers.items)
    return Object.fromEntries(
      Object.entries(answers.scores).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
    );
  const sums = new Map<string, { sum: number; n: number }>();
  for (const q of answers.shown ?? answers.questionnaire.questions) {
    const value = answers.items[q.id];
    if (q.type !== 'scale' || !q.dimension || typeof value !== 'number') continue;
    const at = sums.get(q.dimension) ?? { sum: 0, n: 0 };
    sums.set(q.dimension, { sum: at.sum + value, n: at.n + 1 });
  }
  return Object.fromEntries([...sums].map(([d, { sum, n }]) => [d, sum / n]));
}

/**
 * What a response adds to the KPIs. An invalid response adds only `responses` and
 * `invalid_responses`; a valid one adds the satisfaction, dimension, NPS, comment-category
 * and alert counters, and for a complaint's closing survey the second-round satisfaction.
 */
export function responseContribution(response: {
  cell: AggregateCell;
  subjectType: 'interaction' | 'complaint' | 'campaign';
  valid: boolean;
  answers: SurveyAnswers;
  categories: readonly string[];
  alert: boolean;
  /** A comment's sentiment: a positive one is praise (s004 表扬率), counted with its topics. */
  sentiment?: 'positive' | 'negative' | 'neutral' | undefined;
  /** The questionnaire's item counters (`answerCounters`); absent for the v1.1 form. */
  itemCounters?: Record<string, number> | undefined;
  /** The customer's groups (groups.ts): a valid answer's figures are kept again per group. */
  groups?: CustomerGroups | undefined;
}): Contribution {
  const counters: Record<string, number> = { responses: 1 };
  const { answers } = response;
  // A questionnaire without an overall or NPS question is valid without them; the v1.1 form is not.
  const needsOverall = !answers.questionnaire || answers.questionnaire.questions.some((q) => q.id === 'overall');
  const needsNps = !answers.questionnaire || answers.questionnaire.questions.some((q) => q.type === 'nps');
  if (!response.valid || (needsOverall && answers.overall == null) || (needsNps && answers.nps == null)) {
    counters.invalid_responses = 1;
    return { cell: response.cell, counters };
  }
  counters.valid_responses = 1;
  if (answers.overall != null) {
    counters.overall_sum = answers.overall;
    counters.overall_satisfied = isSatisfied(answers.overall) ? 1 : 0;
  }
  // Per item, dimension and sub-indicator (questionnaire-counters.ts, computed by the caller).
  if (response.itemCounters) Object.assign(counters, response.itemCounters);
  else
    for (const dimension of DIMENSIONS) {
      const score = answers.scores[dimension] ?? 0;
      counters[counterName('dim', dimension, 'sum')] = score;
      counters[counterName('dim', dimension, 'satisfied')] = isSatisfied(score) ? 1 : 0;
    }
  if (answers.nps != null) counters[counterName('nps', `${npsClass(answers.nps)}s`)] = 1;
  if (answers.comment?.trim()) counters.comments = 1;
  for (const category of response.categories) counters[counterName('comment_cat', category)] = 1;
  if (response.sentiment === 'positive' && answers.comment?.trim()) {
    counters.praise = 1;
    for (const category of response.categories) counters[counterName('praise_cat', category)] = 1;
  }
  // Key-driver sums (s004 关联分析): each dimension's score against overall and NPS, per answer.
  if (answers.overall != null && answers.nps != null)
    Object.assign(counters, driverCounters(driverScores(answers), answers.overall, answers.nps));
  if (response.alert) counters.negative_alerts = 1;
  // s000 负面评价 (≤ 3 %): an overall of 1–2 or a negative comment, counted once per answer.
  if (
    (answers.overall != null && answers.overall <= 2) ||
    (response.sentiment === 'negative' && answers.comment?.trim())
  )
    counters.negative = 1;
  if (response.subjectType === 'complaint' && answers.overall != null) {
    counters.complaint_survey_responses = 1;
    counters.complaint_survey_satisfied = isSatisfied(answers.overall) ? 1 : 0;
  }
  // Per questionnaire too (its `qn_<qn>__` counters, questionnaire-counters.ts qnCounter; `groupBy=questionnaire`).
  if (counters.negative && answers.questionnaire)
    counters[`qn_${answers.questionnaire.id.replace(/-/g, '_')}__negative`] = 1;
  if (response.groups) {
    // Group counters carry their own item counts: the v1.1 form counted one answer per dimension and an overall.
    const base: Record<string, number> = { ...counters };
    if (answers.overall != null) base.overall_n = 1;
    if (!response.itemCounters) for (const dimension of DIMENSIONS) base[counterName('dim', dimension, 'n')] = 1;
    Object.assign(counters, groupCounters(response.groups, base));
  }
  return { cell: response.cell, counters };
}
