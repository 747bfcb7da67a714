/**
 * Survey invitations, their one response, and the negative-feedback alerts they raise.
 *
 * Exactly-once rules live in conditions, not in reads:
 * - an invitation claims the customer's throttle window (CUSTOMER#<id>/SURVEY_THROTTLE) and
 *   its subject (SURVEY_SUBJECT#…) in the same transaction as the survey item, so two racing
 *   invitations cannot both pass;
 * - a response is a Put on SURVEY#<id>/RESPONSE that must not exist, with the survey's
 *   `answeredAt`, the customer's activity, the alert and the KPI counters in the same
 *   transaction: two racing submits store exactly one response and count it once.
 */

import { type AggregateCell, type Contribution, cellKey } from '../domain/aggregates.js';
import type { AlertStatus } from '../domain/alerts.js';
import { Conflict, defined, Gone, TooManyRequests } from '../domain/errors.js';
import type { ValidityFlag } from '../domain/surveys.js';
import type { Language } from '../schemas/customers.js';
import type { QuestionnaireRef } from '../schemas/questionnaires.js';
import type { SurveySubjectKind } from '../schemas/surveys.js';
import { type AlertOutcome, DIMENSIONS, type Dimension } from '../schemas/vocabulary.js';
import { type TransactItem, writeWithCounters } from './aggregates.js';
import { batchGetItems } from './batch.js';
import { changesOf } from './changes.js';
import { dynamo } from './client.js';
import { alertKeys, commentExampleKeys, customerKeys, EntityType, surveyKeys } from './keys.js';
import { type Page, queryPartitions } from './paging.js';
import { ConditionalCheckFailedException, GetCommand, QueryCommand, UpdateCommand } from './sdk.js';
import { MAIN_TABLE, tableName, withoutKeys } from './table.js';

export interface SurveyRecord {
  id: string;
  /** The questionnaire version the survey asks; absent on surveys from before v1.2 (service-transaction 1). */
  questionnaire?: QuestionnaireRef;
  /** Why this survey was sent, when a campaign sent it. */
  campaignId?: string;
  subject: { type: SurveySubjectKind; id: string };
  /** Removed when the customer is erased. */
  customerId?: string;
  channel: 'sms' | 'email' | 'wechat' | 'link';
  /** The phone number or email address the link is sent to (a copy; removed on erasure). */
  contact?: string;
  language: Language;
  /** Where the response is counted: the subject's service day × channel × team. */
  cell: AggregateCell;
  /** The agent the subject is credited to (interaction agent, complaint assignee): their figures count the answer too. */
  agentId?: string;
  /** A complaint's closing survey is not held back by the throttle. */
  throttleExempt: boolean;
  linkExpiresAt: string;
  status: 'sent' | 'opened' | 'answered';
  openedAt?: string;
  answeredAt?: string;
  responseId?: string;
  createdAt: string;
  createdBy: string;
  erasedAt?: string;
  /** A campaign's survey: when its invitation reached the customer (counted once as `delivered`). */
  deliveredAt?: string;
}

export interface SurveyResponseRecord {
  id: string;
  surveyId: string;
  subject: { type: SurveySubjectKind; id: string };
  cell: AggregateCell;
  /** The questionnaire version answered; absent on answers from before v1.2 (service-transaction 1). */
  questionnaire?: QuestionnaireRef;
  /** Answers per question, free text aside (numbers, choice ids); absent before v1.2 (read from scores). */
  answers?: Record<string, number | string | string[]>;
  /** Free-text answers other than the comment; removed when the customer is erased. */
  texts?: Record<string, string>;
  /** The five dimension questions when the questionnaire asks them by those ids (service-transaction, relationship). */
  scores: Record<Dimension, number | null>;
  overall: number | null;
  nps: number | null;
  /** Removed when the customer is erased; the categories stay. */
  comment?: string;
  valid: boolean;
  flags: ValidityFlag[];
  categories: string[];
  sentiment: 'positive' | 'neutral' | 'negative';
  alertId?: string;
  openedAt?: string;
  submittedAt: string;
  erasedAt?: string;
}

