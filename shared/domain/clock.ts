/** Where "now" comes from. Domain code takes a Clock (or a Date) instead of calling Date.now(). */
export interface Clock {
  now(): Date;
  /** How many times faster than real time this clock runs (1 or absent: real time). */
  scale?: number;
}

/**
 * An operational window (a lease, a claim timeout, a recovery delay) in this clock's
 * milliseconds: such windows protect against real processes and networks, so they last the same
 * real time whatever the clock's scale (a 5-minute lease is not 83 ms at CARELOOP_TIME_SCALE=3600).
 */
export function realSpan(clock: Clock, realMs: number): number {
  return realMs * (clock.scale ?? 1);
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that runs `scale` times faster than real time from `startedAt`.
 * The local runtime uses one of these for everything time-based (timestamps,
 * deadlines, workflow waits, schedules) so CARELOOP_TIME_SCALE=3600 makes an hour pass in a second.
 *
 * @example
 * const clock = scaledClock(3600, new Date('2026-11-03T08:00:00Z'), () => 0);
 */
export function scaledClock(
  scale: number,
  startedAt = new Date(),
  realNow: () => number = Date.now,
): Clock & {
  scale: number;
  /** Real milliseconds until the scaled clock reaches `at` (0 when it already has). */
  realDelayUntil(at: Date): number;
  /**
   * Stops the clock at `at` until `release()`, which lets it run on from there (tests: a workflow
   * step decides at a chosen instant, whatever the machine's load; the local runtime never holds it).
   */
  hold(at: Date): void;
  release(): void;
} {
  let realStart = realNow();
  let virtualStart = startedAt.getTime();
  let heldAt: number | undefined;
  const now = () => new Date(heldAt ?? virtualStart + (realNow() - realStart) * scale);
  return {
    scale,
    now,
    realDelayUntil: (at) => Math.max(0, (at.getTime() - now().getTime()) / scale),
    hold: (at) => {
      heldAt = at.getTime();
    },
    release: () => {
      if (heldAt === undefined) return;
      realStart = realNow();
      virtualStart = heldAt;
      heldAt = undefined;
    },
  };
}
