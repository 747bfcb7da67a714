import { describe, expect, it } from 'vitest';
import { contributionDelta } from '../../../../shared/domain/aggregates.js';
import {
  applyComplaintEvent,
  complaintContribution,
  complaintContributions,
  type EventContext,
  findRecurrence,
  roundsOf,
} from '../../../../shared/domain/complaints/complaint.js';
import {
  checkMilestone,
  escalateMilestone,
  milestoneMetEntry,
} from '../../../../shared/domain/complaints/milestones.js';
import { escalationNotice } from '../../../../shared/domain/complaints/notices.js';
import { escalationInput, executionNameFor } from '../../../../shared/domain/complaints/workflow.js';
import { Conflict } from '../../../../shared/domain/errors.js';
import { isQuietTime, sendableAt } from '../../../../shared/domain/quiet-hours.js';
import { HOUR, MINUTE } from '../../../../shared/domain/time.js';
import type { Complaint, ComplaintEventBody } from '../../../../shared/schemas/complaints.js';
import { aComplaint, REGISTERED_AT, settingsWith } from '../../../support/builders/complaints.js';

const later = (ms: number) => new Date(REGISTERED_AT.getTime() + ms);
const context = (now: Date, actor = 'agent-7'): EventContext => ({
  actor,
  now,
  timezone: 'Asia/Shanghai',
  nextExecution: { name: 'next', arn: 'arn:next' },
});
/** Applies events one after another, each `step` after the previous one. */
function run(complaint: Complaint, events: Array<[number, ComplaintEventBody]>): Complaint {
  let current = complaint;
  for (const [offset, event] of events) current = applyComplaintEvent(current, event, context(later(offset))).complaint;
  return current;
}

const SEED_003_GRID = settingsWith((s) => {
  s.sla.policies.high = { respondMinutes: 60, solutionMinutes: 24 * 60, closeMinutes: 72 * 60, calendar: '24x7' };
  s.sla.policies.medium = { respondMinutes: 120, solutionMinutes: 48 * 60, closeMinutes: 72 * 60, calendar: '24x7' };
  s.sla.policies.low = { respondMinutes: 240, solutionMinutes: 72 * 60, closeMinutes: 96 * 60, calendar: '24x7' };
});

describe('registering a complaint', () => {
  it('gives every severity 1 h / 24 h / 72 h deadlines in calendar hours by default', () => {
    for (const severity of ['high', 'medium', 'low'] as const) {
      expect(aComplaint({ severity }).deadlines).toEqual({
        respondBy: '2026-11-03T03:00:00.000Z',
        solutionBy: '2026-11-04T02:00:00.000Z',
        closeBy: '2026-11-06T02:00:00.000Z',
      });
    }
  });

  it('expresses the seed-003 grid: high 1 h/24 h, medium 2 h/48 h, low 4 h/72 h', () => {
    const deadlines = (severity: 'high' | 'medium' | 'low') =>
      aComplaint({ severity }, { settings: SEED_003_GRID }).deadlines;
    expect(deadlines('high')).toMatchObject({
      respondBy: '2026-11-03T03:00:00.000Z',
      solutionBy: '2026-11-04T02:00:00.000Z',
    });
    expect(deadlines('medium')).toMatchObject({
      respondBy: '2026-11-03T04:00:00.000Z',
      solutionBy: '2026-11-05T02:00:00.000Z',
    });
    expect(deadlines('low')).toMatchObject({
      respondBy: '2026-11-03T06:00:00.000Z',
      solutionBy: '2026-11-06T02:00:00.000Z',
    });
  });

  it('puts a high-severity complaint in tier 1, led by the department head, and others in tier 2 under a supervisor', () => {
    expect(aComplaint({ severity: 'high' })).toMatchObject({
      tier: 1,
      ownerRole: 'department_head',
      escalationLevel: 0,
      status: 'registered',
    });
    expect(aComplaint({ severity: 'low' })).toMatchObject({ tier: 2, ownerRole: 'supervisor' });
    expect(aComplaint({ severity: 'low', tier: 1 })).toMatchObject({ tier: 1, ownerRole: 'department_head' });
  });

  it('warns 15 minutes before each deadline by default', () => {
    expect(aComplaint().milestones.respond.warnAt).toBe('2026-11-03T02:45:00.000Z');
  });

  it('keeps its SLA terms when the settings change later', () => {
    const complaint = aComplaint();
    const changed = settingsWith((s) => {
      s.sla.policies.medium.respondMinutes = 5;
    });
    expect(complaint.sla.respondMinutes).toBe(60);
    expect(aComplaint({}, { settings: changed }).sla.respondMinutes).toBe(5);
  });

  it('counts its local registration day in the settings zone', () => {
    // 17:00Z on the 3rd is 01:00 on the 4th in Shanghai.
    expect(aComplaint({}, { at: new Date('2026-11-03T17:00:00Z') }).serviceDay).toBe('2026-11-04');
  });

  it('carries what an auditor needs into the workflow input, without personal data', () => {
    const input = escalationInput(aComplaint({ severity: 'high', customerId: 'C-secret' }));
    expect(input).toMatchObject({ round: 1, severity: 'high', tier: 1, ladder: ['department_head', 'executive'] });
    expect(input.deadlines.respond).toEqual({ dueBy: '2026-11-03T03:00:00.000Z', warnAt: '2026-11-03T02:45:00.000Z' });
    expect(JSON.stringify(input)).not.toContain('C-secret');
    expect(JSON.stringify(input)).not.toContain('damaged');
  });
});

