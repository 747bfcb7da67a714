/** The local stand-in for the Cognito authorizer verifies dev tokens as strictly as Cognito's are. */
import { SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { claimsFromAuthorization, mintDevToken } from '../../../infra/local/dev-auth.js';
import { TokenExpired } from '../../../shared/domain/errors.js';
import { actorFromEvent } from '../../../shared/http/auth.js';

const SECRET = 'a-test-secret-of-enough-length-for-hs256';
const now = () => Math.floor(Date.now() / 1000);

function token(claims: Record<string, unknown>, times: { iat?: number | null; exp?: number | null } = {}) {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('dev-1')
    .setIssuer('careloop-local');
  const iat = times.iat === undefined ? now() : times.iat;
  const exp = times.exp === undefined ? now() + 3600 : times.exp;
  if (iat !== null) jwt = jwt.setIssuedAt(iat);
  if (exp !== null) jwt = jwt.setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(SECRET));
}

const verify = async (jwt: string) => claimsFromAuthorization(SECRET, `Bearer ${jwt}`);

describe('dev tokens', () => {
  it('answers a token verified before from its cache until it expires, then as expired', async () => {
    const jwt = await token({ 'cognito:groups': ['agent'] }, { exp: now() + 60 });
    expect(await verify(jwt)).toMatchObject({ sub: 'dev-1', 'cognito:groups': 'agent' });
    expect(await verify(jwt)).toMatchObject({ sub: 'dev-1', 'cognito:groups': 'agent' });
    expect(await claimsFromAuthorization('another-secret-of-enough-length-for-hs256', `Bearer ${jwt}`)).toBeNull();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      await expect(verify(jwt)).rejects.toBeInstanceOf(TokenExpired);
    } finally {
      vi.useRealTimers();
    }
  });

  it('accepts a minted token and passes its groups on', async () => {
    const claims = await verify(await mintDevToken(SECRET, { sub: 'me', groups: ['manager'] }));
    expect(claims).toMatchObject({ sub: 'me', 'cognito:groups': 'manager' });
  });

  it('accepts a hand-made token with exp and a past iat', async () => {
    expect(await verify(await token({ 'cognito:groups': ['agent'] }))).not.toBeNull();
  });

  it('refuses a token without exp (it would never expire)', async () => {
    expect(await verify(await token({ 'cognito:groups': ['admin'] }, { exp: null }))).toBeNull();
  });

  it('refuses a token without iat', async () => {
    expect(await verify(await token({ 'cognito:groups': ['admin'] }, { iat: null }))).toBeNull();
  });

  it('refuses a token issued in the future', async () => {
    const future = now() + 3600;
    expect(await verify(await token({ 'cognito:groups': ['admin'] }, { iat: future, exp: future + 3600 }))).toBeNull();
  });

  it('refuses an expired token, told apart from a forged one (401 token-expired, contract v1.1)', async () => {
    await expect(
      verify(await token({ 'cognito:groups': ['admin'] }, { iat: now() - 7200, exp: now() - 3600 })),
    ).rejects.toBeInstanceOf(TokenExpired);
  });

  it('refuses groups that would read as other groups once joined (commas, spaces, brackets)', async () => {
    for (const group of ['agent,admin', 'agent admin', '[admin]', 'admin ', ' admin'])
      expect(await verify(await token({ 'cognito:groups': [group] })), group).toBeNull();
  });

  it('never turns "admin " into admin: the actor has no role it was not given exactly', async () => {
    const claims = await verify(await token({ 'cognito:groups': 'admin ' }));
    const actor = claims ? actorFromEvent({ requestContext: { authorizer: { claims } } as never }) : null;
    expect(actor?.roles ?? []).not.toContain('admin');
  });
});
