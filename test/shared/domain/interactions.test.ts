import { describe, expect, it } from 'vitest';
import { contributionDelta, percentile } from '../../../shared/domain/aggregates.js';
import {
  deriveTiming,
  interactionContribution,
  isOpenOverdue,
  nextDueAt,
  overdueFlags,
  targetsFor,
  timeOrderProblem,
} from '../../../shared/domain/interactions.js';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings.js';
import { at } from '../../support/builders/interactions.js';

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

  it('counts an open contact once, pending for both targets while they have not passed', () => {
    expect(interactionContribution(base).counters).toEqual({ interactions: 1, frt_pending: 1, res_pending: 1 });
  });

  it('counts an unanswered contact as a first-response miss only once its flag is set, and abandoned besides', () => {
    const abandoned = { ...base, abandonedAt: plus(5) };
    expect(interactionContribution(abandoned).counters).toEqual({ interactions: 1, abandoned: 1, frt_pending: 1 });
    const flags = overdueFlags(abandoned, plus(20));
    expect(flags).toEqual({ responseOverdue: false, resolutionOverdue: false }); // 20 s is still in target
    const missed = { ...abandoned, ...overdueFlags(abandoned, plus(21)) };
    expect(missed.responseOverdue).toBe(true);
    expect(missed.resolutionOverdue).toBe(false); // nothing to resolve once the customer left
    expect(interactionContribution(missed).counters).toEqual({
      interactions: 1,
      abandoned: 1,
      frt_unanswered: 1,
      frt_unanswered_abandoned: 1,
      overdue_contacts: 1,
      overdue_reason_unexplained: 1,
    });
    expect(nextDueAt(missed)).toBeNull();
    expect(isOpenOverdue(missed)).toBe(false);
  });

  it('moves a late answer from unanswered to answered-late, never counting it twice', () => {
    const unanswered = { ...base, responseOverdue: true };
    const answered = { ...unanswered, firstResponseAt: plus(45) };
    const [delta] = contributionDelta([interactionContribution(unanswered)], [interactionContribution(answered)]);
    // frt_within stays 0 (a zero delta is not written): the miss is still a miss, now an answered one
    expect(delta?.counters).toEqual({ frt_unanswered: -1, frt_count: 1, frt_sum: 45, frt_h05: 1 });
    expect(isOpenOverdue(answered)).toBe(true); // answered late, still unresolved
    expect(nextDueAt(answered)).toEqual(new Date(start.getTime() + 4 * 3600 * 1000));
  });

  it('makes an unresolved contact past its resolution target a miss of its complexity', () => {
    const open = { ...base, complexity: 'complex' as const, ...targetsFor('chat', 'complex', targets) };
    const late = { ...open, firstResponseAt: plus(600), ...overdueFlags(open, plus(72 * 3600 + 1)) };
    expect(interactionContribution(late).counters).toMatchObject({
      res_complex_overdue: 1,
      cfb_count: 1,
      cfb_within: 1,
      overdue_contacts: 1,
    });
    expect(interactionContribution(late).counters.res_pending).toBeUndefined();
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
      res_pending: -1,
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