export interface AlertRecord {
  id: string;
  kind: 'negative_feedback';
  /** The call-back queue (shared/store/alerts.ts): open → claimed → done. */
  status: AlertStatus;
  /** Local day (settings time zone) the alert was raised: the day partition it is listed under. */
  day: string;
  raisedAt: string;
  reasons: string[];
  surveyId: string;
  responseId: string;
  subject: { type: SurveySubjectKind; id: string };
  /** Removed when the customer is erased. */
  customerId?: string;
  nps: number | null;
  overall: number | null;
  categories: string[];
  /** An invalid response still raises its alert (a real person was angry) but is not counted. */
  responseValid: boolean;
  /** The call-back is due: two business days after the answer on the team's calendar (absent on alerts from before the queue). */
  dueBy?: string;
  /** The counter cell of its due day (channel and team of the survey), where `alertsHandledInTime` counts it. */
  dueCell?: AggregateCell;
  team?: string;
  claimedBy?: string;
  claimedAt?: string;
  outcome?: AlertOutcome;
  outcomeAt?: string;
  outcomeBy?: string;
  handledInTime?: boolean;
  note?: string;
  complaintId?: string;
}

/** Storage port for surveys, their responses and the negative-feedback alerts they raise. */
export interface SurveyStore {
  /**
   * Stores an invitation: 409 when the subject already has a survey that is answered or still
   * open, 429 when the customer's throttle window is still open.
   */
  createInvitation(input: NewInvitation): Promise<void>;
  /**
   * Many invitations (a campaign's launch), each as `createInvitation` would write it with its own
   * conditions, packed into transactions of up to 100 items (their counters summed per cell). An
   * invitation whose condition fails is left out and the rest written again; its outcome says why.
   */
  createInvitations(inputs: readonly NewInvitation[]): Promise<InvitationOutcome[]>;
  /** Counts a throttled automatic invitation of a subject, once however often it is retried. */
  recordThrottledInvitation(
    subject: { type: string; id: string },
    counters: Contribution[],
    now: string,
  ): Promise<void>;
  getSurvey(id: string): Promise<SurveyRecord | undefined>;
  /** A campaign's invitation reached its customer: counted once in the campaign's cell. */
  markDelivered(survey: SurveyRecord, at: string): Promise<void>;
  getSurveyResponse(surveyId: string): Promise<SurveyResponseRecord | undefined>;
  /** Records the first time the form was read (for the too-fast check); later reads change nothing. */
  markSurveyOpened(id: string, at: string): Promise<string>;
  /** Stores the one response of a survey: 410 when it was already answered (also when two race). */
  storeResponse(input: NewResponse): Promise<void>;
  /** Alerts raised on a local day, oldest first: what follow-ups and reports read. */
  listAlertsOfDay(day: string, options: { limit: number; cursor?: string | undefined }): Promise<Page<AlertRecord>>;
  /**
   * Erases a customer from their surveys, responses and alerts: the comment, the contact
   * copy, an alert's call-back note and the customer link go; scores, categories and counters
   * stay (anonymous).
   * The index entry is removed last, so an interrupted erasure is found again and finished.
   */
  eraseCustomerFromSurveys(customerId: string, at: string): Promise<number>;
  /** The responses counted on the days `from`..`to` (the month's row-level export), one Query per day. */
  responsesOfDays(
    days: string[],
    page: { limit: number; cursor?: string | undefined },
  ): Promise<Page<SurveyResponseRecord>>;
  /** Commented answers per problem category of `months` (YYYY-MM), the lowest-scored first; bounded reads. */
  commentExamples(
    months: string[],
    categories: string[],
    perCategory: number,
  ): Promise<Record<string, CommentExample[]>>;
  /** A customer's survey answers, newest invitation first. */
  responsesOfCustomer(
    customerId: string,
    query: { fromInstant: string; toInstant: string; limit: number; cursor?: string | undefined },
  ): Promise<Page<SurveyResponseRecord>>;
}

