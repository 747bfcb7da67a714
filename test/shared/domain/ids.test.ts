import { decodeTime, isValid } from 'ulidx';
import { describe, expect, it } from 'vitest';
import { newUlid } from '../../../shared/domain/ids.js';

describe('newUlid: record ids from a pooled random source', () => {
  it('is a valid ULID that carries the creation time', () => {
    const time = Date.UTC(2026, 9, 1, 2, 0, 0, 123);
    const id = newUlid(time);
    expect(isValid(id)).toBe(true);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(decodeTime(id)).toBe(time);
  });

  it('never repeats, across several refills of the pool (4 KiB = 256 ids a refill)', () => {
    const time = Date.UTC(2026, 9, 1);
    const ids = Array.from({ length: 5000 }, () => newUlid(time));
    expect(new Set(ids).size).toBe(ids.length);
    // Every character of the random part is used: the draw covers the whole alphabet.
    const randomChars = new Set(ids.flatMap((id) => [...id.slice(10)]));
    expect(randomChars.size).toBe(32);
  });
});
