/**
 * Quiet hours and the registration notices, through the local API on a runtime whose clock starts
 * at 22:00 in Shanghai (inside the 21:00–08:00 quiet hours): the escalation workflow's first step
 * sends a high complaint's acknowledgement at once and leaves a medium one's for the morning, when
 * the follow-up job sends it; the owners hear at once either way. Each message once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpNeeds } from '../../functions/composition.js';
import { runFollowUps as runJob } from '../../functions/followups/service.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { aCustomer } from '../support/builders/surveys.js';
import { configureDemoContacts } from '../support/contacts.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { until } from '../support/wait.js';

// 22:00 in Shanghai.
const NIGHT = new Date('2026-11-10T14:00:00Z');
const runFollowUps = (at: Date) => runJob(at, followUpNeeds);

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: NIGHT, schedules: false });
  // A fresh installation tells nobody: the admin sets the escalation contacts first.
  await configureDemoContacts(api);
});
afterAll(() => api?.runtime.stop());

const outboxOf = (id: string) => api.runtime.outbox.list().filter((m) => m.id.includes(id));
/** Resolves once the complaint's escalation workflow is past its first step (the registration notices). */
const announced = (id: string) =>
  until(async () => ((api.runtime.workflows.executions.get(`${id}-r1`)?.path.length ?? 0) > 1 ? true : undefined), {
    timeoutMs: 60_000,
  });

async function complaintOf(n: number, severity: 'medium' | 'high') {
  const customerId = `C-quiet-${n}`;
  const put = await api.call('PUT', `/customers/${customerId}`, {
    body: aCustomer({ phone: `+86139200${String(n).padStart(5, '0')}`, email: `quiet-${n}@example.com` }),
  });
  expect(put.status).toBeLessThan(300);
  const registered = await api.call('POST', '/complaints', {
    as: 'agent',
    body: aComplaintBody({ customerId, severity }),
  });
  expect(registered.status).toBe(201);
  await announced(registered.body.id);
  return registered.body as { id: string };
}

describe('registration notices in quiet hours', () => {
  it('wait out the quiet hours for a medium complaint, not for a high one', async () => {
    const medium = await complaintOf(1, 'medium');
    const high = await complaintOf(2, 'high');
    const acknowledged = (id: string) => outboxOf(id).filter((m) => m.id.includes(':acknowledged:'));
    const ownerNotices = (id: string) => outboxOf(id).filter((m) => m.id.startsWith(`owner-${id}-registered`));
    // Sent by the workflow as each complaint was stored, before any run of the job.
    expect(acknowledged(high.id)).toHaveLength(1);
    expect(acknowledged(medium.id)).toHaveLength(0);
    // Owners are told at once, quiet hours or not.
    expect(ownerNotices(medium.id)).toHaveLength(1);
    expect(ownerNotices(high.id).length).toBeGreaterThanOrEqual(1);

    // The job at 22:00 leaves the medium one waiting too.
    await runFollowUps(new Date('2026-11-10T14:00:30Z'));
    expect(acknowledged(medium.id)).toHaveLength(0);
    // 08:01 the next morning.
    await runFollowUps(new Date('2026-11-11T00:01:00Z'));
    await runFollowUps(new Date('2026-11-11T00:02:00Z'));
    expect(acknowledged(medium.id)).toHaveLength(1);
    expect(acknowledged(high.id)).toHaveLength(1);
    const ids = api.runtime.outbox.list().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
