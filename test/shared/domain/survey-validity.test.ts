import { describe, expect, it } from 'vitest';
import { assessValidity, negativeFeedbackReasons, type ValidityContext } from '../../../shared/domain/surveys.js';
import { at } from '../../support/builders/interactions.js';
import { answers } from '../../support/builders/surveys.js';

const openedAt = at('2026-11-03T08:00:00Z');
const context = (overrides: Partial<ValidityContext> = {}): ValidityContext => ({
  openedAt,
  submittedAt: at('2026-11-03T08:01:30Z'),
  minAnswerSeconds: 10,
  ...overrides,
});
const codes = (result: ReturnType<typeof assessValidity>) => result.flags.map((f) => f.code);

describe('survey validity (s002 剔除无效问卷)', () => {
  it('accepts a complete, varied answer given at a human pace', () => {
    expect(assessValidity(answers(), context())).toEqual({ valid: true, flags: [] });
  });

  it('flags missing key fields and names each one', () => {
    const result = assessValidity(
      answers({
        scores: { responsiveness: 4, professionalism: null, attitude: 5, resolution: 4, convenience: null },
        nps: null,
      }),
      context(),
    );
    expect(result.valid).toBe(false);
    expect(codes(result)).toEqual(['missing_key_fields']);
    expect(result.flags[0]!.reason).toContain('scores.professionalism');
    expect(result.flags[0]!.reason).toContain('scores.convenience');
    expect(result.flags[0]!.reason).toContain('nps');
  });

  it('flags all 5s contradicted by a detractor NPS', () => {
    const result = assessValidity(answers({ every: 5, nps: 2 }), context());
    expect(codes(result)).toEqual(['straight_lining']);
    expect(result.flags[0]!.reason).toBe('Every score is 5, contradicted by an NPS of 2.');
  });

  it('flags all 1s contradicted by a promoter NPS', () => {
    expect(codes(assessValidity(answers({ every: 1, nps: 10 }), context()))).toEqual(['straight_lining']);
  });

  it('flags all 5s contradicted by a complaining comment, and all 1s by praise', () => {
    expect(codes(assessValidity(answers({ every: 5, nps: 9 }), context({ commentSentiment: 'negative' })))).toEqual([
      'straight_lining',
    ]);
    expect(codes(assessValidity(answers({ every: 1, nps: 1 }), context({ commentSentiment: 'positive' })))).toEqual([
      'straight_lining',
    ]);
  });

  it('keeps consistent straight answers: all 5s with NPS 10, all 1s with NPS 0, all 3s with NPS 5', () => {
    expect(assessValidity(answers({ every: 5, nps: 10 }), context({ commentSentiment: 'positive' })).valid).toBe(true);
    expect(assessValidity(answers({ every: 1, nps: 0 }), context({ commentSentiment: 'negative' })).valid).toBe(true);
    expect(assessValidity(answers({ every: 3, nps: 5 }), context()).valid).toBe(true);
  });

  it('does not call varied answers straight-lining whatever the NPS', () => {
    expect(assessValidity(answers({ nps: 0 }), context()).valid).toBe(true);
  });

  it('flags an answer submitted faster than the form can be read after it was opened', () => {
    const result = assessValidity(answers(), context({ submittedAt: at('2026-11-03T08:00:04Z') }));
    expect(codes(result)).toEqual(['too_fast']);
    expect(result.flags[0]!.reason).toContain('4 s after the form was opened');
    expect(assessValidity(answers(), context({ submittedAt: at('2026-11-03T08:00:10Z') })).valid).toBe(true);
  });

  it('flags an answer posted without the form ever being opened', () => {
    expect(codes(assessValidity(answers(), context({ openedAt: undefined })))).toEqual(['too_fast']);
  });

  it('reports every rule an answer breaks', () => {
    const result = assessValidity(answers({ every: 5, nps: 0, overall: null }), context({ submittedAt: openedAt }));
    expect(codes(result)).toEqual(['missing_key_fields', 'too_fast']);
  });
});

describe('negative-feedback alert', () => {
  it('is raised for an NPS of 3 or below', () => {
    expect(negativeFeedbackReasons({ nps: 3, strongNegativeComment: false, npsAtOrBelow: 3 })).toEqual([
      'NPS 3 (alert at 3 or below)',
    ]);
    expect(negativeFeedbackReasons({ nps: 4, strongNegativeComment: false, npsAtOrBelow: 3 })).toEqual([]);
  });

  it('is raised for a strongly negative comment whatever the NPS', () => {
    expect(negativeFeedbackReasons({ nps: 9, strongNegativeComment: true, npsAtOrBelow: 3 })).toEqual([
      'strongly negative comment',
    ]);
  });
});
