/**
 * The follow-up task lease on DynamoDB Local (issue 27 item 7): a run claims a pending task with
 * a conditional write that holds it until `leaseUntil`, so two runs never both perform it, and a
 * run that dies mid-task gives it back when the lease runs out — it is due again, found by the
 * next run's due-index query. The lease reads the `now` it is given; the tests move that instead
 * of waiting. Mutations tried, each failing this file: the claim's condition without the lease
 * clause (2 tests fail); without `#status = :pending` (1); the claim not moving the due-index
 * keys to the lease's end (1); deferTask keeping the lease (1).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type NewTask, dynamoFollowUpStore as tasks } from '../../../shared/store/followups.js';
import { useTestTables } from '../../support/dynamo.js';

const start = new Date('2031-03-04T08:00:00.000Z');
const later = (ms: number) => new Date(start.getTime() + ms);
const MINUTE = 60_000;
const LEASE = 5 * MINUTE;

const aTask = (id: string): NewTask => ({
  id,
  kind: 'survey_invitation',
  customerId: `C-${id}`,
  subject: { type: 'interaction', id: `I-${id}` },
  dueAt: start.toISOString(),
});

async function scheduled(id: string) {
  expect(await tasks.scheduleTask(aTask(id), start)).toBe(true);
  return (await tasks.getTask(id))!;
}
const dueIds = async (now: Date) => (await tasks.dueTasks(now, 1)).map((t) => t.id);

describe('the follow-up task lease (injected clock)', () => {
  beforeAll(useTestTables);

  it('lets exactly one of several concurrent runs claim a due task', async () => {
    const task = await scheduled('lease-race');
    const claims = await Promise.all(Array.from({ length: 6 }, () => tasks.claimTask(task, start, LEASE)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('holds the task for the whole lease and frees it when the lease runs out', async () => {
    const task = await scheduled('lease-hold');
    expect(await tasks.claimTask(task, start, LEASE)).toBe(true);
    expect(await tasks.claimTask(task, later(MINUTE), LEASE)).toBe(false);
    expect(await tasks.claimTask(task, later(LEASE - 1_000), LEASE)).toBe(false);
    // The run that held it died: the next run takes it over at the lease's end, and holds it anew.
    expect(await tasks.claimTask(task, later(LEASE), LEASE)).toBe(true);
    expect(await tasks.claimTask(task, later(LEASE + 1_000), LEASE)).toBe(false);
    expect((await tasks.getTask('lease-hold'))!.leaseUntil).toBe(later(2 * LEASE).toISOString());
  });

  it("a claimed task leaves the due index until its lease ends, then a dead run's task is due again", async () => {
    const task = await scheduled('lease-due');
    expect(await dueIds(start)).toContain('lease-due');
    expect(await tasks.claimTask(task, start, LEASE)).toBe(true);
    expect(await dueIds(later(MINUTE))).not.toContain('lease-due');
    expect(await dueIds(later(LEASE - 1_000))).not.toContain('lease-due');
    expect(await dueIds(later(LEASE))).toContain('lease-due');
    const found = (await tasks.dueTasks(later(LEASE), 1)).find((t) => t.id === 'lease-due')!;
    expect(await tasks.claimTask(found, later(LEASE), LEASE)).toBe(true);
  });

  it('a finished task is never claimed again, however long after its lease', async () => {
    const task = await scheduled('lease-done');
    expect(await tasks.claimTask(task, start, LEASE)).toBe(true);
    await tasks.finishTask(task, { status: 'sent', channel: 'sms' }, later(MINUTE));
    expect(await tasks.claimTask(task, later(LEASE + MINUTE), LEASE)).toBe(false);
    expect(await tasks.claimTask(task, later(30 * 24 * 60 * MINUTE), LEASE)).toBe(false);
    expect(await dueIds(later(LEASE + MINUTE))).not.toContain('lease-done');
  });

  it('a deferred task gives its lease back: claimable at its new due time, even inside the old lease', async () => {
    const task = await scheduled('lease-defer');
    expect(await tasks.claimTask(task, start, LEASE)).toBe(true);
    // The send failed: the run puts it back for a retry 2 minutes later, before its lease would have ended.
    await tasks.deferTask(task, later(2 * MINUTE), later(MINUTE), { attempts: 1 });
    const deferred = (await tasks.getTask('lease-defer'))!;
    expect(deferred).toMatchObject({ status: 'pending', attempts: 1, dueAt: later(2 * MINUTE).toISOString() });
    expect(await dueIds(later(90_000))).not.toContain('lease-defer');
    expect(await dueIds(later(2 * MINUTE))).toContain('lease-defer');
    expect(await tasks.claimTask(deferred, later(2 * MINUTE), LEASE)).toBe(true);
  });
});
