/**
 * Scheduled jobs: one Lambda per schedule declared in shared/schedules.ts, fired by an
 * EventBridge Scheduler schedule in the schedule's own time zone (so "08:00 on the 1st"
 * is 08:00 in Shanghai), with retries when the job fails, and a dead-letter queue for the runs
 * the scheduler gives up on (its depth is alarmed, constructs/operations.ts). The local runtime
 * fires the same declarations from its clock.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SENDER_EMAIL_ENV } from '../../../shared/notify/ports.js';
import { SES_CONFIGURATION_SET_ENV } from '../../../shared/notify/ses.js';
import type { ScheduleDeclaration } from '../../../shared/schedules.js';
import { MAIN_TABLE } from '../../../shared/store/table.js';
import { writeExportEntry } from '../entries.js';
import type { Data } from './data.js';
import { CareLoopFunction } from './lambda.js';

export interface JobsProps {
  schedules: readonly ScheduleDeclaration[];
  data: Data;
  /** Environment every job gets (e.g. the sender address). */
  environment?: Record<string, string>;
}

const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

export class Jobs extends Construct {
  private readonly functions = new Map<string, CareLoopFunction>();
  /** Where EventBridge Scheduler puts a run it could not deliver after its retries. */
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);
    const invoker = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler invoke the CareLoop job functions',
    });
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const asDeadLetterQueue =
      'This queue is itself a dead-letter queue: of the EventBridge Scheduler schedules (Target.DeadLetterConfig) and the on-failure destination of every asynchronously invoked job run (EventInvokeConfig), which cdk-nag cannot see because no SQS redrive policy points at it; a dead-letter queue has no dead-letter queue of its own, and its depth is alarmed to the operations topic.';
    Validations.of(this.deadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: asDeadLetterQueue });
    Validations.of(this.deadLetters).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: asDeadLetterQueue });
    this.deadLetters.grantSendMessages(invoker);
    for (const schedule of props.schedules) {
      const fn = new CareLoopFunction(this, pascal(schedule.id), {
        entry: writeExportEntry(schedule.capability, schedule.handler),
        handler: schedule.handler,
        description: schedule.description,
        // Jobs read counters, not records, so minutes are plenty even at 10× the volume.
        timeout: Duration.minutes(5),
        memorySize: 1024,
        ...(props.environment ? { environment: props.environment } : {}),
      });
      props.data.connect(fn, MAIN_TABLE, 'readWrite');
      // The function itself, not `function:*` (grantInvoke would add versions and aliases).
      invoker.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.function.functionArn] }),
      );
      new CfnSchedule(this, `${pascal(schedule.id)}Schedule`, {
        description: schedule.description,
        scheduleExpression: schedule.expression,
        scheduleExpressionTimezone: schedule.timezone,
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: fn.function.functionArn,
          roleArn: invoker.roleArn,
          // A failed run (e.g. SES throttled) is retried; each job is safe to repeat.
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 6 * 3600 },
          // A run still failing after its retries (or undeliverable) is kept here and alarms.
          deadLetterConfig: { arn: this.deadLetters.queueArn },
        },
      });
      // The scheduler invokes asynchronously: its dead-letter queue sees only deliveries that failed, not a run
      // that threw. Lambda retries a failed run twice, then puts the event on the same queue (alarmed).
      fn.sendAsyncFailuresTo(this.deadLetters, `its EventBridge Scheduler schedule (${schedule.id})`);
      this.functions.set(schedule.id, fn);
    }
  }

  /**
   * A function that runs the jobs its routes start by invoking itself asynchronously (shared/jobs/lambda.ts:
   * an erasure, an export, a campaign launch): a run still failing after Lambda's two retries lands on the
   * same alarmed queue as a failed scheduled run, with its event, instead of being dropped.
   */
  catchFailedRuns(fn: CareLoopFunction): void {
    fn.sendAsyncFailuresTo(
      this.deadLetters,
      'itself, for the jobs its routes start (it is also invoked synchronously by API Gateway)',
    );
  }

  /** Every job function. */
  all(): CareLoopFunction[] {
    return [...this.functions.values()];
  }

  /** The function of a declared schedule, e.g. `jobs.function('monthlyReport')`. */
  function(scheduleId: string): CareLoopFunction {
    const fn = this.functions.get(scheduleId);
    if (!fn) throw new Error(`No job for schedule ${scheduleId} (see shared/schedules.ts)`);
    return fn;
  }
}

/** The SES configuration set email goes out with, so its delivery events come back (constructs/messaging.ts). */
export interface EmailConfigurationSet {
  name: string;
  arn: string;
}

/**
 * Lets functions send email through SES as `senderEmail` (the address, or its verified domain),
 * with `configurationSet` when given (SES authorizes a send on the configuration set too).
 */
export function allowEmail(
  functions: CareLoopFunction[],
  senderEmail: string,
  configurationSet?: EmailConfigurationSet,
): void {
  const [first] = functions;
  if (!first) throw new Error('allowEmail needs at least one function to grant');
  const stack = Stack.of(first);
  const domain = senderEmail.split('@')[1];
  if (!domain) throw new Error(`the sender email "${senderEmail}" has no domain to verify`);
  const identity = (name: string) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
  for (const fn of functions) {
    fn.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [identity(senderEmail), identity(domain), ...(configurationSet ? [configurationSet.arn] : [])],
      }),
    );
    fn.addEnvironment(SENDER_EMAIL_ENV, senderEmail);
    if (configurationSet) fn.addEnvironment(SES_CONFIGURATION_SET_ENV, configurationSet.name);
  }
}
