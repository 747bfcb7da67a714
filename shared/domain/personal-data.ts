/**
 * Field-level masks of personal data: a phone, an email or a name held in its own field
 * (maskPhone, maskEmail, maskName), the logger's JSON replacer that applies them by field name and
 * masks every other string as free text (maskPersonalData), and the one-way contact fingerprint
 * erasure matches on. Free text has one masker, maskFreeText in masking.ts: callers import it
 * from there (there is no second, weaker name for it).
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

/** JSON.stringify replacer: masks personal fields by name and personal patterns inside any string. */
export function maskPersonalData(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (key === 'name' && looksLikePersonName(value)) return maskName(value);
  if (PERSONAL_KEYS.test(key)) {
    if (value.includes('@')) return maskEmail(value);
    if (/^\+?[\d\s-]+$/.test(value)) return maskPhone(value);
    return maskName(value);
  }
  return maskFreeText(value);
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
