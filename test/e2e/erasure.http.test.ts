/**
 * Erasure reaches everything personal (issue 10.12): a customer leaves their data in every kind
 * of item the API writes (profile, contacts, surveys and their comments, alerts, follow-up tasks
 * with a provider's error about their number, complaint texts and notes, watch items,
 * suggestions, a board suggestion left with their phone); after `DELETE /customers/{id}` the
 * whole table is read (a Scan, test only) and no item holds their name, phone, email or words.
 * Every entity type of the table is listed here, so a new one must say whether it holds
 * personal data (and then be covered) before this file compiles.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { followUpNeeds } from '../../functions/composition.js';
import { runFollowUps } from '../../functions/followups/service.js';
import { smsSender } from '../../shared/notify/once.js';
import { DeliveryFailed, type SmsMessage, type Transport } from '../../shared/notify/ports.js';
import { ports, usePorts } from '../../shared/ports.js';
import { dynamo } from '../../shared/store/client.js';
import { EntityType } from '../../shared/store/keys.js';
import { dynamoMessageLedger } from '../../shared/store/messages.js';
import { MAIN_TABLE, tableName } from '../../shared/store/table.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { anInteraction } from '../support/builders/interactions.js';
import { aCustomer, aSurveyResponse } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

// 10:00 in Shanghai: outside the quiet hours, so the follow-up job sends at once.
const START = new Date('2026-11-10T02:00:00Z');
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);

/**
 * Every entity type the table holds, and whether an item of it can hold a customer's personal
 * data. `personal` types must be produced by the scenario below (so the test covers them).
 */
const ENTITY_TYPES = {
  interaction: 'personal', // summary
  complaint: 'personal', // description, solution
  complaintTimeline: 'personal', // notes, solutions
  complaintTimelineMark: 'anonymous', // marks a named timeline entry as written: complaint id and time only
  complaintPaused: 'personal', // keyed by the customer
  pauseTotals: 'anonymous', // minutes per agent
  message: 'anonymous', // ledger: message id, channel, status (the id is a task's)
  messagePointer: 'anonymous', // SNS's id of an SMS → our message id (no number)
  aggregate: 'anonymous', // KPI counters
  messagingCounter: 'anonymous', // messages sent and their cost per day and channel
  report: 'anonymous', // figures; example comments are masked
  followUp: 'personal', // customer id, the provider's error about their number
  contactStatus: 'personal', // keyed by the customer
  complaintWatch: 'personal', // keyed by the customer
  improvement: 'anonymous', // staff's actions
  suggestion: 'personal', // the customer's words, customer id, contact
  reportEmail: 'anonymous',
  settings: 'anonymous', // staff contacts only
  customer: 'personal', // name, phone, email
  customerErasure: 'anonymous', // who erased, when; keyed by a keyed hash of the id
  customerActivity: 'personal', // keyed by the customer
  surveyThrottle: 'personal', // keyed by the customer
  survey: 'personal', // customer id, contact copy
  surveyResponse: 'personal', // comment
  commentExample: 'anonymous', // pointer to a commented answer: survey id, category, score — no text
  surveySubject: 'anonymous', // subject id → survey id
  alert: 'personal', // customer id (a surge alert names a category and counts, no customer)
  surgeCount: 'anonymous', // a category's complaints per hour
  surgeRaised: 'anonymous', // a category's surge of a day: the alert's id
  change: 'anonymous', // the changes feed: type, record id, version, time — nothing of the customer
  request: 'anonymous', // hashed client request → record id
  staff: 'anonymous', // staff directory: staff, not customers
  category: 'anonymous', // the category list: codes and names
  goal: 'anonymous', // a KPI goal: staff ids, dates and figures
  segmentMember: 'personal', // the customer's id in a segment list
  customerSegments: 'personal', // keyed by the customer
  exportJob: 'anonymous', // a report export's status: period, counts, the requesting staff member
  questionnaire: 'anonymous', // a questionnaire's head: staff-written text
  questionnaireVersion: 'anonymous', // a published questionnaire version
  questionnaireDraft: 'anonymous', // a questionnaire draft
  audienceMarker: 'personal', // keyed by the customer: the days and teams of their contacts in a month
  campaign: 'anonymous', // a campaign: audience rules, counts, staff
} as const satisfies Record<keyof typeof EntityType, 'personal' | 'anonymous'>;

