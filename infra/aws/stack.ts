/**
 * CareLoop on AWS: one stack composing one construct per capability. Every construct reads the
 * same declarations as the local runtime (shared/http/routes, shared/store/table.ts), so nothing
 * here names a table, a key or a route.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ROUTES, type RouteDeclaration } from '../../shared/http/routes/index.js';
import { publicBaseUrlFor } from '../../shared/links.js';
import { OPERATIONS_ALERTS_ENV, SENDER_EMAIL_ENV } from '../../shared/notify/ports.js';
import { SCHEDULES, type ScheduleDeclaration } from '../../shared/schedules.js';
import { MAIN_TABLE } from '../../shared/store/table.js';
import type { CareLoopConfig } from './config.js';
import { Api } from './constructs/api.js';
import { Auth } from './constructs/auth.js';
import { Data } from './constructs/data.js';
import { Escalation } from './constructs/escalation.js';
import { ExportFiles } from './constructs/exports.js';
import { allowEmail, Jobs } from './constructs/jobs.js';
import { DeliveryStatus, WechatCredentials } from './constructs/messaging.js';
import { Operations } from './constructs/operations.js';
import { SharedRoles } from './constructs/roles.js';
import { SecretKeyReaders, SurveyLinks } from './constructs/survey-links.js';

export interface CareLoopStackProps extends StackProps {
  config: CareLoopConfig;
  /** The routes to deploy; all declared routes by default (tests pass their own). */
  routes?: readonly RouteDeclaration[];
  /** The scheduled jobs to deploy; all declared schedules by default. */
  schedules?: readonly ScheduleDeclaration[];
}

export class CareLoopStack extends Stack {
  readonly config: CareLoopConfig;
  readonly data: Data;
  readonly auth: Auth;
  readonly api: Api;
  readonly jobs: Jobs;
  readonly operations: Operations;
  /** The WeChat Official Account's credentials (Secrets Manager), read by the functions that message customers. */
  readonly wechat: WechatCredentials;
  /** Delivery receipts: SES events (configuration set → SNS → SQS) and SNS SMS delivery status, to one function. */
  readonly deliveryStatus: DeliveryStatus;
  /** The complaint escalation workflow; absent when the stack deploys no complaint routes. */
  readonly escalation?: Escalation;

