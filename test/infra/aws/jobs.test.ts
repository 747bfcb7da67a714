import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SCHEDULES } from '../../../shared/schedules.js';
import { rolesWithStatements, statementsOfRole, synthStack, templateOf } from './synth.js';

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

  it('lets only the function that generates reports, the mailing jobs and the escalation notices send email, and only as the configured sender', () => {
    const sesStatements = rolesWithStatements(resources)
      .flatMap(({ statements }) => statements)
      .filter((statement) => [statement.Action].flat().includes('ses:SendEmail'));
    const reportRoutes = 1; // the function serving POST /reports/{month}/generate; the report reads live apart
    const escalationNotices = 2; // escalate (the new owner), check (the deadline warning)
    const jobs = 4; // monthly report, follow-ups, the call-back digest, the weekly complaint summary
    expect(sesStatements).toHaveLength(reportRoutes + jobs + escalationNotices);
    for (const statement of sesStatements)
      expect(JSON.stringify(statement.Resource)).toContain('identity/careloop@example.com');
  });
});

describe('SMS publishing (#27.10)', () => {
  it('every role allowed sns:Publish on "*" is denied it on every topic and endpoint ARN: direct SMS only', () => {
    const { stack } = synthStack();
    const { resources } = templateOf(stack);
    const publishers = rolesWithStatements(resources).filter(({ statements }) =>
      statements.some((s) => s.Effect !== 'Deny' && [s.Action].flat().includes('sns:Publish')),
    );
    // The follow-ups job, the call-back digest and the workflow's notice functions.
    expect(publishers.length).toBeGreaterThanOrEqual(3);
    for (const { roleId, statements } of publishers) {
      const denies = statements.filter((s) => s.Effect === 'Deny' && [s.Action].flat().includes('sns:Publish'));
      expect(denies, roleId).toHaveLength(1);
      expect(JSON.stringify(denies[0]!.Resource), roleId).toMatch(/arn:.*:sns:\*:\*:\*/);
      for (const allow of statements.filter((s) => s.Effect !== 'Deny' && [s.Action].flat().includes('sns:Publish')))
        expect(allow.Resource, roleId).toBe('*');
    }
  });
});

describe('report reads', () => {
  it('run in a function that cannot send email', () => {
    const { stack } = synthStack();
    const { resourceOf } = templateOf(stack);
    const reads = stack.api.functionOf('getReport');
    expect(reads).not.toBe(stack.api.functionOf('generateReport'));
    const { resources } = templateOf(stack);
    expect(JSON.stringify(statementsOfRole(resources, resourceOf(reads.role).logicalId))).not.toContain('ses:');
    expect(resourceOf(reads.function).Properties.Environment.Variables.CARELOOP_SENDER_EMAIL).toBeUndefined();
  });
});

describe('the follow-ups job', () => {
  const { stack } = synthStack();
  const { resources } = templateOf(stack);
  const policiesOf = (fragment: string) =>
    rolesWithStatements(resources)
      .filter(({ roleId }) => roleId.includes(fragment))
      .flatMap(({ statements }) => statements);

  it('may publish SMS, send email and read the survey signing key', () => {
    const actions = policiesOf('JobsFollowUps').flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['sns:Publish', 'ses:SendEmail', 'ssm:GetParameter']));
  });
});
