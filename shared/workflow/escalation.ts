/**
 * The workflow-starter port: how the complaint service starts the escalation workflow of a
 * complaint. AWS: Step Functions StartExecution on the state machine CDK deployed; locally the
 * runtime runs the same synthesized definition (infra/local/workflow.ts).
 */
import type { DescribeExecutionCommandOutput, SFNClient } from '@aws-sdk/client-sfn';
import type { EscalationInput } from '../domain/complaints/workflow.js';
import type { ExecutionStatus } from '../schemas/complaints.js';

export interface WorkflowStarter {
  /** The ARN of the execution named `name`, known before it starts (recorded on the complaint). */
  executionArn(name: string): string;
  /** Starts an execution; one that already exists under `name` is left running, not an error. */
  start(name: string, input: EscalationInput): Promise<void>;
}

let client: SFNClient | undefined;

/** Step Functions, on the state machine named by ESCALATION_STATE_MACHINE_ARN (set by the CDK). */
export function stepFunctionsStarter(stateMachineArn = process.env.ESCALATION_STATE_MACHINE_ARN): WorkflowStarter {
  const machine = () => {
    if (!stateMachineArn) throw new Error('ESCALATION_STATE_MACHINE_ARN is not set');
    return stateMachineArn;
  };
  return {
    // arn:aws:states:<region>:<account>:stateMachine:<name> → …:execution:<name>:<execution name>
    executionArn: (name) => `${machine().replace(':stateMachine:', ':execution:')}:${name}`,
    async start(name, input) {
      // Loaded on the first start, not when the function starts (issue 15.1).
      const { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } = await import('@aws-sdk/client-sfn');
      client ??= new SFNClient({ maxAttempts: 4 });
      try {
        await client.send(
          new StartExecutionCommand({ stateMachineArn: machine(), name, input: JSON.stringify(input) }),
        );
      } catch (error) {
        // A retried request, or a racing one, started it already: its checks read the complaint, so either input will do.
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
    },
  };
}

/** What the escalation audit view shows of one execution (shared/schemas/complaints.ts EscalationExecution). */
export interface ExecutionHistory {
  status: Exclude<ExecutionStatus, 'NOT_FOUND'>;
  startedAt: string;
  stoppedAt?: string;
  /** Each state entered, oldest first. */
  states: Array<{ name: string; enteredAt: string }>;
}

/**
 * The execution-history port: how the audit view reads an execution. AWS: DescribeExecution and
 * GetExecutionHistory; locally the runner's own record of the executions it ran.
 */
export interface ExecutionReader {
  /** The execution's status and the states it entered; undefined when it is not (or no longer) known. */
  describe(executionArn: string): Promise<ExecutionHistory | undefined>;
}

/** History pages are read up to this many events (an execution of this workflow enters a few dozen states). */
const MAX_HISTORY_EVENTS = 5000;

let historyClient: SFNClient | undefined;

/**
 * Step Functions: DescribeExecution for the status and times, GetExecutionHistory (oldest first,
 * page by page) for the states entered. The function's role may call both on this state machine's
 * executions only (infra/aws/constructs/escalation.ts `allowAudit`).
 */
export function stepFunctionsHistory(client?: SFNClient): ExecutionReader {
  return {
    async describe(executionArn) {
      const { DescribeExecutionCommand, ExecutionDoesNotExist, GetExecutionHistoryCommand, SFNClient } = await import(
        '@aws-sdk/client-sfn'
      );
      const sfn = client ?? (historyClient ??= new SFNClient({ maxAttempts: 4 }));
      let described: DescribeExecutionCommandOutput;
      try {
        described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      } catch (error) {
        // Never started, or its history expired (90 days after it stopped).
        if (error instanceof ExecutionDoesNotExist || (error as Error).name === 'ExecutionDoesNotExist')
          return undefined;
        throw error;
      }
      const states: ExecutionHistory['states'] = [];
      let nextToken: string | undefined;
      let read = 0;
      do {
        const page = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, reverseOrder: false, nextToken }),
        );
        for (const event of page.events ?? []) {
          read += 1;
          const name = event.stateEnteredEventDetails?.name;
          if (name && event.timestamp) states.push({ name, enteredAt: event.timestamp.toISOString() });
        }
        nextToken = page.nextToken;
      } while (nextToken && read < MAX_HISTORY_EVENTS);
      return {
        status: (described.status ?? 'RUNNING') as ExecutionHistory['status'],
        startedAt: (described.startDate ?? new Date(0)).toISOString(),
        ...(described.stopDate ? { stoppedAt: described.stopDate.toISOString() } : {}),
        states,
      };
    },
  };
}
