/**
 * The workflow-starter port: how the complaint service starts the escalation workflow of a
 * complaint. AWS: Step Functions StartExecution on the state machine CDK deployed; locally the
 * runtime runs the same synthesized definition (infra/local/workflow.ts).
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { EscalationInput } from '../domain/complaints/workflow.js';

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
