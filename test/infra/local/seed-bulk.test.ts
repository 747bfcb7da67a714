/**
 * The demo data set's bulk load must store what the use cases store: the same contacts and
 * survey answers, once recorded through the use cases (transactions, one ADD at a time) and
 * once through the bulk load (built in memory, counters summed once, BatchWriteItem), give
 * the same KPI counters, customer activity and items, on DynamoDB Local.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { interactionNeeds, surveyNeeds } from '../../../functions/composition.js';
import { saveCustomer } from '../../../functions/customers/service.js';
import { newInteraction, recordInteraction, toInteraction } from '../../../functions/interactions/service.js';
import { inviteToSurvey, readSurveyForm, submitSurveyResponse } from '../../../functions/surveys/service.js';
import { ensureTables, useLocalDynamo } from '../../../infra/local/dynamodb.js';
import { BulkLoad, itemOfPut } from '../../../infra/local/seed/bulk.js';
import { loadSurvey } from '../../../infra/local/seed/surveys.js';
import { builtInVersion } from '../../../shared/domain/questionnaires.js';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings.js';
import { usePorts } from '../../../shared/ports.js';
import type { PutCustomerBody } from '../../../shared/schemas/customers.js';
import type { CreateInteractionBody, Interaction } from '../../../shared/schemas/interactions.js';
import type { SubmitSurveyResponseBody } from '../../../shared/schemas/surveys.js';
import { staticSigningKeys } from '../../../shared/secrets/survey-signing-key.js';
import { dynamoCounterReader } from '../../../shared/store/aggregates.js';
import { customerProfileItem, dynamoCustomerStore } from '../../../shared/store/customers.js';
import { contributionsOf, interactionItem } from '../../../shared/store/interactions.js';
import { forgetCachedSettings } from '../../../shared/store/settings.js';
import { dynamoSurveyStore } from '../../../shared/store/surveys.js';
import { dynamoEndpoint, uniquePrefix } from '../../support/dynamo.js';

const now = new Date('2026-11-20T06:00:00Z');
const agent = { id: 'seed-test', roles: ['admin' as const] };
const customers: Array<[string, PutCustomerBody]> = [
  [
    'C-1',
    {
      name: '王伟',
      phone: '+8617000100001',
      preferredChannel: 'sms',
      language: 'zh',
      consent: { sms: true, email: false },
    },
  ],
  [
    'C-2',
    {
      email: 'emma@example.com',
      preferredChannel: 'email',
      language: 'en',
      tier: 'gold',
      consent: { sms: false, email: true },
    },
  ],
  [
    'C-3',
    {
      phone: '+8617000100003',
      preferredChannel: 'sms',
      language: 'zh',
      customerType: 'business',
      customerSince: '2021-03-01',
      consent: { sms: true, email: false },
    },
  ],
];
const contact = (i: number, overrides: Partial<CreateInteractionBody> = {}): CreateInteractionBody => {
  const started = new Date(Date.UTC(2026, 9, 1 + (i % 27), 1 + (i % 12), i % 60));
  const channels = ['phone', 'chat', 'email', 'store'] as const;
  const channel = channels[i % channels.length]!;
  return {
    customerId: i % 2 ? 'C-1' : 'C-2',
    channel,
    complexity: i % 5 === 0 ? 'complex' : 'simple',
    team: channel === 'store' ? 'stores' : 'online',
    ...(i % 3 === 1 ? {} : { agentId: `agent-${i % 3}` }),
    startedAt: started.toISOString(),
    ...(i % 7 === 0 ? {} : { firstResponseAt: new Date(started.getTime() + ((i * 37) % 400) * 1000).toISOString() }),
    ...(i % 3 === 0
      ? {}
      : {
          resolvedAt: new Date(started.getTime() + (i % 4 === 0 ? 30 : 2) * 3600_000).toISOString(),
          resolvedOnFirstContact: i % 2 === 0,
        }),
    ...(i % 4 === 0 && i % 3 !== 0 ? { overdueReason: 'staffing' } : {}),
    ...overrides,
  };
};
// C-3 answers the s001 standard once, with no answer before it (the bulk load keeps no segment history).
const bodies = [...Array.from({ length: 40 }, (_, i) => contact(i)), contact(41, { customerId: 'C-3' })];
const answers: SubmitSurveyResponseBody[] = [
  {
    scores: { responsiveness: 5, professionalism: 4, attitude: 5, resolution: 4, convenience: 4 },
    overall: 4,
    nps: 9,
    comment: '回复很快',
  },
  {
    scores: { responsiveness: 1, professionalism: 2, attitude: 1, resolution: 1, convenience: 2 },
    overall: 1,
    nps: 0,
    comment: 'The agent was rude and impatient',
  },
  { scores: { responsiveness: 5, professionalism: 5, attitude: 5, resolution: 5, convenience: 5 }, overall: 5, nps: 2 },
  // The s001 standard (the demo asks it of a third of its surveys): sub-indicator items, the store item left out.
  {
    answers: {
      first_response: 4,
      resolution_time: 3,
      proactive_updates: 2,
      knowledge: 5,
      diagnosis: 4,
      solution_effectiveness: 4,
      information_accuracy: 5,
      courtesy: 5,
      empathy: 4,
      clarity: 4,
      initiative: 3,
      first_contact: 3,
      solution_satisfaction: 4,
      root_cause: 2,
      follow_up: 2,
      channel_access: 4,
      process_simplicity: 3,
      platform_stability: 4,
      overall: 4,
      nps: 8,
      comment: '处理完以后没有回访',
    },
  },
];
/** The questionnaire each survey asks: the fourth the s001 standard, the others today's form. */
const askedBy = (n: number) => (n === 3 ? 'service-standard' : undefined);

