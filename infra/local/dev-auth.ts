/**
 * Local stand-in for API Gateway's Cognito authorizer: HS256 tokens signed with
 * CARELOOP_DEV_JWT_SECRET, verified here and passed to handlers as the same claims.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { TokenExpired } from '../../shared/domain/errors.js';
import type { Role } from '../../shared/schemas/common.js';

export const DEFAULT_DEV_SECRET = 'careloop-local-development-secret-change-me';

const key = (secret: string) => new TextEncoder().encode(secret);

export async function mintDevToken(
  secret: string,
  claims: { sub: string; groups: Role[]; team?: string | undefined },
  now = new Date(),
): Promise<string> {
  return new SignJWT({ 'cognito:groups': claims.groups, ...(claims.team ? { 'custom:team': claims.team } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer('careloop-local')
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(now.getTime() / 1000) + 12 * 3600)
    .sign(key(secret));
}

/** A Cognito group name: no whitespace (Cognito refuses it), and no comma or bracket that would split when joined. */
const GROUP_NAME = /^[^\s,[\]]{1,128}$/u;

/** Clock skew allowed between the minting machine and this one for `iat`. */
const IAT_LEEWAY_SECONDS = 30;

/**
 * The claims API Gateway would pass for this Authorization header, or null when it is
 * missing or does not verify. Like Cognito's tokens, a dev token must carry `exp` and an `iat`
 * that is not in the future. Groups are joined with commas, as the REST authorizer does, so a
 * group name that holds a comma, whitespace or a bracket is refused rather than re-read as others.
 * A token that verifies but has expired throws TokenExpired (API Gateway's EXPIRED_TOKEN answer).
 */
export async function claimsFromAuthorization(
  secret: string,
  authorization: string | undefined,
): Promise<Record<string, string> | null> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return null;
  // A token verified before answers from the cache until it expires, as API Gateway caches an
  // authorizer's result: verifying a signature per request was 2 ms of each local request (issue 15.2).
  const cacheKey = `${secret}\n${token}`;
  const known = verified.get(cacheKey);
  if (known) {
    if (known.exp * 1000 > Date.now()) return { ...known.claims };
    verified.delete(cacheKey);
  }
  const claims = await verify(secret, token);
  if (claims) {
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.clear();
    verified.set(cacheKey, claims);
  }
  return claims?.claims ?? null;
}

/** Tokens verified in this process, with their expiry (seconds). Bounded: cleared when full. */
const verified = new Map<string, { claims: Record<string, string>; exp: number }>();
const VERIFIED_CACHE_SIZE = 1000;

async function verify(secret: string, token: string): Promise<{ claims: Record<string, string>; exp: number } | null> {
  try {
    // Verified against real time: the scaled clock would expire dev tokens in seconds.
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: ['HS256'],
      issuer: 'careloop-local',
      requiredClaims: ['exp', 'iat'],
    });
    if (typeof payload.sub !== 'string' || payload.sub === '') return null;
    if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + IAT_LEEWAY_SECONDS) return null;
    const raw = payload['cognito:groups'] ?? [];
    const groups = Array.isArray(raw) ? raw : [raw];
    if (!groups.every((g): g is string => typeof g === 'string' && GROUP_NAME.test(g))) return null;
    return {
      claims: {
        sub: payload.sub,
        'cognito:groups': groups.join(','),
        ...(typeof payload['custom:team'] === 'string' ? { 'custom:team': payload['custom:team'] } : {}),
      },
      exp: payload.exp as number,
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenExpired('The token has expired; sign in again.');
    return null;
  }
}
