/**
 * Builds the CareLoop stack for the infra tests. Bundling is skipped (CDK context
 * `aws:cdk:bundling-stacks` = []), so NodejsFunction stages a placeholder instead of running
 * esbuild; bundling.test.ts covers the real bundle. `npm run synth` always bundles.
 * CDK's built-in CloudFormation template validation takes seconds per app, so it is off here
 * unless asked for; `npm run synth` always runs it.
 */
import { App, type CfnElement, NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { CareLoopConfig } from '../../../infra/aws/config.js';
import { CareLoopStack } from '../../../infra/aws/stack.js';
import type { RouteDeclaration } from '../../../shared/http/routes/index.js';
import type { ScheduleDeclaration } from '../../../shared/schedules.js';

export const TEST_CONFIG: CareLoopConfig = {
  stage: 'test',
  allowedOrigins: ['https://app.example.com'],
  senderEmail: 'careloop@example.com',
};

export interface SynthOptions {
  config?: Partial<CareLoopConfig>;
  routes?: readonly RouteDeclaration[];
  schedules?: readonly ScheduleDeclaration[];
  bundle?: boolean;
  /** Run CDK's built-in CloudFormation template validation on synth. */
  validate?: boolean;
  outdir?: string;
}

export function synthStack(options: SynthOptions = {}) {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    builtinCloudFormationValidation: options.validate ?? false,
    context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new CareLoopStack(app, 'CareLoopTest', {
    config: { ...TEST_CONFIG, ...options.config },
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.schedules ? { schedules: options.schedules } : {}),
  });
  return { app, stack };
}

type CfnTemplate = {
  Resources: Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }>;
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, { Value: unknown }>;
  [section: string]: unknown;
};

/** The nested stacks of a stack (the route stacks of the API), outermost first. */
export function nestedStacksOf(stack: Stack): NestedStack[] {
  return stack.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c));
}

/** Every template a deploy of the stack uploads: the stack's own, then each nested stack's, with its construct path. */
export function templatesOf(stack: Stack): Array<{ path: string; template: CfnTemplate }> {
  return [stack, ...nestedStacksOf(stack)].map((s) => ({
    path: s.node.path,
    template: Template.fromStack(s).toJSON() as CfnTemplate,
  }));
}

/** Replaces, in `value`, every `{ Ref: name }` and `{ Fn::GetAtt: [id, attribute] }` that `lookup` knows. */
function substitute(value: unknown, lookup: (node: Record<string, unknown>) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => substitute(item, lookup));
  if (value && typeof value === 'object') {
    const found = lookup(value as Record<string, unknown>);
    if (found !== undefined) return substitute(found, lookup);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, lookup)]));
  }
  return value;
}

/**
 * The stack and its nested stacks as one template, the way the tests read it: each nested
 * stack's resources next to the main stack's, its parameters replaced by what the parent passes
 * and the parent's references to its outputs by their values. (Logical ids stay unique: a nested
 * stack's are prefixed by CDK with nothing, but the route stacks hold paths no other stack has.)
 */
function flattened(stack: Stack): CfnTemplate {
  const root = Template.fromStack(stack).toJSON() as CfnTemplate;
  const nested = nestedStacksOf(stack).map((n) => ({
    logicalId: stack.resolve((n.nestedStackResource as CfnElement).logicalId) as string,
    template: Template.fromStack(n).toJSON() as CfnTemplate,
  }));
  const outputs = new Map(nested.map((n) => [n.logicalId, n.template.Outputs ?? {}]));
  const fromParent = (node: Record<string, unknown>) => {
    const getAtt = node['Fn::GetAtt'] as [string, string] | undefined;
    if (Array.isArray(getAtt) && getAtt[1]?.startsWith('Outputs.'))
      return outputs.get(getAtt[0])?.[getAtt[1].slice('Outputs.'.length)]?.Value;
    return undefined;
  };
  const resources: CfnTemplate['Resources'] = {};
  for (const [id, resource] of Object.entries(root.Resources)) {
    if (nested.some((n) => n.logicalId === id)) continue;
    resources[id] = substitute(resource, fromParent) as CfnTemplate['Resources'][string];
  }
  for (const { logicalId, template } of nested) {
    const passed = (root.Resources[logicalId]?.Properties.Parameters ?? {}) as Record<string, unknown>;
    const lookup = (node: Record<string, unknown>) => {
      const ref = node.Ref;
      if (typeof ref === 'string' && ref in passed) return passed[ref];
      return fromParent(node);
    };
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resources[id]) throw new Error(`logical id ${id} is in two templates`);
      resources[id] = substitute(resource, lookup) as CfnTemplate['Resources'][string];
    }
  }
  return { ...root, Resources: resources };
}

/**
 * The synthesized stack, nested stacks included (see `flattened`), with a helper to find a
 * construct's own resource in it.
 */
export function templateOf(stack: CareLoopStack) {
  const json = flattened(stack);
  const template = Template.fromJSON(json);
  const resources = json.Resources;
  /** The CloudFormation resource of an L2 construct (its `Resource` child) or of an L1 construct. */
  const resourceOf = (construct: IConstruct) => {
    const cfn = (construct.node.defaultChild ?? construct) as CfnElement;
    const logicalId = cfn.stack.resolve(cfn.logicalId) as string;
    const resource = resources[logicalId];
    if (!resource) throw new Error(`${construct.node.path} has no resource ${logicalId} in the template`);
    return { logicalId, ...resource };
  };
  return { template, resources, resourceOf };
}

type Resources = ReturnType<typeof templateOf>['resources'];
export type Statement = { Action: string | string[]; Resource: unknown; Effect?: string };

/**
 * Every statement a role holds: its inline policies (CareLoopFunction keeps its grants there) and
 * any `AWS::IAM::Policy` resource attached to it.
 */
export function statementsOfRole(resources: Resources, roleLogicalId: string): Statement[] {
  const role = resources[roleLogicalId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleLogicalId} is not a role in the template`);
  const inline = ((role.Properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );
  const attached = Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(r.Properties.Roles ?? []).includes(JSON.stringify({ Ref: roleLogicalId })),
    )
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached];
}

/** The logical ids of every role in the template with the statements each holds. */
export function rolesWithStatements(resources: Resources): Array<{ roleId: string; statements: Statement[] }> {
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Role')
    .map(([roleId]) => ({ roleId, statements: statementsOfRole(resources, roleId) }));
}
