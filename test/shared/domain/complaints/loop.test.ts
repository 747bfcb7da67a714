import { describe, expect, it } from 'vitest';
import { allowedEvents, nextStatus } from '../../../../shared/domain/complaints/loop.js';
import { Conflict } from '../../../../shared/domain/errors.js';
import { ComplaintEventType, ComplaintStatus } from '../../../../shared/schemas/complaints.js';

/**
 * The closed loop written out as a table a customer-service director can check line by line:
 * for each status, the events it accepts and where each leads. Everything else is refused.
 */
const EXPECTED: Record<ComplaintStatus, Partial<Record<ComplaintEventType, ComplaintStatus | 'back'>>> = {
  registered: { assign: 'assigned', escalate: 'registered' },
  assigned: { assign: 'assigned', respond: 'responded', await_customer: 'awaiting_customer', escalate: 'assigned' },
  responded: {
    assign: 'responded',
    propose_solution: 'solution_proposed',
    await_customer: 'awaiting_customer',
    escalate: 'responded',
  },
  solution_proposed: {
    assign: 'solution_proposed',
    resolve: 'resolved',
    await_customer: 'awaiting_customer',
    escalate: 'solution_proposed',
  },
  awaiting_customer: { resume: 'back', escalate: 'awaiting_customer' },
  resolved: {
    confirm: 'confirmed',
    close: 'closed',
    reopen: 'reopened',
    await_customer: 'awaiting_customer',
    escalate: 'resolved',
  },
  confirmed: { close: 'closed', reopen: 'reopened', escalate: 'confirmed' },
  closed: { reopen: 'reopened' },
  reopened: { assign: 'assigned', respond: 'responded', escalate: 'reopened' },
};

const cases = ComplaintStatus.options.flatMap((status) =>
  ComplaintEventType.options.map((event) => [status, event] as const),
);
const allowed = cases.filter(([status, event]) => EXPECTED[status][event] !== undefined);
const refused = cases.filter(([status, event]) => EXPECTED[status][event] === undefined);

describe('the closed loop', () => {
  it('covers every status and event pair (90 of them)', () => {
    expect(allowed.length + refused.length).toBe(ComplaintStatus.options.length * ComplaintEventType.options.length);
    expect(allowed.length + refused.length).toBe(90);
    // 20 steps of the loop, and `escalate` from every open status (the status stays; the owner changes).
    expect(allowed).toHaveLength(28);
  });

  it.each(allowed)('a %s complaint accepts %s', (status, event) => {
    const expected = EXPECTED[status][event];
    expect(nextStatus(status, event, 'solution_proposed')).toBe(expected === 'back' ? 'solution_proposed' : expected);
  });

  it.each(refused)('a %s complaint refuses %s with a 409 that lists what it accepts', (status, event) => {
    let error: unknown;
    try {
      nextStatus(status, event, 'responded');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).status).toBe(409);
    for (const accepted of allowedEvents(status)) expect((error as Error).message).toContain(`'${accepted}'`);
  });

  it('resumes a paused complaint in the status it was paused in', () => {
    expect(nextStatus('awaiting_customer', 'resume', 'assigned')).toBe('assigned');
    expect(nextStatus('awaiting_customer', 'resume', 'resolved')).toBe('resolved');
  });

  it('walks the whole loop from registration to archive', () => {
    const path: ComplaintEventType[] = ['assign', 'respond', 'propose_solution', 'resolve', 'confirm', 'close'];
    let status: ComplaintStatus = 'registered';
    const seen: ComplaintStatus[] = [status];
    for (const event of path) seen.push((status = nextStatus(status, event)));
    expect(seen).toEqual([
      'registered',
      'assigned',
      'responded',
      'solution_proposed',
      'resolved',
      'confirmed',
      'closed',
    ]);
  });
});
