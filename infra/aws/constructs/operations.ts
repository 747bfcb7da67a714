/**
 * When CareLoop breaks, someone knows: one operations SNS topic (its email subscription is the
 * deploy parameter `careloop:operationsEmail`) and the alarms that notify it — API 5xx rate,
 * Lambda errors and throttles, failed or timed-out escalation executions, escalation failures
 * that could not be recorded, messages in the
 * schedules' dead-letter queue, follow-ups that ended `failed`, and the monthly report not
 * emailed by the 2nd. No alarm sends anywhere else, and nothing is subscribed unless configured.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { OPERATIONAL_METRICS, OPERATIONS_NAMESPACE } from '../../../shared/observability/operations.js';
import { UNRECORDED_FAILURE_STATES } from './escalation.js';
import type { CareLoopFunction } from './lambda.js';
import { SERVICE_NAME } from './lambda.js';

/** The metric counting milestones passed with an unrecorded failure (from the escalation execution log). */
export const UNRECORDED_ESCALATION_FAILURES = 'UnrecordedEscalationFailures';

/** Alarm when more than this share of API requests answer 5xx over 5 minutes (with at least 20 requests). */
export const API_5XX_RATE_PERCENT = 5;
/** CloudWatch alarms on metric math take at most 10 metrics; functions are summed in groups of this size. */
const METRICS_PER_ALARM = 10;

export interface OperationsProps {
  /** Where the alarms go: an email address subscribed to the topic; no subscription when absent. */
  operationsEmail?: string;
}

export class Operations extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    // A customer-managed key: CloudWatch can publish to an encrypted topic only through a key policy that lets it.
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the CareLoop operations topic; CloudWatch alarms may use it to publish',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'CareLoop operations alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.operationsEmail) this.topic.addSubscription(new EmailSubscription(props.operationsEmail));
    this.action = new SnsAction(this.topic);
  }

  /** API 5xx answers above API_5XX_RATE_PERCENT of requests over 5 minutes. */
  watchApi(api: RestApi): void {
    const period = Duration.minutes(5);
    const errors = api.metricServerError({ period, statistic: 'Sum' });
    const count = api.metricCount({ period, statistic: 'Sum' });
    this.alarm('Api5xxRate', {
      description: `More than ${API_5XX_RATE_PERCENT}% of API requests answered 5xx over 5 minutes`,
      metric: new MathExpression({
        expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
        usingMetrics: { errors, requests: count },
        period,
        label: 'API 5xx rate (%)',
      }),
      threshold: API_5XX_RATE_PERCENT,
    });
  }

  /** Any error or throttle of any of these functions (summed ten at a time: one alarm per group and kind). */
  watchFunctions(functions: readonly CareLoopFunction[]): void {
    const period = Duration.minutes(5);
    for (let start = 0; start < functions.length; start += METRICS_PER_ALARM) {
      const group = functions.slice(start, start + METRICS_PER_ALARM);
      const n = start / METRICS_PER_ALARM + 1;
      for (const [kind, metricOf] of [
        ['Errors', (fn: CareLoopFunction) => fn.function.metricErrors({ period, statistic: 'Sum' })],
        ['Throttles', (fn: CareLoopFunction) => fn.function.metricThrottles({ period, statistic: 'Sum' })],
      ] as const) {
        const usingMetrics: Record<string, IMetric> = Object.fromEntries(group.map((fn, i) => [`m${i}`, metricOf(fn)]));
        this.alarm(`Lambda${kind}${n}`, {
          description: `Lambda ${kind.toLowerCase()} in: ${group.map((fn) => fn.node.path).join(', ')}`.slice(0, 1024),
          metric: new MathExpression({
            expression: Object.keys(usingMetrics).join(' + '),
            usingMetrics,
            period,
            label: `Lambda ${kind.toLowerCase()} (group ${n})`,
          }),
          threshold: 0,
        });
      }
    }
  }

  /**
   * An escalation execution that failed, timed out or was aborted: a complaint may have lost its watch.
   * And a milestone whose failure could not even be recorded on the timeline (the workflow goes on to
   * the next milestone through an `Unrecorded failure: …` state): counted from the execution log.
   */
  watchWorkflow(stateMachine: StateMachine, executionLog: ILogGroup): void {
    const unrecorded = new MetricFilter(this, 'UnrecordedEscalationFailuresFilter', {
      logGroup: executionLog,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.type', '=', 'PassStateEntered'),
        FilterPattern.any(
          ...UNRECORDED_FAILURE_STATES.map((state) => FilterPattern.stringValue('$.details.name', '=', state)),
        ),
      ),
      metricNamespace: OPERATIONS_NAMESPACE,
      metricName: UNRECORDED_ESCALATION_FAILURES,
      metricValue: '1',
    });
    this.alarm('UnrecordedEscalationFailures', {
      description:
        'An escalation step failed and its failure could not be recorded on the complaint timeline either: the workflow went on to the next milestone (see the execution log)',
      metric: unrecorded.metric({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
    });
    const period = Duration.minutes(5);
    this.alarm('EscalationExecutionsFailed', {
      description: 'An escalation workflow execution failed, timed out or was aborted',
      metric: new MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: stateMachine.metricFailed({ period, statistic: 'Sum' }),
          timedOut: stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
          aborted: stateMachine.metricAborted({ period, statistic: 'Sum' }),
        },
        period,
        label: 'Escalation executions failed, timed out or aborted',
      }),
      threshold: 0,
    });
  }

  /** Any message in a dead-letter queue: a scheduled job run EventBridge Scheduler gave up on. */
  watchDeadLetters(queue: Queue, name: string, what = 'a scheduled run that could not be delivered'): void {
    this.alarm(`${name}Depth`, {
      description: `Messages waiting in ${queue.node.path}: ${what}`,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
    });
  }

  /** The jobs' own operational metrics (shared/operations.ts). */
  watchJobs(): void {
    const metric = (name: string) =>
      new Metric({
        namespace: OPERATIONS_NAMESPACE,
        metricName: name,
        dimensionsMap: { service: SERVICE_NAME },
        period: Duration.hours(1),
        statistic: 'Sum',
      });
    this.alarm('FollowUpsFailed', {
      description: 'Follow-ups ended in failed (after their last attempt): see GET /followups',
      metric: metric(OPERATIONAL_METRICS.followUpsFailed),
      threshold: 0,
    });
    this.alarm('MonthlyReportNotEmailed', {
      description: 'Last month’s report was not emailed by the 2nd (checked at 08:00 on the 2nd)',
      metric: metric(OPERATIONAL_METRICS.monthlyReportNotEmailed),
      threshold: 0,
    });
  }

  private alarm(id: string, props: { description: string; metric: IMetric; threshold: number }): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data means nothing happened (no errors, no requests, no run).
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