const table = () => tableName(MAIN_TABLE);
const strip = <T>(item: Record<string, unknown>): T => withoutKeys<T>(item);

/** The stored item of a survey invitation (its state included: opened, answered). */
export function surveyItem(survey: SurveyRecord): Record<string, unknown> {
  return {
    ...surveyKeys.item(survey.id),
    ...(survey.customerId ? surveyKeys.byCustomer(survey.customerId, survey.createdAt, survey.id) : {}),
    type: EntityType.survey,
    ...survey,
  };
}

/** The item that claims a survey's subject (one open or answered survey per subject). */
export function surveySubjectItem(survey: SurveyRecord): Record<string, unknown> {
  return {
    ...surveyKeys.subject(survey.subject.type, survey.subject.id),
    type: EntityType.surveySubject,
    surveyId: survey.id,
    linkExpiresAt: survey.linkExpiresAt,
    ...(survey.answeredAt ? { answeredAt: survey.answeredAt } : {}),
  };
}

/** A customer's survey throttle window, as one item (bulk load); `createInvitation` writes the same with a condition. */
export function surveyThrottleItem(customerId: string, until: string, surveyId: string): Record<string, unknown> {
  return { ...customerKeys.surveyThrottle(customerId), type: EntityType.surveyThrottle, until, surveyId };
}

/** The stored item of a survey's one response. */
export function surveyResponseItem(response: SurveyResponseRecord): Record<string, unknown> {
  return {
    ...surveyKeys.response(response.surveyId),
    ...surveyKeys.responseByDay(response.cell.day, response.submittedAt, response.id),
    type: EntityType.surveyResponse,
    ...response,
  };
}

/** The lowest score an answer gave (overall or any dimension), or null when it gave none. */
function lowestScore(response: SurveyResponseRecord): number | null {
  const scores = [response.overall, ...DIMENSIONS.map((d) => response.scores[d])].filter(
    (score): score is number => typeof score === 'number',
  );
  return scores.length ? Math.min(...scores) : null;
}

/**
 * The example pointers of an answer (one per problem category of its comment): only a valid
 * answer with a comment that is not praise. They hold ids and the score, never the text.
 */
export function commentExampleItems(response: SurveyResponseRecord): Record<string, unknown>[] {
  if (!response.valid || !response.comment?.trim() || response.sentiment === 'positive') return [];
  const lowest = lowestScore(response) ?? 9;
  const month = response.cell.day.slice(0, 7);
  return [...new Set(response.categories)].map((category) => ({
    ...commentExampleKeys.item(month, category, lowest, response.submittedAt, response.surveyId),
    type: EntityType.commentExample,
    surveyId: response.surveyId,
    category,
    lowestScore: lowest,
  }));
}

/** Where an alert stands in the call-back queue's index (gsi3): open and claimed by due time, done by outcome month. */
function alertStatusKeys(alert: AlertRecord): Record<string, string> {
  if (alert.status === 'done') {
    const at = alert.outcomeAt ?? alert.raisedAt;
    return alertKeys.byStatus('done', at, alert.id, at.slice(0, 7));
  }
  return alert.dueBy ? alertKeys.byStatus(alert.status, alert.dueBy, alert.id) : {};
}

/**
 * The stored item of a negative-feedback alert, with every index it is listed under (by day, in
 * the call-back queue, by customer): the one shape both the answer's transaction and the demo's
 * bulk load write, so a seeded alert is listed by `GET /alerts` as an answered one is.
 */
