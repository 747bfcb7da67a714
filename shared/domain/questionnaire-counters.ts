/**
 * The answer counters of questionnaires (pre-aggregated, flat in the number of answers), written
 * with every valid response in the same cells as the other KPI counters, and the readers that
 * turn summed cells back into figures. Names: /work/notes/questionnaire-counters.md.
 *
 * - `dim_<d>_sum`, `dim_<d>_satisfied`, `dim_<d>_n`: the scale answers under dimension d.
 *   A valid response stored before questionnaires existed added one answer to each of the five
 *   service dimensions and no `_n`; `itemized_responses` counts the responses that add `_n`, so
 *   n(d) = dim_<d>_n + (valid_responses − itemized_responses) for the five: no migration.
 * - `sub_<d>__<s>_sum|_satisfied|_n`: the same per sub-indicator.
 * - `qn_<qn>__<figure>`: per questionnaire (its valid responses, overall, NPS, dimensions).
 * - `qd_<qn>_v<v>__<question>__<point|choice|n>`: per question, its distribution.
 */

import type { Counters } from './aggregates.js';
import { type Answers, LEGACY_QUESTIONNAIRE, type PublishedQuestionnaire, roles } from './questionnaires.js';
import { isSatisfied, npsClass } from './surveys.js';

/** A questionnaire id as it appears in a counter name (ids are kebab-case: `-` → `_` is one-to-one). */
export const qnKey = (id: string) => id.replace(/-/g, '_');

export const dimCounter = (d: string, part: 'sum' | 'satisfied' | 'n') => `dim_${d}_${part}`;
export const subCounter = (d: string, s: string, part: 'sum' | 'satisfied' | 'n') => `sub_${d}__${s}_${part}`;
export const qnCounter = (id: string, figure: string) => `qn_${qnKey(id)}__${figure}`;
export const qdCounter = (id: string, version: number, question: string, point: string | number) =>
  `qd_${qnKey(id)}_v${version}__${question}__${point}`;

