/**
 * Fires the declared schedules (shared/schedules.ts) from the shared scaled clock, so
 * CARELOOP_TIME_SCALE speeds them up like every other wait. EventBridge expressions are
 * read with croner in Quartz mode (day-of-week 1 = Sunday, as EventBridge has it).
 */
import { Cron } from 'croner';
import type { ScheduleDeclaration } from '../../shared/schedules.js';

/** The next time an EventBridge Scheduler expression fires after `after`, in its zone. */
export function nextFireTime(expression: string, timezone: string, after: Date): Date {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const [, count, unitName = ''] = rate;
    const unit = unitName.startsWith('minute') ? 60_000 : unitName.startsWith('hour') ? 3_600_000 : 86_400_000;
    const period = Number(count) * unit;
    return new Date(Math.floor(after.getTime() / period) * period + period);
  }
  const fields = /^cron\((.+)\)$/.exec(expression)?.[1];
  if (!fields) throw new Error(`unsupported schedule expression ${expression}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek, year = '*'] = fields.trim().split(/\s+/);
  const field = (value: string | undefined) => (value === '?' ? '*' : (value ?? '*'));
  const pattern = ['0', minute, hour, field(dayOfMonth), month, field(dayOfWeek), field(year)].join(' ');
  const next = new Cron(pattern, { timezone, mode: '7-part', alternativeWeekdays: true, paused: true }).nextRun(after);
  if (!next) throw new Error(`schedule ${expression} never fires after ${after.toISOString()}`);
  return next;
}

/** Timers longer than this are re-armed (setTimeout caps at ~24.8 days; the clock may be scaled). */
const MAX_TIMER_MS = 60 * 60 * 1000;

export function startScheduler(
  clock: { now(): Date; realDelayUntil(at: Date): number },
  jobs: Array<{ schedule: ScheduleDeclaration; run: () => Promise<unknown> }>,
  log: (line: string) => void = () => undefined,
  /** Fire what falls due after this instant (the clock's start: loading handlers takes a while, and a job due meanwhile still runs). */
  from: Date = clock.now(),
): { stop(): void } {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const arm = (job: (typeof jobs)[number], due: Date) => {
    const delay = Math.min(clock.realDelayUntil(due), MAX_TIMER_MS);
    const timer = setTimeout(async () => {
      timers.delete(timer);
      if (stopped) return;
      if (clock.now() < due) return arm(job, due);
      try {
        await job.run();
      } catch (error) {
        log(`scheduled job ${job.schedule.id} failed: ${(error as Error).message}`);
      }
      if (!stopped) arm(job, nextFireTime(job.schedule.expression, job.schedule.timezone, clock.now()));
    }, delay);
    timer.unref();
    timers.add(timer);
  };
  for (const job of jobs) arm(job, nextFireTime(job.schedule.expression, job.schedule.timezone, from));
  return {
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
