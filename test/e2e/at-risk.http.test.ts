/**
 * Contacts at risk over real HTTP (contract "Categories and causes (v1.2)"; s000 预警): an open
 * contact past `targets.warnAtShare` (0.8) of its target is listed by GET /interactions?atRisk=true
 * (from the sparse at-risk index, oldest first) once the overdue sweep has seen it, and the team's
 * supervisor hears of it once, in one digest per supervisor per sweep.
 */
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
const START = new Date('2026-11-10T02:00:00Z');
beforeAll(async () => {
  // The clock barely moves (the sweep is run by hand): minutes are set by `startedAt`, never waited for.
  api = await startTestRuntime({ startAt: START, timeScale: 1, schedules: false });
});
afterAll(() => api?.runtime.stop());

const minutesAgo = (minutes: number) => new Date(api.runtime.clock.now().getTime() - minutes * 60_000).toISOString();
const record = async (customerId: string, startedMinutesAgo: number, team = 'mail') => {
  const reply = await api.call('POST', '/interactions', {
    as: 'agent',
    body: { customerId, channel: 'email', complexity: 'simple', team, startedAt: minutesAgo(startedMinutesAgo) },
  });
  expect(reply.status).toBe(201);
  return reply.body as { id: string; atRisk: boolean; warnAtShare: number };
};
const atRisk = async (query = '&team=mail') => {
  const reply = await api.call('GET', `/interactions?atRisk=true${query}`, { as: 'supervisor' });
  expect(reply.status).toBe(200);
  return (reply.body.items as Array<{ id: string; atRisk: boolean; overdue: boolean }>).map((i) => i.id);
};
const sweep = async () => {
  const reply = await api.call('POST', '/_local/jobs/overdue', { as: 'admin' });
  expect(reply.status).toBe(200);
  return reply.body as { atRisk: number; digests: number };
};
const digests = () => api.runtime.outbox.list().filter((m) => m.id.startsWith('at-risk-digest-'));

describe('contacts at risk', () => {
  it('lists an email unanswered for 50 minutes, not one of 10, and tells its supervisor once across two sweeps', async () => {
    const patched = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: {
        escalation: {
          contacts: { supervisor: { name: 'Duty supervisor', email: 'duty@example.com' } },
          teamContacts: { mail: { supervisor: { name: 'Mail desk lead', email: 'mail-lead@example.com' } } },
        },
      },
    });
    expect(patched.status).toBe(200);

    const late = await record('C-risk-1', 50);
    const fresh = await record('C-risk-2', 10);
    const later = await record('C-risk-3', 55);
    const missed = await record('C-risk-4', 70);
    const otherTeam = await record('C-risk-5', 52, 'store-east');
    expect(late.warnAtShare).toBe(0.8);

    const first = await sweep();
    expect(first).toMatchObject({ atRisk: 3, digests: 2 });
    // Oldest first; the 10-minute one is not at risk, the 70-minute one is overdue instead.
    expect(await atRisk()).toEqual([later.id, late.id]);
    expect(await atRisk('')).toEqual([later.id, otherTeam.id, late.id]);
    const overdue = await api.call('GET', '/interactions?overdue=true&team=mail', { as: 'supervisor' });
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toEqual([missed.id]);
    expect((await api.call('GET', `/interactions/${late.id}`, { as: 'agent' })).body).toMatchObject({
      atRisk: true,
      overdue: false,
      responseWarned: true,
    });
    expect((await api.call('GET', `/interactions/${fresh.id}`, { as: 'agent' })).body.atRisk).toBe(false);

    // One digest per supervisor: the mail team's lead hears of both of theirs in one email.
    expect(digests().map((m) => m.to)).toEqual(
      expect.arrayContaining([['mail-lead@example.com'], ['duty@example.com']]),
    );
    expect(digests()).toHaveLength(2);
    const lead = digests().find((m) => m.to[0] === 'mail-lead@example.com')!;
    const mail = await simpleParser(readFileSync(lead.file));
    expect(mail.text).toContain(late.id);
    expect(mail.text).toContain(later.id);
    expect(mail.text).not.toContain(fresh.id);
    expect(mail.text).not.toContain('C-risk'); // no customer in the digest

    // A second sweep tells nobody again.
    expect(await sweep()).toMatchObject({ atRisk: 0, digests: 0 });
    expect(digests()).toHaveLength(2);

    // Answered: off the list (its resolution is far from its own warning share).
    const answered = await api.call('PATCH', `/interactions/${late.id}`, {
      as: 'agent',
      body: { firstResponseAt: minutesAgo(0) },
    });
    expect(answered.status).toBe(200);
    expect(answered.body.atRisk).toBe(false);
    expect(await atRisk()).toEqual([later.id]);
  });

  it('refuses agents, and the list asked together with the overdue one', async () => {
    expect((await api.call('GET', '/interactions?atRisk=true', { as: 'agent' })).status).toBe(403);
    const both = await api.call('GET', '/interactions?atRisk=true&overdue=true', { as: 'supervisor' });
    expect(both.status).toBe(400);
    expect(both.body.errors.map((e: { path: string }) => e.path)).toEqual(['atRisk']);
    const bad = await api.call('PATCH', '/settings', { as: 'admin', body: { targets: { warnAtShare: 1.5 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('targets.warnAtShare');
  });
});
