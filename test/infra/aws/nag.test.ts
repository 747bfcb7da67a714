import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
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
describe('cdk-nag AWS Solutions checks', () => {
  const { app, stack } = synthStack();
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
  const findings = (severity: string) =>
    report.violations
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
      'AwsSolutions-COG2', // MFA optional by product decision
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
      'AwsSolutions-L1', // Node.js 22 pinned
      'AwsSolutions-S1', // the exports bucket's access-log bucket (logging it would need a third bucket)
      'AwsSolutions-SMG4', // the WeChat AppSecret: only WeChat issues a new one, an operator puts it (no rotation Lambda)
      'AwsSolutions-SQS3', // the schedules' dead-letter queue is itself a DLQ (Scheduler DeadLetterConfig)
    ]);
    // Only on the methods of the routes the contract declares public.
    const publicMethods = ROUTES.filter((r) => r.auth === 'public').map((r) => `${r.path}/${r.method}`);
    for (const path of acknowledged.get('AwsSolutions-APIG4')!)
      expect(
        publicMethods.some((method) => path.endsWith(method)),
        path,
      ).toBe(true);
  });

  it('synthesizes with the checks registered as `cdk synth` runs them, with no CDK error or warning', () => {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
