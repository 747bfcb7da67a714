/**
 * An invitation (POST /surveys with a channel) is one survey and one sending task, however its
 * request dies and is retried with the same Idempotency-Key: a crash before or after each write
 * the use case makes, then the retry. Real DynamoDB Local; the crash is a middleware on the client.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interactionNeeds } from '../../../functions/composition.js';
import { saveCustomer } from '../../../functions/customers/service.js';
import { recordInteraction } from '../../../functions/interactions/service.js';
import { inviteToSurvey } from '../../../functions/surveys/service.js';
import type { Actor } from '../../../shared/domain/access.js';
import { usePorts } from '../../../shared/ports.js';
import { staticSigningKeys } from '../../../shared/secrets/survey-signing-key.js';
import { dynamo } from '../../../shared/store/client.js';
import { dynamoFollowUpStore } from '../../../shared/store/followups.js';
import type { ClientRequest } from '../../../shared/store/requests.js';
import { MAIN_TABLE, tableName } from '../../../shared/store/table.js';
import { anInteraction, at } from '../../support/builders/interactions.js';
import { aCustomer } from '../../support/builders/surveys.js';
import { type CrashInjection, crashAtWrite, InjectedCrash } from '../../support/crashes.js';
import { useTestTables } from '../../support/dynamo.js';

const agent: Actor = { id: 'agent-1', roles: ['agent'] };
const invitedAt = at('2026-10-05T04:00:00Z');
let injection: CrashInjection | undefined;
let sequence = 0;

beforeAll(async () => {
  await useTestTables();
  usePorts({ signingKeys: staticSigningKeys('invitation-test-signing-key-0123456789') });
});
afterEach(() => {
  injection?.remove();
  injection = undefined;
});

/** A customer who consented to SMS, and one resolved interaction of theirs. */
async function aResolvedContact() {
  const customerId = `C-INV${++sequence}`;
  await saveCustomer(customerId, aCustomer(), agent, invitedAt);
  const interaction = await recordInteraction(
    anInteraction({
      customerId,
      channel: 'phone',
      team: 'hotline',
      startedAt: '2026-10-05T02:00:00Z',
      firstResponseAt: '2026-10-05T02:00:10Z',
      resolvedAt: '2026-10-05T02:20:00Z',
    }),
    agent,
    at('2026-10-05T03:00:00Z'),
    undefined,
    interactionNeeds,
  );
  return { customerId, interactionId: interaction.id };
}

/** Every survey stored for a customer (a test may Scan; the code never does). */
async function surveysOf(customerId: string): Promise<Array<{ id: string }>> {
  const { Items = [] } = await dynamo().send(
    new ScanCommand({
      TableName: tableName(MAIN_TABLE),
      FilterExpression: '#type = :survey AND customerId = :customer',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':survey': 'survey', ':customer': customerId },
      ConsistentRead: true,
    }),
  );
  return Items as Array<{ id: string }>;
}

const invite = (interactionId: string, request?: ClientRequest) =>
  inviteToSurvey(
    { subject: { type: 'interaction', id: interactionId }, channel: 'sms' },
    agent,
    invitedAt,
    {},
    request,
  );

describe('an SMS invitation', () => {
  it('is written in one transaction: the survey, its sending task and the request claim together', async () => {
    const { customerId, interactionId } = await aResolvedContact();
    injection = crashAtWrite();
    const invitation = await invite(interactionId, { route: 'createSurvey', caller: agent.id, key: 'one-write' });
    expect(injection.writes).toEqual(['TransactWriteItemsCommand']);
    expect((await surveysOf(customerId)).map((s) => s.id)).toEqual([invitation.id]);
    expect(await dynamoFollowUpStore.getTask(`invite:survey:${invitation.id}`)).toMatchObject({
      kind: 'survey_invitation',
      surveyId: invitation.id,
      status: 'pending',
    });
  });

  // However many writes the use case makes (one today), a crash before or after each of them.
  const cases = [1, 2, 3].flatMap((write) => (['before', 'after'] as const).map((moment) => ({ write, moment })));
  it.each(cases)('retried after a crash $moment write $write: one survey, its task, the same answer', async (crash) => {
    const { customerId, interactionId } = await aResolvedContact();
    const request: ClientRequest = {
      route: 'createSurvey',
      caller: agent.id,
      key: `crash-${crash.moment}-${crash.write}`,
    };
    injection = crashAtWrite(crash);
    const first = await invite(interactionId, request).then(
      (view) => ({ view }),
      (error: unknown) => ({ error }),
    );
    const crashed = 'error' in first;
    if (crashed) expect(first.error).toBeInstanceOf(InjectedCrash);
    else expect(injection.writes.length).toBeLessThan(crash.write); // fewer writes than this case crashes at
    injection.remove();
    injection = undefined;

    const retried = await invite(interactionId, request);
    const surveys = await surveysOf(customerId);
    expect(surveys.map((s) => s.id)).toEqual([retried.id]);
    if ('view' in first) expect(retried).toEqual(first.view);
    expect(await dynamoFollowUpStore.getTask(`invite:survey:${retried.id}`)).toMatchObject({
      kind: 'survey_invitation',
      surveyId: retried.id,
    });
    // The same request once more: the same answer (the link signed again is the same token).
    expect(await invite(interactionId, request)).toEqual(retried);
  });

  it('makes one survey of two racing copies of the same request', async () => {
    const { customerId, interactionId } = await aResolvedContact();
    const request: ClientRequest = { route: 'createSurvey', caller: agent.id, key: 'double-click' };
    const [a, b] = await Promise.all([invite(interactionId, request), invite(interactionId, request)]);
    expect(a).toEqual(b);
    expect(await surveysOf(customerId)).toHaveLength(1);
  });

  it('without the same key, a second invitation of the subject is still refused (409), not answered with the first', async () => {
    const { interactionId } = await aResolvedContact();
    await invite(interactionId, { route: 'createSurvey', caller: agent.id, key: 'k1' });
    await expect(invite(interactionId, { route: 'createSurvey', caller: agent.id, key: 'k2' })).rejects.toMatchObject({
      status: 409,
    });
    await expect(invite(interactionId)).rejects.toMatchObject({ status: 409 });
  });
});