export function alertItem(alert: AlertRecord): Record<string, unknown> {
  return {
    ...alertKeys.item(alert.id),
    ...alertKeys.byDay(alert.day, alert.raisedAt, alert.id),
    ...alertStatusKeys(alert),
    ...(alert.customerId ? alertKeys.byCustomer(alert.customerId, alert.raisedAt, alert.id) : {}),
    type: EntityType.alert,
    ...alert,
  };
}

export interface NewInvitation {
  survey: SurveyRecord;
  /** The throttle window this invitation opens (ISO); an exempt invitation opens it without checking. */
  throttleUntil: string;
  now: string;
  /** The customer activity to add (surveys +1), as from `activityDelta`. */
  activity: Record<string, number>;
  counters: Contribution[];
  customerActivity: (customerId: string, delta: Record<string, number>) => TransactItem;
  /**
   * Written in the same transaction (each with its own condition): the follow-up task that sends
   * the invitation, the claim of the client request that created it. The survey exists exactly
   * when they do, so a retry after a failure half-way never finds one without the other.
   */
  alsoWrite?: TransactItem[];
}

/**
 * What one invitation of a batch became: made; found made already (its survey, its subject or its
 * follow-up task exists: an earlier run of the same batch); or refused by the customer's throttle
 * window (surveyed lately by another path).
 */
export type InvitationOutcome = 'created' | 'exists' | 'throttled';

