/**
 * The one way CareLoop creates a Lambda function. API routes, the escalation workflow's tasks,
 * the monthly report and the follow-up jobs all go through `CareLoopFunction`, so runtime,
 * architecture, bundling, tracing, logging and the IAM baseline are decided here once.
 *
 * @example
 * const job = new CareLoopFunction(this, 'MonthlyReport', {
 *   entry: 'functions/reports/handler.ts',
 *   handler: 'scheduledMonthlyReport',
 *   description: 'Builds and emails the previous month’s report',
 *   timeout: Duration.minutes(2),
 * });
 * data.connect(job, MAIN_TABLE, 'readWrite'); // grant + TABLE_NAME
 * allowEmail([job], config.senderEmail); // ses:SendEmail from that identity + CARELOOP_SENDER_EMAIL
 */

import { join } from 'node:path';
import { Aws, Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, DependencyGroup } from 'constructs';
import { SERVICE_NAME } from '../../../shared/observability/logger.js';
import { cdkBundling, FUNCTION_NODE_OPTIONS } from '../bundling.js';
import { PROJECT_ROOT } from '../paths.js';
import { acknowledgeAnyResourceOn, InlinePolicyRole, SharedRoles } from './roles.js';
/**
 * The newest Node.js runtime aws-cdk-lib knows (cdk-nag's AwsSolutions-L1 and
 * Serverless-LambdaLatestVersion ask for it; when aws-cdk-lib learns a newer one, the synth gate
 * says so). The esbuild target in infra/aws/bundling.ts follows it (test/infra/aws/stack.test.ts).
 */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** Every SNS topic and platform endpoint of any account and region (a direct SMS has no ARN at all). */
export const SNS_TOPICS_AND_ENDPOINTS = `arn:${Aws.PARTITION}:sns:*:*:*`;

export { SERVICE_NAME };

/** X-Ray accepts trace data only on Resource "*". */
const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface CareLoopFunctionProps {
  /** The TypeScript module to bundle, relative to the project root, e.g. `functions/reports/handler.ts`. */
  entry: string;
  /** The named export of that module that Lambda calls. */
  handler: string;
  /** Shown in the Lambda console; keep it to what the function does. */
  description?: string;
  /** Added to the defaults (NODE_OPTIONS, POWERTOOLS_SERVICE_NAME, LOG_LEVEL). */
  environment?: Record<string, string>;
  /** Default 512 MB: on arm64 this buys enough CPU for a fast cold start of a ~1 MB bundle. */
  memorySize?: number;
  /** Default 10 s, well inside API Gateway's 29 s; jobs pass their own. */
  timeout?: Duration;
  /** Default one month. */
  logRetention?: RetentionDays;
  /**
   * A log group shared with sibling functions (the API's functions share one: each writes its own
   * streams, named after the function), instead of one group per function: one resource, not twenty.
   */
  logGroup?: LogGroup;
  /** A fixed name, for a function that must know its own ARN without referencing itself (one that invokes itself). */
  functionName?: string;
  /** Default INFO; applied to Powertools (LOG_LEVEL) and to Lambda's own log filter alike. */
  logLevel?: LogLevel;
  /** Concurrency set aside for this function alone, so a burst elsewhere cannot throttle it. */
  reservedConcurrency?: number;
}

/**
 * Where a function whose role is shared (SharedRoles) collects its grants: `table.grant(fn, …)`,
 * `key.grantRead(fn)` and the like add to `fn.permissions`, which its role holds.
 */
class FunctionGrants extends iam.PrincipalBase {
  override readonly assumeRoleAction = 'sts:AssumeRole';
  override readonly principalAccount: string | undefined;

  constructor(
    private readonly fn: CareLoopFunction,
    private readonly roleArn: string,
  ) {
    super();
    this.principalAccount = Stack.of(fn).account;
  }

  get policyFragment(): iam.PrincipalPolicyFragment {
    return new iam.ArnPrincipal(this.roleArn).policyFragment;
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.fn.permissions.addStatements(statement);
    return { statementAdded: true, policyDependable: this.fn.grantsApplied };
  }

  override dedupeString(): string | undefined {
    return `FunctionGrants:${this.fn.node.path}`;
  }
}

