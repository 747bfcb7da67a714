import { describe, expect, it } from 'vitest';
import { Gone, NotFound } from '../../../shared/domain/errors.js';
import { signSurveyToken, verifySurveyToken } from '../../../shared/domain/survey-token.js';
import { at } from '../../support/builders/interactions.js';

const KEY = 'k'.repeat(40);
const OTHER_KEY = 'o'.repeat(40);
const surveyId = '01JC0ZQ8M3Y7D5T2N4K6P8R0SV';
const expiresAt = at('2026-11-17T08:00:00Z');
const before = at('2026-11-10T08:00:00Z');
const token = signSurveyToken({ surveyId, expiresAt }, [KEY]);

describe('survey link tokens', () => {
  it('carry the survey id and expiry and verify with the key that signed them', () => {
    expect(verifySurveyToken(token, [KEY], before)).toEqual({ surveyId, expiresAt });
  });

  it('are URL-safe base64 with nothing personal inside: only the id, the expiry and a MAC', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const bytes = Buffer.from(token, 'base64url');
    expect(bytes.length).toBe(1 + 26 + 4 + 16);
    expect(bytes.toString('latin1')).toContain(surveyId);
  });

  it('are refused as unknown (404) when any single character is changed', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i += 1) {
      const replacement = alphabet[(alphabet.indexOf(token[i]!) + 1) % alphabet.length]!;
      const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
      expect(() => verifySurveyToken(tampered, [KEY], before), `position ${i}`).toThrow(NotFound);
    }
  });

  it('refuse a token whose expiry was pushed back without re-signing', () => {
    const bytes = Buffer.from(token, 'base64url');
    bytes.writeUInt32BE(bytes.readUInt32BE(27) + 30 * 86400, 27);
    expect(() => verifySurveyToken(bytes.toString('base64url'), [KEY], before)).toThrow(NotFound);
  });

  it('refuse a token signed with another key, truncated, extended or not a token at all', () => {
    expect(() => verifySurveyToken(signSurveyToken({ surveyId, expiresAt }, [OTHER_KEY]), [KEY], before)).toThrow(
      NotFound,
    );
    expect(() => verifySurveyToken(token.slice(0, -2), [KEY], before)).toThrow(NotFound);
    expect(() => verifySurveyToken(`${token}AA`, [KEY], before)).toThrow(NotFound);
    for (const junk of ['', 'x', 'not a token', '../../etc/passwd', '%00', 'A'.repeat(63)]) {
      expect(() => verifySurveyToken(junk, [KEY], before)).toThrow(NotFound);
    }
  });

  it('are gone (410) from the second they expire, though genuine', () => {
    expect(() => verifySurveyToken(token, [KEY], new Date(expiresAt.getTime() - 1000))).not.toThrow();
    expect(() => verifySurveyToken(token, [KEY], expiresAt)).toThrow(Gone);
    expect(() => verifySurveyToken(token, [KEY], at('2027-01-01T00:00:00Z'))).toThrow(Gone);
  });

  it('keep verifying after the key rotates, while the old key is still listed', () => {
    expect(verifySurveyToken(token, [OTHER_KEY, KEY], before).surveyId).toBe(surveyId);
    expect(() => verifySurveyToken(token, [OTHER_KEY], before)).toThrow(NotFound);
  });

  it('differ for every survey, so one link cannot be guessed from another', () => {
    const other = signSurveyToken({ surveyId: '01JC0ZQ8M3Y7D5T2N4K6P8R0SW', expiresAt }, [KEY]);
    const mac = (t: string) => Buffer.from(t, 'base64url').subarray(31).toString('hex');
    expect(mac(other)).not.toBe(mac(token));
  });
});
