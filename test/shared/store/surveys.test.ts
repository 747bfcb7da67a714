import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { interactionNeeds, surveyNeeds } from '../../../functions/composition.js';
import { eraseCustomer, readCustomerProfile, saveCustomer } from '../../../functions/customers/service.js';
import { recordInteraction } from '../../../functions/interactions/service.js';
import {
  inviteToSurvey,
  readSurveyForm,
  type SurveyDeps,
  submitSurveyResponse,
} from '../../../functions/surveys/service.js';
import { SUBJECT_LOOKUPS } from '../../../functions/surveys/subjects.js';
import type { Actor } from '../../../shared/domain/access.js';
import { sumCounters } from '../../../shared/domain/aggregates.js';
import { Conflict, Gone, NotFound, TooManyRequests } from '../../../shared/domain/errors.js';
import { signSurveyToken } from '../../../shared/domain/survey-token.js';
import { DAY } from '../../../shared/domain/time.js';
import { usePorts } from '../../../shared/ports.js';
import { staticSigningKeys } from '../../../shared/secrets/survey-signing-key.js';
import { dynamoCounterReader } from '../../../shared/store/aggregates.js';
import { dynamo } from '../../../shared/store/client.js';
import { dynamoInteractionStore } from '../../../shared/store/interactions.js';
import { dynamoSettingsStore } from '../../../shared/store/settings.js';
import { dynamoSurveyStore } from '../../../shared/store/surveys.js';
import { MAIN_TABLE, tableName } from '../../../shared/store/table.js';
import { anInteraction, at } from '../../support/builders/interactions.js';
import { aCustomer, aSurveyResponse } from '../../support/builders/surveys.js';
import { useTestTables } from '../../support/dynamo.js';

const { getSurvey, getSurveyResponse, listAlertsOfDay } = dynamoSurveyStore;

const KEY = 'store-test-survey-signing-key-0123456789';
const agent: Actor = { id: 'agent-1', roles: ['agent'] };
const later = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);

let sequence = 0;
/** A resolved interaction of its own customer (or the one given), on its own service day. */
async function anInteractionOf(customerId = `C-S${++sequence}`, day = '2026-10-05') {
  const interaction = await recordInteraction(
    anInteraction({
      customerId,
      channel: 'phone',
      team: 'hotline',
      startedAt: `${day}T02:00:00Z`,
      firstResponseAt: `${day}T02:00:10Z`,
      resolvedAt: `${day}T02:20:00Z`,
    }),
    agent,
    at(`${day}T03:00:00Z`),
    undefined,
    interactionNeeds,
  );
  return interaction;
}

const invitedAt = at('2026-10-05T04:00:00Z');

/** Invites, opens the form and answers a minute later. */
async function answered(customerId: string, body = aSurveyResponse(), day = '2026-10-05') {
  const interaction = await anInteractionOf(customerId, day);
  const invitation = await inviteToSurvey({ subject: { type: 'interaction', id: interaction.id } }, agent, invitedAt);
  await readSurveyForm(invitation.token, later(invitedAt, 60));
  const receipt = await submitSurveyResponse(invitation.token, body, later(invitedAt, 120), surveyNeeds);
  return { interaction, invitation, receipt };
}

const totals = async (day: string) =>
  sumCounters((await dynamoCounterReader.readCounters(day, day)).map((row) => row.counters));

