import { beforeAll, describe, expect, it } from 'vitest';
import { UNRECORDED_FAILURE_STATES } from '../../../infra/aws/constructs/escalation.js';
import { API_5XX_RATE_PERCENT, UNRECORDED_ESCALATION_FAILURES } from '../../../infra/aws/constructs/operations.js';
import { ROUTES } from '../../../shared/http/routes/index.js';
import { OPERATIONS_ALERTS_ENV } from '../../../shared/notify/ports.js';
import { OPERATIONAL_METRICS, OPERATIONS_NAMESPACE } from '../../../shared/observability/operations.js';
import { SCHEDULES } from '../../../shared/schedules.js';
import { statementsOfRole, synthStack, templateOf } from './synth.js';

type Built = ReturnType<typeof synthStack> & ReturnType<typeof templateOf>;
let built: Built;
beforeAll(() => {
  const synth = synthStack();
  built = { ...synth, ...templateOf(synth.stack) };
});

type MetricStat = {
  Metric: { Namespace: string; MetricName: string; Dimensions?: Array<{ Name: string; Value: any }> };
};
const alarms = () =>
  Object.entries(built.resources)
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
    .map(([id, r]): Record<string, any> => ({ id, ...r.Properties }));
/** Every metric an alarm reads, single or inside metric math. */
const metricsOf = (alarm: Record<string, any>): MetricStat['Metric'][] =>
  alarm.Metrics
    ? (alarm.Metrics as Array<{ MetricStat?: MetricStat }>).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []))
    : [{ Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions }];

