/**
 * Record ids: ULIDs (time-ordered, 26 characters) whose 80 random bits come from the crypto
 * random source in 4 KiB draws. `ulid()` of ulidx asks the source for one byte at a time, 16 calls
 * per id: 0.15 ms of the 0.3 ms a POST /interactions spends outside its write (issue 26).
 */
import { randomFillSync } from 'node:crypto';
import { ulid } from 'ulidx';

const pool = new Uint8Array(4096);
let next = pool.length;

/** A random number in [0, 1] from the next byte of the pool, as ulidx's own source gives it (byte / 255). */
function pooledRandom(): number {
  if (next >= pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const byte = pool[next] ?? 0;
  next += 1;
  return byte / 0xff;
}

/** A new ULID for a record created at `time` (ms since the epoch). */
export function newUlid(time: number): string {
  return ulid(time, pooledRandom);
}