/**
 * A bundled TypeScript Lambda on Node.js 24 / arm64 with active tracing, its own log group
 * (JSON, with retention) and a role that may only write to that log group and send traces.
 * Every other permission is granted explicitly by the construct that wires it (see
 * `Data.connect`). It is an `IGrantable`, so `table.grant(fn, ...)` or
 * `stateMachine.grantStartExecution(fn)` work on it directly. In a stack with SharedRoles,
 * functions whose grants are identical run with one role (see there); otherwise each has its own.
 */
export class CareLoopFunction extends Construct implements iam.IGrantable {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly grantPrincipal: iam.IPrincipal;
  /** Everything granted to this function (its role holds exactly these statements). */
  readonly permissions: iam.PolicyDocument;
  /** @internal What a grant's dependents wait for: the role holding the grants. */
  readonly grantsApplied = new DependencyGroup();
  /** Actions this function may hold on Resource "*", with the reason why. */
  private readonly allowedOnAnyResource = new Map<string, string>();
  private readonly acknowledgedGrants = new Map<string, string>();
  private readonly ownRole?: InlinePolicyRole;
  private readonly sharedRoles?: SharedRoles;

  constructor(scope: Construct, id: string, props: CareLoopFunctionProps) {
    super(scope, id);
    const logLevel = props.logLevel ?? 'INFO';

    this.logGroup =
      props.logGroup ??
      new LogGroup(this, 'Logs', {
        retention: props.logRetention ?? RetentionDays.ONE_MONTH,
        // Operational logs; the retention above bounds them and they are not the audit trail (the timeline is).
        removalPolicy: RemovalPolicy.DESTROY,
      });

    // An own role (or one shared with identical functions) instead of the AWS-managed
    // AWSLambdaBasicExecutionRole, which may write to every log group.
    this.sharedRoles = SharedRoles.of(this);
    let functionRole: iam.IRole;
    if (this.sharedRoles) {
      this.permissions = new iam.PolicyDocument();
      const roleArn = Lazy.string({ produce: () => this.role.roleArn });
      this.grantPrincipal = new FunctionGrants(this, roleArn);
      // The function names its role by ARN; the role (and its policy) is created by SharedRoles.materialize().
      functionRole = iam.Role.fromRoleArn(this, 'RoleRef', roleArn, { mutable: false });
      // Tracing's grant goes to `functionRole`, which takes none: the same statement is collected here.
      this.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: XRAY_ACTIONS, resources: ['*'] }));
      this.sharedRoles.register(this);
    } else {
      this.ownRole = new InlinePolicyRole(this, 'Role', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Runs ${Stack.of(this).stackName}/${this.node.path}`,
      });
      this.permissions = this.ownRole.permissions;
      this.grantPrincipal = this.ownRole;
      this.grantsApplied.add(this.ownRole);
      functionRole = this.ownRole;
    }
    this.logGroup.grantWrite(this.grantPrincipal);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, props.entry),
      handler: props.handler,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description?.slice(0, 256),
      ...(props.functionName ? { functionName: props.functionName } : {}),
      ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role: functionRole,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[logLevel],
      systemLogLevelV2: SystemLogLevel.INFO,
      bundling: cdkBundling(),
      environment: {
        NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        LOG_LEVEL: logLevel,
        ...props.environment,
      },
    });

    this.acknowledgeAnyResource(
      XRAY_ACTIONS,
      'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions, so active tracing needs Resource "*"',
    );
    // The acknowledgment is only honest while "*" carries nothing but the actions acknowledged for it.
    this.node.addValidation({
      validate: () =>
        this.actionsOnAnyResource()
          .filter((action) => !this.allowedOnAnyResource.has(action))
          .map(
            (action) =>
              `${this.node.path}: ${action} is granted on Resource "*"; grant it on specific ARNs, or use grantOnAnyResource() with a reason`,
          ),
    });
  }

  /** The role the function runs with: its own, or the one it shares with functions of identical permissions. */
  get role(): InlinePolicyRole {
    if (this.ownRole) return this.ownRole;
    if (!this.sharedRoles) throw new Error(`${this.node.path} has neither its own nor a shared role`);
    return this.sharedRoles.roleOf(this);
  }

  /**
   * Grants actions that AWS offers only on Resource "*" (e.g. `sns:Publish` straight to a phone
   * number), with the reason the cdk-nag acknowledgment records. Anything else granted on "*"
   * fails the synth. `sns:Publish` comes with an explicit Deny on every topic and platform
   * endpoint ARN, so the grant allows direct SMS only, never publishing to a topic.
   */
  grantOnAnyResource(actions: string[], reason: string): void {
    this.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: ['*'] }));
    if (actions.includes('sns:Publish'))
      this.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          actions: ['sns:Publish'],
          resources: [SNS_TOPICS_AND_ENDPOINTS],
        }),
      );
    this.acknowledgeAnyResource(actions, reason);
  }

  /**
   * Why this function has no dead-letter queue (cdk-nag Serverless-LambdaDLQ, which reads only the
   * function's DeadLetterConfig): how it is invoked decides where a failure goes — back to its caller
   * (API Gateway, Step Functions), back to its SQS queue, or to an on-failure destination.
   */
  acknowledgeNoDeadLetterQueue(reason: string): void {
    Validations.of(this.function).acknowledge({ id: 'Serverless-LambdaDLQ', reason });
  }

  /**
   * For a function invoked asynchronously (a schedule, a CloudWatch Logs subscription, a job it starts
   * itself): an event still failing after Lambda's two retries goes to `queue` (an alarmed dead-letter
   * queue) instead of being dropped. An on-failure destination, which AWS recommends over a function
   * DLQ (it carries the error and the request), written with the function's own role.
   */
  sendAsyncFailuresTo(queue: IQueue, invokedBy: string): void {
    this.function.configureAsyncInvoke({
      onFailure: new SqsDestination(queue),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    queue.grantSendMessages(this);
    this.acknowledgeNoDeadLetterQueue(
      `Invoked asynchronously by ${invokedBy}: an event still failing after Lambda's two retries goes to the on-failure destination ${queue.node.path} (an alarmed dead-letter queue), which AWS recommends over a function DLQ and which this rule does not read.`,
    );
  }

  /** Adds an environment variable (e.g. a state machine ARN another construct hands over). */
  addEnvironment(key: string, value: string): this {
    this.function.addEnvironment(key, value);
    return this;
  }

  /**
   * Records why a grant a cdk-nag rule flags is right (e.g. `AwsSolutions-IAM5[Resource::…/exports/*]`
   * for objects named per job), on whichever role the function ends up with.
   */
  acknowledgeGrant(id: string, reason: string): void {
    this.acknowledgedGrants.set(id, reason);
    if (this.ownRole) Validations.of(this.ownRole).acknowledge({ id, reason });
    else this.acknowledgeOnSharedRole();
  }

  /** @internal Acknowledgments of flagged grants, with their reasons (SharedRoles puts them on the shared role). */
  grantAcknowledgments(): Map<string, string> {
    return this.acknowledgedGrants;
  }

  /** @internal The actions acknowledged on "*", with their reasons (SharedRoles puts them on the shared role). */
  anyResourceReasons(): Map<string, string> {
    return this.allowedOnAnyResource;
  }

  private acknowledgeAnyResource(actions: string[], reason: string): void {
    for (const action of actions) this.allowedOnAnyResource.set(action, reason);
    if (this.ownRole) acknowledgeAnyResourceOn(this.ownRole, this.allowedOnAnyResource);
    else this.acknowledgeOnSharedRole();
  }

  private acknowledgeOnSharedRole(): void {
    const shared = this.sharedRoles?.tryRoleOf(this);
    if (shared) this.sharedRoles?.acknowledge(shared);
  }

  private actionsOnAnyResource(): string[] {
    const stack = Stack.of(this);
    const role = this.ownRole;
    const documents = [
      this.permissions,
      ...(role?.node.children ?? [])
        .filter((child): child is iam.Policy => child instanceof iam.Policy)
        .map((p) => p.document),
    ];
    const actions: string[] = [];
    for (const policy of documents) {
      const document = stack.resolve(policy.toJSON()) as
        | { Statement?: Array<{ Action?: string | string[]; Resource?: string | string[] }> }
        | undefined;
      for (const statement of document?.Statement ?? []) {
        const resources = ([] as unknown[]).concat(statement.Resource ?? []);
        if (resources.includes('*')) actions.push(...([] as string[]).concat(statement.Action ?? []));
      }
    }
    return actions;
  }
}
