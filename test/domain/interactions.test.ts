import { describe, expect, it } from 'vitest';
import { contributionDelta, percentile } from '../../shared/domain/aggregates.js';
import {
  deriveTiming,
  interactionContribution,
  targetsFor,
  timeOrderProblem,
} from '../../shared/domain/interactions.js';
import { DEFAULT_SETTINGS } from '../../shared/domain/settings.js';
import { at } from '../support/builders/interactions.js';

const targets = DEFAULT_SETTINGS.targets;
const start = at('2026-11-03T08:00:00Z');
const plus = (seconds: number) => new Date(start.getTime() + seconds * 1000);

describe('service targets', () => {
  it.each([
    ['phone', 20],
    ['chat', 20],
    ['app', 20],
    ['wechat', 20],
    ['store', 180],
    ['email', 3600],
  ] as const)('holds a simple %s contact to a %i s first response', (channel, seconds) => {
    expect(targetsFor(channel, 'simple', targets).responseTargetSeconds).toBe(seconds);
  });

  it('gives complex issues one hour for first feedback whatever the channel', () => {
    expect(targetsFor('chat', 'complex', targets).responseTargetSeconds).toBe(3600);
    expect(targetsFor('store', 'complex', targets).responseTargetSeconds).toBe(3600);
  });

  it('resolves simple needs within 4 h and complex ones within 72 h', () => {
    expect(targetsFor('phone', 'simple', targets).resolutionTargetSeconds).toBe(4 * 3600);
    expect(targetsFor('phone', 'complex', targets).resolutionTargetSeconds).toBe(72 * 3600);
  });

  it('follows targets changed in settings', () => {
    const changed = { ...targets, firstResponseSeconds: { ...targets.firstResponseSeconds, chat: 30 } };
    expect(targetsFor('chat', 'simple', changed).responseTargetSeconds).toBe(30);
  });
});

describe('deriving the timing of an interaction', () => {
  const chat = targetsFor('chat', 'simple', targets);

  it('meets a 20 s target at exactly 20 s and misses it at 21 s', () => {
    expect(deriveTiming({ startedAt: start, firstResponseAt: plus(20) }, chat, plus(60)).responseTargetMet).toBe(true);
    expect(deriveTiming({ startedAt: start, firstResponseAt: plus(21) }, chat, plus(60)).responseTargetMet).toBe(false);
  });

  it('reports seconds to first response and to resolution', () => {
    const timing = deriveTiming(
      { startedAt: start, firstResponseAt: plus(12), resolvedAt: plus(3000) },
      chat,
      plus(4000),
    );
    expect(timing).toMatchObject({
      firstResponseSeconds: 12,
      resolutionSeconds: 3000,
      resolutionTargetMet: true,
      status: 'resolved',
    });
  });

  it('leaves compliance unknown while an open contact is still within target', () => {
    const timing = deriveTiming({ startedAt: start }, chat, plus(10));
    expect(timing).toMatchObject({
      responseTargetMet: null,
      resolutionTargetMet: null,
      status: 'open',
      firstResponseSeconds: null,
    });
  });

  it('marks an unanswered contact as missed once its target has passed', () => {
    expect(deriveTiming({ startedAt: start }, chat, plus(21)).responseTargetMet).toBe(false);
    expect(deriveTiming({ startedAt: start }, chat, plus(4 * 3600 + 1)).resolutionTargetMet).toBe(false);
  });

  it('counts a resolution without a separate first response as the response', () => {
    expect(deriveTiming({ startedAt: start, resolvedAt: plus(15) }, chat, plus(60))).toMatchObject({
      responseTargetMet: true,
      firstResponseSeconds: null,
    });
  });
});

describe('time ordering', () => {
  it('accepts startedAt ≤ firstResponseAt ≤ resolvedAt, equal times included', () => {
    expect(timeOrderProblem({ startedAt: start, firstResponseAt: start, resolvedAt: start })).toBeNull();
  });

  it.each([
    [{ firstResponseAt: plus(-1) }, 'firstResponseAt'],
    [{ resolvedAt: plus(-1) }, 'resolvedAt'],
    [{ firstResponseAt: plus(10), resolvedAt: plus(5) }, 'resolvedAt'],
  ])('names the field that is out of order (%o)', (times, field) => {
    expect(timeOrderProblem({ startedAt: start, ...times })?.path).toBe(field);
  });
});

describe('KPI contribution of an interaction', () => {
  const base = {
    serviceDay: '2026-11-03',
    channel: 'chat' as const,
    complexity: 'simple' as const,
    startedAt: start,
    ...targetsFor('chat', 'simple', targets),
  };

  it('counts an open contact once, with no response or resolution yet', () => {
    expect(interactionContribution(base).counters).toEqual({ interactions: 1 });
  });

  it('moves from open to resolved by a delta that adds only the resolution', () => {
    const open = interactionContribution({ ...base, firstResponseAt: plus(10) });
    const resolved = interactionContribution({
      ...base,
      firstResponseAt: plus(10),
      resolvedAt: plus(600),
      resolvedOnFirstContact: true,
    });
    const [delta] = contributionDelta([open], [resolved]);
    expect(delta?.counters).toEqual({
      res_count: 1,
      res_sum: 600,
      res_h13: 1,
      res_simple_count: 1,
      res_simple_within: 1,
      fcr: 1,
    });
  });

  it('files counters under the team, or none', () => {
    expect(interactionContribution(base).cell).toEqual({ day: '2026-11-03', channel: 'chat', team: 'none' });
    expect(interactionContribution({ ...base, team: 'online' }).cell.team).toBe('online');
  });
});

describe('percentiles from the fixed histogram', () => {
  it('reads the median within the bucket that holds it', () => {
    // 10 values at 8 s (bucket 5–10), 10 at 50 s (45–60)
    const counters = { frt_h01: 10, frt_h06: 10 };
    const p50 = percentile(counters, 'frt', 0.5)!;
    expect(p50).toBeGreaterThanOrEqual(5);
    expect(p50).toBeLessThanOrEqual(10);
    const p90 = percentile(counters, 'frt', 0.9)!;
    expect(p90).toBeGreaterThanOrEqual(45);
    expect(p90).toBeLessThanOrEqual(60);
  });

  it('is null when nothing was measured', () => {
    expect(percentile({}, 'frt', 0.5)).toBeNull();
  });
});
