import { describe, expect, it } from 'vitest';
import { WECHAT_SECRET_ENV } from '../../../shared/notify/wechat.js';
import { rolesWithStatements, statementsOfRole, synthStack, templateOf } from './synth.js';

describe('the WeChat credentials', () => {
  const { stack } = synthStack();
  const { template, resources, resourceOf } = templateOf(stack);
  const secret = resourceOf(stack.wechat.secret);
  const secretRef = { Ref: secret.logicalId };

  it('are a Secrets Manager secret the stack creates without a value in the template', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    // A generated placeholder with no app id: the adapter reports the channel as not set up until an operator puts it.
    expect(secret.Properties.GenerateSecretString).toEqual({
      SecretStringTemplate: JSON.stringify({ appId: '' }),
      GenerateStringKey: 'secret',
      ExcludePunctuation: true,
    });
    expect(secret.Properties.SecretString).toBeUndefined();
  });

  it('are readable by the functions that message customers only, GetSecretValue on that one secret', () => {
    const readers = [stack.jobs.function('followUps'), stack.escalation!.functions.check];
    const readerRoles = new Set(readers.map((fn) => resourceOf(fn.role).logicalId));
    const grants = rolesWithStatements(resources).flatMap(({ roleId, statements }) =>
      statements
        .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')))
        .map((statement) => ({ roleId, statement })),
    );
    expect(new Set(grants.map((grant) => grant.roleId))).toEqual(readerRoles);
    for (const { statement } of grants) {
      expect(statement.Action).toBe('secretsmanager:GetSecretValue');
      expect(statement.Resource).toEqual(secretRef);
    }
    // No other statement anywhere names the secret (no wildcard that would cover it either).
    const secretMentions = rolesWithStatements(resources)
      .flatMap(({ statements }) => statements)
      .filter((statement) => JSON.stringify(statement.Resource).includes(secret.logicalId));
    expect(secretMentions).toHaveLength(grants.length);
  });

  it('are named to the readers in their environment, and to no other function', () => {
    const readers = [stack.jobs.function('followUps'), stack.escalation!.functions.check];
    for (const fn of readers)
      expect(resourceOf(fn.function).Properties.Environment.Variables[WECHAT_SECRET_ENV]).toEqual(secretRef);
    const others = [
      ...stack.api.all().map(({ fn }) => fn),
      ...stack.jobs.all(),
      ...Object.values(stack.escalation!.functions),
    ].filter((fn) => !readers.includes(fn));
    expect(others.length).toBeGreaterThan(10);
    for (const fn of others)
      expect(resourceOf(fn.function).Properties.Environment.Variables[WECHAT_SECRET_ENV], fn.node.path).toBeUndefined();
  });
});

describe('delivery status', () => {
  const { stack } = synthStack();
  const { template, resources, resourceOf } = templateOf(stack);
  const status = stack.deliveryStatus;
  const id = (construct: Parameters<typeof resourceOf>[0]) => resourceOf(construct).logicalId;

  it('publishes every email’s bounces, complaints and deliveries from its configuration set to the SNS topic', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: id(status.configurationSet) },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint', 'delivery'],
        SnsDestination: { TopicARN: { Ref: id(status.topic) } },
      },
    });
    // The topic's own key, which SES may use to publish (an AWS-managed key would refuse it).
    const keyId = resourceOf(status.topic).Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
    const keyPolicy = JSON.stringify(resources[keyId]!.Properties.KeyPolicy);
    expect(keyPolicy).toContain('ses.amazonaws.com');
    // Every function that emails sends with the configuration set, and may (its ARN is in its SES grant).
    const emailers = rolesWithStatements(resources)
      .flatMap(({ statements }) => statements)
      .filter((statement) => [statement.Action].flat().includes('ses:SendEmail'));
    expect(emailers.length).toBeGreaterThan(3);
    for (const statement of emailers) expect(JSON.stringify(statement.Resource)).toContain('configuration-set/');
    const followUps = resourceOf(stack.jobs.function('followUps').function).Properties.Environment.Variables;
    expect(followUps.CARELOOP_SES_CONFIGURATION_SET).toEqual({ Ref: id(status.configurationSet) });
  });

  it('delivers them raw to an encrypted queue with a dead-letter queue whose depth alarms', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      TopicArn: { Ref: id(status.topic) },
      Endpoint: { 'Fn::GetAtt': [id(status.queue), 'Arn'] },
    });
    const queue = resourceOf(status.queue).Properties;
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [id(status.deadLetters), 'Arn'] },
      maxReceiveCount: 5,
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const depth = alarms.find((alarm) =>
      JSON.stringify(alarm.Properties.Dimensions ?? []).includes(id(status.deadLetters)),
    );
    expect(depth?.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      AlarmActions: [{ Ref: id(stack.operations.topic) }],
    });
  });

  it('runs the receipts function from the queue with partial batch failures, receiving from that queue only', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [id(status.queue), 'Arn'] },
      FunctionName: { Ref: id(status.receipts.function) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(resourceOf(status.receipts.function).Properties.Handler).toBe('index.deliveryEvents');
    const statements = statementsOfRole(resources, id(status.receipts.role));
    const sqs = statements.filter((s) => [s.Action].flat().some((action) => action.startsWith('sqs:')));
    const receiving = sqs.filter((s) => [s.Action].flat().includes('sqs:ReceiveMessage'));
    expect(receiving.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [id(status.queue), 'Arn'] }]);
    // …and it may send to its dead-letter queue only: the on-failure destination of an SMS receipt (#27.10).
    const sending = sqs.filter((s) => !receiving.includes(s));
    expect(sending.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [id(status.deadLetters), 'Arn'] }]);
    expect(sending.flatMap((s) => [s.Action].flat()).every((a) => /^sqs:(SendMessage|GetQueue)/.test(a))).toBe(true);
    // It sends nothing and reads no secret.
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => /^(ses|sns|secretsmanager):/.test(a))).toEqual([]);
  });

  it('subscribes the same function to SNS’s SMS delivery status log groups, which SNS writes with a role of its own', () => {
    const filters = Object.values(template.findResources('AWS::Logs::SubscriptionFilter'));
    expect(filters).toHaveLength(2);
    for (const filter of filters)
      expect(filter.Properties.DestinationArn).toEqual({ 'Fn::GetAtt': [id(status.receipts.function), 'Arn'] });
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'))
      .map((group) => JSON.stringify(group.Properties.LogGroupName ?? ''))
      .filter((name) => name.includes('DirectPublishToPhoneNumber'));
    expect(groups).toHaveLength(2);
    const role = resourceOf(status.smsStatusRole);
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('sns.amazonaws.com');
    const smsStatements = statementsOfRole(resources, role.logicalId);
    expect(smsStatements.flatMap((s) => [s.Action].flat()).sort()).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    expect(JSON.stringify(smsStatements)).not.toContain('"*"');
  });
});
