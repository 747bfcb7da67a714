/** Builders for customers and surveys: override only what a test is about. */
import type { SurveyAnswers } from '../../../shared/domain/surveys.js';
import type { PutCustomerBody } from '../../../shared/schemas/customers.js';
import type { SubmitSurveyResponseBody } from '../../../shared/schemas/surveys.js';

export function aCustomer(overrides: Partial<PutCustomerBody> = {}): PutCustomerBody {
  return {
    name: '王小明',
    phone: '+8613812345678',
    email: 'wang.xiaoming@example.com',
    preferredChannel: 'sms',
    language: 'zh',
    tier: 'gold',
    consent: { sms: true, email: true },
    ...overrides,
  };
}

/** A plausible, valid answer: mostly satisfied, a passive NPS. */
export function aSurveyResponse(overrides: Partial<SubmitSurveyResponseBody> = {}): SubmitSurveyResponseBody {
  return {
    scores: { responsiveness: 4, professionalism: 5, attitude: 5, resolution: 4, convenience: 4 },
    overall: 4,
    nps: 8,
    ...overrides,
  };
}

/** The same, as the domain sees it (unanswered questions are null). */
export function answers(overrides: Partial<SurveyAnswers> & { every?: number } = {}): SurveyAnswers {
  const { every, ...rest } = overrides;
  const score = every ?? null;
  return {
    scores:
      every === undefined
        ? { responsiveness: 4, professionalism: 5, attitude: 5, resolution: 4, convenience: 4 }
        : { responsiveness: score, professionalism: score, attitude: score, resolution: score, convenience: score },
    overall: every ?? 4,
    nps: 8,
    ...rest,
  };
}
