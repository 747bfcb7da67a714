/**
 * The complaint escalation workflow: a Step Functions Standard state machine, one execution
 * per complaint (named after it), defined here once. The local runtime synthesizes this same
 * construct and runs its definition (infra/local/workflow.ts).
 *
 * First the registration notices (announceStep: the customer's acknowledgement and the owner's
 * notice, at once). Then for each milestone — respond, propose a solution, close — the same loop (milestoneStates):
 *
 *   Wait until the warning time ─▶ Check ─▶ Choice ─┬─ met / escalated ───────────▶ next milestone
 *                                   ▲               ├─ wait ─▶ Wait for the deadline ─┘(back to Check)
 *                                   │               ├─ overdue ─▶ Escalate ─▶ (back to the Choice)
 *                                   │               ├─ notify_later ─▶ Wait for quiet hours to end ─▶ Escalate
 *                                   │               └─ closed / superseded ───────▶ end
 *   Every task first retries Lambda throttling and service errors for about 14 minutes (its
 *   three functions also have reserved concurrency, so the other functions' bursts cannot
 *   starve them); Check and Escalate retry transient errors with backoff; anything else is caught and
 *   recorded on the complaint's timeline (a notice that could not be sent is handed to the
 *   follow-up job to send again), and the workflow goes on with the next milestone — also when
 *   the failure itself could not be recorded (that step has a Catch of its own, to a state whose
 *   entry in the execution log raises the UnrecordedEscalationFailures alarm).
 *
 * Transitions (Standard workflows bill per transition): 1 for the registration notices, 3 per
 * milestone met before its warning, 8 per milestone missed and escalated, plus the final state —
 * see test/infra/aws/escalation.test.ts.
 */
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { MILESTONE_LABELS, MILESTONES } from '../../../shared/domain/complaints/milestones.js';
import type { TaskOutcome } from '../../../shared/domain/complaints/workflow.js';
import type { MilestoneName } from '../../../shared/schemas/complaints.js';
import { MAIN_TABLE } from '../../../shared/store/table.js';
import { writeExportEntry } from '../entries.js';
import type { Data } from './data.js';
import { allowEmail, type EmailConfigurationSet } from './jobs.js';
import { CareLoopFunction } from './lambda.js';

export interface EscalationProps {
  data: Data;
  /** The SES-verified address escalation notices are sent from. */
  senderEmail: string;
  /** The configuration set email goes out with (its delivery events come back). */
  configurationSet?: EmailConfigurationSet;
}

/** Where each task's answer goes in the state: the Choice routes on `$.next.outcome`, the Waits read `$.next.wakeAt`. */
const RESULT_PATH = '$.next';
const OUTCOME = `${RESULT_PATH}.outcome`;
/** cdk-nag's finding for the audit grant: the executions of the state machine `logicalId` (`…:execution:<its name>:*`). */
export const auditGrantFinding = (logicalId: string) =>
  `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId}"}]}]}:*]`;
/** Errors the tasks raise for a failure worth another attempt (functions/escalation/handler.ts). */
const RETRIED_ERRORS = ['TransientError', 'NotificationFailed'];
/** Lambda refused or failed to run the task (a throttle, a service error): retried on every task for minutes. */
export const THROTTLE_ERRORS = [
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
];
/** 10 s, doubling up to 2 min a try, 10 tries: about 14.5 minutes before a throttle counts as a failure. */
function retryThrottling(state: tasks.LambdaInvoke): void {
  state.addRetry({
    errors: THROTTLE_ERRORS,
    interval: Duration.seconds(10),
    backoffRate: 2,
    maxAttempts: 10,
    maxDelay: Duration.minutes(2),
    jitterStrategy: sfn.JitterType.FULL,
  });
}

/**
 * The state a milestone passes through when its failure could not be recorded either; the operations
 * alarm counts its entries in the execution log (one per milestone: respond, solution, close).
 */
export const unrecordedFailureState = (noun: string) => `Unrecorded failure: ${noun} milestone`;
export const UNRECORDED_FAILURE_STATES = MILESTONES.map((m) => unrecordedFailureState(MILESTONE_LABELS[m].noun));

