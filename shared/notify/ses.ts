/**
 * Email through Amazon SES v2, always as simple content: SES composes the MIME itself, attachments
 * included (the Attachments of SendEmail's simple content), so no MIME library is bundled into the
 * functions that send mail (nodemailer was 137 KiB of each, issue 15.1). The local outbox still
 * keeps raw MIME (outbox.ts, mime.ts), which only the local runtime loads.
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { DEFAULT_SENDER_EMAIL, type EmailMessage, SENDER_EMAIL_ENV, type Transport } from './ports.js';

let client: SESv2Client | undefined;

/** The sender address comes from CARELOOP_SENDER_EMAIL (set by the CDK's allowEmail from the careloop:senderEmail context). */
export function sesTransport(from = process.env[SENDER_EMAIL_ENV] ?? DEFAULT_SENDER_EMAIL): Transport<EmailMessage> {
  return {
    async deliver(message) {
      // Loaded on the first message, not when the function starts (issue 15.1).
      const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
      client ??= new SESv2Client({ maxAttempts: 3 });
      // SES tags allow letters, digits, _ and - only; our ids qualify, the tag lets a bounce be traced to its message.
      const tags = /^[\w-]{1,256}$/.test(message.id) ? [{ Name: 'careloop-message-id', Value: message.id }] : undefined;
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
        }),
      );
      return result.MessageId ? { providerMessageId: result.MessageId } : {};
    },
  };
}