describe('events of the loop', () => {
  it('meets the 1 h response milestone with a response at 40 min', () => {
    const complaint = run(aComplaint(), [
      [5 * MINUTE, { type: 'assign', assigneeId: 'agent-9' }],
      [40 * MINUTE, { type: 'respond' }],
    ]);
    expect(complaint).toMatchObject({
      status: 'responded',
      assigneeId: 'agent-9',
      kpi: { respond: 'met' },
      breached: false,
      version: 3,
    });
    expect(complaint.milestones.respond).toMatchObject({ metAt: later(40 * MINUTE).toISOString(), outcome: 'met' });
  });

  it('records a response after the deadline as a miss, with a breach on the timeline', () => {
    const assigned = run(aComplaint(), [[5 * MINUTE, { type: 'assign', assigneeId: 'agent-9' }]]);
    const { complaint, timeline } = applyComplaintEvent(assigned, { type: 'respond' }, context(later(61 * MINUTE)));
    expect(complaint.kpi.respond).toBe('missed');
    expect(complaint.breached).toBe(true);
    expect(timeline.map((e) => e.type)).toEqual(['respond', 'breached']);
  });

  it('refuses an event the loop does not allow and changes nothing', () => {
    const complaint = aComplaint();
    expect(() => applyComplaintEvent(complaint, { type: 'resolve' }, context(later(MINUTE)))).toThrow(Conflict);
  });

  it('stops the clock while awaiting the customer and moves open deadlines by the paused time on resume', () => {
    const paused = run(aComplaint(), [
      [5 * MINUTE, { type: 'assign', assigneeId: 'agent-9' }],
      [20 * MINUTE, { type: 'await_customer', reason: 'customer_unreachable' }],
    ]);
    expect(paused).toMatchObject({
      status: 'awaiting_customer',
      statusBeforePause: 'assigned',
      pause: { reason: 'customer_unreachable', by: 'agent-7' },
    });
    const { complaint, timeline, pauseCredit } = applyComplaintEvent(
      paused,
      { type: 'resume' },
      context(later(3 * HOUR + 20 * MINUTE)),
    );
    expect(complaint.status).toBe('assigned');
    expect(complaint.pause).toBeUndefined();
    expect(complaint.deadlines).toEqual({
      respondBy: '2026-11-03T06:00:00.000Z',
      solutionBy: '2026-11-04T05:00:00.000Z',
      closeBy: '2026-11-06T05:00:00.000Z',
    });
    expect(complaint.milestones.respond.warnAt).toBe('2026-11-03T05:45:00.000Z');
    expect(complaint.pausedMinutes).toBe(180);
    expect(pauseCredit).toEqual({ agentId: 'agent-7', seconds: 3 * 3600, month: '2026-11' });
    expect(timeline[0]).toMatchObject({
      type: 'resume',
      detail: { pausedMinutes: 180, deadlinesMoved: { respond: '2026-11-03T06:00:00.000Z' } },
    });
  });

  it('does not move a milestone already met, nor one whose deadline had passed before the pause', () => {
    const responded = run(aComplaint(), [
      [5 * MINUTE, { type: 'assign', assigneeId: 'agent-9' }],
      [30 * MINUTE, { type: 'respond' }],
      [2 * HOUR, { type: 'await_customer', reason: 'information_requested' }],
      [4 * HOUR, { type: 'resume' }],
    ]);
    expect(responded.deadlines.respondBy).toBe('2026-11-03T03:00:00.000Z');
    expect(responded.deadlines.solutionBy).toBe('2026-11-04T04:00:00.000Z');
  });

  it('reopens with fresh deadlines counted from the reopen, in a new round, keeping the first KPI decisions', () => {
    const closed = run(aComplaint(), [
      [5 * MINUTE, { type: 'assign', assigneeId: 'agent-9' }],
      [30 * MINUTE, { type: 'respond' }],
      [5 * HOUR, { type: 'propose_solution', solution: 'Send a replacement by courier' }],
      [20 * HOUR, { type: 'resolve' }],
      [30 * HOUR, { type: 'confirm', satisfied: true }],
      [31 * HOUR, { type: 'close' }],
    ]);
    expect(closed).toMatchObject({
      status: 'closed',
      kpi: { respond: 'met', solution: 'met', close: 'met' },
      satisfied: true,
    });
    const reopened = applyComplaintEvent(
      closed,
      { type: 'reopen', note: 'Replacement also damaged' },
      context(later(100 * HOUR)),
    ).complaint;
    expect(reopened).toMatchObject({
      status: 'reopened',
      round: 2,
      kpi: { respond: 'met', solution: 'met', close: 'met' },
    });
    expect(reopened.deadlines.respondBy).toBe(later(101 * HOUR).toISOString());
    expect(reopened.milestones.respond.outcome).toBeUndefined();
    expect(reopened.closedAt).toBeUndefined();
    expect(reopened.escalation.executionName).toBe('next');
    // Its old deadlines are long past, yet the new round is not overdue.
    expect(checkMilestone(reopened, 'respond', 2, later(100 * HOUR + MINUTE)).outcome).toBe('wait');
  });
});

