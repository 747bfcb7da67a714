/**
 * The AWS adapters of the notification and workflow ports, against aws-sdk-client-mock (SES,
 * SNS and Step Functions have no local stand-in): what each sends or reads, and how failures surface.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { escalationInput } from '../../../shared/domain/complaints/workflow.js';
import { messageIdOfSesTag, sesMessageTag } from '../../../shared/domain/delivery-events.js';
import { deliveryFailure } from '../../../shared/notify/channels.js';
import { toMime } from '../../../shared/notify/mime.js';
import { DeliveryFailed } from '../../../shared/notify/ports.js';
import { SES_CONFIGURATION_SET_ENV, sesTransport } from '../../../shared/notify/ses.js';
import { snsTransport } from '../../../shared/notify/sns.js';
import { stepFunctionsHistory, stepFunctionsStarter } from '../../../shared/workflow/escalation.js';
import { aComplaint } from '../../support/builders/complaints.js';

const ses = mockClient(SESv2Client);
const sns = mockClient(SNSClient);
const sfn = mockClient(SFNClient);
beforeEach(() => {
  ses.reset();
  sns.reset();
  sfn.reset();
});

describe('SES email transport', () => {
  it('sends a simple UTF-8 message with text and HTML from the configured sender, tagged with its id', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const result = await sesTransport('careloop@example.com').deliver({
      id: 'escalation-X-respond-l1-email',
      to: ['head@example.com'],
      subject: '投诉升级',
      text: 'plain',
      html: '<p>html</p>',
    });
    expect(result).toEqual({ providerMessageId: 'ses-1' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'careloop@example.com',
      Destination: { ToAddresses: ['head@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: '投诉升级', Charset: 'UTF-8' },
          Body: { Text: { Data: 'plain' }, Html: { Data: '<p>html</p>' } },
        },
      },
      EmailTags: [{ Name: 'careloop-message', Value: sesMessageTag('escalation-X-respond-l1-email') }],
    });
    expect(input.ConfigurationSetName).toBeUndefined();
  });

  it('tags any id reversibly (follow-up ids have colons) and names the configuration set that reports bounces', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-3' });
    process.env[SES_CONFIGURATION_SET_ENV] = 'careloop-test-delivery';
    try {
      await sesTransport('careloop@example.com').deliver({
        id: 'followup:invite:interaction:I-1',
        to: ['c@example.com'],
        subject: 's',
        text: 't',
      });
    } finally {
      delete process.env[SES_CONFIGURATION_SET_ENV];
    }
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.ConfigurationSetName).toBe('careloop-test-delivery');
    const tag = input.EmailTags![0]!;
    expect(tag.Name).toBe('careloop-message');
    expect(tag.Value).toMatch(/^[\w-]+$/);
    expect(messageIdOfSesTag(tag.Value!)).toBe('followup:invite:interaction:I-1');
  });

  it('sends attachments as simple content, SES composing the MIME (no MIME library in the function)', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-2' });
    await sesTransport('careloop@example.com').deliver({
      id: 'report-2026-10',
      to: ['director@example.com'],
      subject: 'Report',
      text: 'See attached',
      attachments: [{ filename: 'report.csv', contentType: 'text/csv', content: 'a,b\n1,2' }],
    });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.Content!.Raw).toBeUndefined();
    const simple = input.Content!.Simple!;
    expect(simple.Subject!.Data).toBe('Report');
    expect(simple.Body!.Text!.Data).toBe('See attached');
    // The message id travels as the tag (SES assigns the Message-ID header itself).
    expect(input.EmailTags).toEqual([{ Name: 'careloop-message', Value: sesMessageTag('report-2026-10') }]);
    expect(simple.Attachments!.map((a) => [a.FileName, a.ContentType, Buffer.from(a.RawContent!).toString()])).toEqual([
      ['report.csv', 'text/csv', 'a,b\n1,2'],
    ]);
  });

  it('composes raw MIME with the attachments for the local outbox (toMime)', async () => {
    const raw = await toMime(
      {
        id: 'report-2026-10',
        to: ['director@example.com'],
        subject: 'Report',
        text: 'See attached',
        attachments: [{ filename: 'report.csv', contentType: 'text/csv', content: 'a,b\n1,2' }],
      },
      'careloop@example.com',
    );
    const mail = await simpleParser(Buffer.from(raw));
    expect(mail.subject).toBe('Report');
    expect(mail.messageId).toBe('<report-2026-10@careloop>');
    expect(mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['report.csv', 'a,b\n1,2']]);
  });

  it('surfaces throttling as a retryable delivery failure and a rejected address as a final one', async () => {
    const throttled = Object.assign(new Error('Maximum sending rate exceeded'), { name: 'TooManyRequestsException' });
    const rejected = Object.assign(new Error('Email address is not verified'), {
      name: 'MessageRejected',
      $metadata: { httpStatusCode: 400 },
    });
    expect(deliveryFailure(throttled, 'email')).toMatchObject({ name: 'DeliveryFailed', retryable: true });
    expect(deliveryFailure(rejected, 'email')).toMatchObject({ retryable: false });
    expect(
      deliveryFailure(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } }), 'sms').retryable,
    ).toBe(true);
    expect(deliveryFailure(new DeliveryFailed('kept', false), 'sms').message).toBe('kept');
  });

  it('blames the address only for an invalid number or a bad address, never for our own setup', () => {
    const error = (name: string, message: string, status = 400) =>
      Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
    const ours = [
      ['email', error('MessageRejected', 'Email address is not verified. The following identities failed the check')],
      ['email', error('AccessDeniedException', 'not authorized to perform ses:SendRawEmail', 403)],
      ['email', error('SendingPausedException', 'Sending is paused for this account')],
      ['email', error('TooManyRequestsException', 'Maximum sending rate exceeded', 429)],
      ['sms', error('AuthorizationErrorException', 'not authorized to perform: SNS:Publish', 403)],
      ['sms', error('ThrottledException', 'Rate exceeded', 429)],
      ['sms', error('KMSAccessDeniedException', 'KMS key access denied')],
    ] as const;
    for (const [channel, cause] of ours) expect(deliveryFailure(cause, channel).addressRefused, cause.name).toBe(false);
    const theirs = [
      [
        'sms',
        error('InvalidParameterException', 'Invalid parameter: PhoneNumber Reason: +861 is not valid to publish'),
      ],
      ['sms', error('OptedOutException', 'The phone number has opted out')],
      ['email', error('BadRequestException', 'Illegal address')],
    ] as const;
    for (const [channel, cause] of theirs)
      expect(deliveryFailure(cause, channel).addressRefused, cause.name).toBe(true);
  });
});

describe('SNS SMS transport', () => {
  it('publishes a transactional SMS straight to the phone number', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    expect(await snsTransport().deliver({ id: 'm-1', to: '+8613800000002', text: '投诉超时' })).toEqual({
      providerMessageId: 'sns-1',
    });
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      PhoneNumber: '+8613800000002',
      Message: '投诉超时',
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
  });
});

describe('Step Functions workflow starter', () => {
  const machine = 'arn:aws:states:ap-east-1:123456789012:stateMachine:EscalationStateMachine-abc';

  it('names the execution after the complaint and knows its ARN before starting it', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });
    const starter = stepFunctionsStarter(machine);
    const complaint = aComplaint();
    expect(starter.executionArn(complaint.id)).toBe(
      `arn:aws:states:ap-east-1:123456789012:execution:EscalationStateMachine-abc:${complaint.id}`,
    );
    await starter.start(complaint.id, escalationInput(complaint));
    const input = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ stateMachineArn: machine, name: complaint.id });
    expect(JSON.parse(input.input!)).toMatchObject({
      complaintId: complaint.id,
      round: 1,
      deadlines: { respond: { dueBy: complaint.deadlines.respondBy } },
    });
  });

  it('treats an execution that already exists (a retried request) as started', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(
      stepFunctionsStarter(machine).start('01JC0ZQ8M3Y7D5T2N4K6P8R0SV', escalationInput(aComplaint())),
    ).resolves.toBeUndefined();
  });

  it('lets any other failure through, so registration answers an error instead of storing a complaint nobody watches', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    await expect(stepFunctionsStarter(machine).start('n', escalationInput(aComplaint()))).rejects.toThrow('throttled');
  });
});

describe('Step Functions execution history (the escalation audit view)', () => {
  const machine = 'arn:aws:states:ap-east-1:123456789012:stateMachine:EscalationStateMachine-abc';
  const arn =
    'arn:aws:states:ap-east-1:123456789012:execution:EscalationStateMachine-abc:01JC0ZQ8M3Y7D5T2N4K6P8R0SV-r2';
  const at = (second: number) => new Date(Date.UTC(2026, 10, 10, 2, 0, second));
  const entered = (id: number, name: string, second: number) => ({
    id,
    type: 'TaskStateEntered' as const,
    timestamp: at(second),
    stateEnteredEventDetails: { name },
  });

  it('reads the status from DescribeExecution and every state entered, oldest first, across history pages', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: arn,
      stateMachineArn: machine,
      status: 'SUCCEEDED',
      startDate: at(0),
      stopDate: at(9),
    });
    sfn
      .on(GetExecutionHistoryCommand, { executionArn: arn, nextToken: undefined })
      .resolves({
        events: [
          { id: 1, type: 'ExecutionStarted', timestamp: at(0) },
          entered(2, 'Tell the customer and the owner', 1),
          { id: 3, type: 'TaskStateExited', timestamp: at(2), stateExitedEventDetails: { name: 'x' } },
        ],
        nextToken: 'page-2',
      })
      .on(GetExecutionHistoryCommand, { executionArn: arn, nextToken: 'page-2' })
      .resolves({
        events: [entered(4, 'Escalate: response overdue', 5), { id: 5, type: 'ExecutionSucceeded', timestamp: at(9) }],
      });

    const history = await stepFunctionsHistory().describe(arn);
    expect(history).toEqual({
      status: 'SUCCEEDED',
      startedAt: at(0).toISOString(),
      stoppedAt: at(9).toISOString(),
      states: [
        { name: 'Tell the customer and the owner', enteredAt: at(1).toISOString() },
        { name: 'Escalate: response overdue', enteredAt: at(5).toISOString() },
      ],
    });
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]!.args[0].input).toEqual({ executionArn: arn });
    // Oldest first, as many events a call as allowed.
    expect(sfn.commandCalls(GetExecutionHistoryCommand).map((call) => call.args[0].input)).toEqual([
      { executionArn: arn, maxResults: 1000, reverseOrder: false, nextToken: undefined },
      { executionArn: arn, maxResults: 1000, reverseOrder: false, nextToken: 'page-2' },
    ]);
  });

  it('has no stoppedAt while the execution runs', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ executionArn: arn, stateMachineArn: machine, status: 'RUNNING', startDate: at(0) });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [entered(2, 'Tell the customer and the owner', 1)] });
    const history = await stepFunctionsHistory().describe(arn);
    expect(history).toMatchObject({ status: 'RUNNING', startedAt: at(0).toISOString() });
    expect(history).not.toHaveProperty('stoppedAt');
  });

  it('answers undefined for an execution Step Functions does not know (never started, or its history expired)', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'gone', $metadata: {} }));
    await expect(stepFunctionsHistory().describe(arn)).resolves.toBeUndefined();
    expect(sfn.commandCalls(GetExecutionHistoryCommand)).toHaveLength(0);
  });

  it('lets any other failure through (the view answers an error rather than a wrong status)', async () => {
    sfn.on(DescribeExecutionCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(stepFunctionsHistory().describe(arn)).rejects.toThrow('denied');
  });
});