/** Concurrency reserved for each escalation task function: a burst of API or job traffic cannot throttle them. */
export const ESCALATION_RESERVED_CONCURRENCY = { check: 10, escalate: 5, recordFailure: 2 } as const;

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const is = (outcome: TaskOutcome, ...more: TaskOutcome[]) =>
  more.length === 0
    ? sfn.Condition.stringEquals(OUTCOME, outcome)
    : sfn.Condition.or(...[outcome, ...more].map((o) => sfn.Condition.stringEquals(OUTCOME, o)));

interface TaskFunctions {
  check: CareLoopFunction;
  escalate: CareLoopFunction;
  recordFailure: CareLoopFunction;
}

export class Escalation extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly functions: TaskFunctions;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: EscalationProps) {
    super(scope, id);
    const task = (name: string, handler: keyof typeof ESCALATION_RESERVED_CONCURRENCY, description: string) => {
      const fn = new CareLoopFunction(this, name, {
        entry: writeExportEntry('escalation', handler),
        handler,
        description,
        timeout: Duration.seconds(30),
        reservedConcurrency: ESCALATION_RESERVED_CONCURRENCY[handler],
      });
      fn.acknowledgeNoDeadLetterQueue(
        'Invoked synchronously by the escalation state machine only (LambdaInvoke, RequestResponse): a failure goes back to the workflow, whose Retry and Catch on every task handle it (and an unrecorded one raises the UnrecordedEscalationFailures alarm); Lambda never queues a synchronous event, so a dead-letter queue would stay empty.',
      );
      props.data.connect(fn, MAIN_TABLE, 'readWrite');
      return fn;
    };
    this.functions = {
      check: task(
        'CheckMilestone',
        'check',
        'Escalation workflow: checks a complaint milestone (met, warning sent, missed)',
      ),
      escalate: task(
        'Escalate',
        'escalate',
        'Escalation workflow: moves a complaint up its ladder and notifies the new owner',
      ),
      recordFailure: task(
        'RecordFailure',
        'recordFailure',
        'Escalation workflow: records a failed step on the complaint timeline',
      ),
    };
    // Escalate tells the new owner; Check warns the assignee before a deadline.
    this.allowNotices(this.functions.escalate, props.senderEmail, props.configurationSet);
    this.allowNotices(this.functions.check, props.senderEmail, props.configurationSet);

