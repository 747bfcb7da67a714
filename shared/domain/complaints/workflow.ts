/**
 * The contract between the escalation state machine (infra/aws/constructs/escalation.ts) and
 * its Lambda tasks (functions/escalation/handler.ts): the execution input, what each task
 * receives and what it answers. The state machine routes on `outcome` and waits on `wakeAt`.
 */
import type { Complaint, MilestoneName } from '../../schemas/complaints.js';
import type { CheckOutcome } from './milestones.js';

/** Execution input: everything an auditor opening the execution needs, and no personal data. */
export interface EscalationInput {
  complaintId: string;
  round: number;
  severity: Complaint['severity'];
  tier: Complaint['tier'];
  category: string;
  channel: Complaint['channel'];
  registeredAt: string;
  ladder: Complaint['escalation']['ladder'];
  sla: Omit<Complaint['sla'], 'calendarRules'>;
  /** Deadlines when the execution started; each check re-reads the complaint, so a moved deadline is never missed. */
  deadlines: Record<MilestoneName, { dueBy: string; warnAt: string }>;
}

/** What every task is invoked with. */
export interface TaskEvent {
  complaintId: string;
  round: number;
  milestone: MilestoneName;
  /** The workflow's first step: send the registration notices (the check function serves it). */
  announce?: boolean;
}

/** What the "Record failure" task gets: the task event plus the error the Catch captured. */
export interface FailureEvent extends TaskEvent {
  error: { Error: string; Cause?: string };
}

export type TaskOutcome =
  | CheckOutcome
  /** The complaint does not exist (its registration failed after the execution started). */
  | 'not_found'
  /** Escalated and the new owner notified. */
  | 'escalated'
  /** Escalated; the notice waits for the end of quiet hours (`wakeAt`). */
  | 'notify_later'
  /** Missed at the top of the ladder: recorded, nobody new to notify. */
  | 'at_top'
  /** A failure was written to the timeline; the workflow goes on with the next milestone. */
  | 'failure_recorded'
  /** The registration notices were sent (or left to the follow-up job): the workflow starts watching. */
  | 'announced';

export interface TaskResult {
  outcome: TaskOutcome;
  milestone: MilestoneName;
  wakeAt?: string;
  level?: number;
}

/**
 * The name of a round's escalation execution: `<complaintId>-r<round>` (contract "For screens (v1.2)").
 * Deterministic, so a retried or racing start finds the execution already running (ExecutionAlreadyExists).
 */
export const executionNameFor = (complaintId: string, round: number) => `${complaintId}-r${round}`;

/**
 * What a complaint's first round was named before round 1 became `<complaintId>-r1`: its id alone.
 * Executions so named run on in deployed accounts and stay on their complaints (`escalation.rounds`,
 * or `escalation.executionName` of a complaint stored before the rounds list existed).
 */
export const legacyFirstExecutionName = (complaintId: string) => complaintId;

export function escalationInput(complaint: Complaint): EscalationInput {
  const { calendarRules: _, ...sla } = complaint.sla;
  const deadline = (m: MilestoneName) => ({
    dueBy: complaint.milestones[m].dueBy,
    warnAt: complaint.milestones[m].warnAt,
  });
  return {
    complaintId: complaint.id,
    round: complaint.round,
    severity: complaint.severity,
    tier: complaint.tier,
    category: complaint.category,
    channel: complaint.channel,
    registeredAt: complaint.registeredAt,
    ladder: complaint.escalation.ladder,
    sla,
    deadlines: { respond: deadline('respond'), solution: deadline('solution'), close: deadline('close') },
  };
}
