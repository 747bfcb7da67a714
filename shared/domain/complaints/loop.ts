/**
 * The closed loop of a complaint (s003 闭环管理) as an explicit state machine:
 * registered → assigned → responded → solution_proposed → resolved → confirmed → closed,
 * plus awaiting_customer (the SLA clock stops) and reopened (a fresh round of deadlines).
 * Anything not in TRANSITIONS is refused with a Conflict (409).
 */
import { type ComplaintEventType, ComplaintStatus } from '../../schemas/complaints.js';
import { Conflict } from '../errors.js';

/** Where an event leads from a status; `resume` returns to the status the complaint was paused in. */
type Target = ComplaintStatus | 'status_before_pause';

export const TRANSITIONS: Readonly<Record<ComplaintEventType, Partial<Record<ComplaintStatus, Target>>>> = {
  // Assigning an open complaint takes it out of the queue; reassigning later keeps its progress.
  assign: {
    registered: 'assigned',
    reopened: 'assigned',
    assigned: 'assigned',
    responded: 'responded',
    solution_proposed: 'solution_proposed',
  },
  // A reopened complaint is still with its assignee, who may answer again at once.
  respond: { assigned: 'responded', reopened: 'responded' },
  propose_solution: { responded: 'solution_proposed' },
  await_customer: {
    assigned: 'awaiting_customer',
    responded: 'awaiting_customer',
    solution_proposed: 'awaiting_customer',
    resolved: 'awaiting_customer',
  },
  resume: { awaiting_customer: 'status_before_pause' },
  resolve: { solution_proposed: 'resolved' },
  confirm: { resolved: 'confirmed' },
  // A customer who never confirms does not keep a resolved complaint open forever.
  close: { confirmed: 'closed', resolved: 'closed' },
  reopen: { resolved: 'reopened', confirmed: 'reopened', closed: 'reopened' },
  // Asking the next level to take over now changes the owner, not where the complaint stands.
  escalate: {
    registered: 'registered',
    assigned: 'assigned',
    responded: 'responded',
    solution_proposed: 'solution_proposed',
    awaiting_customer: 'awaiting_customer',
    resolved: 'resolved',
    confirmed: 'confirmed',
    reopened: 'reopened',
  },
};

/** The events a complaint in `status` accepts (what a console offers as buttons). */
export function allowedEvents(status: ComplaintStatus): ComplaintEventType[] {
  return (Object.keys(TRANSITIONS) as ComplaintEventType[]).filter((type) => TRANSITIONS[type][status] !== undefined);
}

/**
 * The status after `event`, or a Conflict naming what the complaint accepts instead.
 *
 * @example
 * nextStatus('registered', 'assign');                        // 'assigned'
 * nextStatus('awaiting_customer', 'resume', 'responded');    // 'responded'
 * nextStatus('closed', 'respond');                           // throws Conflict (409)
 */
export function nextStatus(
  status: ComplaintStatus,
  event: ComplaintEventType,
  statusBeforePause?: ComplaintStatus,
): ComplaintStatus {
  const target = TRANSITIONS[event][status];
  if (target === undefined) {
    const allowed = allowedEvents(status);
    throw new Conflict(
      `A ${status.replace('_', ' ')} complaint cannot take '${event}'; it accepts ${allowed.length ? allowed.map((e) => `'${e}'`).join(', ') : 'no events'}.`,
      { currentStatus: status, allowedEvents: allowed },
    );
  }
  if (target !== 'status_before_pause') return target;
  if (!statusBeforePause) throw new Error('a paused complaint must remember the status it was paused in');
  return statusBeforePause;
}

/** Statuses in which the complaint is still being worked on (its workflow is watching deadlines). */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ComplaintStatus.options.filter((s) => s !== 'closed');
