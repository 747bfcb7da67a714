/**
 * Builds the CareLoop stack for the infra tests. Bundling is skipped (CDK context
 * `aws:cdk:bundling-stacks` = []), so NodejsFunction stages a placeholder instead of running
 * esbuild; bundling.test.ts covers the real bundle. `npm run synth` always bundles.
 * CDK's built-in CloudFormation template validation takes seconds per app, so it is off here
 * unless asked for; `npm run synth` always runs it.
 */
import { App, type CfnElement } from 'aws-cdk-lib';
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

/** The synthesized template of a stack, with a helper to find a construct's own resource in it. */
export function templateOf(stack: CareLoopStack) {
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }
  >;
  /** The CloudFormation resource of an L2 construct (its `Resource` child) or of an L1 construct. */
  const resourceOf = (construct: IConstruct) => {
    const cfn = (construct.node.defaultChild ?? construct) as CfnElement;
    const logicalId = stack.resolve(cfn.logicalId) as string;
    const resource = resources[logicalId];
    if (!resource) throw new Error(`${construct.node.path} has no resource ${logicalId} in the template`);
    return { logicalId, ...resource };
  };
  return { template, resources, resourceOf };
}
