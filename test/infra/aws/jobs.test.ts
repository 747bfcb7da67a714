import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SCHEDULES } from '../../../shared/schedules.js';
import { synthStack, templateOf } from './synth.js';

describe('scheduled jobs', () => {
  const { stack } = synthStack();
  const { template, resources } = templateOf(stack);

  it.each(SCHEDULES.map((s) => [s.id, s] as const))(
    'fires %s from EventBridge Scheduler with the declared expression, zone and retries',
    (_, schedule) => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: schedule.expression,
        ScheduleExpressionTimezone: schedule.timezone,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21600 } }),
      });
      template.hasResourceProperties('AWS::Lambda::Function', { Handler: `index.${schedule.handler}`, Timeout: 300 });
    },
  );

  it('lets only the report functions, the follow-ups job and the escalation notices send email, and only as the configured sender', () => {
    const sesStatements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
      .filter((statement) => [statement.Action].flat().includes('ses:SendEmail'));
    const reportRoutes = 4;
    const escalationNotices = 2; // escalate (the new owner), check (the deadline warning)
    const jobs = 3; // monthly report, follow-ups, the call-back digest
    expect(sesStatements).toHaveLength(reportRoutes + jobs + escalationNotices);
    for (const statement of sesStatements)
      expect(JSON.stringify(statement.Resource)).toContain('identity/careloop@example.com');
  });
});

describe('the follow-ups job', () => {
  const { stack } = synthStack();
  const { resources } = templateOf(stack);
  const policiesOf = (fragment: string) =>
    Object.entries(resources)
      .filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.includes(fragment))
      .flatMap(
        ([, r]) => r.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>,
      );

  it('may publish SMS, send email and read the survey signing key', () => {
    const actions = policiesOf('JobsFollowUps').flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['sns:Publish', 'ses:SendEmail', 'ssm:GetParameter']));
  });
});
