/** SMS through Amazon SNS, sent as transactional (delivered at the highest reliability, also to DND numbers where allowed). */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SmsMessage, Transport } from './ports.js';

let client: SNSClient | undefined;

export function snsTransport(): Transport<SmsMessage> {
  return {
    async deliver(message) {
      // Loaded on the first message, not when the function starts (issue 15.1).
      const { PublishCommand, SNSClient } = await import('@aws-sdk/client-sns');
      client ??= new SNSClient({ maxAttempts: 3 });
      const result = await client.send(
        new PublishCommand({
          PhoneNumber: message.to,
          Message: message.text,
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        }),
      );
      return result.MessageId ? { providerMessageId: result.MessageId } : {};
    },
  };
}
