/**
 * Complaint confirmation links ("did this solve your problem?") carry a signed, expiring token
 * like survey links: the complaint id, the round it was resolved in, the expiry, and an
 * HMAC-SHA256 over them, with its own domain separation so a survey token is never a
 * confirmation token (and back), even under the same key.
 *
 *   base64url( version(1) | complaintId(26, ULID ascii) | round(2) | expiry(4, unix seconds) | mac(16) )
 *
 * Single use is the complaint's own state: the link answers only while that round is `resolved`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LinkExpired, NotFound } from './errors.js';

const VERSION = 1;
const ID_LENGTH = 26;
const MAC_LENGTH = 16;
const PAYLOAD_BYTES = 1 + ID_LENGTH + 2 + 4;
const TOKEN_BYTES = PAYLOAD_BYTES + MAC_LENGTH;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const CONTEXT = Buffer.from('careloop:confirmation-link:');

export interface ConfirmationTokenClaims {
  complaintId: string;
  /** The complaint's round when it was resolved: a link from an earlier round no longer answers. */
  round: number;
  expiresAt: Date;
}

function mac(key: string, payload: Buffer): Buffer {
  return createHmac('sha256', key).update(CONTEXT).update(payload).digest().subarray(0, MAC_LENGTH);
}

/** The token for a confirmation link. `keys[0]` signs. */
export function signConfirmationToken(claims: ConfirmationTokenClaims, keys: readonly string[]): string {
  const key = keys[0];
  if (!key) throw new Error('no link signing key');
  if (!ULID.test(claims.complaintId)) throw new Error('complaint ids are ULIDs');
  if (!Number.isInteger(claims.round) || claims.round < 1 || claims.round > 0xffff) throw new Error('bad round');
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  payload.write(claims.complaintId, 1, 'ascii');
  payload.writeUInt16BE(claims.round, 1 + ID_LENGTH);
  payload.writeUInt32BE(Math.floor(claims.expiresAt.getTime() / 1000), 1 + ID_LENGTH + 2);
  return Buffer.concat([payload, mac(key, payload)]).toString('base64url');
}

/** The claims of a genuine token: 404 for anything that does not verify, 410 (LinkExpired) when expired. */
export function verifyConfirmationToken(token: string, keys: readonly string[], now: Date): ConfirmationTokenClaims {
  const unknown = () => new NotFound('No complaint for this link.');
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw unknown();
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== TOKEN_BYTES || bytes.readUInt8(0) !== VERSION || bytes.toString('base64url') !== token)
    throw unknown();
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  const given = bytes.subarray(PAYLOAD_BYTES);
  if (!keys.some((key) => key && timingSafeEqual(mac(key, payload), given))) throw unknown();
  const complaintId = payload.toString('ascii', 1, 1 + ID_LENGTH);
  if (!ULID.test(complaintId)) throw unknown();
  const round = payload.readUInt16BE(1 + ID_LENGTH);
  const expiresAt = new Date(payload.readUInt32BE(1 + ID_LENGTH + 2) * 1000);
  if (now.getTime() >= expiresAt.getTime()) throw new LinkExpired('This confirmation link has expired.');
  return { complaintId, round, expiresAt };
}
