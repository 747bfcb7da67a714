/**
 * The scaled clock survives a restart on persisted data: where it stood is written beside the
 * data (CARELOOP_DATA_DIR/clock.json) every second and at stop, and a restart continues from
 * there. Without it, a clock at CARELOOP_TIME_SCALE=60 would start again from real time after
 * a crash, behind the complaints it had already registered "ahead", and skip them.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'clock.json';
const SAVE_EVERY_MS = 1000;

/** Where the clock stood when the data was last written, if it was written by a clock at all. */
export function savedClock(dataDir: string): Date | undefined {
  try {
    const { now } = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as { now?: unknown };
    const at = typeof now === 'string' ? new Date(now) : undefined;
    return at && Number.isFinite(at.getTime()) ? at : undefined;
  } catch {
    return undefined;
  }
}

/** Where a restarted clock starts: where it stood before, or now if real time has overtaken it. */
export function resumeAt(dataDir: string | undefined, realNow = new Date()): Date {
  const saved = dataDir ? savedClock(dataDir) : undefined;
  return saved && saved > realNow ? saved : realNow;
}

/** Keeps clock.json current until `stop()` (which writes it one last time). */
export function keepClockSaved(dataDir: string, clock: { now(): Date }): { stop(): void } {
  const save = () => {
    const temporary = join(dataDir, `${FILE}.tmp`);
    writeFileSync(temporary, JSON.stringify({ now: clock.now().toISOString() }));
    renameSync(temporary, join(dataDir, FILE)); // atomic: a crash never leaves half a file
  };
  save();
  const timer = setInterval(save, SAVE_EVERY_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      save();
    },
  };
}
