/**
 * The roles CareLoop's functions run with. `InlinePolicyRole` keeps a role's permissions in the
 * role itself; `SharedRoles` lets functions whose grants are identical share one role. The
 * functions themselves are `CareLoopFunction` (lambda.ts), which registers with `SharedRoles`.
 */

import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type DependencyGroup, type IConstruct } from 'constructs';

/** What SharedRoles needs of a function (CareLoopFunction): its grants and their acknowledgments. */
export interface RoleMember extends IConstruct {
  /** Everything granted to the function. */
  readonly permissions: iam.PolicyDocument;
  /** What a grant's dependents wait for: the role holding the grants. */
  readonly grantsApplied: DependencyGroup;
  /** Acknowledgments of flagged grants, with their reasons. */
  grantAcknowledgments(): Map<string, string>;
  /** The actions acknowledged on "*", with their reasons. */
  anyResourceReasons(): Map<string, string>;
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
  private readonly members: RoleMember[] = [];
  private readonly roles = new Map<RoleMember, InlinePolicyRole>();
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

  /** @internal called by RoleMember. */
  register(fn: RoleMember): void {
    if (this.materialized) throw new Error(`${fn.node.path}: created after SharedRoles.materialize()`);
    this.members.push(fn);
  }

  /** The role a function runs with (after `materialize()`). */
  roleOf(fn: RoleMember): InlinePolicyRole {
    const role = this.roles.get(fn);
    if (!role) throw new Error(`${fn.node.path} has no role yet: call SharedRoles.materialize() after the last grant`);
    return role;
  }

  /** Creates one role per distinct set of permissions; call it once, after the last grant. */
  materialize(): void {
    if (this.materialized) throw new Error('SharedRoles.materialize() runs once');
    this.materialized = true;
    const groups = new Map<string, RoleMember[]>();
    for (const fn of this.members) {
      const key = permissionsKey(Stack.of(this), fn.permissions);
      groups.set(key, [...(groups.get(key) ?? []), fn]);
    }
    const stackName = Stack.of(this).stackName;
    for (const functions of groups.values()) {
      const [holder] = functions;
      if (!holder) continue;
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
  tryRoleOf(fn: RoleMember): InlinePolicyRole | undefined {
    return this.roles.get(fn);
  }
}

/** A policy document as a comparable string: resolved, statements in a fixed order. */
export function permissionsKey(stack: Stack, document: iam.PolicyDocument): string {
  const resolved = stack.resolve(document.toJSON()) as { Statement?: unknown[] } | undefined;
  return JSON.stringify((resolved?.Statement ?? []).map((statement) => JSON.stringify(statement)).sort());
}

/**
 * Records on a role why it holds actions on Resource "*", for both packs that flag it (AwsSolutions-IAM5,
 * Serverless-LambdaStarPermissions): the reasons are the role's own, and a validation keeps them true.
 */
export function acknowledgeAnyResourceOn(role: iam.IRole, reasons: Map<string, string>): void {
  const reason = `${[...new Set(reasons.values())].join('; ')}. A validation on RoleMember fails the synth if any other action is granted on "*" (${[...reasons.keys()].join(', ')} are the only ones).`;
  Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason });
  Validations.of(role).acknowledge({ id: 'Serverless-LambdaStarPermissions', reason });
}
