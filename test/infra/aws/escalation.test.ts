/**
 * The escalation construct as CDK synthesizes it: a valid Standard state machine whose
 * milestone loop is written once and applied three times, with readable state names, retries,
 * catches, logs and traces, and tasks that may do only what they need.
 */

import aslValidator from 'asl-validator';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { Data } from '../../../infra/aws/constructs/data.js';
import {
  ESCALATION_RESERVED_CONCURRENCY,
  Escalation,
  THROTTLE_ERRORS,
} from '../../../infra/aws/constructs/escalation.js';
import { type SynthesizedWorkflow, synthesizeEscalation, workflowFromTemplate } from '../../../infra/local/workflow.js';
import { rolesWithStatements, statementsOfRole, synthStack, templateOf } from './synth.js';

let workflow: SynthesizedWorkflow;
let template: Template;
beforeAll(async () => {
  workflow = await synthesizeEscalation();
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'EscalationTest');
  new Escalation(stack, 'Escalation', { data: new Data(stack, 'Data'), senderEmail: 'careloop@example.com' });
  template = Template.fromStack(stack);
});

const statesOf = (milestone: string) =>
  Object.keys(workflow.definition.States).filter((name) => name.toLowerCase().includes(milestone));

describe('the escalation state machine', () => {
  it('is valid Amazon States Language (asl-validator, ARNs and paths checked)', () => {
    // structuredClone: the validator writes defaults (QueryLanguage) into what it checks.
    const result = aslValidator(structuredClone(workflow.definition), { checkArn: true, checkPaths: true });
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
    // First the registration notices, then the response milestone's loop.
    expect(workflow.definition.StartAt).toBe('Tell the customer and the owner');
    expect(workflow.definition.States['Tell the customer and the owner']).toMatchObject({
      Type: 'Task',
      ResultPath: null,
      Next: 'Wait until 1h response deadline warning',
      Catch: [
        expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'Wait until 1h response deadline warning' }),
      ],
    });
    expect(statesOf('response')).toEqual(
      expect.arrayContaining([
        'Wait until 1h response deadline warning',
        'Check response milestone',
        'Response: met, due or overdue?',
        'Wait for 1h response deadline',
        'Escalate: response overdue',
        'Wait for quiet hours to end: response notice',
        'Record failure: response milestone',
        'Unrecorded failure: response milestone',
      ]),
    );
    const shape = (milestone: string) =>
      statesOf(milestone)
        .map((name) => workflow.definition.States[name]!.Type)
        .sort();
    expect(shape('response')).toHaveLength(8);
    expect(shape('solution')).toEqual(shape('response'));
    expect(shape('closure')).toEqual(shape('response'));
    expect(Object.keys(workflow.definition.States)).toContain('Wait for 24h solution deadline');
    expect(Object.keys(workflow.definition.States)).toContain('Escalate: solution overdue');
  });

  it('waits on timestamps: the warning from the execution input, the deadline from the latest check', () => {
    const states = workflow.definition.States;
    expect(states['Wait until 24h solution deadline warning']).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.deadlines.solution.warnAt',
    });
    expect(states['Wait for 24h solution deadline']).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.next.wakeAt',
      Next: 'Check solution milestone',
    });
  });

  it('retries transient failures with backoff and catches everything else into the failure record of the same milestone', () => {
    for (const name of ['Check solution milestone', 'Escalate: solution overdue']) {
      const state = workflow.definition.States[name]!;
      expect(state.Retry).toContainEqual(
        expect.objectContaining({
          ErrorEquals: ['TransientError', 'NotificationFailed'],
          BackoffRate: 2,
          JitterStrategy: 'FULL',
        }),
      );
      expect(state.Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Record failure: solution milestone' },
      ]);
    }
    // After recording, the workflow goes on watching the next milestone.
    expect(workflow.definition.States['Record failure: solution milestone']!.Next).toBe(
      'Wait until 72h closure deadline warning',
    );
    // And so it does when the recording itself fails: the watch is never lost, and never passed silently —
    // through a state whose entry in the execution log raises the UnrecordedEscalationFailures alarm.
    expect(workflow.definition.States['Record failure: solution milestone']!.Catch).toEqual([
      {
        ErrorEquals: ['States.ALL'],
        ResultPath: '$.unrecordedFailure',
        Next: 'Unrecorded failure: solution milestone',
      },
    ]);
    expect(workflow.definition.States['Unrecorded failure: solution milestone']).toMatchObject({
      Type: 'Pass',
      Next: 'Wait until 72h closure deadline warning',
    });
  });

  it('retries a throttled or failed Lambda invocation on every task for minutes before any other retrier (#27.10)', () => {
    const taskStates = Object.entries(workflow.definition.States).filter(([, s]) => s.Type === 'Task');
    expect(taskStates.length).toBeGreaterThanOrEqual(10);
    for (const [name, state] of taskStates) {
      const [first] = state.Retry as Array<Record<string, any>>;
      expect(first, name).toMatchObject({ ErrorEquals: THROTTLE_ERRORS, BackoffRate: 2, JitterStrategy: 'FULL' });
      // The whole retry span: every try's delay, each capped at MaxDelaySeconds.
      let span = 0;
      for (let i = 0; i < first!.MaxAttempts; i++)
        span += Math.min(first!.IntervalSeconds * first!.BackoffRate ** i, first!.MaxDelaySeconds);
      expect(span, name).toBeGreaterThanOrEqual(10 * 60);
    }
    expect(workflow.definition.States['Record failure: solution milestone']!.Retry[0].ErrorEquals).toEqual(
      THROTTLE_ERRORS,
    );
  });

  it('reserves concurrency for the three task functions, and their errors and throttles raise alarms', () => {
    const { stack } = synthStack();
    const built = templateOf(stack);
    for (const [name, reserved] of Object.entries(ESCALATION_RESERVED_CONCURRENCY)) {
      const fn = stack.escalation!.functions[name as keyof typeof ESCALATION_RESERVED_CONCURRENCY];
      const resource = built.resourceOf(fn.function);
      expect(resource.Properties.ReservedConcurrentExecutions, name).toBe(reserved);
      const alarmed = (kind: string) =>
        Object.values(built.resources).some(
          (r) =>
            r.Type === 'AWS::CloudWatch::Alarm' &&
            JSON.stringify(r.Properties.Metrics ?? []).includes(`"MetricName":"${kind}"`) &&
            JSON.stringify(r.Properties.Metrics ?? []).includes(JSON.stringify({ Ref: resource.logicalId })),
        );
      expect(alarmed('Errors'), `${name} errors`).toBe(true);
      expect(alarmed('Throttles'), `${name} throttles`).toBe(true);
    }
  });

  it('serves every task from an export of functions/escalation/handler.ts', () => {
    expect(new Set(Object.values(workflow.taskHandlers))).toEqual(new Set(['check', 'escalate', 'recordFailure']));
  });

  it('lets only the escalate and check tasks send email (escalation notices, deadline warnings), from the sender identity alone', () => {
    const sesRoles = rolesWithStatements(template.toJSON().Resources).filter(({ statements }) =>
      JSON.stringify(statements).includes('ses:SendEmail'),
    );
    expect(sesRoles).toHaveLength(2);
    for (const role of sesRoles)
      expect(role.statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Action: ['ses:SendEmail', 'ses:SendRawEmail'],
            Resource: [
              { 'Fn::Join': ['', expect.arrayContaining([':identity/careloop@example.com'])] },
              { 'Fn::Join': ['', expect.arrayContaining([':identity/example.com'])] },
            ],
          }),
        ]),
      );
  });
});