/** The items an invitation writes, each with its condition: survey, subject, throttle window, activity, then `alsoWrite`. */
function invitationRecords(input: NewInvitation): TransactItem[] {
  const { survey } = input;
  const customerId = defined(survey.customerId, `the customer of survey ${survey.id}`);
  return [
    {
      Put: {
        TableName: table(),
        Item: {
          ...surveyKeys.item(survey.id),
          ...surveyKeys.byCustomer(customerId, survey.createdAt, survey.id),
          type: EntityType.survey,
          ...survey,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table(),
        Item: {
          ...surveyKeys.subject(survey.subject.type, survey.subject.id),
          type: EntityType.surveySubject,
          surveyId: survey.id,
          linkExpiresAt: survey.linkExpiresAt,
        },
        // A subject is surveyed once; only an unanswered, expired link may be replaced.
        ConditionExpression:
          'attribute_not_exists(pk) OR (#linkExpiresAt <= :now AND attribute_not_exists(#answeredAt))',
        ExpressionAttributeNames: { '#linkExpiresAt': 'linkExpiresAt', '#answeredAt': 'answeredAt' },
        ExpressionAttributeValues: { ':now': input.now },
      },
    },
    {
      Update: {
        TableName: table(),
        Key: customerKeys.surveyThrottle(customerId),
        UpdateExpression: 'SET #type = :type, #until = :until, #surveyId = :surveyId',
        ...(survey.throttleExempt ? {} : { ConditionExpression: 'attribute_not_exists(#until) OR #until <= :now' }),
        ExpressionAttributeNames: { '#type': 'type', '#until': 'until', '#surveyId': 'surveyId' },
        ExpressionAttributeValues: {
          ':type': EntityType.surveyThrottle,
          ':until': input.throttleUntil,
          ':surveyId': survey.id,
          ...(survey.throttleExempt ? {} : { ':now': input.now }),
        },
      },
    },
    input.customerActivity(customerId, input.activity),
    ...(input.alsoWrite ?? []),
  ];
}

async function createInvitation(input: NewInvitation): Promise<void> {
  const { survey } = input;
  const customerId = defined(survey.customerId, `the customer of survey ${survey.id}`);
  const records = invitationRecords(input);
  let failed = -1;
  // A concurrent transaction on the same items is retried inside writeWithCounters; the conditions then decide.
  await writeWithCounters(records, input.counters, survey.id, (index) => {
    failed = index;
    return new Conflict(`Survey ${survey.id} already exists.`);
  }).catch(async (error) => {
    if (failed === 1)
      throw new Conflict(`This ${survey.subject.type} already has a survey that is answered or still open.`);
    if (failed >= 4) throw new Conflict(`Survey ${survey.id} was created by another copy of this request.`);
    if (failed === 2) {
      const until = (
        await dynamo().send(new GetCommand({ TableName: table(), Key: customerKeys.surveyThrottle(customerId) }))
      ).Item?.until;
      throw new TooManyRequests(
        `This customer was surveyed recently; the next survey is possible from ${String(until ?? 'later')}.`,
      );
    }
    throw error;
  });
}

/** Items one TransactWriteItems may hold (DynamoDB's limit). */
const TRANSACTION_ITEMS = 100;

/** Transactions of a batch written at once. */
const BATCH_CONCURRENCY = 4;

async function createInvitations(inputs: readonly NewInvitation[]): Promise<InvitationOutcome[]> {
  const outcomes: InvitationOutcome[] = inputs.map(() => 'created');
  // Greedy groups within the item limit: each invitation's records and change entries, and one counter item per cell.
  const groups: Array<Array<{ index: number; input: NewInvitation; records: TransactItem[] }>> = [];
  let group: (typeof groups)[number] = [];
  let items = 0;
  const cells = new Set<string>();
  inputs.forEach((input, index) => {
    const records = invitationRecords(input);
    const size = records.length + changesOf(records).length;
    const newCells = input.counters.map((c) => cellKey(c.cell)).filter((key) => !cells.has(key));
    if (group.length && items + size + cells.size + new Set(newCells).size > TRANSACTION_ITEMS) {
      groups.push(group);
      group = [];
      items = 0;
      cells.clear();
    }
    group.push({ index, input, records });
    items += size;
    for (const c of input.counters) cells.add(cellKey(c.cell));
  });
  if (group.length) groups.push(group);
  const failedCondition = new Error('condition failed');
  const write = async (members: (typeof groups)[number]) => {
    let pending = members;
    while (pending.length) {
      let failed = -1;
      try {
        await writeWithCounters(
          pending.flatMap((p) => p.records),
          pending.flatMap((p) => p.input.counters),
          `invitations ${pending[0]?.input.survey.id}…`,
          (index) => {
            failed = index;
            return failedCondition;
          },
        );
        return;
      } catch (error) {
        if (error !== failedCondition) throw error;
      }
      // The invitation whose item failed its condition is left out; the others are written again.
      let offset = failed;
      const at = pending.findIndex((p) => {
        if (offset < p.records.length) return true;
        offset -= p.records.length;
        return false;
      });
      const culprit = pending[at];
      if (!culprit) throw new Error(`A condition outside the invitations failed (item ${failed})`);
      outcomes[culprit.index] = offset === 2 ? 'throttled' : 'exists';
      pending = pending.filter((_, i) => i !== at);
    }
  };
  for (let start = 0; start < groups.length; start += BATCH_CONCURRENCY)
    await Promise.all(groups.slice(start, start + BATCH_CONCURRENCY).map(write));
  return outcomes;
}

/**
 * Counts once that the follow-up job could not survey a subject because its customer was surveyed
 * lately (`survey_skipped_throttled`): a marker beside the subject's survey marker, written with the
 * counter in one transaction, so a retried task never counts it twice.
 */
async function recordThrottledInvitation(
  subject: { type: string; id: string },
  counters: Contribution[],
  now: string,
): Promise<void> {
  const marker: TransactItem = {
    Put: {
      TableName: table(),
      Item: { ...surveyKeys.throttledSubject(subject.type, subject.id), type: EntityType.surveySubject, at: now },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  const counted = new Conflict('already counted');
  await writeWithCounters([marker], counters, `${subject.type}:${subject.id}`, () => counted).catch((error) => {
    if (error !== counted) throw error;
  });
}

/**
 * Counts once that a campaign's invitation reached its customer (`delivered` in the campaign's
 * cell): the survey's `deliveredAt` is set in the same transaction, on condition it was not yet.
 */
async function markDelivered(survey: SurveyRecord, at: string): Promise<void> {
  const marked: TransactItem = {
    Update: {
      TableName: table(),
      Key: surveyKeys.item(survey.id),
      UpdateExpression: 'SET #deliveredAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#deliveredAt)',
      ExpressionAttributeNames: { '#deliveredAt': 'deliveredAt' },
      ExpressionAttributeValues: { ':at': at },
    },
  };
  const counted = new Conflict('already counted');
  await writeWithCounters(
    [marked],
    [{ cell: survey.cell, counters: { delivered: 1 } }],
    survey.id,
    () => counted,
  ).catch((error) => {
    if (error !== counted) throw error;
  });
}

async function getSurvey(id: string): Promise<SurveyRecord | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: surveyKeys.item(id), ConsistentRead: true }),
  );
  return result.Item ? strip<SurveyRecord>(result.Item) : undefined;
}

