/** Raw MIME for an email (nodemailer's MailComposer): what SES sends when a message has attachments, and what the outbox keeps. */
import MailComposer from 'nodemailer/lib/mail-composer';
import type { EmailMessage } from './ports.js';

export async function toMime(message: EmailMessage, from: string, date?: Date): Promise<Buffer> {
  const composer = new MailComposer({
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    ...(date ? { date } : {}),
    messageId: `<${message.id}@careloop>`,
    attachments: (message.attachments ?? []).map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: typeof attachment.content === 'string' ? attachment.content : Buffer.from(attachment.content),
    })),
  });
  return composer.compile().build();
}
