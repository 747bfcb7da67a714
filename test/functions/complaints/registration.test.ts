/**
 * Registering a complaint never leaves it unwatched and never makes two: it is stored first (with
 * its request's claim and a watch-recovery task in the same transaction), then its escalation
 * execution starts; a retry of the same request finds the stored complaint, and the follow-up job
 * starts a watch that a dead request never started. Real DynamoDB Local; the workflow port is a
 * recording stand-in (Step Functions has no local API here).
 */

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerComplaint, WATCH_RECOVERY_DELAY_MS } from '../../../functions/complaints/service.js';
import { complaintNeeds, followUpNeeds } from '../../../functions/composition.js';
import { runFollowUps } from '../../../functions/followups/service.js';
import type { EscalationInput } from '../../../shared/domain/complaints/workflow.js';
import { usePorts } from '../../../shared/ports.js';
import { dynamoComplaintStore } from '../../../shared/store/complaints.js';
import type { ClientRequest } from '../../../shared/store/requests.js';
import type { WorkflowStarter } from '../../../shared/workflow/escalation.js';
import { aComplaintBody } from '../../support/builders/complaints.js';
import { useTestTables } from '../../support/dynamo.js';

const actor = { id: 'agent-7', roles: ['agent' as const] };

/** A starter that records each start, checks the complaint is already stored, and can be told to fail. */
function recordingStarter() {
  const starts: Array<{ name: string; input: EscalationInput; storedFirst: boolean }> = [];
  let failuresLeft = 0;
  const starter: WorkflowStarter & { starts: typeof starts; failNext(times: number): void } = {
    starts,
    failNext: (times) => {
      failuresLeft = times;
    },
    executionArn: (name) => `arn:aws:states:us-east-1:000000000000:execution:careloop-escalation:${name}`,
    async start(name, input) {
      const storedFirst = (await dynamoComplaintStore.get(input.complaintId)) !== undefined;
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw Object.assign(new Error('Step Functions is unreachable'), { name: 'ServiceUnavailable' });
      }
      starts.push({ name, input, storedFirst });
    },
  };
  return starter;
}

async function complaintsOf(customerId: string) {
  return (
    await dynamoComplaintStore.list({
      customerId,
      fromInstant: '2000-01-01T00:00:00.000Z',
      toInstant: '2100-01-01T00:00:00.000Z',
      limit: 50,
    })
  ).items;
}

let starter: ReturnType<typeof recordingStarter>;
const deps = () => ({ ...complaintNeeds, workflows: () => starter });
beforeAll(async () => {
  await useTestTables();
});
beforeEach(() => {
  starter = recordingStarter();
  usePorts({ workflows: starter });
});

describe('registering a complaint', () => {
  it('stores the complaint before its escalation execution starts, so the first check always finds it', async () => {
    const complaint = await registerComplaint(
      aComplaintBody({ customerId: 'C-order' }),
      actor,
      new Date(),
      undefined,
      deps(),
    );
    expect(starter.starts).toEqual([
      expect.objectContaining({ name: complaint.escalation.executionName, storedFirst: true }),
    ]);
  });

  it('answers a retry after a failed start with the same complaint and starts its watch, never a second complaint', async () => {
    const request: ClientRequest = { route: 'createComplaint', caller: actor.id, key: 'retry-after-crash' };
    const body = aComplaintBody({ customerId: 'C-retry' });
    starter.failNext(1);
    await expect(registerComplaint(body, actor, new Date(), request, deps())).rejects.toThrow('unreachable');
    // The complaint is stored, but nothing watches it yet.
    const [stored] = await complaintsOf('C-retry');
    expect(stored).toBeDefined();
    expect(starter.starts).toHaveLength(0);

    const retried = await registerComplaint(body, actor, new Date(), request, deps());
    expect(retried.id).toBe(stored!.id);
    expect(await complaintsOf('C-retry')).toHaveLength(1);
    expect(starter.starts.map((s) => s.name)).toEqual([stored!.escalation.executionName]);
  });

  it('makes one complaint of two racing copies of the same request', async () => {
    const request: ClientRequest = { route: 'createComplaint', caller: actor.id, key: 'double-click' };
    const body = aComplaintBody({ customerId: 'C-race' });
    const [a, b] = await Promise.all([
      registerComplaint(body, actor, new Date(), request, deps()),
      registerComplaint(body, actor, new Date(), request, deps()),
    ]);
    expect(a.id).toBe(b.id);
    expect(await complaintsOf('C-race')).toHaveLength(1);
  });

  it('keeps requests apart: the same key from another caller, or no key, registers a new complaint', async () => {
    const body = aComplaintBody({ customerId: 'C-apart' });
    await registerComplaint(body, actor, new Date(), { route: 'createComplaint', caller: 'a', key: 'k' }, deps());
    await registerComplaint(body, actor, new Date(), { route: 'createComplaint', caller: 'b', key: 'k' }, deps());
    await registerComplaint(body, actor, new Date(), undefined, deps());
    expect(await complaintsOf('C-apart')).toHaveLength(3);
  });

  it('is watched by the follow-up job when the request died between storing and starting', async () => {
    const now = new Date();
    starter.failNext(1);
    await expect(
      registerComplaint(aComplaintBody({ customerId: 'C-orphan' }), actor, now, undefined, deps()),
    ).rejects.toThrow();
    const [orphan] = await complaintsOf('C-orphan');
    const startsOfOrphan = () => starter.starts.filter((s) => s.name === orphan!.escalation.executionName);
    expect(startsOfOrphan()).toHaveLength(0);

    // Before the recovery delay the job leaves it alone (the request may still be starting it).
    await runFollowUps(new Date(now.getTime() + WATCH_RECOVERY_DELAY_MS / 2), followUpNeeds);
    expect(startsOfOrphan()).toHaveLength(0);
    await runFollowUps(new Date(now.getTime() + WATCH_RECOVERY_DELAY_MS + 1000), followUpNeeds);
    expect(startsOfOrphan()).toEqual([expect.objectContaining({ storedFirst: true })]);
    // Once: the task is done, a later run does not start it again.
    await runFollowUps(new Date(now.getTime() + 2 * WATCH_RECOVERY_DELAY_MS), followUpNeeds);
    expect(startsOfOrphan()).toHaveLength(1);
  });
});
