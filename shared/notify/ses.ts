/**
 * Email through Amazon SES v2, always as simple content: SES composes the MIME itself, attachments
 * included (the Attachments of SendEmail's simple content), so no MIME library is bundled into the
 * functions that send mail (nodemailer was 137 KiB of each, issue 15.1). The local outbox still
 * keeps raw MIME (outbox.ts, mime.ts), which only the local runtime loads.
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { SES_MESSAGE_TAG, sesMessageTag } from '../domain/delivery-events.js';
import { DEFAULT_SENDER_EMAIL, type EmailMessage, SENDER_EMAIL_ENV, type Transport } from './ports.js';

let client: SESv2Client | undefined;

/** The environment variable naming the SES configuration set whose event destination reports deliveries, bounces and complaints. */
export const SES_CONFIGURATION_SET_ENV = 'CARELOOP_SES_CONFIGURATION_SET';

/** The sender address comes from CARELOOP_SENDER_EMAIL (set by the CDK's allowEmail from the careloop:senderEmail context). */
export function sesTransport(from = process.env[SENDER_EMAIL_ENV] ?? DEFAULT_SENDER_EMAIL): Transport<EmailMessage> {
  return {
    async deliver(message) {
      // Loaded on the first message, not when the function starts (issue 15.1).
      const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
      client ??= new SESv2Client({ maxAttempts: 3 });
      // The tag names the message in SES's delivery events (bounce, complaint, delivery: functions/followups/delivery.ts);
      // tag values allow letters, digits, _ and - only, so the id goes base64url.
      const tag = sesMessageTag(message.id);
      const tags = tag.length <= 256 ? [{ Name: SES_MESSAGE_TAG, Value: tag }] : undefined;
      const configurationSet = process.env[SES_CONFIGURATION_SET_ENV];
      const content = {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: message.text, Charset: 'UTF-8' },
            ...(message.html ? { Html: { Data: message.html, Charset: 'UTF-8' } } : {}),
          },
          ...(message.attachments?.length
            ? {
                Attachments: message.attachments.map((attachment) => ({
                  FileName: attachment.filename,
                  ContentType: attachment.contentType,
                  ContentDisposition: 'ATTACHMENT' as const,
                  ContentTransferEncoding: 'BASE64' as const,
                  RawContent:
                    typeof attachment.content === 'string' ? Buffer.from(attachment.content) : attachment.content,
                })),
              }
            : {}),
        },
      };
      const result = await client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: message.to },
          Content: content,
          ...(tags ? { EmailTags: tags } : {}),
          // The configuration set publishes the message's delivery events (set by the CDK, infra/aws/constructs/messaging.ts).
          ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
        }),
      );
      return result.MessageId ? { providerMessageId: result.MessageId } : {};
    },
  };
}
