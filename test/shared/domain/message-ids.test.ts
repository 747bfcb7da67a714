import { describe, expect, it } from 'vitest';
import { escalateMilestone } from '../../../shared/domain/complaints/milestones.js';
import { escalationMessages, ownerMessages } from '../../../shared/domain/complaints/notices.js';
import { invitationTask } from '../../../shared/domain/followups.js';
import { messageIds, noticeRecords, registrationNoticeTaskIds, taskIds } from '../../../shared/domain/message-ids.js';
import { aComplaint } from '../../support/builders/complaints.js';

/**
 * Every id below is written out as it was built inline before the registry existed (and as it
 * is stored today in pending tasks and the message ledger): a deploy must keep matching them,
 * or a task would be scheduled twice and a message sent twice.
 */
describe('task and message ids keep the shapes already stored, so exactly-once holds across a deploy', () => {
  it('builds every follow-up task id byte for byte as before', () => {
    expect({
      invitation: taskIds.surveyInvitation({ type: 'interaction', id: 'I-1' }),
      invitationOfSurvey: taskIds.surveyInvitation({ type: 'survey', id: 'S-1' }),
      reminder: taskIds.surveyReminder('S-1', 2),
      fanout: taskIds.fixedFanout('IMP-1'),
      fixed: taskIds.problemFixed('IMP-1', 'C-01001'),
      watch: taskIds.ensureWatch('CMP-1', 2),
      confirm: taskIds.complaintConfirmation('CMP-1', 2),
      customer: taskIds.customerNotice('CMP-1', 'awaiting_customer', 2),
      ownerRegistered: taskIds.ownerNotice({ complaintId: 'CMP-1', purpose: 'registered', round: 1, level: 0 }),
      ownerEscalated: taskIds.ownerNotice({ complaintId: 'CMP-1', purpose: 'escalated', round: 1, level: 2 }),
      ownerWarning: taskIds.ownerNotice({
        complaintId: 'CMP-1',
        purpose: 'deadline_warning',
        milestone: 'solution',
        round: 3,
      }),
      ownerMissed: taskIds.ownerNotice({ complaintId: 'CMP-1', purpose: 'missed', milestone: 'respond', round: 1 }),
      escalationNotice: taskIds.escalationNotice('CMP-1', 'close', 2, 1),
      suggestion: taskIds.suggestionDecision('SUG-1'),
      improvement: taskIds.improvementNotice('IMP-1', 'overdue'),
      digest: taskIds.alertDigest('2026-11-03'),
      surge: taskIds.surgeNotice('logistics', '2026-11-03'),
      goalAtRisk: taskIds.goalAtRisk('GOAL-1', 2),
    }).toEqual({
      invitation: 'invite:interaction:I-1',
      invitationOfSurvey: 'invite:survey:S-1',
      reminder: 'remind:S-1:2',
      fanout: 'fanout:IMP-1',
      fixed: 'fixed:IMP-1:C-01001',
      watch: 'watch:complaint:CMP-1:r2',
      confirm: 'confirm:CMP-1:2',
      customer: 'notify:customer:CMP-1:awaiting_customer:r2',
      ownerRegistered: 'notify:owner:CMP-1:registered:r1',
      ownerEscalated: 'notify:owner:CMP-1:escalated:l2:r1',
      ownerWarning: 'notify:owner:CMP-1:deadline_warning:solution:r3',
      ownerMissed: 'notify:owner:CMP-1:missed:respond:r1',
      escalationNotice: 'notice:complaint:CMP-1:close:r2:l1',
      suggestion: 'notify:suggestion:SUG-1:decision',
      improvement: 'notify:improvement:IMP-1:overdue',
      digest: 'digest:alerts:2026-11-03',
      surge: 'notify:surge:logistics:2026-11-03',
      goalAtRisk: 'notify:goal:GOAL-1:at_risk:2',
    });
    expect(registrationNoticeTaskIds('CMP-1', 1)).toEqual([
      'notify:customer:CMP-1:acknowledged:r1',
      'notify:owner:CMP-1:registered:r1',
    ]);
  });

  it('builds every message id (the ledger key) byte for byte as before', () => {
    expect({
      followUp: messageIds.followUp('notify:customer:CMP-1:acknowledged:r1'),
      escalation: messageIds.escalationNotice('CMP-1', 'respond', 1, 'sms'),
      ownerRegistered: messageIds.ownerNotice(
        { complaintId: 'CMP-1', purpose: 'registered', round: 1, level: 0 },
        'email',
      ),
      ownerEscalated: messageIds.ownerNotice({ complaintId: 'CMP-1', purpose: 'escalated', round: 2, level: 1 }, 'sms'),
      ownerWarning: messageIds.ownerNotice(
        { complaintId: 'CMP-1', purpose: 'deadline_warning', milestone: 'respond', round: 1, level: 0 },
        'email',
      ),
      ownerMissed: messageIds.ownerNotice(
        { complaintId: 'CMP-1', purpose: 'missed', milestone: 'close', round: 2, level: 1 },
        'sms',
      ),
      digest: messageIds.alertDigest('2026-11-03', 'f1ngerpr1nt'),
      atRisk: messageIds.atRiskDigest('f1ngerpr1nt', 'c0ntacts'),
      report: messageIds.monthlyReport('2026-10'),
      summary: messageIds.complaintSummary('2026-W44'),
    }).toEqual({
      followUp: 'followup:notify:customer:CMP-1:acknowledged:r1',
      escalation: 'escalation-CMP-1-respond-l1-sms',
      ownerRegistered: 'owner-CMP-1-registered-r1-email',
      ownerEscalated: 'owner-CMP-1-escalated-l1-r2-sms',
      ownerWarning: 'owner-CMP-1-deadline_warning-respond-r1-email',
      ownerMissed: 'owner-CMP-1-missed-close-r2-sms',
      digest: 'alert-digest-2026-11-03-f1ngerpr1nt',
      atRisk: 'at-risk-digest-f1ngerpr1nt-c0ntacts',
      report: 'report-2026-10@careloop',
      summary: 'complaint-summary-2026-W44@careloop',
    });
    expect([
      noticeRecords.ownerNotified('owner-CMP-1-registered-r1-email'),
      noticeRecords.ownerNotReached('notify:owner:CMP-1:registered:r1'),
      noticeRecords.customerNotified('notify:customer:CMP-1:acknowledged:r1'),
    ]).toEqual([
      'owner_notified#owner-CMP-1-registered-r1-email',
      'owner_notified#notify:owner:CMP-1:registered:r1',
      'customer_notified#notify:customer:CMP-1:acknowledged:r1',
    ]);
  });

  it('is what the domain puts on the notices it builds, so the workflow and the job send the same ids', () => {
    const complaint = { ...aComplaint({ severity: 'high' }, { id: 'CMP-9' }), round: 2, escalationLevel: 1 };
    const contact = { email: 'owner@example.com', phone: '+8613800000000' };
    expect(escalationMessages(complaint, 'respond', 1, contact, 'Asia/Shanghai').map((m) => m.id)).toEqual([
      'escalation-CMP-9-respond-l1-email',
      'escalation-CMP-9-respond-l1-sms',
    ]);
    const missed = ownerMessages(
      complaint,
      'missed',
      { role: 'supervisor', contact },
      { timeZone: 'Asia/Shanghai', now: new Date('2026-11-03T02:00:00Z'), actor: 'system', milestone: 'solution' },
    );
    expect(missed.map(({ message }) => message.id)).toEqual([
      'owner-CMP-9-missed-solution-r2-email',
      'owner-CMP-9-missed-solution-r2-sms',
    ]);
    expect(missed.map(({ entry }) => entry.detail.messageId)).toEqual(missed.map(({ message }) => message.id));
    const step = escalateMilestone(
      { ...complaint, escalationLevel: 0 },
      'respond',
      2,
      new Date('2026-11-03T02:00:00Z'),
      () => ['sms'],
    );
    expect(step.timeline[0]?.detail.notified).toEqual([
      { role: expect.any(String), channel: 'sms', messageId: 'escalation-CMP-9-respond-l1-sms' },
    ]);
    expect(invitationTask({ type: 'complaint', id: 'CMP-9' }, new Date(), new Date())?.id).toBe(
      'invite:complaint:CMP-9',
    );
  });
});