describe('the executions of a complaint’s rounds', () => {
  const machine = 'arn:aws:states:us-east-1:000000000000:execution:escalation:';
  it('names every round `<complaintId>-r<round>`, round 1 included', () => {
    expect([1, 2, 12].map((round) => executionNameFor('CMP', round))).toEqual(['CMP-r1', 'CMP-r2', 'CMP-r12']);
    const complaint = aComplaint({}, { id: 'CMP' });
    expect(roundsOf(complaint)).toEqual([
      { round: 1, executionName: 'CMP-r1', executionArn: `${machine}CMP-r1`, startedAt: complaint.registeredAt },
    ]);
  });

  it('gives a complaint stored before the rounds list its old names: round 1 the id alone', () => {
    const { rounds: _, ...escalation } = aComplaint({}, { id: 'CMP' }).escalation;
    const firstRound: Complaint = {
      ...aComplaint({}, { id: 'CMP' }),
      escalation: { ...escalation, executionName: 'CMP', executionArn: `${machine}CMP` },
    };
    expect(roundsOf(firstRound).map((r) => [r.executionName, r.executionArn])).toEqual([['CMP', `${machine}CMP`]]);
    const thirdRound: Complaint = {
      ...firstRound,
      round: 3,
      reopenedAt: later(200 * HOUR).toISOString(),
      escalation: { ...escalation, executionName: 'CMP-r3', executionArn: `${machine}CMP-r3` },
    };
    expect(roundsOf(thirdRound)).toEqual([
      { round: 1, executionName: 'CMP', executionArn: `${machine}CMP`, startedAt: thirdRound.registeredAt },
      { round: 2, executionName: 'CMP-r2', executionArn: `${machine}CMP-r2`, startedAt: thirdRound.registeredAt },
      { round: 3, executionName: 'CMP-r3', executionArn: `${machine}CMP-r3`, startedAt: thirdRound.reopenedAt },
    ]);
  });
});