/** Counters summed per day × channel × team and per agent (ids differ between the two loads, hence shards do too). */
async function countersByCell() {
  const cells: Record<string, Record<string, number>> = {};
  const teamCells = await dynamoCounterReader.readCounters('2026-10-01', '2026-11-30');
  const agentCells = await dynamoCounterReader.readAgentCounters('2026-10-01', '2026-11-30');
  for (const row of [...teamCells, ...agentCells]) {
    const key = `${row.cell.day}|${row.cell.channel}|${row.cell.team}|${row.cell.agent ?? ''}`;
    const cell = (cells[key] ??= {});
    for (const [name, value] of Object.entries(row.counters)) cell[name] = (cell[name] ?? 0) + value;
  }
  return cells;
}

type Stored = Awaited<ReturnType<typeof snapshot>>;
async function snapshot(surveyIds: string[]) {
  const strip = <T extends Record<string, unknown> | undefined>(item: T) => {
    if (!item) return item;
    const {
      id: _id,
      surveyId: _s,
      responseId: _r,
      alertId: _a,
      subject: _subject,
      gsi3sk: _sortKey,
      ...rest
    } = item as Record<string, unknown>;
    return rest;
  };
  return {
    counters: await countersByCell(),
    customers: await Promise.all(
      customers.map(async ([id]) => {
        const { profile, activity, surveyThrottleUntil } = await dynamoCustomerStore.readCustomer(id);
        return { profile, activity, surveyThrottleUntil };
      }),
    ),
    surveys: await Promise.all(
      surveyIds.map(async (id) => ({
        survey: strip((await dynamoSurveyStore.getSurvey(id)) as never),
        response: strip((await dynamoSurveyStore.getSurveyResponse(id)) as never),
      })),
    ),
  };
}

/** Which contacts get a survey, when, and which of them answer. */
const surveyed = (interactions: Interaction[]) =>
  [
    ...interactions.filter((i) => i.resolvedAt && i.customerId !== 'C-3').slice(0, 3),
    ...interactions.filter((i) => i.resolvedAt && i.customerId === 'C-3').slice(0, 1),
  ].map((interaction, n) => {
    const invitedAt = new Date(new Date(interaction.resolvedAt!).getTime() + 3600_000 + n * 40 * 86_400_000);
    return {
      interaction,
      invitedAt,
      answer: {
        openedAt: new Date(invitedAt.getTime() + 600_000),
        submittedAt: new Date(invitedAt.getTime() + 700_000),
        body: answers[n]!,
      },
    };
  });