/** The counters a valid response adds for its questionnaire's items (beside responses/valid_responses, added by the caller). */
export function answerCounters(questionnaire: PublishedQuestionnaire, answers: Answers): Counters {
  const c: Counters = { itemized_responses: 1 };
  const add = (name: string, value: number) => {
    c[name] = (c[name] ?? 0) + value;
  };
  const qn = questionnaire.id;
  add(qnCounter(qn, 'valid_responses'), 1);
  for (const q of questionnaire.questions) {
    const value = answers[q.id];
    if (value === undefined || value === null || value === '') continue;
    if (q.type === 'scale' && typeof value === 'number') {
      if (q.dimension) {
        add(dimCounter(q.dimension, 'sum'), value);
        add(dimCounter(q.dimension, 'n'), 1);
        add(dimCounter(q.dimension, 'satisfied'), isSatisfied(value) ? 1 : 0);
        add(qnCounter(qn, dimCounter(q.dimension, 'sum')), value);
        add(qnCounter(qn, dimCounter(q.dimension, 'n')), 1);
        if (q.subIndicator) {
          add(subCounter(q.dimension, q.subIndicator, 'sum'), value);
          add(subCounter(q.dimension, q.subIndicator, 'n'), 1);
          add(subCounter(q.dimension, q.subIndicator, 'satisfied'), isSatisfied(value) ? 1 : 0);
        }
      }
      add(qdCounter(qn, questionnaire.version, q.id, value), 1);
      add(qdCounter(qn, questionnaire.version, q.id, 'n'), 1);
    } else if (q.type === 'nps' && typeof value === 'number') {
      add(qdCounter(qn, questionnaire.version, q.id, value), 1);
      add(qdCounter(qn, questionnaire.version, q.id, 'n'), 1);
    } else if (q.type === 'single' && typeof value === 'string') {
      add(qdCounter(qn, questionnaire.version, q.id, value), 1);
      add(qdCounter(qn, questionnaire.version, q.id, 'n'), 1);
    } else if (q.type === 'multi' && Array.isArray(value)) {
      for (const choice of value) add(qdCounter(qn, questionnaire.version, q.id, choice), 1);
      add(qdCounter(qn, questionnaire.version, q.id, 'n'), 1);
    } else if (q.type === 'text' && typeof value === 'string' && value.trim()) {
      add(qdCounter(qn, questionnaire.version, q.id, 'n'), 1);
    }
  }
  const { overall, nps } = roles(questionnaire.questions);
  const overallValue = overall ? answers[overall.id] : undefined;
  if (typeof overallValue === 'number') {
    add('overall_n', 1);
    add(qnCounter(qn, 'overall_sum'), overallValue);
    add(qnCounter(qn, 'overall_n'), 1);
    add(qnCounter(qn, 'overall_satisfied'), isSatisfied(overallValue) ? 1 : 0);
  }
  const npsValue = nps ? answers[nps.id] : undefined;
  if (typeof npsValue === 'number') add(qnCounter(qn, `nps_${npsClass(npsValue)}s`), 1);
  return c;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** Answers stored before questionnaires existed: one per service dimension each. */
export const legacyResponses = (c: Counters) => Math.max(0, (c.valid_responses ?? 0) - (c.itemized_responses ?? 0));

// Dimension and sub-indicator figures are read by analysis.ts (one reader for /metrics and the reports).
export { dimensionStats, subIndicatorStats } from './analysis.js';

/** Per question of one questionnaire version: answered count and count per point or choice. */
export function questionDistribution(
  c: Counters,
  questionnaire: PublishedQuestionnaire,
): Array<{ questionId: string; type: string; answered: number; counts: Record<string, number> }> {
  return questionnaire.questions.map((q) => {
    const points =
      q.type === 'scale'
        ? ['1', '2', '3', '4', '5']
        : q.type === 'nps'
          ? Array.from({ length: 11 }, (_, i) => String(i))
          : (q.choices ?? []).map((choice) => choice.id);
    const counts = Object.fromEntries(
      points.map((p) => [p, c[qdCounter(questionnaire.id, questionnaire.version, q.id, p)] ?? 0]),
    );
    return {
      questionId: q.id,
      type: q.type,
      answered: c[qdCounter(questionnaire.id, questionnaire.version, q.id, 'n')] ?? 0,
      counts,
    };
  });
}

/**
 * One questionnaire's own figures. `service-transaction` also owns every answer stored before
 * questionnaires existed (they carry no `qn_` counters): its figures add those.
 */
export function questionnaireStats(c: Counters, id: string) {
  const legacy = id === LEGACY_QUESTIONNAIRE.id ? legacyCounters(c) : undefined;
  const get = (figure: string) => (c[qnCounter(id, figure)] ?? 0) + (legacy?.[figure] ?? 0);
  const valid = get('valid_responses');
  const overallN = get('overall_n');
  const [promoters, passives, detractors] = [get('nps_promoters'), get('nps_passives'), get('nps_detractors')];
  const npsTotal = promoters + passives + detractors;
  return {
    validResponses: valid,
    csat: overallN ? round2(get('overall_sum') / overallN) : null,
    satisfiedShare: overallN ? round4(get('overall_satisfied') / overallN) : null,
    nps: {
      score: npsTotal ? Math.round(((promoters - detractors) / npsTotal) * 1000) / 10 : null,
      promoters,
      passives,
      detractors,
    },
  };
}

/** What the answers stored before questionnaires existed add up to (all of them service-transaction). */
function legacyCounters(c: Counters): Counters {
  const legacy = legacyResponses(c);
  if (!legacy) return {};
  // Totals minus every questionnaire's own share: what is left are the legacy answers.
  const minus = (total: string, figure: string) => {
    let own = 0;
    for (const [name, value] of Object.entries(c))
      if (name.startsWith('qn_') && name.endsWith(`__${figure}`)) own += value;
    return (c[total] ?? 0) - own;
  };
  return {
    valid_responses: legacy,
    overall_sum: minus('overall_sum', 'overall_sum'),
    overall_n: legacy,
    overall_satisfied: minus('overall_satisfied', 'overall_satisfied'),
    nps_promoters: minus('nps_promoters', 'nps_promoters'),
    nps_passives: minus('nps_passives', 'nps_passives'),
    nps_detractors: minus('nps_detractors', 'nps_detractors'),
  };
}
