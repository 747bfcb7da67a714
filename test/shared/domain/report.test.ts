import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../shared/domain/metrics.js';
import { buildReport } from '../../../shared/domain/report/model.js';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings.js';

const period = { from: '2026-10-01', to: '2026-10-31', timezone: 'Asia/Shanghai' };
const row = (channel: string) => ({
  cell: { day: '2026-10-05', channel, team: 'none' },
  counters: { interactions: 1, frt_count: 1, frt_within: 1 },
});

describe('the monthly report model', () => {
  it('lists channels in the same order however the counter cells arrived', () => {
    const build = (channels: string[]) => {
      const metrics = computeMetrics(channels.map(row), period, DEFAULT_SETTINGS);
      return buildReport({
        month: '2026-10',
        kind: 'month',
        generatedAt: new Date('2026-11-01T00:00:00Z'),
        settings: DEFAULT_SETTINGS,
        current: metrics,
        previous: metrics,
        history: [],
        improvements: [],
      });
    };
    const a = build(['store', 'chat', 'phone']).serviceEfficiency.map((c) => c.channel);
    const b = build(['phone', 'store', 'chat']).serviceEfficiency.map((c) => c.channel);
    expect(a).toEqual(['phone', 'chat', 'store']);
    expect(b).toEqual(a);
  });
});
