/**
 * The escalation task handlers as Lambda runs them: their answers and the names of their errors,
 * which the state machine's Retry and Catch rules match on.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { check, TransientError } from '../../../functions/escalation/handler.js';
import { NotificationFailed } from '../../../functions/escalation/service.js';
import { lambdaContext } from '../../../infra/local/http-adapter.js';
import { Conflict, Invalid, Unavailable } from '../../../shared/domain/errors.js';
import { forgetCachedSettings } from '../../../shared/store/settings.js';
import { isTransient } from '../../../shared/transient.js';
import { aComplaint } from '../../support/builders/complaints.js';

const documentClient = mockClient(DynamoDBDocumentClient);
mockClient(DynamoDBClient);
const context = lambdaContext({ id: 'escalation-check' } as never);
beforeEach(() => {
  documentClient.reset();
  forgetCachedSettings();
});
afterEach(() => documentClient.reset());

describe('escalation task handlers', () => {
  it('answers not_found for a complaint that was never stored, so the execution ends quietly', async () => {
    documentClient.on(GetCommand).resolves({});
    expect(await check({ complaintId: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV', round: 1, milestone: 'respond' }, context)).toEqual(
      { outcome: 'not_found', milestone: 'respond' },
    );
  });

  it('answers wait with the warning time for a complaint checked early', async () => {
    const complaint = aComplaint({}, { at: new Date(Date.now()) });
    documentClient
      .on(GetCommand)
      .resolves({ Item: { pk: `COMPLAINT#${complaint.id}`, sk: 'COMPLAINT', ...complaint } });
    expect(await check({ complaintId: complaint.id, round: 1, milestone: 'respond' }, context)).toEqual({
      outcome: 'wait',
      milestone: 'respond',
      wakeAt: complaint.milestones.respond.warnAt,
    });
  });

  it('turns DynamoDB throttling into TransientError, which the workflow retries with backoff', async () => {
    documentClient
      .on(GetCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));
    const failure = await check(
      { complaintId: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV', round: 1, milestone: 'respond' },
      context,
    ).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(TransientError);
    expect((failure as Error).name).toBe('TransientError');
  });

  it('classifies errors: lost races and unavailable dependencies are transient, bad data and bugs are not', () => {
    expect(isTransient(new Conflict('raced'))).toBe(true);
    expect(isTransient(new Unavailable('down'))).toBe(true);
    expect(isTransient(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(Invalid.field('x', 'bad'))).toBe(false);
    expect(isTransient(new TypeError('bug'))).toBe(false);
  });

  it('names notification failures for the Retry rule (NotificationFailed) or straight for the Catch (NotificationRejected)', () => {
    expect(new NotificationFailed('busy', true).name).toBe('NotificationFailed');
    expect(new NotificationFailed('bad address', false).name).toBe('NotificationRejected');
  });
});
