/**
 * Messaging beyond SES and SNS: the WeChat Official Account's credentials, kept in AWS Secrets
 * Manager and readable only by the functions that send customer messages.
 *
 * The stack creates the secret as `{"appId":"","secret":"<random>"}`: with no app id the WeChat
 * adapter reports the channel as not set up (shared/notify/wechat.ts, `wechat_not_configured`) and
 * every customer message falls back to the next channel of `messaging.channelOrder`. Once the
 * Official Account exists, put its credentials (never in the template, never in a log):
 *   aws secretsmanager put-secret-value --secret-id <WechatSecretArn output> \
 *     --secret-string '{"appId":"wx…","secret":"…"}'
 * A function reads the value once per cold start, so a new value reaches every function within
 * the life of its warm containers (update the functions' configuration to force it sooner).
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, LogGroup, RetentionDays, SubscriptionFilter } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WECHAT_SECRET_ENV } from '../../../shared/notify/wechat.js';
import { MAIN_TABLE } from '../../../shared/store/table.js';
import { writeExportEntry } from '../entries.js';
import type { Data } from './data.js';
import { CareLoopFunction } from './lambda.js';

export class WechatCredentials extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: { stage: string }) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: `CareLoop (${props.stage}): the WeChat Official Account's {"appId","secret"}, read by the functions that message customers`,
      // No plaintext in the template: a random placeholder secret and no app id (the channel counts as not set up).
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ appId: '' }),
        generateStringKey: 'secret',
        excludePunctuation: true,
      },
      // The credentials are WeChat's, re-issued in its console; a stack torn down takes its copy with it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret holds the WeChat Official Account AppSecret, which only WeChat issues (reset in the Official Account console, mp.weixin.qq.com); Secrets Manager cannot rotate it by itself, so an operator puts the new value with put-secret-value when it is reset.',
    });
  }

  /** Lets the functions read the credentials (GetSecretValue on this secret only) and names it in their environment. */
  allowRead(functions: CareLoopFunction[]): void {
    for (const fn of functions) {
      fn.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }),
      );
      fn.addEnvironment(WECHAT_SECRET_ENV, this.secret.secretArn);
    }
  }
}

export interface DeliveryStatusProps {
  stage: string;
  data: Data;
}

/**
 * Delivery status (api-contract.md "Channels (v1.2)"): what happened to a message after it left.
 *
 * - Email: an SES configuration set (every email function sends with it) publishes Bounce,
 *   Complaint and Delivery events to an SNS topic (encrypted with a key of its own that SES may
 *   use), which delivers them raw to an SQS queue; the receipts function reads the queue in
 *   batches, handing back only the records it could not record. A record that fails five times
 *   goes to the dead-letter queue, whose depth alarms (Operations.watchDeadLetters).
 * - SMS: SNS writes each SMS's delivery status to the log groups `sns/<region>/<account>/
 *   DirectPublishToPhoneNumber` (and `/Failure`), which this stack creates (one month: they hold
 *   phone numbers) and subscribes the same function to. SNS writes them once the account's SMS
 *   settings name the role this stack creates (output SmsDeliveryStatusRoleArn):
 *     aws sns set-sms-attributes --attributes \
 *       DeliveryStatusIAMRole=<SmsDeliveryStatusRoleArn>,DeliveryStatusSuccessSamplingRate=100
 *   (an account where SNS created those log groups already: delete them before the first deploy).
 */
export class DeliveryStatus extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly topic: sns.Topic;
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly receipts: CareLoopFunction;
  readonly smsStatusRole: iam.Role;

  constructor(scope: Construct, id: string, props: DeliveryStatusProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // SES publishes only to a topic whose key lets it: a key of our own, rotated yearly.
    const key = new kms.Key(this, 'EventsKey', {
      description: `CareLoop (${props.stage}): encrypts the SES delivery events topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.grant(new iam.ServicePrincipal('ses.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:Decrypt');
    this.topic = new sns.Topic(this, 'EmailEvents', {
      displayName: 'CareLoop email delivery events (SES)',
      masterKey: key,
      enforceSSL: true,
    });
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet');
    this.configurationSet.addEventDestination('ToTopic', {
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.DELIVERY],
    });

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const receiptsTimeout = Duration.seconds(30);
    this.queue = new Queue(this, 'EmailEventsQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the function's timeout, as Lambda advises for an SQS event source.
      visibilityTimeout: Duration.seconds(receiptsTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: 5 },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An event SNS cannot deliver to the queue (after its retries) is kept on the dead-letter queue too.
    this.topic.addSubscription(
      new SqsSubscription(this.queue, { rawMessageDelivery: true, deadLetterQueue: this.deadLetters }),
    );
    const asDeadLetterQueue =
      'This queue is itself the dead-letter queue of the email events queue (its redrive policy) and of the SNS subscription feeding it; a dead-letter queue has no dead-letter queue of its own, and its depth is alarmed to the operations topic (DeliveryReceiptDeadLetters).';
    Validations.of(this.deadLetters).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: asDeadLetterQueue });

    this.receipts = new CareLoopFunction(this, 'Receipts', {
      entry: writeExportEntry('followups', 'deliveryEvents'),
      handler: 'deliveryEvents',
      description: 'Records delivery receipts: SES bounces, complaints and deliveries; SNS SMS delivery status',
      timeout: receiptsTimeout,
    });
    props.data.connect(this.receipts, MAIN_TABLE, 'readWrite');
    // Through the function (its role may be shared): receive and delete from this queue only.
    this.queue.grantConsumeMessages(this.receipts);
    const source = new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true });
    this.receipts.function.addEventSource(source);
    const mapping = this.receipts.function.node.children.find((child) => child instanceof EventSourceMapping);
    if (mapping)
      Validations.of(mapping).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          "An SQS event source mapping takes no on-failure destination (Lambda offers one for stream and Kafka sources only): a receipt that fails stays on the email events queue and, after five receives, moves to its dead-letter queue by the queue's redrive policy, whose depth is alarmed.",
      });

    // SMS delivery status: SNS's own log groups (created here, with retention), subscribed to the same function.
    const logGroupName = (suffix: string) => `sns/${stack.region}/${stack.account}/DirectPublishToPhoneNumber${suffix}`;
    const groups = ['', '/Failure'].map(
      (suffix, i) =>
        new LogGroup(this, i ? 'SmsFailureLogs' : 'SmsLogs', {
          logGroupName: logGroupName(suffix),
          retention: RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    );
    // CloudWatch Logs invokes the function asynchronously: a receipt that keeps failing is kept, not dropped.
    this.receipts.sendAsyncFailuresTo(
      this.deadLetters,
      'the CloudWatch Logs subscriptions of the SMS delivery-status log groups (the email events come by its SQS event source, synchronously)',
    );
    const destination = new LambdaDestination(this.receipts.function);
    for (const [i, group] of groups.entries())
      new SubscriptionFilter(this, i ? 'SmsFailureReceipts' : 'SmsReceipts', {
        logGroup: group,
        destination,
        filterPattern: FilterPattern.allEvents(),
      });
    this.smsStatusRole = new iam.Role(this, 'SmsStatusRole', {
      assumedBy: new iam.ServicePrincipal('sns.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Lets SNS write SMS delivery status to the CareLoop SMS log groups (sns set-sms-attributes)',
      inlinePolicies: {
        logs: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: groups.map((group) => `${group.logGroupArn}`),
            }),
          ],
        }),
      },
    });
  }

  /** Email functions send with the configuration set (so their messages report back); its ARN joins their SES grant. */
  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }
}