async function getSurveyResponse(surveyId: string): Promise<SurveyResponseRecord | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: table(), Key: surveyKeys.response(surveyId), ConsistentRead: true }),
  );
  return result.Item ? strip<SurveyResponseRecord>(result.Item) : undefined;
}

async function markSurveyOpened(id: string, at: string): Promise<string> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: surveyKeys.item(id),
        UpdateExpression: 'SET #openedAt = :at, #status = :opened',
        ConditionExpression:
          'attribute_exists(pk) AND attribute_not_exists(#openedAt) AND attribute_not_exists(#answeredAt)',
        ExpressionAttributeNames: { '#openedAt': 'openedAt', '#status': 'status', '#answeredAt': 'answeredAt' },
        ExpressionAttributeValues: { ':at': at, ':opened': 'opened' },
      }),
    );
    return at;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return (await getSurvey(id))?.openedAt ?? at;
    throw error;
  }
}

export interface NewResponse {
  survey: SurveyRecord;
  response: SurveyResponseRecord;
  alert?: AlertRecord;
  /** The customer's activity update (responses, latest NPS…), when the survey still has a customer. */
  customerActivity?: TransactItem;
  /** The profile fields the answer fills (profile questions the profile lacked), in the same transaction. */
  profileUpdate?: TransactItem;
  counters: Contribution[];
}

