/**
 * Improvement actions (s002 改进措施与责任分工) and customer suggestions (s000 需求管理):
 * their lifecycles, overdue rules and the s000 timeliness rules, as pure functions.
 */
import { IMPROVEMENT_STATUSES } from '../schemas/vocabulary.js';
import { Conflict, Invalid } from './errors.js';
import { addDays, startOfLocalDay } from './time.js';

/** `draft`: proposed by the system (a complaint surge's special assessment) until a manager plans it. */
export { IMPROVEMENT_STATUSES };
export type ImprovementStatus = (typeof IMPROVEMENT_STATUSES)[number];

/** Forward one step at a time; a done action whose effect did not show may go back to work. */
const NEXT: Record<ImprovementStatus, ImprovementStatus[]> = {
  draft: ['planned'],
  planned: ['in_progress'],
  in_progress: ['done'],
  done: ['verified', 'in_progress'],
  verified: [],
};

export function assertImprovementTransition(from: ImprovementStatus, to: ImprovementStatus): void {
  if (from === to) return;
  if (!NEXT[from].includes(to))
    throw new Conflict(
      `An improvement action cannot go from ${from} to ${to}; next: ${NEXT[from].join(', ') || 'none (verified is final)'}.`,
    );
}

/** Past its due date (in the settings' zone) and not yet done. */
export function isOverdue(action: { dueDate: string; status: ImprovementStatus }, today: string): boolean {
  return (action.status === 'planned' || action.status === 'in_progress') && action.dueDate < today;
}

/** The instant an action still open falls overdue: the start of the day after its due date, in the zone (isOverdue). */
export function overdueFrom(dueDate: string, timeZone: string): Date {
  return startOfLocalDay(addDays(dueDate, 1), timeZone);
}

/**
 * The windows verification compares (s002 对比改进前后数据): the `days` before work started,
 * and the `days` after it was done (cut at today).
 */
export function verificationWindows(startedOn: string, doneOn: string, today: string, days = 30) {
  const before = { from: addDays(startedOn, -days), to: addDays(startedOn, -1) };
  const afterEnd = addDays(doneOn, days - 1);
  const after = { from: doneOn, to: afterEnd < today ? afterEnd : today };
  return { before, after };
}

export type SuggestionStatus = 'submitted' | 'adopted' | 'rejected' | 'delivered';

/** s000: a rejection is explained within 3 days; an adopted suggestion is delivered within a month. */
export const REJECTION_ANSWER_DAYS = 3;
export const ADOPTION_DELIVERY_DAYS = 31;

export function decideSuggestion(
  suggestion: { status: SuggestionStatus; submittedOn: string },
  decision: { decision: 'adopted' | 'rejected'; reason?: string | undefined; plannedFor?: string | undefined },
  today: string,
) {
  if (suggestion.status !== 'submitted') throw new Conflict(`This suggestion was already ${suggestion.status}.`);
  if (decision.decision === 'rejected') {
    if (!decision.reason?.trim())
      throw Invalid.field('reason', 'is required when a suggestion is rejected', 'required');
    return {
      status: 'rejected' as const,
      decidedOn: today,
      answeredInTime: today <= addDays(suggestion.submittedOn, REJECTION_ANSWER_DAYS),
    };
  }
  const deliverBy = addDays(today, ADOPTION_DELIVERY_DAYS);
  const plannedFor = decision.plannedFor ?? deliverBy;
  if (plannedFor > deliverBy)
    throw Invalid.field('plannedFor', `must be within a month of the decision (by ${deliverBy})`);
  if (plannedFor < today) throw Invalid.field('plannedFor', 'must not be in the past');
  return { status: 'adopted' as const, decidedOn: today, plannedFor, deliverBy };
}

export function deliverSuggestion(suggestion: { status: SuggestionStatus; deliverBy?: string }, today: string) {
  if (suggestion.status !== 'adopted')
    throw new Conflict(`Only an adopted suggestion can be delivered; this one is ${suggestion.status}.`);
  return {
    status: 'delivered' as const,
    deliveredOn: today,
    deliveredInTime: suggestion.deliverBy ? today <= suggestion.deliverBy : true,
  };
}

/** Where a suggestion stands against the s000 deadlines today (for lists and the report). */
export function suggestionTimeliness(
  s: { status: SuggestionStatus; submittedOn: string; decidedOn?: string; deliverBy?: string; deliveredOn?: string },
  today: string,
): 'on_time' | 'late' | 'pending' {
  if (s.status === 'submitted') return today > addDays(s.submittedOn, REJECTION_ANSWER_DAYS) ? 'late' : 'pending';
  if (s.status === 'rejected')
    return s.decidedOn && s.decidedOn <= addDays(s.submittedOn, REJECTION_ANSWER_DAYS) ? 'on_time' : 'late';
  if (s.status === 'adopted') return s.deliverBy && today > s.deliverBy ? 'late' : 'pending';
  return s.deliveredOn && s.deliverBy && s.deliveredOn <= s.deliverBy ? 'on_time' : 'late';
}
