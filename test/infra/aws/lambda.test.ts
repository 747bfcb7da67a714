import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { CareLoopFunction } from '../../../infra/aws/constructs/lambda.js';

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