const CUSTOMER = 'C-erase-1';
const NAME = '欧阳娜娜';
const PHONE = '+8613700002222';
const EMAIL = 'nana.ouyang@example.com';
/** Words only this customer's items carry (free text about or by them). */
const WORDS = {
  summary: '娜娜的快递地址写错了',
  description: 'Nana says the parcel went to her old flat',
  note: 'Called Nana back on her mobile',
  solution: 'Resend the parcel to Nana at the new flat',
  comment: '我是欧阳娜娜，快递太慢了',
  suggestion: 'Nana wants evening deliveries',
  board: 'Evening deliveries please, from Nana',
};
/** What must be gone from every item: name, phone in the forms it is stored in, email, the words. */
const PERSONAL = [NAME, PHONE, '13700002222', '137 0000 2222', EMAIL, ...Object.values(WORDS)];

let api: TestApi;
let restorePorts: (() => void) | undefined;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
});
afterEach(() => restorePorts?.());
afterAll(() => api?.runtime.stop());

async function everyItem(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({ TableName: tableName(MAIN_TABLE), ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

const typeKey = (type: unknown) =>
  (Object.entries(EntityType).find(([, value]) => value === type)?.[0] ?? `unknown:${String(type)}`) as string;

/** The entity types of the items that hold `needles`, with the needles found in each. */
function holders(items: Record<string, unknown>[], needles: string[]) {
  const found = new Map<string, Set<string>>();
  for (const item of items) {
    const text = JSON.stringify(item);
    for (const needle of needles)
      if (text.includes(needle)) {
        const key = typeKey(item.type);
        found.set(key, (found.get(key) ?? new Set()).add(needle));
      }
  }
  return found;
}

const ok = async (reply: Promise<{ status: number; body: any }>) => {
  const r = await reply;
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
};

describe('DELETE /customers/{id} reaches everything personal', () => {
  it('leaves no item of any type holding the customer’s name, contacts or words', async () => {
    await ok(
      api.call('PUT', `/customers/${CUSTOMER}`, { body: aCustomer({ name: NAME, phone: PHONE, email: EMAIL }) }),
    );

    // A resolved chat (its invitation fails: the provider quotes the number it refused) …
    const chat = await ok(
      api.call('POST', '/interactions', {
        as: 'agent',
        body: anInteraction({
          customerId: CUSTOMER,
          summary: WORDS.summary,
          startedAt: minutes(-20).toISOString(),
          firstResponseAt: minutes(-20).toISOString(),
          resolvedAt: START.toISOString(),
        }),
      }),
    );
    // … and a second one, surveyed by link and answered angrily (a detractor alert).
    const call = await ok(
      api.call('POST', '/interactions', {
        as: 'agent',
        body: anInteraction({ customerId: CUSTOMER, channel: 'phone', startedAt: minutes(-10).toISOString() }),
      }),
    );
    const survey = await ok(
      api.call('POST', '/surveys', { as: 'agent', body: { subject: { type: 'interaction', id: call.id } } }),
    );
    await ok(api.call('GET', `/surveys/${survey.token}`, { as: null }));
    await ok(
      api.call('POST', `/surveys/${survey.token}/responses`, {
        as: null,
        body: aSurveyResponse({ nps: 1, overall: 1, comment: WORDS.comment }),
      }),
    );

    // A complaint taken through notes and a solution to resolved (a confirmation task), and
    // another waiting on the customer (a paused marker).
    const complaint = await ok(
      api.call('POST', '/complaints', {
        as: 'agent',
        body: aComplaintBody({ customerId: CUSTOMER, description: WORDS.description }),
      }),
    );
    const event = (id: string, body: unknown) => ok(api.call('POST', `/complaints/${id}/events`, { body }));
    await event(complaint.id, { type: 'assign', assigneeId: 'agent-7', note: WORDS.note });
    await event(complaint.id, { type: 'respond' });
    await event(complaint.id, { type: 'propose_solution', solution: WORDS.solution });
    await event(complaint.id, { type: 'resolve' });
    const waiting = await ok(
      api.call('POST', '/complaints', { as: 'agent', body: aComplaintBody({ customerId: CUSTOMER }) }),
    );
    await event(waiting.id, { type: 'assign', assigneeId: 'agent-7' });
    await event(waiting.id, { type: 'respond' });
    await event(waiting.id, { type: 'await_customer', reason: 'information_requested' });
    // A third complaint in three months: a frequent complainer, listed in the segment lists.
    await ok(api.call('POST', '/complaints', { as: 'agent', body: aComplaintBody({ customerId: CUSTOMER }) }));

    // A suggestion for the customer, approved for the board, and one left on the board with their phone.
    const suggestion = await ok(
      api.call('POST', '/suggestions', { as: 'agent', body: { text: WORDS.suggestion, customerId: CUSTOMER } }),
    );
    await ok(api.call('POST', `/suggestions/${suggestion.id}/publication`, { as: 'manager', body: { publish: true } }));
    const board = await api.call('POST', '/suggestions/board?lang=en', {
      as: null,
      rawBody: `text=${encodeURIComponent(WORDS.board)}&contact=${encodeURIComponent('137 0000 2222')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(board.status).toBe(200);

    // The follow-up job: the invitation's SMS is refused with the number quoted (stored as the task's error).
    const refusing: Transport<SmsMessage> = {
      deliver: async (message) => {
        throw new DeliveryFailed(`sms to ${message.to} refused: invalid number ${message.to}`, false, {
          addressRefused: true,
        });
      },
    };
    const previous = usePorts({ sms: smsSender(refusing, dynamoMessageLedger, () => ports().clock) });
    restorePorts = () => usePorts(previous);
    await runFollowUps(minutes(31), followUpNeeds);

    const before = await everyItem();
    const mentions = holders(before, [CUSTOMER, ...PERSONAL]);
    const personalTypes = Object.entries(ENTITY_TYPES)
      .filter(([, kind]) => kind === 'personal')
      .map(([type]) => type);
    // The scenario put the customer into every type that can hold personal data …
    expect([...mentions.keys()].sort()).toEqual(expect.arrayContaining(personalTypes.sort()));
    // … and no type the list calls anonymous (nor one it does not know) holds any of it.
    for (const type of mentions.keys()) expect(personalTypes, `type ${type}`).toContain(type);

    expect((await api.call('DELETE', `/customers/${CUSTOMER}`, { as: 'admin' })).status).toBe(204);

    const after = await everyItem();
    expect(Object.fromEntries([...holders(after, PERSONAL)].map(([type, found]) => [type, [...found]]))).toEqual({});
    // The customer id survives only as the pseudonymous link of their interactions and complaints
    // (the anonymous KPIs and the complaint history need it; nothing left names or reaches the person).
    expect([...holders(after, [CUSTOMER]).keys()].sort()).toEqual(['complaint', 'interaction']);
    // Records stay, anonymous: the suggestion's decision history and the response's scores.
    const kept = await ok(api.call('GET', '/suggestions?limit=100', { as: 'supervisor' }));
    expect(kept.items.find((s: { id: string }) => s.id === suggestion.id)).toMatchObject({
      status: 'submitted',
      erasedAt: expect.any(String),
    });
    expect((await api.call('GET', '/suggestions/published', { as: null })).body.items).toEqual([]);
    expect(after.some((item) => item.type === EntityType.surveyResponse && item.nps === 1)).toBe(true);
    // Erasure is safe to repeat.
    expect((await api.call('DELETE', `/customers/${CUSTOMER}`, { as: 'admin' })).status).toBe(204);
    expect(chat.id).toBeTruthy();
  }, 120_000);
});
