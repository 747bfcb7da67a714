import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { type CfnEventInvokeConfig, EventInvokeConfig, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { auditGrantFinding } from '../../../infra/aws/constructs/escalation.js';
import { ROUTES } from '../../../shared/http/routes/index.js';
import { synthStack } from './synth.js';

/**
 * cdk-nag 3 runs as a CDK policy-validation plugin (`Validations.of(app).addPlugins`, as in
 * infra/aws/app.ts) and no longer writes its findings as annotations, so the checks are run
 * directly on the stack (`validateScope`), and acknowledgments are read from the construct
 * metadata `Validations.of(x).acknowledge()` writes.
 */
describe('cdk-nag AWS Solutions and Serverless checks', () => {
  const { app, stack } = synthStack();
  const reports = [
    new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack),
    new ServerlessChecks(undefined, { verbose: true }).validateScope(stack),
  ];
  const findings = (severity: string) =>
    reports
      .flatMap((report) => report.violations)
      .filter((v) => v.severity === severity)
      .map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}: ${v.description}`);

  it('leaves no unacknowledged error', () => {
    expect(findings('error')).toEqual([]);
  });

  it('leaves no unacknowledged warning', () => {
    expect(findings('warning')).toEqual([]);
  });

  it('acknowledges only these rules, each with a specific written reason', () => {
    const acknowledged = new Map<string, string[]>();
    for (const construct of stack.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          const rule = id.replace(/^annotation::/i, '');
          expect(reason.length, `${rule} on ${construct.node.path}`).toBeGreaterThan(80);
          acknowledged.set(rule, [...(acknowledged.get(rule) ?? []), construct.node.path]);
        }
      }
    }
    const exportsBucketId = stack.getLogicalId(
      stack.node.findChild('Exports').node.findChild('Bucket').node.defaultChild as never,
    );
    // A new acknowledgment is a decision: add it here, next to its reason in the construct.
    expect([...acknowledged.keys()].sort()).toEqual([
      'AwsSolutions-APIG4', // public routes (auth: 'public'), on their methods only
      'AwsSolutions-COG4', // public routes, on their methods only
      // API Gateway's account-wide logging role, which CDK creates with this AWS managed policy
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      // X-Ray, SMS publishing (sns:Publish via grantOnAnyResource, with its reason) and the workflow role's logging;
      // CareLoopFunction's validation refuses any other action on "*"
      'AwsSolutions-IAM5[Resource::*]',
      // export files, one per job, under the exports/ prefix of the exports bucket (infra/aws/constructs/exports.ts)
      `AwsSolutions-IAM5[Resource::<${exportsBucketId}.Arn>/exports/*]`,
      // the escalation audit view reads the executions of the escalation state machine (infra/aws/constructs/escalation.ts)
      auditGrantFinding(stack.getLogicalId(stack.escalation!.stateMachine.node.defaultChild as never)),
      'AwsSolutions-S1', // the exports bucket's access-log bucket (logging it would need a third bucket)
      'AwsSolutions-SMG4', // the WeChat AppSecret: only WeChat issues a new one, an operator puts it (no rotation Lambda)
      'AwsSolutions-SQS3', // the schedules' dead-letter queue is itself a DLQ (Scheduler DeadLetterConfig)
      // how each function is invoked decides where a failure goes (below, per function)
      'Serverless-LambdaDLQ',
      // an SQS event source takes no on-failure destination: the queue's redrive policy does that
      'Serverless-LambdaEventSourceMappingDestination',
      // the same roles and reasons as AwsSolutions-IAM5[Resource::*]
      'Serverless-LambdaStarPermissions',
      // the two dead-letter queues themselves
      'Serverless-SQSRedrivePolicy',
    ]);
    // Only on the methods of the routes the contract declares public.
    const publicMethods = ROUTES.filter((r) => r.auth === 'public').map((r) => `${r.path}/${r.method}`);
    for (const path of acknowledged.get('AwsSolutions-APIG4')!)
      expect(
        publicMethods.some((method) => path.endsWith(method)),
        path,
      ).toBe(true);
  });

  it('acknowledges a missing dead-letter queue only where the reason holds for that function', () => {
    const reasons = new Map<IConstruct, string>();
    for (const construct of stack.node.findAll())
      for (const entry of construct.node.metadata)
        if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
            if (id.replace(/^annotation::/i, '') === 'Serverless-LambdaDLQ') reasons.set(construct, reason);
        }
    const functions = stack.node.findAll().filter((c): c is LambdaFunction => c instanceof LambdaFunction);
    expect([...reasons.keys()].map((c) => c.node.path).sort()).toEqual(functions.map((fn) => fn.node.path).sort());
    for (const fn of functions) {
      const reason = reasons.get(fn)!;
      const onFailure = fn.node.children.find((c) => c instanceof EventInvokeConfig);
      // Invoked asynchronously: an on-failure destination, named in the reason. Synchronously only: none needed.
      if (/asynchronously by/.test(reason)) {
        expect(onFailure, fn.node.path).toBeDefined();
        const config = stack.resolve((onFailure!.node.defaultChild as CfnEventInvokeConfig).destinationConfig);
        expect(config.onFailure.destination, fn.node.path).toBeDefined();
      } else {
        expect(reason, fn.node.path).toMatch(/synchronously by (API Gateway|the escalation state machine) only/);
        expect(onFailure, fn.node.path).toBeUndefined();
      }
    }
    // Who invokes asynchronously: every schedule's function, the delivery receipts (CloudWatch Logs) and each
    // API function that starts jobs by invoking itself.
    const asynchronous = functions.filter((fn) => /asynchronously by/.test(reasons.get(fn)!)).map((fn) => fn.node.path);
    expect(asynchronous).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Jobs\/FollowUps/),
        expect.stringMatching(/DeliveryStatus\/Receipts/),
        expect.stringMatching(/Api\/Reports\//),
        expect.stringMatching(/Api\/Customers\//),
      ]),
    );
  });

  it('synthesizes with the checks registered as `cdk synth` runs them, with no CDK error or warning', () => {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
    expect(() => app.synth()).not.toThrow();
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
