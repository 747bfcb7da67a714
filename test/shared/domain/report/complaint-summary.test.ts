import { describe, expect, it } from 'vitest';
import {
  buildComplaintSummary,
  weekEndedBefore,
  weekFromName,
  weekOf,
} from '../../../../shared/domain/report/complaint-summary.js';

describe('ISO weeks', () => {
  it('names Monday-to-Sunday weeks as ISO 8601 does, across year ends', () => {
    expect(weekOf('2026-11-18')).toEqual({ name: '2026-W47', from: '2026-11-16', to: '2026-11-22' });
    expect(weekOf('2026-11-22')).toEqual({ name: '2026-W47', from: '2026-11-16', to: '2026-11-22' });
    // 1 January 2027 is a Friday: it belongs to the last week of 2026 (W53).
    expect(weekOf('2027-01-01')).toEqual({ name: '2026-W53', from: '2026-12-28', to: '2027-01-03' });
    // 29 December 2025 is a Monday in week 1 of 2026.
    expect(weekOf('2025-12-31').name).toBe('2026-W01');
    for (const name of ['2026-W01', '2026-W47', '2026-W53', '2027-W01']) expect(weekFromName(name).name).toBe(name);
  });

  it('reports on the week that ended before the Monday run, read in the schedule zone', () => {
    // Monday 30 November 08:00 in Shanghai is still Sunday 29 November in UTC: the week is W48 either way.
    expect(weekEndedBefore(new Date('2026-11-30T00:00:00Z'), 'Asia/Shanghai').name).toBe('2026-W48');
    expect(weekEndedBefore(new Date('2026-11-29T15:59:59Z'), 'Asia/Shanghai').name).toBe('2026-W47');
  });
});

describe('the summary', () => {
  const complaint = (id: string, registeredAt: string, extra: Record<string, unknown> = {}) => ({
    id,
    category: 'delivery',
    severity: 'high',
    team: 'online',
    status: 'responded',
    registeredAt,
    breached: false,
    description: 'x',
    escalationLevel: 0,
    ...extra,
  });

  it('counts by category code: counters and backlog items stored under a free slug fold into its code', () => {
    const summary = buildComplaintSummary({
      week: weekOf('2026-11-18'),
      generatedAt: new Date('2026-11-23T00:00:00Z'),
      timezone: 'Asia/Shanghai',
      cells: [
        {
          cell: { team: 'online' },
          counters: { complaints: 3, complaints_cat_delivery: 2, complaints_cat_logistics: 1 },
        },
      ],
      backlog: {
        complete: true,
        items: [
          complaint('c1', '2026-11-20T00:00:00Z'),
          complaint('c2', '2026-11-20T00:00:00Z', { category: 'logistics' }),
        ],
      },
    });
    expect(summary.new.byCategory).toEqual({ logistics: 3 });
    expect(summary.open.byCategory).toEqual({ logistics: 2 });
  });

  it('counts overdue (a missed deadline) and unresolved open complaints, lists the oldest unresolved five, masked', () => {
    const summary = buildComplaintSummary({
      week: weekOf('2026-11-18'),
      generatedAt: new Date('2026-11-23T00:00:00Z'),
      timezone: 'Asia/Shanghai',
      cells: [
        { cell: { team: 'online' }, counters: { complaints: 2, complaints_cat_logistics: 2, cday_resolved: 1 } },
        { cell: { team: 'stores' }, counters: { complaints: 1, complaints_cat_price_billing: 1 } },
      ],
      backlog: {
        complete: false,
        items: [
          complaint('c7', '2026-11-20T00:00:00Z'),
          complaint('c1', '2026-11-01T00:00:00Z', {
            breached: true,
            team: 'stores',
            description: `Call 13912345678 ${'很'.repeat(100)}`,
          }),
          complaint('c2', '2026-11-02T00:00:00Z', { breached: true }),
          complaint('c3', '2026-11-03T00:00:00Z', { resolvedAt: '2026-11-04T00:00:00Z', status: 'resolved' }),
          complaint('c4', '2026-11-04T00:00:00Z', { team: undefined }),
          complaint('c5', '2026-11-05T00:00:00Z'),
          complaint('c6', '2026-11-06T00:00:00Z'),
        ],
      },
    });
    expect(summary.new).toEqual({
      count: 3,
      byCategory: { logistics: 2, price_billing: 1 },
      bySeverity: {},
      byTeam: { online: 2, stores: 1 },
    });
    expect(summary.resolved).toMatchObject({ count: 1, byTeam: { online: 1 } });
    expect(summary.open).toMatchObject({
      count: 7,
      unresolved: 6,
      overdue: 2,
      overdueByTeam: { online: 1, stores: 1 },
      byTeam: { none: 1, online: 5, stores: 1 },
      complete: false,
    });
    expect(summary.open.oldest.map((c) => c.id)).toEqual(['c1', 'c2', 'c4', 'c5', 'c6']);
    expect(summary.open.oldest[0]).toMatchObject({ daysOpen: 22, breached: true });
    expect(summary.open.oldest[0]!.description).toMatch(/^Call 139\*\*\*\*5678 很+…$/);
    expect([...summary.open.oldest[0]!.description]).toHaveLength(80);
  });
});
