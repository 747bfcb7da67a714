/** The weekly complaint summary reads the week's counters through its injected counter reader. */
import { describe, expect, it } from 'vitest';
import { buildWeeklyComplaintSummary } from '../../../functions/reports/weekly-summary.js';
import type { CounterRow } from '../../../shared/store/aggregates.js';
import { memorySettingsStore } from '../../support/settings.js';

const settings = memorySettingsStore();

describe('the weekly complaint summary (in-memory stores)', () => {
  it("counts the week's complaints from the cells its counter reader answers, for exactly that week", async () => {
    const reads: Array<[string, string, unknown]> = [];
    const cell = (day: string, team: string, counters: Record<string, number>): CounterRow => ({
      cell: { day, channel: 'store', team },
      counters,
    });
    const summary = await buildWeeklyComplaintSummary(
      new Date('2026-12-01T00:00:00Z'),
      { week: '2026-W48' },
      {
        settings,
        complaints: { openBacklog: async () => ({ items: [], complete: true }) },
        surges: { ofMonths: async () => ({ items: [], nextCursor: null }) },
        counters: {
          readCounters: async (from, to, filter) => {
            reads.push([from, to, filter]);
            return [
              cell('2026-11-23', 'north', { complaints: 2, complaints_sev_high: 2, cday_resolved: 1 }),
              cell('2026-11-25', 'south', { complaints: 3, complaints_sev_low: 3 }),
            ];
          },
        },
      },
    );
    expect(reads).toEqual([['2026-11-23', '2026-11-29', undefined]]);
    expect(summary.week).toBe('2026-W48');
    expect(summary.new).toMatchObject({ count: 5, byTeam: { north: 2, south: 3 } });
    expect(summary.resolved).toMatchObject({ count: 1, byTeam: { north: 1 } });
  });
});
