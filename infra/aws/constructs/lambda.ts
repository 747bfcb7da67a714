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
import { Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct, DependencyGroup } from 'constructs';
import { SERVICE_NAME } from '../../../shared/observability/logger.js';
import { cdkBundling, FUNCTION_NODE_OPTIONS } from '../bundling.js';
import { PROJECT_ROOT } from '../paths.js';

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
}

/**
 * A role whose permissions live in the role itself, in one inline policy, instead of in a separate
 * `AWS::IAM::Policy` resource (CDK's DefaultPolicy): the same statements, one CloudFormation resource
 * fewer per function. Every grant (`role.addToPrincipalPolicy`, `table.grantReadData(fn)`, …) lands
 * in `permissions`. The function depends on the role, so its permissions exist before it runs.
 */
export class InlinePolicyRole extends iam.Role {
  readonly permissions: iam.PolicyDocument;

  /** `permissions`: the document to hold (a shared role holds its first function's), a new one by default. */
  constructor(
    scope: Construct,
    id: string,
    props: Omit<iam.RoleProps, 'inlinePolicies'> & { permissions?: iam.PolicyDocument },
  ) {
    const { permissions = new iam.PolicyDocument(), ...roleProps } = props;
    super(scope, id, { ...roleProps, inlinePolicies: { permissions } });
    this.permissions = permissions;
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.permissions.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

/**
 * Roles shared by functions whose permissions are identical: a stack that declares
 * `new SharedRoles(stack)` and calls `materialize()` once every grant is made gets one role per
 * distinct set of permissions instead of one per function. Least privilege is unchanged: each
 * function still collects its own grants (`fn.permissions`), a role is shared only by functions
 * whose grants are equal statement for statement, and the synth fails if a function's grants
 * differ from its role's afterwards (a grant made after `materialize()`, or to a shared role).
 * The first function of a group holds the role (`<function>/Role`), so an unshared function's
 * role keeps its logical id.
 */
export class SharedRoles extends Construct {
  static readonly ID = 'SharedRoles';
  private readonly members: CareLoopFunction[] = [];
  private readonly roles = new Map<CareLoopFunction, InlinePolicyRole>();
  private materialized = false;

  /** The stack's shared roles, if it declares them. */
  static of(scope: Construct): SharedRoles | undefined {
    const found = Stack.of(scope).node.tryFindChild(SharedRoles.ID);
    return found instanceof SharedRoles ? found : undefined;
  }

  constructor(scope: Stack) {
    super(scope, SharedRoles.ID);
    const stack = scope;
    this.node.addValidation({
      validate: () => {
        if (!this.materialized)
          return this.members.length ? ['SharedRoles: materialize() was never called, so no function has a role'] : [];
        return this.members
          .filter((fn) => permissionsKey(stack, fn.permissions) !== permissionsKey(stack, this.roleOf(fn).permissions))
          .map(
            (fn) =>
              `${fn.node.path}: its grants differ from those of its shared role ${this.roleOf(fn).node.path} (granted after SharedRoles.materialize(), or to the shared role itself); grant through the function before materialize()`,
          );
      },
    });
  }

  /** @internal called by CareLoopFunction. */
  register(fn: CareLoopFunction): void {
    if (this.materialized) throw new Error(`${fn.node.path}: created after SharedRoles.materialize()`);
    this.members.push(fn);
  }

  /** The role a function runs with (after `materialize()`). */
  roleOf(fn: CareLoopFunction): InlinePolicyRole {
    const role = this.roles.get(fn);
    if (!role) throw new Error(`${fn.node.path} has no role yet: call SharedRoles.materialize() after the last grant`);
    return role;
  }

  /** Creates one role per distinct set of permissions; call it once, after the last grant. */
  materialize(): void {
    if (this.materialized) throw new Error('SharedRoles.materialize() runs once');
    this.materialized = true;
    const groups = new Map<string, CareLoopFunction[]>();
    for (const fn of this.members) {
      const key = permissionsKey(Stack.of(this), fn.permissions);
      groups.set(key, [...(groups.get(key) ?? []), fn]);
    }
    const stackName = Stack.of(this).stackName;
    for (const functions of groups.values()) {
      const holder = functions[0]!;
      const paths = functions.map((fn) => fn.node.path).join(', ');
      const role = new InlinePolicyRole(holder, 'Role', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: (functions.length === 1
          ? `Runs ${stackName}/${holder.node.path}`
          : `Runs ${functions.length} functions with identical permissions: ${paths}`
        ).slice(0, 1000),
        permissions: holder.permissions,
      });
      for (const fn of functions) {
        this.roles.set(fn, role);
        fn.grantsApplied.add(role);
      }
      this.acknowledge(role);
    }
  }

  /** @internal Records on a role every action its functions hold on "*", with their reasons (cdk-nag IAM5). */
  acknowledge(role: InlinePolicyRole): void {
    const functions = this.members.filter((fn) => this.roles.get(fn) === role);
    acknowledgeAnyResourceOn(role, new Map(functions.flatMap((fn) => [...fn.anyResourceReasons()])));
    for (const fn of functions)
      for (const [id, reason] of fn.grantAcknowledgments()) Validations.of(role).acknowledge({ id, reason });
  }

  /** @internal The role of a function once materialized, else undefined. */
  tryRoleOf(fn: CareLoopFunction): InlinePolicyRole | undefined {
    return this.roles.get(fn);
  }
}

/** A policy document as a comparable string: resolved, statements in a fixed order. */
function permissionsKey(stack: Stack, document: iam.PolicyDocument): string {
  const resolved = stack.resolve(document.toJSON()) as { Statement?: unknown[] } | undefined;
  return JSON.stringify((resolved?.Statement ?? []).map((statement) => JSON.stringify(statement)).sort());
}

function acknowledgeAnyResourceOn(role: iam.IRole, reasons: Map<string, string>): void {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `${[...new Set(reasons.values())].join('; ')}. A validation on CareLoopFunction fails the synth if any other action is granted on "*" (${[...reasons.keys()].join(', ')} are the only ones).`,
  });
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
 * A bundled TypeScript Lambda on Node.js 22 / arm64 with active tracing, its own log group
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
      runtime: Runtime.NODEJS_22_X,
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

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime CareLoop is built and tested for (esbuild target node22 in infra/aws/bundling.ts) and is an AWS-supported LTS runtime; moving to a newer one is a deliberate change made here, in one place, after the test suite has run on it.',
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
    return this.ownRole ?? this.sharedRoles!.roleOf(this);
  }

  /**
   * Grants actions that AWS offers only on Resource "*" (e.g. `sns:Publish` straight to a phone
   * number), with the reason the cdk-nag acknowledgment records. Anything else granted on "*"
   * fails the synth.
   */
  grantOnAnyResource(actions: string[], reason: string): void {
    this.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: ['*'] }));
    this.acknowledgeAnyResource(actions, reason);
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
    else {
      const shared = this.sharedRoles?.tryRoleOf(this);
      if (shared) this.sharedRoles!.acknowledge(shared);
    }
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
    else {
      const shared = this.sharedRoles?.tryRoleOf(this);
      if (shared) this.sharedRoles!.acknowledge(shared);
    }
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