describe('surveys on DynamoDB Local', () => {
  beforeAll(async () => {
    await useTestTables();
    usePorts({ signingKeys: staticSigningKeys(KEY) });
  });

  it('stores exactly one response and counts it once when two submissions race', async () => {
    const interaction = await anInteractionOf('C-race', '2026-10-07');
    const { token, id } = await inviteToSurvey(
      { subject: { type: 'interaction', id: interaction.id } },
      agent,
      invitedAt,
    );
    await readSurveyForm(token, later(invitedAt, 60));
    const results = await Promise.allSettled(
      [5, 1, 4, 2].map((overall) =>
        submitSurveyResponse(token, aSurveyResponse({ overall }), later(invitedAt, 120), surveyNeeds),
      ),
    );
    const stored = results.filter((r) => r.status === 'fulfilled');
    expect(stored).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(Gone);
    const response = await getSurveyResponse(id);
    expect(response?.id).toBe((stored[0] as PromiseFulfilledResult<{ id: string }>).value.id);
    expect(await totals('2026-10-07')).toMatchObject({
      responses: 1,
      valid_responses: 1,
      overall_sum: response!.overall,
    });
  });

  it('refuses a link that was already used (410), for reading and for answering', async () => {
    const { invitation } = await answered('C-reuse');
    await expect(readSurveyForm(invitation.token, later(invitedAt, 300))).rejects.toBeInstanceOf(Gone);
    await expect(
      submitSurveyResponse(invitation.token, aSurveyResponse(), later(invitedAt, 300), surveyNeeds),
    ).rejects.toBeInstanceOf(Gone);
  });

  it('refuses a genuine link whose survey does not exist (404) and an expired one (410)', async () => {
    const unknown = signSurveyToken({ surveyId: '01JC0ZQ8M3Y7D5T2N4K6P8R0SV', expiresAt: later(invitedAt, 3600) }, [
      KEY,
    ]);
    await expect(readSurveyForm(unknown, invitedAt)).rejects.toBeInstanceOf(NotFound);
    const interaction = await anInteractionOf('C-expired');
    const { token } = await inviteToSurvey({ subject: { type: 'interaction', id: interaction.id } }, agent, invitedAt);
    await expect(readSurveyForm(token, later(invitedAt, 15 * 86400))).rejects.toBeInstanceOf(Gone);
  });

  it('lets only one of two racing invitations for the same customer through the throttle', async () => {
    const [first, second] = [
      await anInteractionOf('C-throttle-race'),
      await anInteractionOf('C-throttle-race', '2026-10-06'),
    ];
    const results = await Promise.allSettled(
      [first, second].map((i) => inviteToSurvey({ subject: { type: 'interaction', id: i.id } }, agent, invitedAt)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(
      TooManyRequests,
    );
  });

  it('throttles a customer for surveyThrottleDays across channels, then lets the next survey through', async () => {
    await saveCustomer('C-throttle', aCustomer(), agent, invitedAt);
    const interactions = [
      await anInteractionOf('C-throttle'),
      await anInteractionOf('C-throttle'),
      await anInteractionOf('C-throttle'),
    ];
    const invite = (i: number, channel: 'sms' | 'email' | undefined, when: Date) =>
      inviteToSurvey(
        { subject: { type: 'interaction', id: interactions[i]!.id }, ...(channel ? { channel } : {}) },
        agent,
        when,
      );
    expect((await invite(0, 'sms', invitedAt)).channel).toBe('sms');
    await expect(invite(1, 'email', new Date(invitedAt.getTime() + 29 * DAY))).rejects.toThrow(
      /next survey is possible from 2026-11-04/,
    );
    expect((await invite(2, undefined, new Date(invitedAt.getTime() + 30 * DAY))).channel).toBe('sms');
  });

  it("exempts a complaint's closing survey from the throttle, but surveys each subject only once", async () => {
    const interaction = await anInteractionOf('C-complainer');
    await inviteToSurvey({ subject: { type: 'interaction', id: interaction.id } }, agent, invitedAt);
    const complaintId = '01JC0ZQ8M3Y7D5T2N4K6P8R0CM';
    const deps: Partial<SurveyDeps> = {
      settings: dynamoSettingsStore,
      subjects: {
        ...SUBJECT_LOOKUPS,
        complaint: async (id) =>
          id === complaintId
            ? {
                type: 'complaint',
                id,
                customerId: 'C-complainer',
                serviceDay: '2026-10-05',
                channel: 'phone',
                team: 'hotline',
                people: [],
              }
            : undefined,
      },
    };
    const closing = await inviteToSurvey(
      { subject: { type: 'complaint', id: complaintId } },
      agent,
      later(invitedAt, 3600),
      {},
      undefined,
      deps,
    );
    expect((await getSurvey(closing.id))?.throttleExempt).toBe(true);
    await expect(
      inviteToSurvey(
        { subject: { type: 'complaint', id: complaintId } },
        agent,
        later(invitedAt, 7200),
        {},
        undefined,
        deps,
      ),
    ).rejects.toBeInstanceOf(Conflict);
    await expect(
      inviteToSurvey({ subject: { type: 'complaint', id: complaintId } }, agent, later(invitedAt, 7200)),
    ).rejects.toBeInstanceOf(NotFound);
  });

  it('refuses to send by a channel the customer has not consented to (409)', async () => {
    await saveCustomer(
      'C-optout',
      aCustomer({ consent: { sms: false, email: true }, preferredChannel: 'sms' }),
      agent,
      invitedAt,
    );
    const interaction = await anInteractionOf('C-optout');
    await expect(
      inviteToSurvey({ subject: { type: 'interaction', id: interaction.id }, channel: 'sms' }, agent, invitedAt),
    ).rejects.toBeInstanceOf(Conflict);
    // Without a channel named: the routing rule (preference without consent, then messaging.channelOrder) finds email.
    const invitation = await inviteToSurvey({ subject: { type: 'interaction', id: interaction.id } }, agent, invitedAt);
    expect(invitation.channel).toBe('email');
  });

  it('raises a negative_feedback alert that follow-ups find by day, and segments the customer', async () => {
    await saveCustomer('C-angry', aCustomer(), agent, invitedAt);
    const { receipt } = await answered(
      'C-angry',
      aSurveyResponse({
        scores: { responsiveness: 1, professionalism: 2, attitude: 1, resolution: 1, convenience: 3 },
        overall: 1,
        nps: 1,
        comment: '售后电话等待时长超30分钟，态度太差了',
      }),
      '2026-10-09',
    );
    expect(receipt).toMatchObject({ valid: true, categories: ['slow_response', 'attitude'] });
    const alerts = await listAlertsOfDay('2026-10-05', { limit: 100 });
    const alert = alerts.items.find((a) => a.responseId === receipt.id);
    expect(alert).toMatchObject({
      kind: 'negative_feedback',
      customerId: 'C-angry',
      nps: 1,
      categories: ['slow_response', 'attitude'],
    });
    expect(alert?.reasons).toEqual(['NPS 1 (alert at 6 or below)', 'strongly negative comment']);
    expect(await totals('2026-10-09')).toMatchObject({
      negative_alerts: 1,
      comment_cat_slow_response: 1,
      comment_cat_attitude: 1,
      nps_detractors: 1,
    });
    const customer = await readCustomerProfile('C-angry', later(invitedAt, 300));
    expect(customer.latestNps?.score).toBe(1);
    expect(customer.segment).toMatchObject({ nps: 'detractor', atRisk: true });
    expect(customer.counts).toMatchObject({ surveys: 1, responses: 1, validResponses: 1, negativeFeedback: 1 });
  });

  it('keeps an invalid response but counts it only as invalid', async () => {
    const interaction = await anInteractionOf('C-fast', '2026-10-11');
    const { token, id } = await inviteToSurvey(
      { subject: { type: 'interaction', id: interaction.id } },
      agent,
      invitedAt,
    );
    await readSurveyForm(token, later(invitedAt, 60));
    const receipt = await submitSurveyResponse(token, aSurveyResponse(), later(invitedAt, 62), surveyNeeds);
    expect(receipt.valid).toBe(false);
    expect(receipt.flags.map((f) => f.code)).toEqual(['too_fast']);
    expect((await getSurveyResponse(id))?.overall).toBe(4);
    const counted = await totals('2026-10-11');
    expect(counted).toMatchObject({ responses: 1, invalid_responses: 1 });
    expect(counted.valid_responses).toBeUndefined();
    expect(counted.overall_sum).toBeUndefined();
  });

  it('erases everything personal about a customer, keeps the counters, and can be repeated', async () => {
    const personal = { name: '李秘密', phone: '+8613987654321', email: 'li.mimi@example.com' };
    await saveCustomer('C-erase', aCustomer(personal), agent, invitedAt);
    const interaction = await recordInteraction(
      anInteraction({
        customerId: 'C-erase',
        startedAt: '2026-10-13T02:00:00Z',
        resolvedAt: '2026-10-13T02:30:00Z',
        summary: `${personal.name} called from ${personal.phone}`,
      }),
      agent,
      at('2026-10-13T03:00:00Z'),
      undefined,
      interactionNeeds,
    );
    const invitation = await inviteToSurvey({ subject: { type: 'interaction', id: interaction.id } }, agent, invitedAt);
    await readSurveyForm(invitation.token, later(invitedAt, 60));
    const comment = `我是${personal.name}，电话${personal.phone}，太差了，再也不来了`;
    await submitSurveyResponse(
      invitation.token,
      aSurveyResponse({ nps: 0, comment }),
      later(invitedAt, 120),
      surveyNeeds,
    );
    const before = await totals('2026-10-13');
    expect(before).toMatchObject({ responses: 1, valid_responses: 1, negative_alerts: 1 });

    await eraseCustomer('C-erase', agent, later(invitedAt, 600));
    await eraseCustomer('C-erase', agent, later(invitedAt, 700));

    // A test-only audit of this file's own table: no item may still hold the customer's data.
    const items = (await dynamo().send(new ScanCommand({ TableName: tableName(MAIN_TABLE) }))).Items ?? [];
    const everything = JSON.stringify(items);
    for (const value of [personal.name, personal.phone, personal.email, comment, '再也不来了'])
      expect(everything).not.toContain(value);
    expect(items.filter((item) => item.customerId === 'C-erase' && item.type !== 'interaction')).toEqual([]);
    expect(await totals('2026-10-13')).toEqual(before);
    await expect(readCustomerProfile('C-erase', invitedAt)).rejects.toBeInstanceOf(NotFound);
    const survey = await getSurvey(invitation.id);
    expect(survey).toMatchObject({ status: 'answered', erasedAt: expect.any(String) });
    expect(survey?.contact).toBeUndefined();
    const response = await getSurveyResponse(invitation.id);
    expect(response).toMatchObject({ nps: 0, categories: [], erasedAt: expect.any(String) });
    expect(response?.comment).toBeUndefined();
    expect((await dynamoInteractionStore.get(interaction.id))?.summary).toBeUndefined();
  });
});
