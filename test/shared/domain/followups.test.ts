import { describe, expect, it } from 'vitest';
import {
  chooseChannel,
  customerNotice,
  followUpMessage,
  improvementNotice,
  invitationTask,
  MAX_SMS_SEGMENTS,
  type MessageKind,
  retryDelayMs,
  smsSegments,
} from '../../../shared/domain/followups.js';
import { overdueFrom } from '../../../shared/domain/improvements.js';

const customer = {
  preferredChannel: 'sms' as const,
  consent: { sms: true, email: true },
  phone: '+8613812345678',
  email: 'a@example.com',
};

describe('choosing the channel', () => {
  it('uses the preferred channel when it has consent and an address', () => {
    expect(chooseChannel(customer)).toEqual({ channel: 'sms', address: '+8613812345678' });
  });
  it('falls back to the other channel without consent, a bounce or an address', () => {
    expect(chooseChannel({ ...customer, consent: { sms: false, email: true } })).toMatchObject({ channel: 'email' });
    expect(chooseChannel({ ...customer, undeliverable: { sms: true } })).toMatchObject({ channel: 'email' });
    expect(chooseChannel({ ...customer, phone: undefined })).toMatchObject({ channel: 'email' });
  });
  it('says why nobody can be reached', () => {
    expect(chooseChannel({ ...customer, consent: { sms: false, email: false } })).toEqual({
      channel: null,
      reason: 'no_consent',
    });
    expect(chooseChannel({ ...customer, phone: undefined, email: undefined })).toEqual({
      channel: null,
      reason: 'no_deliverable_address',
    });
  });
});

describe('message texts', () => {
  const url = 'https://survey.example.com/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  it.each(['survey_invitation', 'survey_reminder', 'problem_fixed'] as MessageKind[])(
    'fits a %s into one English SMS segment',
    (kind) => {
      const { text } = followUpMessage({ kind, language: 'en', url, category: 'delivery' });
      expect(smsSegments(text), text).toBe(1);
    },
  );

  it('fits Chinese messages into one segment, or two when a survey link must ride along (70 characters a segment)', () => {
    expect(smsSegments(followUpMessage({ kind: 'problem_fixed', language: 'zh', category: 'delivery' }).text)).toBe(1);
    for (const kind of ['survey_invitation', 'survey_reminder'] as MessageKind[])
      expect(smsSegments(followUpMessage({ kind, language: 'zh', url }).text)).toBeLessThanOrEqual(2);
  });
  it('counts Chinese SMS at 70 characters a segment and GSM text at 160', () => {
    expect(smsSegments('好'.repeat(70))).toBe(1);
    expect(smsSegments('好'.repeat(71))).toBe(2);
    expect(smsSegments('a'.repeat(160))).toBe(1);
  });
});

describe('timing', () => {
  const resolved = new Date('2026-11-10T02:00:00Z');
  it('invites half an hour after resolution, within the 24 h call-back window only', () => {
    expect(invitationTask({ type: 'interaction', id: 'I1' }, resolved, resolved)?.dueAt).toBe(
      '2026-11-10T02:30:00.000Z',
    );
    expect(
      invitationTask({ type: 'interaction', id: 'I1' }, resolved, new Date('2026-11-11T02:00:01Z')),
    ).toBeUndefined();
  });
  it('backs off 2, 10 and 50 minutes between attempts', () => {
    expect([1, 2, 3].map((n) => retryDelayMs(n) / 60_000)).toEqual([2, 10, 50]);
  });
});

describe("a complaint's customer notices", () => {
  const complaintId = '01JC0ZQ8M3Y7D5T2N4K6P80001';
  const reasons = [
    'information_requested',
    'customer_unreachable',
    'customer_requested_delay',
    'site_visit_scheduled',
    'third_party',
    'other',
  ];
  const notices = (language: 'zh' | 'en') => [
    customerNotice({ stage: 'acknowledged', language, complaintId, respondBy: '11-10 11:00' }),
    ...reasons.map((reason) => customerNotice({ stage: 'awaiting_customer', language, complaintId, reason })),
    customerNotice({ stage: 'solution_proposed', language, complaintId, solution: '换货'.repeat(2000) }),
    customerNotice({ stage: 'solution_proposed', language, complaintId, solution: 'Replace it. '.repeat(300) }),
  ];

  it.each(['zh', 'en'] as const)('keeps every %s SMS within two segments (70 UCS-2 characters each)', (language) => {
    for (const notice of notices(language)) expect(smsSegments(notice.sms), notice.sms).toBeLessThanOrEqual(2);
    expect(MAX_SMS_SEGMENTS).toBe(2);
  });

  it('cuts a long solution in the SMS only, as far as two segments allow; the email carries all of it', () => {
    const solution = '我们将为您免费更换新品，并退还运费。'.repeat(20);
    const notice = customerNotice({ stage: 'solution_proposed', language: 'zh', complaintId, solution });
    expect(notice.text).toContain(solution);
    expect(notice.sms.endsWith('…')).toBe(true);
    expect(smsSegments(notice.sms)).toBe(2);
    // One character more would take a third segment.
    expect(smsSegments(`${notice.sms}好`)).toBe(3);
    const short = customerNotice({ stage: 'solution_proposed', language: 'zh', complaintId, solution: '免费换新' });
    expect(short.sms).toBe(`投诉${complaintId}的解决方案：免费换新`);
  });

  it('says the complaint number and when to expect a response', () => {
    const zh = customerNotice({ stage: 'acknowledged', language: 'zh', complaintId, respondBy: '11-10 11:00' });
    expect(zh.sms).toBe(`您的投诉已受理，编号${complaintId}。我们将在11-10 11:00前回复您。`);
    expect(smsSegments(zh.sms)).toBe(1);
  });
});

describe('improvement notices', () => {
  const improvement = {
    id: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV',
    problem: `包裹在分拣中心滞留一天以上，客户多次投诉。${'原因包括夜班人手不足、系统排班冲突。'.repeat(8)}`,
    measure: 'Second sorting shift',
    department: 'logistics',
    ownerId: 'mgr-lin',
    dueDate: '2026-11-12',
    verification: { metric: 'closedInTime', before: 0.8, after: 0.93 },
  };
  it('fit an SMS in two segments however long the problem, and say what happened in the subject', () => {
    for (const purpose of ['created', 'overdue', 'verified'] as const) {
      const notice = improvementNotice({ purpose, improvement });
      expect(smsSegments(notice.sms), notice.sms).toBeLessThanOrEqual(2);
      expect(notice.sms.endsWith('。')).toBe(true);
      expect(notice.subject).toContain(improvement.id);
      // The email carries the whole problem.
      expect(notice.text).toContain(improvement.problem);
    }
    expect(improvementNotice({ purpose: 'overdue', improvement }).subject).toContain('overdue (due 2026-11-12)');
    expect(improvementNotice({ purpose: 'verified', improvement }).text).toContain('0.8 before, 0.93 after');
  });

  it('fall overdue at the start of the day after the due date, in the zone', () => {
    expect(overdueFrom('2026-11-12', 'Asia/Shanghai').toISOString()).toBe('2026-11-12T16:00:00.000Z');
  });
});
