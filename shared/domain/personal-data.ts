/**
 * Personal data (phone, email, names) is masked before it reaches a log line or a report.
 * One rule set, used by the logger's JSON replacer and by anything that renders people.
 */
import { createHash } from 'node:crypto';

const PERSONAL_KEYS = /^(phone|mobile|email|customerName|contactName|fullName|to|recipient|address)$/i;
/** `name` holds a person's name on a customer, but an identifier on an error or a state; only the former is masked. */
const looksLikePersonName = (value: string) => /[^ -~]|\s/.test(value.trim());
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** E.164 numbers and mainland mobile numbers; dates and ids do not match. */
const PHONE = /(?<![\w+])\+\d{7,15}(?!\d)|(?<![\w+])1[3-9]\d{9}(?!\d)/g;

/** `+8613812345678` → `+86*******5678`; keeps enough to tell two numbers apart in an incident. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.length <= 4) return '****';
  return digits.slice(0, 3) + '*'.repeat(Math.max(0, digits.length - 7)) + digits.slice(-4);
}

/** `li.wei@example.com` → `l***@example.com`. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

/** `王小明` → `王**`; `Wei Li` → `W*****`. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/** Masks email addresses and phone numbers wherever they occur in free text. */
export function maskText(text: string): string {
  return text.replace(EMAIL, maskEmail).replace(PHONE, (match) => maskPhone(match));
}

/** JSON.stringify replacer: masks personal fields by name and personal patterns inside any string. */
export function maskPersonalData(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (key === 'name' && looksLikePersonName(value)) return maskName(value);
  if (PERSONAL_KEYS.test(key)) {
    if (value.includes('@')) return maskEmail(value);
    if (/^\+?[\d\s-]+$/.test(value)) return maskPhone(value);
    return maskName(value);
  }
  return maskText(value);
}

/**
 * A fingerprint of a contact as people write it (`+86 138-1234-5678`, `13812345678`, `Li.Wei@Example.com`):
 * the same person's phone or email gives the same value, and the value does not give the contact back.
 * Lets erasure find what a customer left with only a contact (a board suggestion) from their profile.
 */
export function contactFingerprint(contact: string): string {
  const halfWidth = contact.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  let normal = halfWidth.trim().toLowerCase();
  if (!normal.includes('@')) {
    normal = normal.replace(/\D/g, '').replace(/^00/, '');
    if (/^861[3-9]\d{9}$/.test(normal)) normal = normal.slice(2);
  }
  return createHash('sha256').update(`contact:${normal}`).digest('base64url').slice(0, 22);
}
