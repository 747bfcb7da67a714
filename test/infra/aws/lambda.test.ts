import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { CareLoopFunction } from '../../../infra/aws/constructs/lambda.js';
import { SharedRoles } from '../../../infra/aws/constructs/roles.js';

function aFunction(props: Partial<ConstructorParameters<typeof CareLoopFunction>[2]> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'FunctionTest');
  const fn = new CareLoopFunction(stack, 'Job', { entry: 'functions/system/handler.ts', handler: 'health', ...props });
  return { app, stack, fn };
}

describe('CareLoopFunction', () => {
  it('defaults to 512 MB, 10 s, INFO logs to its own log group, and the project environment', () => {
    const { stack, fn } = aFunction({ environment: { EXTRA: 'yes' } });
    fn.addEnvironment('LATER', 'too');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 10,
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'careloop',
          LOG_LEVEL: 'INFO',
          EXTRA: 'yes',
          LATER: 'too',
        },
      },
    });
  });

  it('takes a job’s own memory, timeout and log level', () => {
    const { stack } = aFunction({ memorySize: 1024, timeout: Duration.minutes(2), logLevel: 'DEBUG' });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Timeout: 120,
      LoggingConfig: { ApplicationLogLevel: 'DEBUG' },
      Environment: { Variables: { LOG_LEVEL: 'DEBUG' } },
    });
  });

  it('fails the synth when something other than X-Ray is granted on Resource "*"', () => {
    const { app, fn } = aFunction();
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['*'] }));
    expect(() => app.synth()).toThrow(/dynamodb:GetItem is granted on Resource "\*"/);
  });

  it('accepts an action AWS only offers on "*" when it is granted with a reason', () => {
    const { app, stack, fn } = aFunction();
    fn.grantOnAnyResource(
      ['sns:Publish'],
      'SMS to a phone number is an SNS Publish with no topic, which has no resource ARN to scope to',
    );
    expect(() => app.synth()).not.toThrow();
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });
});

describe('SharedRoles', () => {
  function stackWithSharedRoles() {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'SharedRolesTest');
    const roles = new SharedRoles(stack);
    // One log group, as the API functions have: their grants differ otherwise.
    const logGroup = new LogGroup(stack, 'Logs');
    const fn = (id: string) =>
      new CareLoopFunction(stack, id, { entry: 'functions/system/handler.ts', handler: 'health', logGroup });
    const read = (f: CareLoopFunction, table: string) =>
      f.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:GetItem'],
          resources: [`arn:aws:dynamodb:eu-west-1:1:table/${table}`],
        }),
      );
    return { app, stack, roles, fn, read };
  }

  it('gives functions with identical grants one role, and a function with other grants its own', () => {
    const { stack, roles, fn, read } = stackWithSharedRoles();
    const [a, b, c] = [fn('A'), fn('B'), fn('C')];
    read(a, 'one');
    read(b, 'one');
    read(c, 'two');
    roles.materialize();
    // (identity compared as booleans: a failing toBe would print the whole construct tree)
    expect(a.role === b.role).toBe(true);
    expect(c.role === a.role).toBe(false);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 2);
    const roleOf = (f: CareLoopFunction) =>
      template.toJSON().Resources[
        stack.resolve((f.function.node.defaultChild as never as { logicalId: string }).logicalId)
      ].Properties.Role;
    expect(roleOf(a)).toEqual(roleOf(b));
    expect(roleOf(c)).not.toEqual(roleOf(a));
    // Each role holds exactly what its functions were granted: C's role cannot read table "one".
    expect(JSON.stringify(stack.resolve(c.role.permissions.toJSON()))).not.toContain('table/one');
    expect(JSON.stringify(stack.resolve(a.role.permissions.toJSON()))).not.toContain('table/two');
  });

  it('fails the synth when a function is granted more after its role was shared', () => {
    const { app, roles, fn, read } = stackWithSharedRoles();
    const [a, b] = [fn('A'), fn('B')];
    read(a, 'one');
    read(b, 'one');
    roles.materialize();
    read(b, 'two');
    expect(() => app.synth()).toThrow(/B: its grants differ from those of its shared role/);
  });

  it('fails the synth when the roles were never made', () => {
    const { app, fn } = stackWithSharedRoles();
    fn('A');
    expect(() => app.synth()).toThrow(/SharedRoles\.materialize\(\)|materialize\(\) was never called/);
  });

  it('still refuses anything but the acknowledged actions on Resource "*"', () => {
    const { app, roles, fn } = stackWithSharedRoles();
    fn('A').grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    roles.materialize();
    expect(() => app.synth()).toThrow(/s3:GetObject is granted on Resource "\*"/);
  });
});