describe('checking a milestone (what the workflow does at each wake-up)', () => {
  const assigned = () => run(aComplaint(), [[5 * MINUTE, { type: 'assign', assigneeId: 'agent-9' }]]);

  it('waits for the warning time, then records the warning and waits for the deadline', () => {
    const early = checkMilestone(assigned(), 'respond', 1, later(10 * MINUTE));
    expect(early).toMatchObject({ outcome: 'wait', wakeAt: '2026-11-03T02:45:00.000Z', timeline: [] });
    const warned = checkMilestone(assigned(), 'respond', 1, later(45 * MINUTE));
    expect(warned).toMatchObject({ outcome: 'wait', wakeAt: '2026-11-03T03:00:00.000Z' });
    expect(warned.timeline).toEqual([
      expect.objectContaining({
        type: 'deadline_warning',
        actor: 'system:escalation',
        detail: expect.objectContaining({ milestone: 'respond', minutesLeft: 15 }),
      }),
    ]);
    // A second check after the warning does not warn again.
    expect(checkMilestone(warned.complaint, 'respond', 1, later(50 * MINUTE)).timeline).toEqual([]);
  });

  it('reports a milestone met in time, with its milestone_met entry', () => {
    const responded = run(assigned(), [[30 * MINUTE, { type: 'respond' }]]);
    const check = checkMilestone(responded, 'respond', 1, later(45 * MINUTE));
    expect(check.outcome).toBe('met');
    expect(check.metEntries).toEqual([milestoneMetEntry(responded, 'respond')]);
    expect(check.metEntries[0]).toMatchObject({ at: later(30 * MINUTE).toISOString(), type: 'milestone_met' });
  });

  it('decides a miss at the deadline: breached on the timeline, missed in the KPIs', () => {
    const check = checkMilestone(assigned(), 'respond', 1, later(HOUR));
    expect(check.outcome).toBe('overdue');
    expect(check.complaint).toMatchObject({ breached: true, kpi: { respond: 'missed' } });
    expect(check.timeline.map((e) => e.type)).toEqual(['breached']);
  });

  it('never decides a miss while the clock is stopped; it wakes when the deadline could be due at the earliest', () => {
    const paused = run(assigned(), [[20 * MINUTE, { type: 'await_customer', reason: 'customer_unreachable' }]]);
    const check = checkMilestone(paused, 'respond', 1, later(2 * HOUR));
    expect(check.outcome).toBe('wait');
    // 40 minutes were left when the clock stopped.
    expect(check.wakeAt).toBe(later(2 * HOUR + 40 * MINUTE).toISOString());
    expect(check.complaint.breached).toBe(false);
  });

  it('still decides a miss whose deadline passed before the clock stopped', () => {
    const paused = run(assigned(), [[2 * HOUR, { type: 'await_customer', reason: 'other' }]]);
    expect(checkMilestone(paused, 'respond', 1, later(2 * HOUR + MINUTE)).outcome).toBe('overdue');
  });

  it('ends on a closed complaint, and leaves a reopened one to the newer round', () => {
    const complaint = assigned();
    expect(checkMilestone({ ...complaint, status: 'closed' }, 'solution', 1, later(HOUR)).outcome).toBe('closed');
    expect(checkMilestone({ ...complaint, round: 2 }, 'solution', 1, later(HOUR)).outcome).toBe('superseded');
  });
});