describe('operations alarms', () => {
  it('all notify the one operations topic, and nothing else', () => {
    const topic = built.resourceOf(built.stack.operations.topic).logicalId;
    expect(alarms().length).toBeGreaterThanOrEqual(7);
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions, alarm.id).toEqual([{ Ref: topic }]);
      expect(alarm.OKActions, alarm.id).toBeUndefined();
    }
    // The other topic carries SES delivery events to the receipts queue, never an alarm.
    built.template.resourceCountIs('AWS::SNS::Topic', 2);
    expect(built.resourceOf(built.stack.deliveryStatus.topic).logicalId).not.toBe(topic);
  });

  it('watch the API 5xx rate', () => {
    const api = alarms().find((a) => metricsOf(a).some((m) => m.MetricName === '5XXError'))!;
    expect(api).toBeDefined();
    expect(
      metricsOf(api)
        .map((m) => m.MetricName)
        .sort(),
    ).toEqual(['5XXError', 'Count']);
    expect(api.Threshold).toBe(API_5XX_RATE_PERCENT);
    expect(JSON.stringify(api.Metrics)).toContain('100 * errors / requests');
  });

  it.each(['Errors', 'Throttles'])('watch Lambda %s of every function in the stack', (kind) => {
    const watched = new Set(
      alarms()
        .flatMap(metricsOf)
        .filter((m) => m.Namespace === 'AWS/Lambda' && m.MetricName === kind)
        .map((m) => JSON.stringify(m.Dimensions![0]!.Value)),
    );
    const functions = Object.entries(built.resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(10);
    for (const [logicalId] of functions) expect(watched, logicalId).toContain(JSON.stringify({ Ref: logicalId }));
    for (const alarm of alarms().filter((a) => metricsOf(a).some((m) => m.MetricName === kind)))
      expect(metricsOf(alarm).length, 'metric math takes at most 10 metrics').toBeLessThanOrEqual(10);
  });

  it('watch failed, timed-out and aborted escalation executions', () => {
    const machine = built.resourceOf(built.stack.escalation!.stateMachine).logicalId;
    const alarm = alarms().find((a) => metricsOf(a).some((m) => m.Namespace === 'AWS/States'))!;
    expect(
      metricsOf(alarm)
        .map((m) => m.MetricName)
        .sort(),
    ).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
    expect(JSON.stringify(metricsOf(alarm)[0]!.Dimensions)).toContain(machine);
    expect(alarm.Threshold).toBe(0);
    expect(alarm.ComparisonOperator).toBe('GreaterThanThreshold');
  });

  it('watch milestones passed with an unrecorded failure, from the escalation execution log (#27.10)', () => {
    const logGroup = built.resourceOf(built.stack.escalation!.logGroup).logicalId;
    const filters = Object.values(built.template.findResources('AWS::Logs::MetricFilter')).filter(
      (f) => JSON.stringify(f.Properties.LogGroupName) === JSON.stringify({ Ref: logGroup }),
    );
    expect(filters).toHaveLength(1);
    const { FilterPattern: pattern, MetricTransformations } = filters[0]!.Properties;
    expect(MetricTransformations).toEqual([
      { MetricNamespace: OPERATIONS_NAMESPACE, MetricName: UNRECORDED_ESCALATION_FAILURES, MetricValue: '1' },
    ]);
    // The entry of each milestone's "Unrecorded failure" state, by the names the workflow gives them.
    expect(pattern).toContain('$.type = "PassStateEntered"');
    for (const state of UNRECORDED_FAILURE_STATES) expect(pattern).toContain(`$.details.name = "${state}"`);
    const definition = JSON.stringify(built.resourceOf(built.stack.escalation!.stateMachine).Properties);
    for (const state of UNRECORDED_FAILURE_STATES)
      expect(definition).toContain(`\\"${state}\\":{\\"Type\\":\\"Pass\\"`);
    // The execution log holds every state entry (level ALL), so the filter sees them.
    expect(definition).toContain('"Level":"ALL"');
    const alarm = alarms().find((a) => a.MetricName === UNRECORDED_ESCALATION_FAILURES)!;
    expect(alarm).toMatchObject({ Namespace: OPERATIONS_NAMESPACE, Threshold: 0, Statistic: 'Sum' });
  });

  it('watch the depth of the schedules’ dead-letter queue', () => {
    const queue = built.resourceOf(built.stack.jobs.deadLetters).logicalId;
    const alarm = alarms().find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')!;
    expect(JSON.stringify(alarm.Dimensions)).toContain(queue);
    expect(alarm.Threshold).toBe(0);
  });

  it.each(Object.values(OPERATIONAL_METRICS))('watch the jobs’ %s metric', (name) => {
    const alarm = alarms().find((a) => a.MetricName === name)!;
    expect(alarm).toMatchObject({
      Namespace: OPERATIONS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: 'careloop' }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('check on the 2nd, in the schedule’s zone, that last month’s report was emailed', () => {
    const check = SCHEDULES.find((s) => s.id === 'monthlyReportCheck')!;
    expect(check.expression).toBe('cron(0 8 2 * ? *)');
    expect(check.timezone).toBe(SCHEDULES.find((s) => s.id === 'monthlyReport')!.timezone);
  });
});

describe('the operations topic', () => {
  it('is encrypted with a rotating key CloudWatch may use, and refuses plain HTTP', () => {
    const topic = built.resourceOf(built.stack.operations.topic);
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    built.template.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const keyId = (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const key = built.resources[keyId]!;
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(JSON.stringify(key.Properties.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
    expect(JSON.stringify(built.template.findResources('AWS::SNS::TopicPolicy'))).toContain('aws:SecureTransport');
  });

  it('has no subscriber unless careloop:operationsEmail is given (nothing goes to a placeholder)', () => {
    // The one subscription without it: the SES events topic's receipts queue.
    const subscriptions = (template: typeof built.template) =>
      Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => s.Properties.Protocol);
    expect(subscriptions(built.template)).toEqual(['sqs']);
    const { stack } = synthStack({ config: { operationsEmail: 'oncall@example.org' } });
    const { template } = templateOf(stack);
    expect(subscriptions(template).sort()).toEqual(['email', 'sqs']);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.org' });
  });

  it('GET /health lists careloop:operationsEmail as missing while the alarms reach nobody (#27.10)', () => {
    const healthEnv = (synth: ReturnType<typeof synthStack>) => {
      const { resourceOf } = templateOf(synth.stack);
      return resourceOf(synth.stack.api.functionOf('health').function).Properties.Environment.Variables;
    };
    expect(healthEnv(built)).toMatchObject({ [OPERATIONS_ALERTS_ENV]: 'unsubscribed' });
    expect(healthEnv(synthStack({ config: { operationsEmail: 'oncall@example.org' } }))).toMatchObject({
      [OPERATIONS_ALERTS_ENV]: 'subscribed',
    });
  });
});

describe('scheduled runs that fail', () => {
  it.each(SCHEDULES.map((s) => [s.id] as const))('%s goes to the dead-letter queue after its retries', () => {
    const queue = built.resourceOf(built.stack.jobs.deadLetters).logicalId;
    const schedules = Object.values(built.template.findResources('AWS::Scheduler::Schedule'));
    expect(schedules).toHaveLength(SCHEDULES.length);
    for (const schedule of schedules)
      expect(schedule.Properties.Target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queue, 'Arn'] } });
  });

  it.each(SCHEDULES.map((s) => [s.id] as const))(
    '%s: a run that throws goes to the same queue after Lambda retries it (on-failure destination, #27.10)',
    (id) => {
      const queue = built.resourceOf(built.stack.jobs.deadLetters).logicalId;
      const fn = built.resourceOf(built.stack.jobs.function(id).function).logicalId;
      const configs = Object.values(built.template.findResources('AWS::Lambda::EventInvokeConfig')).filter(
        (c) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: fn }),
      );
      expect(configs).toHaveLength(1);
      expect(configs[0]!.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
      });
      const role = built.resourceOf(built.stack.jobs.function(id).role).logicalId;
      expect(JSON.stringify(statementsOfRole(built.resources, role))).toContain(
        JSON.stringify({ 'Fn::GetAtt': [queue, 'Arn'] }),
      );
    },
  );

  it.each(ROUTES.filter((r) => r.startsJob).map((r) => [r.id, r.startsJob] as const))(
    '%s: the %s job its function runs by invoking itself goes to the same queue after Lambda retries it (#27.10)',
    (routeId) => {
      const queue = built.resourceOf(built.stack.jobs.deadLetters).logicalId;
      const fn = built.resourceOf(built.stack.api.functionOf(routeId).function).logicalId;
      const configs = Object.values(built.template.findResources('AWS::Lambda::EventInvokeConfig')).filter(
        (c) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: fn }),
      );
      expect(configs).toHaveLength(1);
      expect(configs[0]!.Properties.DestinationConfig).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } },
      });
    },
  );

  it('the scheduler may send to that queue, and the queue is encrypted and TLS-only', () => {
    const queue = built.resourceOf(built.stack.jobs.deadLetters);
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    const policies = Object.values(built.template.findResources('AWS::IAM::Policy'));
    const scheduler = policies.find((p) => JSON.stringify(p.Properties.Roles).includes('SchedulerRole'))!;
    expect(JSON.stringify(scheduler.Properties.PolicyDocument)).toContain('sqs:SendMessage');
    expect(JSON.stringify(built.template.findResources('AWS::SQS::QueuePolicy'))).toContain('aws:SecureTransport');
  });
});

describe('delivery receipts that fail (#27.10)', () => {
  it('an email event SNS cannot deliver to the queue goes to the receipts dead-letter queue (subscription redrive)', () => {
    const queue = built.resourceOf(built.stack.deliveryStatus.deadLetters).logicalId;
    const [subscription] = Object.values(built.template.findResources('AWS::SNS::Subscription')).filter(
      (s) => s.Properties.Protocol === 'sqs',
    );
    expect(subscription!.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [queue, 'Arn'] },
    });
  });

  it('an SMS receipt (CloudWatch Logs invokes asynchronously) goes there too once Lambda gave up', () => {
    const queue = built.resourceOf(built.stack.deliveryStatus.deadLetters).logicalId;
    const fn = built.resourceOf(built.stack.deliveryStatus.receipts.function).logicalId;
    const configs = Object.values(built.template.findResources('AWS::Lambda::EventInvokeConfig')).filter(
      (c) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: fn }),
    );
    expect(configs.map((c) => c.Properties.DestinationConfig)).toEqual([
      { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    ]);
  });
});