    this.logGroup = new LogGroup(this, 'ExecutionLogs', {
      // Executions are the auditors' record of why and when a complaint escalated.
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment:
        'CareLoop complaint escalation: one execution per complaint, named after it; waits for each deadline and escalates a miss.',
      stateMachineType: sfn.StateMachineType.STANDARD,
      role: this.stateMachineRole(),
      definitionBody: sfn.DefinitionBody.fromChainable(escalationDefinition(this, this.functions)),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }

  /**
   * The workflow's own role, written out instead of the one CDK derives: CDK would also grant
   * invoking every version of the task functions (`<function arn>:*`); this one invokes exactly
   * the three task functions, plus what logging and tracing need.
   */
  private stateMachineRole(): iam.IRole {
    const role = new iam.Role(this, 'StateMachineRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description:
        'Runs the complaint escalation workflow: invokes its three task functions, writes execution logs and traces',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: Object.values(this.functions).map((fn) => fn.function.functionArn),
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
        ],
        resources: ['*'],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        resources: ['*'],
      }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions execution logging (CloudWatch Logs vended log delivery: logs:*LogDelivery*, resource policies, DescribeLogGroups) and X-Ray tracing accept only Resource "*" (AWS Step Functions developer guide, "IAM policies for logging to CloudWatch Logs" and "X-Ray"); Lambda invocation is scoped to the three task functions.',
    });
    // CDK may not add to it: what the workflow may do is exactly what is written here.
    return role.withoutPolicyUpdates();
  }

  /** Lets the complaint API functions start executions (registration, reopen) and tells them which machine. */
  allowStart(functions: readonly CareLoopFunction[]): void {
    for (const fn of functions) {
      this.stateMachine.grantStartExecution(fn);
      fn.addEnvironment('ESCALATION_STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    }
  }

  /**
   * Lets the escalation audit view's function read this state machine's executions (DescribeExecution,
   * GetExecutionHistory) and nothing else: no other state machine's, no list, no start or stop.
   * The executionArn port needs the machine's ARN too.
   */
  allowAudit(functions: readonly CareLoopFunction[]): void {
    for (const fn of functions) {
      this.stateMachine.grantExecution(fn, 'states:DescribeExecution', 'states:GetExecutionHistory');
      fn.addEnvironment('ESCALATION_STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
      fn.acknowledgeGrant(
        auditGrantFinding(Stack.of(this).getLogicalId(this.stateMachine.node.defaultChild as CfnElement)),
        'Execution names are chosen per complaint and round (<complaintId>, <complaintId>-r<round>), so reading them takes the executions of the escalation state machine (…:execution:<its name>:*): that machine only, and only DescribeExecution and GetExecutionHistory.',
      );
    }
  }

  /** Email through SES from the sender identity only; SMS through SNS, which offers direct-to-phone publishing on "*" only. */
  private allowNotices(fn: CareLoopFunction, senderEmail: string, configurationSet?: EmailConfigurationSet): void {
    allowEmail([fn], senderEmail, configurationSet);
    fn.grantOnAnyResource(
      ['sns:Publish'],
      'SNS publishes an SMS straight to a phone number only with Resource "*" (no topic ARN exists for it)',
    );
  }
}

/**
 * The state machine, built with the fluent API: the milestone loop is written once
 * (milestoneStates) and chained for respond → solution → close.
 */
export function escalationDefinition(scope: Construct, functions: TaskFunctions): sfn.IChainable {
  const closed = new sfn.Succeed(scope, 'Closed', {
    stateName: 'Complaint closed',
    comment: 'The complaint was closed: nothing left to watch.',
  });
  const allDecided = new sfn.Succeed(scope, 'AllDecided', { stateName: 'All milestones decided' });
  const elsewhere = new sfn.Succeed(scope, 'Superseded', {
    stateName: 'Nothing to watch in this round',
    comment: 'The complaint was reopened (a newer execution watches it) or was never stored.',
  });
  const unexpected = new sfn.Fail(scope, 'Unexpected', {
    stateName: 'Unexpected task answer',
    error: 'UnexpectedOutcome',
    cause: 'A task answered an outcome this workflow does not know.',
  });

  let next: sfn.IChainable = allDecided;
  for (const milestone of [...MILESTONES].reverse()) {
    next = milestoneStates(scope, milestone, functions, { next, closed, elsewhere, unexpected });
  }
  return announceStep(scope, functions, next);
}

/**
 * The first step: the customer's acknowledgement and the owner's notice go out as the complaint
 * is stored, not on the follow-up job's next run. They are follow-up tasks sent once through the
 * ledger, so a retry here or a later run of the job sends nothing twice; if this step fails
 * anyway, the job sends them and the workflow goes on watching the deadlines.
 */
function announceStep(scope: Construct, functions: TaskFunctions, next: sfn.IChainable): sfn.IChainable {
  const announce = new tasks.LambdaInvoke(scope, 'Announce', {
    stateName: 'Tell the customer and the owner',
    lambdaFunction: functions.check.function,
    payloadResponseOnly: true,
    // Lambda's service errors are retried by retryThrottling, first, for minutes (CDK's default retrier gave ~2).
    retryOnServiceExceptions: false,
    payload: sfn.TaskInput.fromObject({
      complaintId: sfn.JsonPath.stringAt('$.complaintId'),
      round: sfn.JsonPath.numberAt('$.round'),
      milestone: 'respond',
      announce: true,
    }),
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
  });
  retryThrottling(announce);
  announce.addRetry({
    errors: RETRIED_ERRORS,
    interval: Duration.seconds(5),
    backoffRate: 2,
    maxAttempts: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  announce.addCatch(next, { errors: ['States.ALL'], resultPath: '$.announceFailure' });
  announce.next(next);
  return announce;
}

function milestoneStates(
  scope: Construct,
  milestone: MilestoneName,
  functions: TaskFunctions,
  ends: { next: sfn.IChainable; closed: sfn.State; elsewhere: sfn.State; unexpected: sfn.State },
): sfn.IChainable {
  const { kpi, noun } = MILESTONE_LABELS[milestone];
  const id = (part: string) => `${capitalized(milestone)}${part}`;
  const taskInput = (extra: Record<string, unknown> = {}) =>
    sfn.TaskInput.fromObject({
      complaintId: sfn.JsonPath.stringAt('$.complaintId'),
      round: sfn.JsonPath.numberAt('$.round'),
      milestone,
      ...extra,
    });

  const recordFailure = new tasks.LambdaInvoke(scope, id('RecordFailure'), {
    stateName: `Record failure: ${noun} milestone`,
    lambdaFunction: functions.recordFailure.function,
    payloadResponseOnly: true,
    // Lambda's service errors are retried by retryThrottling, first, for minutes (CDK's default retrier gave ~2).
    retryOnServiceExceptions: false,
    payload: taskInput({ error: sfn.JsonPath.objectAt('$.failure') }),
    resultPath: RESULT_PATH,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
  });
  retryThrottling(recordFailure);
  recordFailure.addRetry({
    errors: ['TransientError'],
    interval: Duration.seconds(5),
    backoffRate: 2,
    maxAttempts: 6,
    maxDelay: Duration.minutes(5),
  });
  // Even a failure that cannot be recorded does not end the watch: the next milestone is still watched. It
  // passes through a state of its own, whose entry in the execution log raises the UnrecordedEscalationFailures
  // alarm (constructs/operations.ts): a milestone never passes unrecorded without someone being told.
  const unrecorded = new sfn.Pass(scope, id('Unrecorded'), {
    stateName: unrecordedFailureState(noun),
    comment: 'The failure could not be recorded on the timeline either: the execution log entry of this state alarms.',
  });
  unrecorded.next(ends.next);
  recordFailure.addCatch(unrecorded, { errors: ['States.ALL'], resultPath: '$.unrecordedFailure' });
  recordFailure.next(ends.next);

  const invoke = (part: string, stateName: string, fn: CareLoopFunction) => {
    const state = new tasks.LambdaInvoke(scope, id(part), {
      stateName,
      lambdaFunction: fn.function,
      payloadResponseOnly: true,
      // Lambda's service errors are retried by retryThrottling, first, for minutes (CDK's default retrier gave ~2).
      retryOnServiceExceptions: false,
      payload: taskInput(),
      resultPath: RESULT_PATH,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
    });
    retryThrottling(state);
    state.addRetry({
      errors: RETRIED_ERRORS,
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 4,
      maxDelay: Duration.minutes(2),
      jitterStrategy: sfn.JitterType.FULL,
    });
    state.addCatch(recordFailure, { errors: ['States.ALL'], resultPath: '$.failure' });
    return state;
  };

  const check = invoke('Check', `Check ${noun} milestone`, functions.check);
  const escalate = invoke('Escalate', `Escalate: ${noun} overdue`, functions.escalate);
  const waitForWarning = new sfn.Wait(scope, id('WaitForWarning'), {
    stateName: `Wait until ${kpi} deadline warning`,
    time: sfn.WaitTime.timestampPath(`$.deadlines.${milestone}.warnAt`),
  });
  const waitForDeadline = new sfn.Wait(scope, id('WaitForDeadline'), {
    stateName: `Wait for ${kpi} deadline`,
    time: sfn.WaitTime.timestampPath(`${RESULT_PATH}.wakeAt`),
  });
  const waitForDaytime = new sfn.Wait(scope, id('WaitForDaytime'), {
    stateName: `Wait for quiet hours to end: ${noun} notice`,
    time: sfn.WaitTime.timestampPath(`${RESULT_PATH}.wakeAt`),
  });

  const route = new sfn.Choice(scope, id('Route'), { stateName: `${capitalized(noun)}: met, due or overdue?` })
    .when(is('met', 'escalated', 'at_top'), ends.next)
    .when(is('wait'), waitForDeadline)
    .when(is('overdue'), escalate)
    .when(is('notify_later'), waitForDaytime)
    .when(is('closed'), ends.closed)
    .when(is('superseded', 'not_found'), ends.elsewhere)
    .otherwise(ends.unexpected);

  waitForWarning.next(check);
  check.next(route);
  waitForDeadline.next(check);
  escalate.next(route);
  waitForDaytime.next(escalate);
  return waitForWarning;
}