async function storeResponse(input: NewResponse): Promise<void> {
  const { survey, response, alert } = input;
  const records: TransactItem[] = [
    {
      Put: {
        TableName: table(),
        Item: {
          ...surveyKeys.response(survey.id),
          ...surveyKeys.responseByDay(response.cell.day, response.submittedAt, response.id),
          type: EntityType.surveyResponse,
          ...response,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: table(),
        Key: surveyKeys.item(survey.id),
        UpdateExpression: 'SET #status = :answered, #answeredAt = :at, #responseId = :responseId',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#answeredAt)',
        ExpressionAttributeNames: { '#status': 'status', '#answeredAt': 'answeredAt', '#responseId': 'responseId' },
        ExpressionAttributeValues: { ':answered': 'answered', ':at': response.submittedAt, ':responseId': response.id },
      },
    },
    {
      Update: {
        TableName: table(),
        Key: surveyKeys.subject(survey.subject.type, survey.subject.id),
        UpdateExpression: 'SET #answeredAt = :at',
        ConditionExpression: '#surveyId = :surveyId',
        ExpressionAttributeNames: { '#answeredAt': 'answeredAt', '#surveyId': 'surveyId' },
        ExpressionAttributeValues: { ':at': response.submittedAt, ':surveyId': survey.id },
      },
    },
    ...(input.customerActivity ? [input.customerActivity] : []),
    ...(input.profileUpdate ? [input.profileUpdate] : []),
    // Deterministic keys: a retried transaction writes the same pointers again.
    ...commentExampleItems(response).map((Item) => ({ Put: { TableName: table(), Item } })),
    ...(alert
      ? [
          {
            Put: {
              TableName: table(),
              // In the call-back queue (open, soonest due first), by day and by customer.
              Item: alertItem(alert),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]
      : []),
  ];
  await writeWithCounters(records, input.counters, survey.id, () => new Gone('This survey has already been answered.'));
}

async function listAlertsOfDay(
  day: string,
  options: { limit: number; cursor?: string | undefined },
): Promise<Page<AlertRecord>> {
  const page = await queryPartitions<Record<string, unknown>>(
    [{ index: 'gsi2', partitionKey: alertKeys.dayPartition(day) }],
    options,
  );
  return { items: page.items.map((item) => strip<AlertRecord>(item)), nextCursor: page.nextCursor };
}

/** Every item of a customer's in gsi1 under one sort-key prefix (surveys, alerts, interactions). */
async function customerIndexItems(customerPartition: string, prefix: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPartitions<Record<string, unknown>>(
      [{ index: 'gsi1', partitionKey: customerPartition, sortKey: { beginsWith: prefix } }],
      { limit: 100, cursor },
    );
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

async function updateIfExists(
  key: { pk: unknown; sk: unknown },
  expression: string,
  names: Record<string, string>,
  values: Record<string, unknown>,
): Promise<void> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: key,
        UpdateExpression: expression,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

async function eraseCustomerFromSurveys(customerId: string, at: string): Promise<number> {
  const customerPartition = customerKeys.partition(customerId);
  let erased = 0;
  for (const item of await customerIndexItems(customerPartition, surveyKeys.customerSortPrefix)) {
    const surveyId = String(item.id);
    await updateIfExists(
      surveyKeys.response(surveyId),
      'SET #erasedAt = :at REMOVE #comment, #texts',
      { '#erasedAt': 'erasedAt', '#comment': 'comment', '#texts': 'texts' },
      { ':at': at },
    );
    await updateIfExists(
      { pk: item.pk, sk: item.sk },
      'SET #erasedAt = :at REMOVE #customerId, #contact, gsi1pk, gsi1sk',
      { '#erasedAt': 'erasedAt', '#customerId': 'customerId', '#contact': 'contact' },
      { ':at': at },
    );
    erased += 1;
  }
  for (const item of await customerIndexItems(customerPartition, alertKeys.customerSortPrefix)) {
    await updateIfExists(
      { pk: item.pk, sk: item.sk },
      // The call-back note (written after talking to the customer) goes with the link to them.
      'SET #erasedAt = :at REMOVE #customerId, #note, gsi1pk, gsi1sk',
      { '#erasedAt': 'erasedAt', '#customerId': 'customerId', '#note': 'note' },
      { ':at': at },
    );
  }
  return erased;
}

/**
 * The responses counted on `days` (service days), a page at a time: the CSV export follows
 * `nextCursor` to the end, so no month is ever cut short. Exported alone too, so the report
 * functions bundle the two reads they use and not the whole store (issue 26).
 */
export async function responsesOfDays(
  days: string[],
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<SurveyResponseRecord>> {
  const result = await queryPartitions<Record<string, unknown>>(
    days.map((day) => ({ index: 'gsi3' as const, partitionKey: surveyKeys.responseDayPartition(day) })),
    { limit: page.limit, cursor: page.cursor },
  );
  return { items: result.items.map((item) => strip<SurveyResponseRecord>(item)), nextCursor: result.nextCursor };
}

/** Pointers read per category and month: enough to skip a few erased or emptied answers. */
const EXAMPLE_CANDIDATES = 8;

/** One commented answer, as the report quotes it (the text still unmasked: the caller masks). */
export interface CommentExample {
  category: string;
  comment: string;
  lowestScore: number | null;
  day: string;
  channel: string;
}

/**
 * Up to `perCategory` commented answers of each category in `months`, the lowest-scored first:
 * per category and month one Query of at most EXAMPLE_CANDIDATES pointers, then one BatchGetItem
 * of their responses. An answer whose comment was erased is skipped. Reads are bounded by
 * months × categories × EXAMPLE_CANDIDATES, whatever the volume.
 */
export async function commentExamples(
  months: string[],
  categories: string[],
  perCategory: number,
): Promise<Record<string, CommentExample[]>> {
  const pointers = await Promise.all(
    categories.map(async (category) => {
      const perMonth = await Promise.all(
        months.map(async (month) => {
          const page = await dynamo().send(
            new QueryCommand({
              TableName: table(),
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': commentExampleKeys.partition(month, category) },
              Limit: EXAMPLE_CANDIDATES,
            }),
          );
          return page.Items ?? [];
        }),
      );
      const lowestFirst = perMonth
        .flat()
        .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
        .slice(0, EXAMPLE_CANDIDATES);
      return { category, surveyIds: lowestFirst.map((item) => String(item.surveyId)) };
    }),
  );
  const ids = [...new Set(pointers.flatMap((p) => p.surveyIds))];
  const responses = await batchGetItems(ids.map((id) => surveyKeys.response(id)));
  const bySurvey = new Map(responses.map((item) => [String(item.surveyId), strip<SurveyResponseRecord>(item)]));
  return Object.fromEntries(
    pointers.map(({ category, surveyIds }) => [
      category,
      surveyIds
        .flatMap((id) => {
          const response = bySurvey.get(id);
          return response?.valid && response.comment?.trim() && !response.erasedAt ? [response] : [];
        })
        .slice(0, perCategory)
        .map((response) => ({
          category,
          comment: (response.comment ?? '').trim(),
          lowestScore: lowestScore(response),
          day: response.cell.day,
          channel: response.cell.channel,
        })),
    ]),
  );
}

/**
 * A customer's answered surveys, newest invitation first, each with its response: one Query of the
 * customer's survey index entries (answered only, at most LIST_READ_BUDGET read a call), then one
 * BatchGetItem of their responses. Erased surveys have left the index and are not listed.
 */
async function responsesOfCustomer(
  customerId: string,
  query: { fromInstant: string; toInstant: string; limit: number; cursor?: string | undefined },
): Promise<Page<SurveyResponseRecord>> {
  const page = await queryPartitions<Record<string, unknown>>(
    [
      {
        index: 'gsi1',
        partitionKey: customerKeys.partition(customerId),
        sortKey: {
          between: [
            `${surveyKeys.customerSortPrefix}${query.fromInstant}`,
            `${surveyKeys.customerSortPrefix}${query.toInstant}~`,
          ],
        },
        filter: {
          expression: '#status = :answered',
          names: { '#status': 'status' },
          values: { ':answered': 'answered' },
        },
      },
    ],
    { limit: query.limit, cursor: query.cursor, descending: true, maxRead: RESPONSES_READ_BUDGET },
  );
  const responses = await batchGetItems(page.items.map((item) => surveyKeys.response(String(item.id))));
  const bySurvey = new Map(responses.map((item) => [String(item.surveyId), strip<SurveyResponseRecord>(item)]));
  return {
    items: page.items.flatMap((item) => bySurvey.get(String(item.id)) ?? []),
    nextCursor: page.nextCursor,
  };
}

/** At most this many index entries read per call of a customer's responses (a short page then has a cursor). */
const RESPONSES_READ_BUDGET = 1000;

export const dynamoSurveyStore: SurveyStore = {
  createInvitation,
  createInvitations,
  recordThrottledInvitation,
  getSurvey,
  markDelivered,
  getSurveyResponse,
  markSurveyOpened,
  storeResponse,
  listAlertsOfDay,
  eraseCustomerFromSurveys,
  responsesOfDays,
  commentExamples,
  responsesOfCustomer,
};
