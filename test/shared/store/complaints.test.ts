import { beforeAll, describe, expect, it } from 'vitest';
import { applyComplaintEvent } from '../../../shared/domain/complaints/complaint.js';
import { checkMilestone, escalateMilestone, milestoneMetEntry } from '../../../shared/domain/complaints/milestones.js';
import { Conflict } from '../../../shared/domain/errors.js';
import type { Complaint, TimelineEntry } from '../../../shared/schemas/complaints.js';
import { dynamoCounterReader } from '../../../shared/store/aggregates.js';
import { dynamoComplaintStore as store } from '../../../shared/store/complaints.js';
import { aComplaint } from '../../support/builders/complaints.js';
import { useTestTables } from '../../support/dynamo.js';

const registered = (complaint: Complaint): TimelineEntry[] => [
  { at: complaint.registeredAt, type: 'registered', actor: 'agent-7', detail: {} },
];
const minutesAfter = (complaint: Complaint, minutes: number) =>
  new Date(new Date(complaint.registeredAt).getTime() + minutes * 60_000);

async function stored(overrides: Parameters<typeof aComplaint>[0] = {}, at?: string) {
  const complaint = aComplaint(overrides, at ? { at: new Date(at) } : {});
  await store.create(complaint, registered(complaint));
  return complaint;
}

/** Saves a system change the way the escalation tasks do (version + 1). */
async function save(next: Complaint, previous: Complaint, timeline: TimelineEntry[]) {
  const versioned = { ...next, version: previous.version + 1 };
  await store.replace(versioned, previous, timeline);
  return versioned;
}