describe('escalating a missed milestone', () => {
  const missed = (complaint: Complaint, milestone: 'respond' | 'solution' | 'close', hours: number) =>
    checkMilestone(complaint, milestone, complaint.round, later(hours * HOUR)).complaint;

  it('moves a tier-2 complaint from the supervisor to the department head and tells them by email and SMS', () => {
    const step = escalateMilestone(missed(aComplaint(), 'respond', 1), 'respond', 1, later(HOUR), () => [
      'email',
      'sms',
    ]);
    expect(step).toMatchObject({ outcome: 'escalated', fromLevel: 0, toLevel: 1, changed: true });
    expect(step.complaint).toMatchObject({ escalationLevel: 1, ownerRole: 'department_head' });
    expect(step.timeline).toEqual([
      expect.objectContaining({
        type: 'escalated',
        detail: expect.objectContaining({
          milestone: 'respond',
          fromLevel: 0,
          toLevel: 1,
          notified: [
            {
              role: 'department_head',
              channel: 'email',
              messageId: `escalation-${step.complaint.id}-respond-l1-email`,
            },
            { role: 'department_head', channel: 'sms', messageId: `escalation-${step.complaint.id}-respond-l1-sms` },
          ],
        }),
      }),
    ]);
  });

  it('climbs one step per missed milestone and stops at the top of the ladder', () => {
    let complaint = aComplaint({ severity: 'low' });
    const levels: number[] = [];
    for (const [milestone, hours] of [
      ['respond', 1],
      ['solution', 24],
      ['close', 72],
    ] as const) {
      const step = escalateMilestone(missed(complaint, milestone, hours), milestone, 1, later(hours * HOUR), () => [
        'email',
      ]);
      complaint = step.complaint;
      levels.push(step.toLevel);
    }
    expect(levels).toEqual([1, 2, 2]);
    expect(complaint).toMatchObject({ ownerRole: 'executive', escalationLevel: 2 });
    expect(complaint.escalations).toHaveLength(2);
    expect(complaint.milestones.close.escalation).toMatchObject({ fromLevel: 2, toLevel: 2 });
  });

  it('takes a tier-1 complaint straight from the department head to the executive', () => {
    const step = escalateMilestone(
      missed(aComplaint({ severity: 'high' }), 'respond', 1),
      'respond',
      1,
      later(HOUR),
      () => ['sms'],
    );
    expect(step.complaint.ownerRole).toBe('executive');
    const next = escalateMilestone(missed(step.complaint, 'solution', 24), 'solution', 1, later(24 * HOUR), () => [
      'sms',
    ]);
    expect(next).toMatchObject({ outcome: 'at_top', timeline: [] });
  });

  it('escalates once: a retry changes nothing and answers the same', () => {
    const first = escalateMilestone(missed(aComplaint(), 'respond', 1), 'respond', 1, later(HOUR), () => ['email']);
    const retry = escalateMilestone(first.complaint, 'respond', 1, later(HOUR + MINUTE), () => ['email']);
    expect(retry).toMatchObject({ outcome: 'escalated', fromLevel: 0, toLevel: 1, changed: false, timeline: [] });
    expect(retry.complaint).toBe(first.complaint);
  });

  it('tells the new owner what is overdue without any customer details', () => {
    const complaint = aComplaint({ customerId: 'C-77', description: 'Call me on +8613912345678' });
    const notice = escalationNotice(complaint, 'solution', 'department_head', 'Asia/Shanghai');
    expect(notice.subject).toContain('solution overdue');
    expect(notice.text).toContain('24h solution deadline, due 2026-11-04 10:00 (Asia/Shanghai)');
    for (const text of [notice.text, notice.html, notice.sms]) {
      expect(text).not.toContain('+8613912345678');
      expect(text).not.toContain('C-77');
    }
  });
});

