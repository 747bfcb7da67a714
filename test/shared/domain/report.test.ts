import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../shared/domain/metrics.js';
import { renderReportHtml } from '../../../shared/domain/report/html.js';
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

describe('findings, teams and overdue reasons (issue 14 E)', () => {
  const cellOf = (team: string) => ({ day: '2026-10-05', channel: 'chat', team });
  // online: 4 contacts, 1 answered in target, 3 unanswered past it (2 staffing, 1 unexplained); tech: 1 in target.
  // Answers: 2 valid, overall 3 + 5 (one satisfied); dimensions responsiveness 3 + 4, professionalism 3 + 4,
  // attitude 4 + 5, resolution 2 + 2 (the weakest), convenience 3 + 3; no promoter, no praise.
  const october: Array<{ cell: ReturnType<typeof cellOf>; counters: Record<string, number> }> = [
    {
      cell: cellOf('online'),
      counters: {
        interactions: 4,
        frt_count: 1,
        frt_within: 1,
        frt_unanswered: 3,
        overdue_contacts: 3,
        overdue_reason_staffing: 2,
        overdue_reason_unexplained: 1,
        valid_responses: 2,
        responses: 2,
        overall_sum: 8,
        overall_satisfied: 1,
        dim_responsiveness_sum: 7,
        dim_professionalism_sum: 7,
        dim_attitude_sum: 9,
        dim_resolution_sum: 4,
        dim_convenience_sum: 6,
      },
    },
    { cell: cellOf('tech'), counters: { interactions: 1, frt_count: 1, frt_within: 1 } },
  ];
  // September: 2 contacts, both in target
  const september = [{ cell: cellOf('online'), counters: { interactions: 2, frt_count: 2, frt_within: 2 } }];
  const metricsOf = (rows: typeof october) => computeMetrics(rows, period, DEFAULT_SETTINGS);
  const report = buildReport({
    month: '2026-10',
    kind: 'month',
    generatedAt: new Date('2026-11-01T00:00:00Z'),
    settings: DEFAULT_SETTINGS,
    current: metricsOf(october),
    previous: metricsOf(september),
    history: [],
    improvements: [],
    teams: [
      { team: 'tech', metrics: metricsOf([october[1]!]) },
      { team: 'online', metrics: metricsOf([october[0]!]) },
    ],
  });

  it('writes the red KPIs, the largest moves and the weakest dimension', () => {
    expect(report.findings).toEqual([
      // the first three red KPIs in settings order: satisfied 1 / 2 < amber 0.8; first response
      // (1 + 1) / (2 + 3) = 0.4 < amber 0.85; praise 0 / 2 < amber 0.1 (CSAT 8 / 2 = 4 is amber, not red;
      // recommendation 0 / 2 is red too, but a fourth)
      { kind: 'red', kpi: 'satisfiedShare', value: 0.5, target: 0.9 },
      { kind: 'red', kpi: 'firstResponse', value: 0.4, target: 0.95 },
      { kind: 'red', kpi: 'praiseShare', value: 0, target: 0.2 },
      // 1 → 0.4 is 6 widths of its 0.1 amber band: the largest move (the only KPI with both periods)
      { kind: 'change', kpi: 'firstResponse', value: 0.4, previous: 1, better: false },
      // resolution 4 / 2 = 2 is the lowest dimension with answers: (2 − 1) / 4 × 10 = 2.5 on 0–10
      { kind: 'focus', dimension: 'resolution', average: 2, csi: 2.5 },
    ]);
  });

  it('lists each team by name, and the overdue reasons', () => {
    expect(report.teams).toEqual([
      {
        team: 'online',
        interactions: 4,
        firstResponseWithinTargetShare: 0.25,
        firstContactResolutionShare: null,
        csat: 4,
        nps: null,
        complaints: 0,
      },
      {
        team: 'tech',
        interactions: 1,
        firstResponseWithinTargetShare: 1,
        firstContactResolutionShare: null,
        csat: null,
        nps: null,
        complaints: 0,
      },
    ]);
    expect(report.overdueReasons).toEqual({
      contacts: 3,
      staffing: 2,
      process: 0,
      tooling: 0,
      customer: 0,
      other: 0,
      unexplained: 1,
    });
  });

  it('renders the findings as sentences in both languages', () => {
    const en = renderReportHtml(report, { language: 'en', variant: 'web' });
    expect(en).toContain('First response on target is 40.0%, short of its target 95.0% (red).');
    expect(en).toContain('Focus for the next period:');
    const zh = renderReportHtml(report, { language: 'zh', variant: 'email' });
    expect(zh).toContain('下期重点：');
    expect(zh).toContain('人手不足');
  });
});
