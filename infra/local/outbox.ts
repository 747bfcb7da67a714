/**
 * The local stand-in for SES and SNS: every message sent is written to CARELOOP_OUTBOX_DIR
 * (email as .eml, SMS as .json) and listed by GET /_local/outbox; the stand-in WeChat server
 * (wechat-server.ts) writes each template message it accepts here too, as the customer sees it.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OutboxEntry {
  id: string;
  kind: 'email' | 'sms' | 'wechat';
  /** The channel it went by (as `kind`). */
  channel: 'email' | 'sms' | 'wechat';
  to: string[];
  subject?: string;
  text?: string;
  file: string;
  at: string;
}

export interface Outbox {
  dir: string;
  writeEmail(email: { id: string; to: string[]; subject: string; raw: Buffer | string }, at: Date): OutboxEntry;
  writeSms(sms: { id: string; to: string; text: string }, at: Date): OutboxEntry;
  writeWechat(
    message: { id: string; to: string; text: string; templateId: string; url?: string },
    at: Date,
  ): OutboxEntry;
  list(): OutboxEntry[];
}

const safe = (id: string) => id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);

export function createOutbox(dir?: string): Outbox {
  const root = dir ?? mkdtempSync(join(tmpdir(), 'careloop-outbox-'));
  mkdirSync(root, { recursive: true });
  const index = join(root, 'index.jsonl');
  const append = (entry: OutboxEntry) => {
    writeFileSync(index, `${JSON.stringify(entry)}\n`, { flag: 'a' });
    return entry;
  };
  return {
    dir: root,
    writeEmail(email, at) {
      const file = join(root, `${at.toISOString().replace(/[:.]/g, '-')}-${safe(email.id)}.eml`);
      writeFileSync(file, email.raw);
      return append({
        id: email.id,
        kind: 'email',
        channel: 'email',
        to: email.to,
        subject: email.subject,
        file,
        at: at.toISOString(),
      });
    },
    writeSms(sms, at) {
      const file = join(root, `${at.toISOString().replace(/[:.]/g, '-')}-${safe(sms.id)}.sms.json`);
      writeFileSync(file, JSON.stringify(sms, null, 2));
      return append({
        id: sms.id,
        kind: 'sms',
        channel: 'sms',
        to: [sms.to],
        text: sms.text,
        file,
        at: at.toISOString(),
      });
    },
    writeWechat(message, at) {
      const file = join(root, `${at.toISOString().replace(/[:.]/g, '-')}-${safe(message.id)}.wechat.json`);
      writeFileSync(file, JSON.stringify(message, null, 2));
      return append({
        id: message.id,
        kind: 'wechat',
        channel: 'wechat',
        to: [message.to],
        text: message.text,
        file,
        at: at.toISOString(),
      });
    },
    list() {
      if (!readdirSync(root).includes('index.jsonl')) return [];
      return readFileSync(index, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as OutboxEntry);
    },
  };
}