describe('KPI contribution', () => {
  it('counts the complaint, its category and severity in its registration cell', () => {
    expect(complaintContribution(aComplaint({ category: 'after_sales_repair', severity: 'high' }))).toEqual({
      cell: { day: '2026-11-03', channel: 'phone', team: 'hotline' },
      counters: { complaints: 1, complaints_cat_after_sales_repair: 1, complaints_sev_high: 1 },
    });
  });

  it('adds milestone decisions, escalations, recurrence and paused time once decided', () => {
    const complaint: Complaint = {
      ...aComplaint(),
      kpi: { respond: 'missed', solution: 'met' },
      escalations: [
        {
          milestone: 'respond',
          fromLevel: 0,
          toLevel: 1,
          fromRole: 'supervisor',
          toRole: 'department_head',
          at: later(HOUR).toISOString(),
        },
      ],
      recurrenceOf: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV',
      pauses: [
        { from: later(0).toISOString(), to: later(HOUR).toISOString(), reason: 'other', by: 'agent-7', seconds: 3600 },
      ],
    };
    expect(complaintContribution(complaint).counters).toMatchObject({
      respond_missed: 1,
      solution_met: 1,
      escalations: 1,
      recurrences: 1,
      paused_seconds: 3600,
    });
    expect(complaintContribution(complaint).counters).not.toHaveProperty('close_met');
  });

  it("credits the complaint to its assignee's agent cell and the paused time to whoever paused", () => {
    const complaint: Complaint = {
      ...aComplaint(),
      assigneeId: 'agent-9',
      pauses: [
        { from: later(0).toISOString(), to: later(HOUR).toISOString(), reason: 'other', by: 'agent-7', seconds: 3600 },
        {
          from: later(HOUR).toISOString(),
          to: later(2 * HOUR).toISOString(),
          reason: 'other',
          by: 'agent-7',
          seconds: 1800,
        },
      ],
    };
    const [team, assignee, pauser] = complaintContributions(complaint);
    expect(team!.cell).toEqual({ day: '2026-11-03', channel: 'phone', team: 'hotline' });
    expect(assignee).toEqual({
      cell: { day: '2026-11-03', channel: 'all', team: 'hotline', agent: 'agent-9' },
      counters: { complaints: 1, complaints_cat_logistics: 1, complaints_sev_medium: 1 },
    });
    expect(pauser).toEqual({
      cell: { day: '2026-11-03', channel: 'all', team: 'hotline', agent: 'agent-7' },
      counters: { paused_seconds: 5400 },
    });
    // reassigning moves the complaint from one agent's cell to the other's
    const moved = contributionDelta(
      complaintContributions(complaint),
      complaintContributions({ ...complaint, assigneeId: 'agent-8' }),
    );
    expect(moved.map((d) => [d.cell.agent, d.counters.complaints])).toEqual([
      ['agent-9', -1],
      ['agent-8', 1],
    ]);
  });
});

describe('recurrence', () => {
  const closed = (id: string, category: string, closedAt: string) => ({
    id,
    category,
    status: 'closed' as const,
    closedAt,
  });

  it('finds an earlier complaint of the same category closed within 30 days', () => {
    const earlier = [
      closed('A', 'delivery', '2026-10-10T00:00:00Z'),
      closed('B', 'billing', '2026-11-01T00:00:00Z'),
      closed('C', 'delivery', '2026-10-20T00:00:00Z'),
    ];
    expect(findRecurrence(earlier, 'delivery', REGISTERED_AT)).toBe('C');
  });

  it('compares category codes: an earlier complaint stored with a free slug of the same code is a repeat', () => {
    const earlier = [
      closed('A', 'shipping', '2026-10-20T00:00:00Z'),
      closed('B', 'price_billing', '2026-11-01T00:00:00Z'),
    ];
    expect(findRecurrence(earlier, 'logistics', REGISTERED_AT)).toBe('A');
    expect(findRecurrence(earlier, 'quality', REGISTERED_AT)).toBeUndefined();
  });

  it('ignores one closed more than 30 days ago, or still open', () => {
    expect(
      findRecurrence([closed('A', 'delivery', '2026-10-03T01:59:59Z')], 'delivery', REGISTERED_AT),
    ).toBeUndefined();
    expect(
      findRecurrence([{ id: 'B', category: 'delivery', status: 'responded' }], 'delivery', REGISTERED_AT),
    ).toBeUndefined();
  });
});

describe('quiet hours', () => {
  const quiet = { start: '21:00', end: '08:00' };

  it('holds a message at 22:30 local until 08:00 the next morning', () => {
    expect(sendableAt(new Date('2026-11-03T14:30:00Z'), quiet, 'Asia/Shanghai')).toEqual(
      new Date('2026-11-04T00:00:00Z'),
    );
    expect(sendableAt(new Date('2026-11-03T22:30:00Z'), quiet, 'Asia/Shanghai')).toEqual(
      new Date('2026-11-04T00:00:00Z'),
    );
  });

  it('sends at once during the day', () => {
    expect(isQuietTime(new Date('2026-11-03T02:00:00Z'), quiet, 'Asia/Shanghai')).toBe(false);
    expect(isQuietTime(new Date('2026-11-03T13:00:00Z'), quiet, 'Asia/Shanghai')).toBe(true);
  });
});
