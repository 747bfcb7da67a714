import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../shared/domain/clock.js';

describe('scaledClock', () => {
  it('runs scale times faster than real time from where it started', () => {
    let real = 1_000;
    const clock = scaledClock(3600, new Date('2026-11-03T02:00:00Z'), () => real);
    real += 1_000;
    expect(clock.now().toISOString()).toBe('2026-11-03T03:00:00.000Z');
    expect(clock.realDelayUntil(new Date('2026-11-03T04:00:00Z'))).toBe(1_000);
  });

  it('holds still at the instant asked for, then runs on from there at its scale (#27.8)', () => {
    let real = 0;
    const clock = scaledClock(900, new Date('2026-11-10T02:00:00Z'), () => real);
    real += 4_000; // an hour at 900×
    clock.hold(new Date('2026-11-10T02:55:00Z'));
    real += 10_000; // a busy machine: ten real seconds pass while a check decides
    expect(clock.now().toISOString()).toBe('2026-11-10T02:55:00.000Z');
    expect(clock.realDelayUntil(new Date('2026-11-10T03:00:00Z'))).toBeCloseTo(300_000 / 900);
    clock.release();
    real += 1_000;
    expect(clock.now().toISOString()).toBe('2026-11-10T03:10:00.000Z');
    clock.release(); // not held: nothing changes
    expect(clock.now().toISOString()).toBe('2026-11-10T03:10:00.000Z');
  });
});