const all = async (query: Omit<Parameters<typeof store.list>[0], 'limit' | 'cursor'>, limit = 2) => {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ ...query, limit, cursor });
    ids.push(...page.items.map((c) => c.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
};

describe('complaint repository on DynamoDB Local', () => {
  beforeAll(useTestTables);

  it('stores and reads back a complaint with its first timeline entry', async () => {
    const complaint = await stored({ customerId: 'C-read' });
    expect(await store.get(complaint.id)).toEqual(complaint);
    expect((await store.timeline(complaint.id, { limit: 10 })).items).toEqual(registered(complaint));
  });

  it('refuses a second create with the same id and counts the complaint once', async () => {
    const complaint = aComplaint({ channel: 'wechat', category: 'quality' }, { at: new Date('2026-03-03T02:00:00Z') });
    await store.create(complaint, registered(complaint));
    await expect(store.create(complaint, registered(complaint))).rejects.toBeInstanceOf(Conflict);
    const [cell] = await dynamoCounterReader.readCounters('2026-03-03', '2026-03-03', { channel: 'wechat' });
    expect(cell!.counters).toMatchObject({ complaints: 1, complaints_cat_quality: 1, complaints_sev_medium: 1 });
  });

  it('moves the KPI counters with each decision: a missed response and its escalation', async () => {
    const complaint = await stored({ channel: 'store' }, '2026-04-07T02:00:00Z');
    const missed = checkMilestone(complaint, 'respond', 1, minutesAfter(complaint, 60));
    const afterMiss = await save(missed.complaint, complaint, missed.timeline);
    const escalated = escalateMilestone(afterMiss, 'respond', 1, minutesAfter(complaint, 60), () => ['email']);
    await save(escalated.complaint, afterMiss, escalated.timeline);
    const [cell] = await dynamoCounterReader.readCounters('2026-04-07', '2026-04-07', { channel: 'store' });
    expect(cell!.counters).toMatchObject({ complaints: 1, respond_missed: 1, escalations: 1 });
    expect((await store.timeline(complaint.id, { limit: 10 })).items.map((e) => e.type)).toEqual([
      'registered',
      'breached',
      'escalated',
    ]);
  });

  it('refuses a write based on a stale version and writes nothing of it', async () => {
    const complaint = await stored({ channel: 'app' }, '2026-04-08T02:00:00Z');
    const first = applyComplaintEvent(
      complaint,
      { type: 'assign', assigneeId: 'a' },
      { actor: 'x', now: minutesAfter(complaint, 1), timezone: 'Asia/Shanghai' },
    );
    await store.replace(first.complaint, complaint, first.timeline);
    const stale = applyComplaintEvent(
      complaint,
      { type: 'assign', assigneeId: 'b' },
      { actor: 'y', now: minutesAfter(complaint, 2), timezone: 'Asia/Shanghai' },
    );
    await expect(store.replace(stale.complaint, complaint, stale.timeline)).rejects.toBeInstanceOf(Conflict);
    expect((await store.get(complaint.id))!.assigneeId).toBe('a');
    expect((await store.timeline(complaint.id, { limit: 10 })).items).toHaveLength(2);
  });

  it('writes a milestone_met entry once, however often it is recorded', async () => {
    const complaint = await stored();
    const met = applyComplaintEvent(
      applyComplaintEvent(
        complaint,
        { type: 'assign', assigneeId: 'a' },
        { actor: 'x', now: minutesAfter(complaint, 1), timezone: 'UTC' },
      ).complaint,
      { type: 'respond' },
      { actor: 'x', now: minutesAfter(complaint, 10), timezone: 'UTC' },
    ).complaint;
    const entry = milestoneMetEntry(met, 'respond')!;
    expect(await store.appendOnce(complaint.id, entry, 'milestone_met#respond#r1')).toBe(true);
    expect(await store.appendOnce(complaint.id, entry, 'milestone_met#respond#r1')).toBe(false);
    expect(
      (await store.timeline(complaint.id, { limit: 10 })).items.filter((e) => e.type === 'milestone_met'),
    ).toHaveLength(1);
  });

  it('lists breached complaints from their own sparse index, newest first across months, filtered by severity', async () => {
    const breach = async (severity: 'high' | 'low', at: string) => {
      const complaint = await stored({ severity, customerId: 'C-breach' }, at);
      const missed = checkMilestone(complaint, 'respond', 1, minutesAfter(complaint, 61));
      await save(missed.complaint, complaint, missed.timeline);
      return complaint.id;
    };
    const may = await breach('high', '2025-05-20T02:00:00Z');
    const june = await breach('low', '2025-06-02T02:00:00Z');
    const july = await breach('high', '2025-07-09T02:00:00Z');
    await stored({ severity: 'high' }, '2025-06-03T02:00:00Z'); // not breached
    const range = { fromInstant: '2025-05-01T00:00:00.000Z', toInstant: '2025-07-31T23:59:59.999Z' };
    expect(await all({ ...range, breached: true })).toEqual([july, june, may]);
    expect(await all({ ...range, breached: true, severity: 'high' })).toEqual([july, may]);
    expect(await all({ ...range, breached: false, customerId: 'C-breach' })).toEqual([]);
  });

  it('lists by status across month partitions and by customer, and only within the registration range', async () => {
    const a = await stored({ customerId: 'C-status' }, '2025-09-30T23:00:00Z');
    const b = await stored({ customerId: 'C-status' }, '2025-10-01T01:00:00Z');
    const range = { fromInstant: '2025-09-01T00:00:00.000Z', toInstant: '2025-10-31T23:59:59.999Z' };
    expect(await all({ ...range, status: 'registered' }, 1)).toEqual([b.id, a.id]);
    expect(await all({ ...range, customerId: 'C-status' })).toEqual([b.id, a.id]);
    expect(
      await all({ fromInstant: '2025-10-01T00:00:00.000Z', toInstant: range.toInstant, customerId: 'C-status' }),
    ).toEqual([b.id]);
    const assigned = applyComplaintEvent(
      a,
      { type: 'assign', assigneeId: 'x' },
      { actor: 'x', now: minutesAfter(a, 1), timezone: 'UTC' },
    );
    await store.replace(assigned.complaint, a, assigned.timeline);
    expect(await all({ ...range, status: 'registered' })).toEqual([b.id]);
    expect(await all({ ...range, status: 'assigned' })).toEqual([a.id]);
  });

  it('keeps a marker while a complaint awaits its customer and credits the pause to the agent who started it', async () => {
    const complaint = await stored({ customerId: 'C-marker' });
    const context = (minutes: number, actor = 'agent-3') => ({
      actor,
      now: minutesAfter(complaint, minutes),
      timezone: 'Asia/Shanghai',
    });
    const assigned = applyComplaintEvent(complaint, { type: 'assign', assigneeId: 'agent-3' }, context(1));
    await store.replace(assigned.complaint, complaint, assigned.timeline);
    const paused = applyComplaintEvent(
      assigned.complaint,
      { type: 'await_customer', reason: 'third_party' },
      context(2),
    );
    await store.replace(paused.complaint, assigned.complaint, paused.timeline);
    expect(await store.pausedOfCustomer('C-marker')).toEqual([complaint.id]);
    const resumed = applyComplaintEvent(paused.complaint, { type: 'resume' }, context(92, 'agent-4'));
    await store.replace(resumed.complaint, paused.complaint, resumed.timeline, resumed.pauseCredit);
    expect(await store.pausedOfCustomer('C-marker')).toEqual([]);
    expect(await store.pauseTotals('2026-11')).toContainEqual({
      agentId: 'agent-3',
      pauses: 1,
      pausedSeconds: 90 * 60,
    });
  });

  it('finds a customer’s recently closed complaints of one category with a Query on the customer index', async () => {
    const closedAt = '2026-10-20T00:00:00.000Z';
    const complaint = await stored({ customerId: 'C-closed', category: 'price_billing' });
    await save({ ...complaint, status: 'closed', closedAt }, complaint, []);
    await stored({ customerId: 'C-closed', category: 'logistics' });
    expect(await store.closedOfCustomer('C-closed', 'price_billing', '2026-10-01T00:00:00.000Z')).toEqual([
      { id: complaint.id, category: 'price_billing', status: 'closed', closedAt },
    ]);
    expect(await store.closedOfCustomer('C-closed', 'price_billing', '2026-10-21T00:00:00.000Z')).toEqual([]);
  });
});
