/**
 * Personal data (phone, email, names) is masked before it reaches a log line or a report.
 * Free text is masked by the one rule set of masking.ts (maskFreeText); this file adds the
 * field-level masks (a phone, an email, a name held in its own field) and the logger's replacer.
 */
import { createHash } from 'node:crypto';
import { maskFreeText } from './masking.js';

const PERSONAL_KEYS = /^(phone|mobile|email|customerName|contactName|fullName|to|recipient|address)$/i;
/** `name` holds a person's name on a customer, but an identifier on an error or a state; only the former is masked. */
const looksLikePersonName = (value: string) => /[^ -~]|\s/.test(value.trim());

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

/**
 * Masks personal data wherever it occurs in free text: the same rules as everything published or
 * sent (maskFreeText), so a text is never masked more weakly in one place than in another
 * (a suggestion's reason was masked by the weaker rules in the customer's notice, issue 21).
 */
export const maskText: (text: string) => string = maskFreeText;

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
