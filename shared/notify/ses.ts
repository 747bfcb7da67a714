/** Email through Amazon SES v2: a simple message, or raw MIME when it carries attachments. */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { traced } from '../observability/tracer.js';
import { toMime } from './mime.js';
import { DEFAULT_SENDER_EMAIL, type EmailMessage, SENDER_EMAIL_ENV, type Transport } from './ports.js';

let client: SESv2Client | undefined;

/** The sender address comes from CARELOOP_SENDER_EMAIL (set by the CDK's allowEmail from the careloop:senderEmail context). */
export function sesTransport(from = process.env[SENDER_EMAIL_ENV] ?? DEFAULT_SENDER_EMAIL): Transport<EmailMessage> {
  return {
    async deliver(message) {
      client ??= traced(new SESv2Client({ maxAttempts: 3 }));
      // SES tags allow letters, digits, _ and - only; our ids qualify, the tag lets a bounce be traced to its message.
      const tags = /^[\w-]{1,256}$/.test(message.id) ? [{ Name: 'careloop-message-id', Value: message.id }] : undefined;
      const content = message.attachments?.length
        ? { Raw: { Data: await toMime(message, from) } }
        : {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: message.text, Charset: 'UTF-8' },
                ...(message.html ? { Html: { Data: message.html, Charset: 'UTF-8' } } : {}),
              },
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
