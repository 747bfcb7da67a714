/**
 * The local stand-in for SES and SNS: each message becomes a file in the outbox folder
 * (`<id>.email.json` + `<id>.eml`, or `<id>.sms.json`), so a developer can read what would
 * have been sent. Writing the same id twice leaves the first file.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../domain/clock.js';
import { toMime } from './mime.js';
import type { EmailMessage, SmsMessage, Transport } from './ports.js';

export interface OutboxMessage {
  id: string;
  channel: 'email' | 'sms';
  to: string[];
  subject?: string;
  text: string;
  html?: string;
  attachments?: Array<{ filename: string; contentType: string; bytes: number }>;
  sentAt: string;
}

const safe = (id: string) => id.replace(/[^\w.-]/g, '_');

async function writeOnce(path: string, content: string | Buffer): Promise<boolean> {
  try {
    await writeFile(path, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

export function outboxEmailTransport(dir: string, clock: () => Clock, from = 'careloop@localhost'): Transport<EmailMessage> {
  return {
    async deliver(message) {
      await mkdir(dir, { recursive: true });
      const sentAt = clock().now();
      const record: OutboxMessage = {
        id: message.id,
        channel: 'email',
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.attachments?.length
          ? { attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, bytes: typeof a.content === 'string' ? Buffer.byteLength(a.content) : a.content.length })) }
          : {}),
        sentAt: sentAt.toISOString(),
      };
      if (await writeOnce(join(dir, `${safe(message.id)}.email.json`), JSON.stringify(record, null, 2))) {
        await writeFile(join(dir, `${safe(message.id)}.eml`), await toMime(message, from, sentAt));
      }
      return { providerMessageId: `outbox-${message.id}` };
    },
  };
}

export function outboxSmsTransport(dir: string, clock: () => Clock): Transport<SmsMessage> {
  return {
    async deliver(message) {
      await mkdir(dir, { recursive: true });
      const record: OutboxMessage = { id: message.id, channel: 'sms', to: [message.to], text: message.text, sentAt: clock().now().toISOString() };
      await writeOnce(join(dir, `${safe(message.id)}.sms.json`), JSON.stringify(record, null, 2));
      return { providerMessageId: `outbox-${message.id}` };
    },
  };
}

/** Every message in the outbox, newest first. */
export async function readOutbox(dir: string): Promise<OutboxMessage[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const messages = await Promise.all(
    names.filter((name) => name.endsWith('.email.json') || name.endsWith('.sms.json')).map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxMessage),
  );
  return messages.sort((a, b) => (a.sentAt === b.sentAt ? a.id.localeCompare(b.id) : a.sentAt < b.sentAt ? 1 : -1));
}
