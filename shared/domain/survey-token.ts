/**
 * Survey links carry a signed, expiring token instead of a login. The token holds only the
 * survey id and the expiry, no personal data, and an HMAC-SHA256 over both:
 *
 *   base64url( version(1) | surveyId(26, ULID ascii) | expiry(4, unix seconds, big-endian) | mac(16) )
 *
 * The MAC (HMAC-SHA256 truncated to 128 bits, far beyond guessing) makes a token
 * unforgeable; single use is enforced by the store (the survey is answered once), not here.
 * Keys are a list so the signing key can rotate: the first signs, any verifies.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LinkExpired, NotFound } from './errors.js';

const VERSION = 1;
const ID_LENGTH = 26;
const MAC_LENGTH = 16;
const TOKEN_BYTES = 1 + ID_LENGTH + 4 + MAC_LENGTH;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Domain separation: a MAC made for something else with the same key is never a survey token. */
const CONTEXT = Buffer.from('careloop:survey-link:');

export interface SurveyTokenClaims {
  surveyId: string;
  expiresAt: Date;
}

function mac(key: string, payload: Buffer): Buffer {
  return createHmac('sha256', key).update(CONTEXT).update(payload).digest().subarray(0, MAC_LENGTH);
}

/** The token for a survey link. `keys[0]` signs. */
export function signSurveyToken(claims: SurveyTokenClaims, keys: readonly string[]): string {
  const key = keys[0];
  if (!key) throw new Error('no survey signing key');
  if (!ULID.test(claims.surveyId)) throw new Error('survey ids are ULIDs');
  const payload = Buffer.alloc(1 + ID_LENGTH + 4);
  payload.writeUInt8(VERSION, 0);
  payload.write(claims.surveyId, 1, 'ascii');
  payload.writeUInt32BE(Math.floor(claims.expiresAt.getTime() / 1000), 1 + ID_LENGTH);
  return Buffer.concat([payload, mac(key, payload)]).toString('base64url');
}

/**
 * The claims of a genuine token. Anything that does not verify (tampered, truncated,
 * signed with another key, not a token at all) is a 404, as if no such survey existed;
 * a genuine but expired token is 410 Gone.
 */
export function verifySurveyToken(token: string, keys: readonly string[], now: Date): SurveyTokenClaims {
  const unknown = () => new NotFound('No survey for this link.');
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw unknown();
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== TOKEN_BYTES || bytes.readUInt8(0) !== VERSION || bytes.toString('base64url') !== token)
    throw unknown();
  const payload = bytes.subarray(0, TOKEN_BYTES - MAC_LENGTH);
  const given = bytes.subarray(TOKEN_BYTES - MAC_LENGTH);
  if (!keys.some((key) => key && timingSafeEqual(mac(key, payload), given))) throw unknown();
  const surveyId = payload.toString('ascii', 1, 1 + ID_LENGTH);
  if (!ULID.test(surveyId)) throw unknown();
  const expiresAt = new Date(payload.readUInt32BE(1 + ID_LENGTH) * 1000);
  if (now.getTime() >= expiresAt.getTime()) throw new LinkExpired('This survey link has expired.');
  return { surveyId, expiresAt };
}