  constructor(scope: Construct, id: string, props: CareLoopStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    // Functions whose grants turn out identical run with one role (created at the end, after the last grant).
    const roles = new SharedRoles(this);

    // Foundation: tables, staff identities, and the REST API (one function per capability, reads apart, public apart).
    this.data = new Data(this, 'Data');
    this.auth = new Auth(this, 'Auth', { stage: config.stage });
    const routes = props.routes ?? ROUTES;
    this.api = new Api(this, 'Api', {
      stage: config.stage,
      routes,
      allowedOrigins: config.allowedOrigins,
      data: this.data,
      auth: this.auth,
    });

    // GET /health says when the sender is still the placeholder: it reads the address, it sends nothing.
    // So does it when the operations alarms reach nobody (no careloop:operationsEmail; a prod synth refuses that).
    if (routes.some((route) => route.id === 'health'))
      this.api
        .functionOf('health')
        .addEnvironment(SENDER_EMAIL_ENV, config.senderEmail)
        .addEnvironment(OPERATIONS_ALERTS_ENV, config.operationsEmail ? 'subscribed' : 'unsubscribed');

    // Every email goes out with the configuration set whose bounces, complaints and deliveries come back.
    this.deliveryStatus = new DeliveryStatus(this, 'DeliveryStatus', { stage: config.stage, data: this.data });
    const configurationSet = {
      name: this.deliveryStatus.configurationSet.configurationSetName,
      arn: this.deliveryStatus.configurationSetArn,
    };

    // The complaint escalation workflow (Step Functions Standard), started by registration and reopen only.
    const starters = ['createComplaint', 'complaintEvent'].filter((id) => routes.some((route) => route.id === id));
    if (starters.length) {
      this.escalation = new Escalation(this, 'Escalation', {
        data: this.data,
        senderEmail: config.senderEmail,
        configurationSet,
      });
      this.escalation.allowStart(starters.map((id) => this.api.functionOf(id)));
      // The audit view reads the executions' status and history (its function alone).
      const auditors = ['complaintEscalations'].filter((id) => routes.some((route) => route.id === id));
      this.escalation.allowAudit(auditors.map((id) => this.api.functionOf(id)));
    }

    // Scheduled jobs (monthly report, follow-ups), from shared/schedules.ts.
    const schedules = props.schedules ?? SCHEDULES;
    this.jobs = new Jobs(this, 'Jobs', { schedules, data: this.data });
    // A function that runs jobs (invoking itself asynchronously) sends a run that kept failing to the same alarmed queue.
    for (const { declaration, fn } of this.api.all())
      if (declaration.routes.some((r) => r.startsJob)) this.jobs.catchFailedRuns(fn);
    const job = (id: string) => (schedules.some((s) => s.id === id) ? [this.jobs.function(id)] : []);
    // The report is emailed by its job and by POST /reports/{month}/generate (not by the report reads).
    const route = (id: string) => (routes.some((r) => r.id === id) ? [this.api.functionOf(id)] : []);
    const reportSenders = [...job('monthlyReport'), ...job('weeklyComplaintSummary'), ...route('generateReport')];
    if (reportSenders.length) allowEmail(reportSenders, config.senderEmail, configurationSet);
    // Follow-ups invite to surveys (signing links) and message customers by email and SMS; the digest emails supervisors.
    for (const fn of [...job('followUps'), ...job('alertDigest')]) {
      allowEmail([fn], config.senderEmail, configurationSet);
      fn.grantOnAnyResource(
        ['sns:Publish'],
        'SNS publishes an SMS straight to a phone number only with Resource "*" (no topic ARN exists for it)',
      );
    }

    // Customer messages may go by WeChat: the follow-up job, and the workflow's first step (the registration
    // notices, performed through the follow-up tasks). Nothing else reads the credentials.
    this.wechat = new WechatCredentials(this, 'Wechat', { stage: config.stage });
    const customerMessengers = [...job('followUps'), ...(this.escalation ? [this.escalation.functions.check] : [])];
    this.wechat.allowRead(customerMessengers);

    // Report exports: written by the job of the function that starts them, linked to by every report function.
    const exportStarter = routes.find((r) => r.startsJob === 'reportExport');
    if (exportStarter)
      new ExportFiles(this, 'Exports', {
        writers: [this.api.functionOf(exportStarter.id)],
        readers: this.api.functionsOf('reports'),
      });

    // Links to the customer pages (/s, /c): the signing key from SSM and the public base, by default the
    // API's own URL (built from the API id, not the deployment, so the functions do not depend on their own routes).
    const surveyFunctions = [...this.api.functionsOf('surveys'), ...job('followUps')];
    if (surveyFunctions.length) {
      const ownUrl = `https://${this.api.restApi.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${config.stage}`;
      new SurveyLinks(this, 'SurveyLinks', {
        stage: config.stage,
        functions: surveyFunctions,
        publicBaseUrl: publicBaseUrlFor(ownUrl, config.publicBaseUrl),
      });
    }

    // List cursors are sealed with a key derived from the same secret: every other function that pages reads it too.
    const pagers = [
      ...new Set([
        ...routes.map((route) => this.api.functionOf(route.id)),
        ...schedules.map((s) => this.jobs.function(s.id)),
      ]),
    ].filter((fn) => !surveyFunctions.includes(fn));
    if (pagers.length) new SecretKeyReaders(this, 'CursorKeys', { stage: config.stage, functions: pagers });

    // Alarms, all to one operations topic (its email subscription is the careloop:operationsEmail context).
    this.operations = new Operations(this, 'Operations', {
      ...(config.operationsEmail ? { operationsEmail: config.operationsEmail } : {}),
    });
    this.operations.watchApi(this.api.restApi);
    this.operations.watchFunctions([
      ...this.api.all().map(({ fn }) => fn),
      ...this.jobs.all(),
      ...(this.escalation ? Object.values(this.escalation.functions) : []),
      this.deliveryStatus.receipts,
    ]);
    if (this.escalation) this.operations.watchWorkflow(this.escalation.stateMachine, this.escalation.logGroup);
    this.operations.watchDeadLetters(this.jobs.deadLetters, 'ScheduleDeadLetters');
    this.operations.watchDeadLetters(
      this.deliveryStatus.deadLetters,
      'DeliveryReceiptDeadLetters',
      'a delivery receipt that could not be recorded after five tries',
    );
    this.operations.watchJobs();

    roles.materialize();

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.restApi.url,
      description: 'Base URL of the REST API (stage included)',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.auth.client.userPoolClientId,
      description: 'App client for the frontends (SRP, no secret)',
    });
    new CfnOutput(this, 'TableName', { value: this.data.table(MAIN_TABLE).tableName });
    new CfnOutput(this, 'OperationsTopicArn', {
      value: this.operations.topic.topicArn,
      description: 'The operations alarms go here; subscribe more endpoints to it as needed',
    });
    new CfnOutput(this, 'SmsDeliveryStatusRoleArn', {
      value: this.deliveryStatus.smsStatusRole.roleArn,
      description:
        'aws sns set-sms-attributes --attributes DeliveryStatusIAMRole=<this>,DeliveryStatusSuccessSamplingRate=100',
    });
    new CfnOutput(this, 'WechatSecretArn', {
      value: this.wechat.secret.secretArn,
      description: 'Put the WeChat Official Account credentials here: {"appId":"wx…","secret":"…"}',
    });
    if (this.escalation)
      new CfnOutput(this, 'EscalationStateMachineArn', { value: this.escalation.stateMachine.stateMachineArn });
  }
}