describe('the escalation workflow in the CareLoop stack', () => {
  let stack: ReturnType<typeof synthStack>['stack'];
  let resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  beforeAll(() => {
    stack = synthStack().stack;
    resources = templateOf(stack).resources;
  });

  it('is the very definition the local runtime executes (what `npm run synth` emits)', () => {
    const deployed = workflowFromTemplate({ Resources: resources });
    expect(deployed.definition).toEqual(workflow.definition);
    expect(deployed.taskHandlers).toEqual(workflow.taskHandlers);
  });

  it('may invoke exactly its three task functions, not their versions', () => {
    const role = templateOf(stack).resourceOf(stack.escalation!.node.findChild('StateMachineRole'));
    const policy = Object.values(resources).find(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(role.logicalId),
    )!;
    const invoke = policy.Properties.PolicyDocument.Statement.find(
      (s: { Action: unknown }) => s.Action === 'lambda:InvokeFunction',
    );
    expect(invoke.Resource).toHaveLength(3);
    expect(JSON.stringify(invoke.Resource)).not.toContain(':*');
  });

  it('is started by the registration and event routes only, which learn its ARN from their environment', () => {
    const startsExecutions = (routeId: string) => {
      const fn = stack.api.functionOf(routeId);
      const { resources, resourceOf } = templateOf(stack);
      return JSON.stringify(statementsOfRole(resources, resourceOf(fn.role).logicalId)).includes(
        'states:StartExecution',
      );
    };
    expect(startsExecutions('createComplaint')).toBe(true);
    expect(startsExecutions('complaintEvent')).toBe(true);
    expect(startsExecutions('getComplaint')).toBe(false);
    expect(startsExecutions('createInteraction')).toBe(false);
    const create = templateOf(stack).resourceOf(stack.api.functionOf('createComplaint').function);
    expect(create.Properties.Environment.Variables).toHaveProperty('ESCALATION_STATE_MACHINE_ARN');
  });
});

describe('the escalation audit view', () => {
  it('reads executions of this state machine only, from the function serving the view alone', () => {
    const { stack } = synthStack();
    const { resources, resourceOf } = templateOf(stack);
    const statementsOf = (routeId: string) =>
      statementsOfRole(resources, resourceOf(stack.api.functionOf(routeId).role).logicalId) as Array<{
        Action: string | string[];
        Resource: unknown;
      }>;
    const audit = statementsOf('complaintEscalations').filter((s) =>
      [s.Action].flat().some((action) => action.startsWith('states:')),
    );
    // Exactly the two reads, on `arn:…:execution:<the escalation machine's name>:*`.
    expect(audit).toHaveLength(1);
    expect([audit[0]?.Action].flat().sort()).toEqual(['states:DescribeExecution', 'states:GetExecutionHistory']);
    const resource = JSON.stringify(audit[0]?.Resource);
    expect(resource).toContain(':execution:');
    expect(resource).toContain(resourceOf(stack.escalation!.stateMachine).logicalId);
    expect(resource).toMatch(/:\*"/);
    // No other route function may read executions.
    for (const route of stack.api.all().flatMap(({ declaration }) => declaration.routes))
      if (stack.api.functionOf(route.id) !== stack.api.functionOf('complaintEscalations'))
        expect(JSON.stringify(statementsOf(route.id)), route.id).not.toContain('states:GetExecutionHistory');
    const fn = resourceOf(stack.api.functionOf('complaintEscalations').function);
    expect(fn.Properties.Environment.Variables).toHaveProperty('ESCALATION_STATE_MACHINE_ARN');
  });
});