describe('the demo bulk load stores what the use cases store', () => {
  let throughUseCases: Stored;
  let inBulk: Stored;

  beforeAll(async () => {
    const endpoint = dynamoEndpoint();
    useLocalDynamo(endpoint);
    usePorts({ signingKeys: staticSigningKeys('seed-bulk-test-signing-key-0123456789abcdef') });

    // 1. Through the use cases, one transaction per record.
    await ensureTables(endpoint, uniquePrefix());
    forgetCachedSettings();
    for (const [id, body] of customers) await saveCustomer(id, body, agent, now);
    const recorded: Interaction[] = [];
    for (const body of bodies) recorded.push(await recordInteraction(body, agent, now, undefined, interactionNeeds));
    const surveyIds: string[] = [];
    for (const { interaction, invitedAt, answer } of surveyed(recorded)) {
      const questionnaireId = askedBy(surveyIds.length);
      const { id, token } = await inviteToSurvey(
        { subject: { type: 'interaction', id: interaction.id }, ...(questionnaireId ? { questionnaireId } : {}) },
        agent,
        invitedAt,
      );
      await readSurveyForm(token, answer.openedAt);
      await submitSurveyResponse(token, answer.body, answer.submittedAt, surveyNeeds);
      surveyIds.push(id);
    }
    throughUseCases = await snapshot(surveyIds);

    // 2. In bulk, into fresh tables.
    await ensureTables(endpoint, uniquePrefix());
    forgetCachedSettings();
    const load = new BulkLoad();
    for (const [id, body] of customers) load.put(customerProfileItem(id, body, now, agent.id));
    const built = bodies.map((body) => {
      const { record, alsoWrite } = newInteraction(body, agent, now, DEFAULT_SETTINGS);
      load.put(interactionItem(record), ...alsoWrite.map(itemOfPut));
      load.count(contributionsOf(record));
      return toInteraction(record, now);
    });
    const bulkSurveyIds = surveyed(built).map(({ interaction, invitedAt, answer }, n) => {
      const questionnaireId = askedBy(n);
      const questionnaire = questionnaireId ? builtInVersion(questionnaireId, 1) : undefined;
      return loadSurvey(
        load,
        {
          interaction,
          profile: new Map(customers).get(interaction.customerId),
          invitedAt,
          answer,
          actorId: agent.id,
          ...(questionnaire ? { questionnaire } : {}),
        },
        DEFAULT_SETTINGS,
      ).survey.id;
    });
    await load.write();
    inBulk = await snapshot(bulkSurveyIds);
  });

  it('adds up to the same KPI counters in every day × channel × team cell and every agent cell', () => {
    expect(Object.keys(throughUseCases.counters).length).toBeGreaterThan(10);
    expect(Object.keys(throughUseCases.counters).some((key) => !key.endsWith('|'))).toBe(true);
    expect(inBulk.counters).toEqual(throughUseCases.counters);
  });

  it('gives customers the same profile, activity counts, latest NPS and survey throttle', () => {
    expect(throughUseCases.customers[1]!.activity.counters.responses).toBeGreaterThan(0);
    expect(inBulk.customers).toEqual(throughUseCases.customers);
  });

  it('stores surveys and responses in the same state (opened, answered, validity, categories)', () => {
    expect(throughUseCases.surveys.map((s) => s.survey?.status)).toEqual([
      'answered',
      'answered',
      'answered',
      'answered',
    ]);
    expect(throughUseCases.surveys[3]?.response).toMatchObject({
      questionnaire: { id: 'service-standard', version: 1 },
    });
    expect(inBulk.surveys).toEqual(throughUseCases.surveys);
  });
});
