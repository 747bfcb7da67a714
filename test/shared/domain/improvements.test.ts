import { describe, expect, it } from 'vitest';
import {
  assertImprovementTransition,
  decideSuggestion,
  deliverSuggestion,
  type ImprovementStatus,
  isOverdue,
  suggestionTimeliness,
  verificationWindows,
} from '../../../shared/domain/improvements.js';

describe('improvement action lifecycle', () => {
  const allowed: Array<[ImprovementStatus, ImprovementStatus]> = [
    ['planned', 'in_progress'],
    ['in_progress', 'done'],
    ['done', 'verified'],
    ['done', 'in_progress'],
  ];
  it.each(allowed)('allows %s → %s', (from, to) => expect(() => assertImprovementTransition(from, to)).not.toThrow());

  const refused: Array<[ImprovementStatus, ImprovementStatus]> = [
    ['planned', 'done'],
    ['planned', 'verified'],
    ['in_progress', 'verified'],
    ['in_progress', 'planned'],
    ['verified', 'in_progress'],
    ['verified', 'done'],
  ];
  it.each(refused)('refuses %s → %s with a 409', (from, to) =>
    expect(() => assertImprovementTransition(from, to)).toThrow(expect.objectContaining({ status: 409 })),
  );

  it('is overdue past its due date only while not done', () => {
    expect(isOverdue({ dueDate: '2026-11-01', status: 'in_progress' }, '2026-11-02')).toBe(true);
    expect(isOverdue({ dueDate: '2026-11-02', status: 'planned' }, '2026-11-02')).toBe(false);
    expect(isOverdue({ dueDate: '2026-11-01', status: 'done' }, '2026-11-20')).toBe(false);
  });

  it('compares the 30 days before work started with the 30 days after it was done, cut at today', () => {
    expect(verificationWindows('2026-10-01', '2026-10-10', '2026-10-20')).toEqual({
      before: { from: '2026-09-01', to: '2026-09-30' },
      after: { from: '2026-10-10', to: '2026-10-20' },
    });
  });
});

describe('customer suggestions (s000 需求管理)', () => {
  const submitted = { status: 'submitted' as const, submittedOn: '2026-11-02' };

  it('needs a reason to reject, and notes whether it came within 3 days', () => {
    expect(() => decideSuggestion(submitted, { decision: 'rejected' }, '2026-11-03')).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    expect(decideSuggestion(submitted, { decision: 'rejected', reason: 'out of scope' }, '2026-11-05')).toMatchObject({
      status: 'rejected',
      answeredInTime: true,
    });
    expect(decideSuggestion(submitted, { decision: 'rejected', reason: 'out of scope' }, '2026-11-06')).toMatchObject({
      answeredInTime: false,
    });
  });

  it('adopts with a delivery date within a month, defaulting to a month', () => {
    expect(decideSuggestion(submitted, { decision: 'adopted' }, '2026-11-03')).toMatchObject({
      status: 'adopted',
      plannedFor: '2026-12-04',
      deliverBy: '2026-12-04',
    });
    expect(() => decideSuggestion(submitted, { decision: 'adopted', plannedFor: '2027-01-15' }, '2026-11-03')).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });

  it('decides once', () => {
    expect(() =>
      decideSuggestion({ status: 'rejected', submittedOn: '2026-11-02' }, { decision: 'adopted' }, '2026-11-03'),
    ).toThrow(expect.objectContaining({ status: 409 }));
  });

  it('delivers only adopted suggestions and judges timeliness against the s000 rules', () => {
    expect(() => deliverSuggestion({ status: 'submitted' }, '2026-11-03')).toThrow(
      expect.objectContaining({ status: 409 }),
    );
    expect(deliverSuggestion({ status: 'adopted', deliverBy: '2026-12-04' }, '2026-12-01')).toMatchObject({
      deliveredInTime: true,
    });
    expect(suggestionTimeliness({ ...submitted }, '2026-11-04')).toBe('pending');
    expect(suggestionTimeliness({ ...submitted }, '2026-11-06')).toBe('late');
    expect(
      suggestionTimeliness({ status: 'adopted', submittedOn: '2026-11-02', deliverBy: '2026-12-04' }, '2026-12-05'),
    ).toBe('late');
    expect(
      suggestionTimeliness(
        { status: 'delivered', submittedOn: '2026-11-02', deliverBy: '2026-12-04', deliveredOn: '2026-12-01' },
        '2026-12-10',
      ),
    ).toBe('on_time');
  });
});
