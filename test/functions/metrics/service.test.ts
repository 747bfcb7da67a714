/** The metrics use cases with injected counter reads: who may read what, and that only counter cells are read. */
import { describe, expect, it } from 'vitest';
import { agentMetricsFor, type MetricsDeps, metricsFor } from '../../../functions/metrics/service.js';
import { Forbidden, Invalid } from '../../../shared/domain/errors.js';
import type { CounterRow } from '../../../shared/store/aggregates.js';
import { memorySettingsStore } from '../../support/settings.js';

const now = new Date('2026-11-30T09:00:00Z');
const cell = (day: string, team: string, counters: Record<string, number>, agent?: string): CounterRow => ({
  cell: { day, channel: agent ? 'all' : 'phone', team, ...(agent ? { agent } : {}) },
  counters,
});

function deps(rows: CounterRow[]) {
  const reads: Array<{ kind: string; from: string; to: string; filter: unknown }> = [];
  const given: Partial<MetricsDeps> = {
    // The per-agent rows' names (the directory knows agent-7).
    staff: {
      getStaffMembers: async (ids) =>
        new Map(ids.filter((id) => id === 'agent-7').map((id) => [id, { name: 'Agent Seven' } as never])),
    },
    // No goals are set: the figures alone are read.
    goals: { list: async () => [] },
    settings: memorySettingsStore(),
    counters: {
      readCounters: async (from, to, filter = {}) => {
        reads.push({ kind: 'team', from, to, filter });
        return rows.filter((r) => !r.cell.agent && (!filter.team || r.cell.team === filter.team));
      },
      readAgentCounters: async (from, to, filter = {}) => {
        reads.push({ kind: 'agent', from, to, filter });
        return rows.filter((r) => r.cell.agent && (!filter.agent || r.cell.agent === filter.agent));
      },
    },
    // Nothing was sent: the messaging figures are all zero.
    messaging: {
      readMessagingTotals: async () => ({
        byChannel: {
          sms: { sent: 0, segments: 0, costMicroUsd: 0 },
          email: { sent: 0, segments: 0, costMicroUsd: 0 },
          wechat: { sent: 0, segments: 0, costMicroUsd: 0 },
        },
        surveyCostMicroUsd: 0,
        surveyInvitations: 0,
      }),
    },
  };
  return { given, reads };
}

const rows = [
  cell('2026-11-02', 'online', { invitations: 3, invited_interaction: 3 }),
  cell('2026-11-03', 'stores', { invitations: 5, invited_interaction: 5 }),
  cell('2026-11-02', 'online', { invitations: 3, invited_interaction: 3 }, 'agent-7'),
];

describe('metrics use cases (injected counter reads)', () => {
  it('reads this month’s team cells by default and counts from them', async () => {
    const { given, reads } = deps(rows);
    const manager = { id: 'm-1', roles: ['manager' as const] };
    const result = await metricsFor({} as never, now, manager, given);
    expect(result.period).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
    expect(result.surveys.invited).toBe(8);
    expect(reads).toEqual([{ kind: 'team', from: '2026-11-01', to: '2026-11-30', filter: expect.anything() }]);
  });

  it('keeps a supervisor to their own team and an agent to their own figures', async () => {
    const { given } = deps(rows);
    const supervisor = { id: 's-1', roles: ['supervisor' as const], team: 'online' };
    expect((await metricsFor({} as never, now, supervisor, given)).surveys.invited).toBe(3);
    await expect(metricsFor({ team: 'stores' } as never, now, supervisor, given)).rejects.toBeInstanceOf(Forbidden);
    const agent = { id: 'agent-7', roles: ['agent' as const], team: 'online' };
    await expect(metricsFor({} as never, now, agent, given)).rejects.toBeInstanceOf(Forbidden);
    const own = await agentMetricsFor({} as never, now, { ...supervisor }, given);
    expect(own.items.map((row: { agentId: string; name: string | null }) => [row.agentId, row.name])).toEqual([
      ['agent-7', 'Agent Seven'],
    ]);
    expect(own.nextCursor).toBeNull();
  });

  it('refuses a period whose start is after its end, naming from', async () => {
    const { given, reads } = deps(rows);
    const manager = { id: 'm-1', roles: ['manager' as const] };
    const refused = await metricsFor({ from: '2026-11-20', to: '2026-11-10' } as never, now, manager, given).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(Invalid);
    expect(JSON.stringify((refused as Invalid).errors)).toContain('from');
    expect(reads).toEqual([]);
  });
});
