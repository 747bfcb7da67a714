import { describe, expect, it } from 'vitest';
import { logReplacer, readableLine, redactTokens } from '../../../shared/observability/logger.js';

const linkToken = 'q3Jk9vXz2LmN8pQr5sTu7wYa1bCd4eFg6hIj0kLmNoP';
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudC0xIn0.c2lnbmF0dXJlLXBhcnQtaGVyZQ';

describe('the logger', () => {
  it('redacts a whole token even when part of it looks like a card or ID number to the masker', () => {
    // Random link tokens can hold a digit run; masked first, the token was cut below 40 characters
    // and its tail reached the log (a flake of logging.http.test.ts under a random token).
    for (const token of [
      'Ab_4111111111111111_Cd-xxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'x-110105199003071234-yyyyyyyyyyyyyyyyyyyyyyyyyyyyy',
    ])
      expect(logReplacer('url', `https://x.example/s/${token}`)).toBe('https://x.example/s/[token]');
  });

  it('redacts link tokens and bearer JWTs wherever they occur in a value', () => {
    expect(redactTokens(`GET /s/${linkToken} answered 404`)).toBe('GET /s/[token] answered 404');
    expect(redactTokens(`authorization: Bearer ${jwt}`)).toBe('authorization: Bearer [token]');
    // Ids, dates and short words stay readable.
    expect(redactTokens('complaint CMP-20261130-0001 at 2026-11-30T10:00:00Z')).toBe(
      'complaint CMP-20261130-0001 at 2026-11-30T10:00:00Z',
    );
  });

  it('masks personal data and redacts tokens in JSON entries and in readable lines alike', () => {
    const entry = { message: 'link problem', url: `/c/${linkToken}`, phone: '+8613700001111', who: `Bearer ${jwt}` };
    const json = JSON.stringify(entry, logReplacer);
    const line = readableLine({ level: 'WARN', timestamp: '2026-11-30T10:00:00.000Z', ...entry });
    for (const written of [json, line]) {
      expect(written).not.toContain(linkToken);
      expect(written).not.toContain(jwt.split('.')[1]);
      expect(written).not.toContain('13700001111');
      expect(written).toContain('[token]');
    }
  });
});
