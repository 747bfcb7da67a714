/**
 * The escalation construct as CDK synthesizes it: a valid Standard state machine whose
 * milestone loop is written once and applied three times, with readable state names, retries,
 * catches, logs and traces, and tasks that may do only what they need.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { Data } from '../../infra/aws/constructs/data.js';
import { Escalation } from '../../infra/aws/constructs/escalation.js';
import { synthesizeEscalation, type SynthesizedWorkflow } from '../../infra/local/workflow.js';

let workflow: SynthesizedWorkflow;
let template: Template;
beforeAll(async () => {
  workflow = await synthesizeEscalation();
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'EscalationTest');
  new Escalation(stack, 'Escalation', { data: new Data(stack, 'Data'), senderEmail: 'careloop@example.com' });
  template = Template.fromStack(stack);
});

const statesOf = (milestone: string) => Object.keys(workflow.definition.States).filter((name) => name.toLowerCase().includes(milestone));

describe('the escalation state machine', () => {
  it('is valid Amazon States Language (asl-validator, ARNs and paths checked)', () => {
    const result = aslValidator(workflow.definition, { checkArn: true, checkPaths: true });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('is a Standard workflow with execution logs (all events, with data) and X-Ray tracing', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: [Match.objectLike({})] },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('applies one milestone loop to respond, solution and close, with names an auditor can read', () => {
    expect(workflow.definition.StartAt).toBe('Wait until 1h response deadline warning');
    expect(statesOf('response')).toEqual(
      expect.arrayContaining([
        'Wait until 1h response deadline warning',
        'Check response milestone',
        'Response: met, due or overdue?',
        'Wait for 1h response deadline',
        'Escalate: response overdue',
        'Wait for quiet hours to end: response notice',
        'Record failure: response milestone',
      ]),
    );
    const shape = (milestone: string) => statesOf(milestone).map((name) => workflow.definition.States[name]!.Type).sort();
    expect(shape('response')).toHaveLength(7);
    expect(shape('solution')).toEqual(shape('response'));
    expect(shape('closure')).toEqual(shape('response'));
    expect(Object.keys(workflow.definition.States)).toContain('Wait for 24h solution deadline');
    expect(Object.keys(workflow.definition.States)).toContain('Escalate: solution overdue');
  });

  it('waits on timestamps: the warning from the execution input, the deadline from the latest check', () => {
    const states = workflow.definition.States;
    expect(states['Wait until 24h solution deadline warning']).toMatchObject({ Type: 'Wait', TimestampPath: '$.deadlines.solution.warnAt' });
    expect(states['Wait for 24h solution deadline']).toMatchObject({ Type: 'Wait', TimestampPath: '$.next.wakeAt', Next: 'Check solution milestone' });
  });

  it('retries transient failures with backoff and catches everything else into the failure record of the same milestone', () => {
    for (const name of ['Check solution milestone', 'Escalate: solution overdue']) {
      const state = workflow.definition.States[name]!;
      expect(state.Retry).toContainEqual(
        expect.objectContaining({ ErrorEquals: ['TransientError', 'NotificationFailed', 'Lambda.TooManyRequestsException'], BackoffRate: 2, JitterStrategy: 'FULL' }),
      );
      expect(state.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Record failure: solution milestone' }]);
    }
    // After recording, the workflow goes on watching the next milestone.
    expect(workflow.definition.States['Record failure: solution milestone']!.Next).toBe('Wait until 72h closure deadline warning');
  });

  it('serves every task from an export of functions/escalation/handler.ts', () => {
    expect(new Set(Object.values(workflow.taskHandlers))).toEqual(new Set(['check', 'escalate', 'recordFailure']));
  });

  it('lets only the escalation task send email, from the sender identity alone', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ses:SendEmail', 'ses:SendRawEmail'],
            Resource: [
              { 'Fn::Join': ['', Match.arrayWith([':identity/careloop@example.com'])] },
              { 'Fn::Join': ['', Match.arrayWith([':identity/example.com'])] },
            ],
          }),
        ]),
      },
    });
    const sesPolicies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) => JSON.stringify(policy).includes('ses:SendEmail'));
    expect(sesPolicies).toHaveLength(1);
  });
});
