/** Use cases of the customers capability: keep a profile, read it with its segment, erase it. */

import type { Actor } from '../../shared/domain/access.js';
import { customerCounts, deriveSegment } from '../../shared/domain/customers.js';
import { Invalid, NotFound } from '../../shared/domain/errors.js';
import { maskEmail, maskName, maskPhone } from '../../shared/domain/personal-data.js';
import { LEGACY_QUESTIONNAIRE } from '../../shared/domain/questionnaires.js';
import { addDays, localDate, startOfLocalDay } from '../../shared/domain/time.js';
import type { IfMatch } from '../../shared/domain/versions.js';
import { ports } from '../../shared/ports.js';
import {
  type Customer,
  type CustomerQuery,
  CustomerResponsesQuery,
  type PutCustomerBody,
  type SegmentListQuery,
} from '../../shared/schemas/customers.js';
import type { CustomerSurveyResponse, CustomerView } from '../../shared/schemas/surveys.js';
import { type ComplaintWatchStore, dynamoComplaintWatchStore } from '../../shared/store/complaint-watch.js';
import { type ComplaintStore, dynamoComplaintStore } from '../../shared/store/complaints.js';
import {
  type CustomerItems,
  type CustomerStore,
  dynamoCustomerStore,
  type ErasureRecord,
} from '../../shared/store/customers.js';
import { dynamoFollowUpStore, type FollowUpStore } from '../../shared/store/followups.js';
import { dynamoSuggestionStore, type SuggestionStore } from '../../shared/store/improvements.js';
import { dynamoInteractionStore, type InteractionStore } from '../../shared/store/interactions.js';
import { dynamoSegmentStore, type SegmentStore } from '../../shared/store/segments.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';
import { dynamoSurveyStore, type SurveyStore } from '../../shared/store/surveys.js';
import { refreshSegmentsAfterChange } from './segments.js';

export interface CustomerDeps {
  customers: CustomerStore;
  /** Where the customer's survey comments and contact copies are erased. */
  surveys: Pick<SurveyStore, 'eraseCustomerFromSurveys' | 'responsesOfCustomer'>;
  /** Where the customer's suggestions (and board suggestions left with their contact) lose their text. */
  suggestions: Pick<SuggestionStore, 'eraseCustomer'>;
  /** Where the customer's follow-up tasks (and the provider errors they store) are deleted. */
  followUps: Pick<FollowUpStore, 'eraseCustomerTasks'>;
  /** Where the customer's "who complained about what" items are erased. */
  watches: Pick<ComplaintWatchStore, 'eraseCustomerWatches'>;
  /** Where the customer's interaction summaries are removed. */
  interactions: Pick<InteractionStore, 'eraseCustomerSummaries'>;
  /** Where the free text of the customer's complaints is erased. */
  complaints: Pick<ComplaintStore, 'eraseCustomerTexts'>;
  settings: SettingsStore;
  /** Segment lists: re-derived after a tier change, left on erasure. */
  segments: {
    refresh: (customerId: string, now: Date) => Promise<void>;
    remove: SegmentStore['removeCustomer'];
    members: SegmentStore['members'];
  };
}

/** The stores only the erasure writes to (the rest of the capability reads and saves without them). */
type ErasureStores = 'suggestions' | 'followUps' | 'watches' | 'interactions' | 'complaints';

/**
 * The erasure's own stores, apart from `defaults`: only eraseCustomer names them, so a function
 * that does not erase (customersRead) bundles none of them (≈ 40 KiB, issue 26: cold import).
 */
const erasureDefaults: Pick<CustomerDeps, ErasureStores> = {
  suggestions: dynamoSuggestionStore,
  followUps: dynamoFollowUpStore,
  watches: dynamoComplaintWatchStore,
  interactions: dynamoInteractionStore,
  complaints: dynamoComplaintStore,
};

const defaults: Omit<CustomerDeps, ErasureStores> = {
  customers: dynamoCustomerStore,
  surveys: dynamoSurveyStore,
  settings: dynamoSettingsStore,
  segments: {
    refresh: (customerId, now) => refreshSegmentsAfterChange(customerId, now),
    remove: dynamoSegmentStore.removeCustomer,
    members: dynamoSegmentStore.members,
  },
};

function toCustomer(items: Required<Pick<CustomerItems, 'profile'>> & CustomerItems, month: string): Customer {
  return {
    ...items.profile,
    segment: deriveSegment(items.activity, month),
    counts: customerCounts(items.activity, month),
    ...(items.activity.latestNps ? { latestNps: items.activity.latestNps } : {}),
    ...(items.deliveryProblems ? { deliveryProblems: items.deliveryProblems } : {}),
  };
}

/** Creates or replaces a customer's profile (a PUT: fields left out are removed). */
export async function saveCustomer(
  id: string,
  body: PutCustomerBody,
  actor: Actor,
  now: Date,
  ifMatch: IfMatch = undefined,
  deps: Partial<CustomerDeps> = {},
): Promise<{ customer: Customer; created: boolean }> {
  const all = { ...defaults, ...deps };
  if (body.customerSince) {
    const { settings } = await all.settings.current();
    const today = localDate(now, settings.timezone);
    if (body.customerSince > today)
      throw Invalid.field('customerSince', `must not be after today (${today})`, 'out_of_range', { maximum: today });
  }
  const { created } = await all.customers.putCustomerProfile(id, body, now, ifMatch, actor.id);
  await all.segments.refresh(id, now);
  return { customer: await readCustomerProfile(id, now, all), created };
}

export async function readCustomerProfile(id: string, now: Date, deps: Partial<CustomerDeps> = {}): Promise<Customer> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const items = await all.customers.readCustomer(id);
  if (!items.profile) throw new NotFound(`No customer ${id}.`);
  return toCustomer({ ...items, profile: items.profile }, localDate(now, settings.timezone).slice(0, 7));
}

/**
 * A customer as GET /customers/{id} answers it. `include=responses` adds the first page of their survey
 * answers, exactly what GET /customers/{id}/responses answers without parameters (its cursor pages on
 * there), read beside the profile: the customer view in three calls instead of four.
 */
export async function readCustomerView(
  id: string,
  query: CustomerQuery,
  now: Date,
  deps: Partial<CustomerDeps> = {},
): Promise<CustomerView> {
  if (query.include !== 'responses') return readCustomerProfile(id, now, deps);
  const [customer, responses] = await Promise.all([
    readCustomerProfile(id, now, deps),
    listCustomerResponses(id, CustomerResponsesQuery.parse({}), now, deps),
  ]);
  return { ...customer, responses };
}

/**
 * One page of a segment list (win-back and interview lists), contact data masked. Members are
 * re-derived for the current month: one whose three-month window moved on is left out, and their
 * lists are brought up to date. Reads the segment's member items and one partition per member.
 */
export async function listSegment(query: SegmentListQuery, now: Date, deps: Partial<CustomerDeps> = {}) {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const month = localDate(now, settings.timezone).slice(0, 7);
  const page = await all.segments.members(query.segment, {
    tier: query.tier,
    limit: query.limit,
    cursor: query.cursor,
  });
  const members = await Promise.all(
    page.items.map(async ({ customerId }) => {
      const items = await all.customers.readCustomer(customerId);
      const customer = items.profile ? toCustomer({ ...items, profile: items.profile }, month) : undefined;
      if (!customer?.segment.labels.includes(query.segment)) {
        await all.segments.refresh(customerId, now);
        return undefined;
      }
      return {
        id: customer.id,
        ...(customer.name ? { name: maskName(customer.name) } : {}),
        ...(customer.phone ? { phone: maskPhone(customer.phone) } : {}),
        ...(customer.email ? { email: maskEmail(customer.email) } : {}),
        ...(customer.tier ? { tier: customer.tier } : {}),
        segment: customer.segment,
        counts: customer.counts,
        ...(customer.latestNps ? { latestNps: customer.latestNps } : {}),
      };
    }),
  );
  return { items: members.filter((member) => member !== undefined), nextCursor: page.nextCursor };
}

/**
 * Erases a customer's personal data everywhere it is stored: survey comments and contact
 * copies, alerts' link to the customer, interaction summaries, complaint texts and notes,
 * suggestion texts (also those left on the board with the customer's phone or email), follow-up
 * tasks with their stored provider errors, complaint-watch items, then the profile, activity,
 * throttle and contact-status items. Scores, categories and KPI counters stay: they are anonymous.
 * Every step finds its items through a customer index (never a Scan). Safe to repeat; the profile
 * goes last so an interrupted erasure is finished by a retry.
 */
export async function eraseCustomer(
  id: string,
  actor: Actor,
  now: Date,
  deps: Partial<CustomerDeps> = {},
): Promise<void> {
  const all = { ...defaults, ...erasureDefaults, ...deps };
  const { profile } = await all.customers.readCustomer(id);
  const contacts = [profile?.phone, profile?.email].filter((c): c is string => !!c);
  await all.surveys.eraseCustomerFromSurveys(id, now.toISOString());
  await all.interactions.eraseCustomerSummaries(id);
  await all.complaints.eraseCustomerTexts(id);
  await all.suggestions.eraseCustomer(id, contacts, { at: now.toISOString(), actor: actor.id });
  await all.followUps.eraseCustomerTasks(id);
  await all.watches.eraseCustomerWatches(id);
  await all.segments.remove(id);
  await all.customers.deleteCustomerItems(id);
  // Who erased the customer, and when (keyed so that it names nobody): readable by a manager.
  await all.customers.recordErasure(id, { erasedAt: now.toISOString(), erasedBy: actor.id });
}

/** Items one request erases at most (each is rewritten one at a time): more, and a job erases them. */
export const INLINE_ERASURE_MAX_ITEMS = 200;

/**
 * DELETE /customers/{id}: erases at once when the customer's items fit one request (`done`), else
 * records the run and hands it to a job (`running`; customerErasureJob finishes it, readErasure shows it).
 */
export async function requestErasure(id: string, actor: Actor, now: Date, deps: Partial<CustomerDeps> = {}) {
  const all = { ...defaults, ...deps };
  if ((await all.customers.countCustomerItems(id, INLINE_ERASURE_MAX_ITEMS)) <= INLINE_ERASURE_MAX_ITEMS) {
    await eraseCustomer(id, actor, now, all);
    return { status: 'done' as const };
  }
  const run = { status: 'running' as const, requestedAt: now.toISOString(), requestedBy: actor.id };
  await all.customers.recordErasureRun(id, run);
  await ports().jobs.start({
    kind: 'customerErasure',
    customerId: id,
    actorId: actor.id,
    requestedAt: run.requestedAt,
  });
  return { status: 'running' as const, erasedAt: null, erasedBy: actor.id };
}

/** The job: the same erasure, without a request's time limit; safe to run again (Lambda retries it). */
export async function runErasure(
  id: string,
  actorId: string,
  requestedAt: string,
  deps: Partial<CustomerDeps> = {},
): Promise<void> {
  const all = { ...defaults, ...deps };
  try {
    await eraseCustomer(id, { id: actorId } as Actor, ports().clock.now(), all);
    await all.customers.recordErasureRun(id, { status: 'done', requestedAt, requestedBy: actorId });
  } catch (error) {
    await all.customers.recordErasureRun(id, { status: 'failed', requestedAt, requestedBy: actorId });
    throw error;
  }
}

/** Who erased a customer and when, or that a job is still erasing them; 404 when the customer was never erased. */
export async function readErasure(
  id: string,
  deps: Partial<CustomerDeps> = {},
): Promise<ErasureRecord | { status: 'running' | 'failed'; erasedAt: null; erasedBy: string }> {
  const all = { ...defaults, ...deps };
  const [erasure, run] = await Promise.all([all.customers.readErasure(id), all.customers.readErasureRun(id)]);
  if (run && run.status !== 'done' && (!erasure || erasure.erasedAt < run.requestedAt))
    return { status: run.status, erasedAt: null, erasedBy: run.requestedBy };
  if (!erasure) throw new NotFound(`Customer ${id} was not erased.`);
  return erasure;
}

/** The default window of a list without `from` (the same for every list). */
const LIST_WINDOW_DAYS = 90;
const MAX_RANGE_DAYS = 400;

/**
 * A customer's survey answers, newest invitation first (paging stays in that order), over the same default window as every list (the last
 * 90 days). An unknown or erased customer has none: an empty page, not a 404.
 */
export async function listCustomerResponses(
  id: string,
  query: CustomerResponsesQuery,
  now: Date,
  deps: Partial<CustomerDeps> = {},
): Promise<{ items: CustomerSurveyResponse[]; nextCursor: string | null }> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const to = query.to ?? localDate(now, settings.timezone);
  const from = query.from ?? addDays(to, -LIST_WINDOW_DAYS);
  if (from > to) throw Invalid.field('from', 'must not be after to', 'not_ordered', { before: 'to' });
  if (addDays(from, MAX_RANGE_DAYS) < to)
    throw Invalid.field('from', `range may span at most ${MAX_RANGE_DAYS} days`, 'out_of_range', {
      maximumDays: MAX_RANGE_DAYS,
    });
  const page = await all.surveys.responsesOfCustomer(id, {
    fromInstant: startOfLocalDay(from, settings.timezone).toISOString(),
    toInstant: new Date(startOfLocalDay(addDays(to, 1), settings.timezone).getTime() - 1).toISOString(),
    limit: query.limit,
    cursor: query.cursor,
  });
  const items = page.items.map(
    (response): CustomerSurveyResponse => ({
      id: response.id,
      surveyId: response.surveyId,
      subject: response.subject,
      // An answer from before questionnaires belongs to service-transaction version 1.
      questionnaire: response.questionnaire ?? LEGACY_QUESTIONNAIRE,
      ...(response.answers ? { answers: response.answers } : {}),
      scores: response.scores,
      overall: response.overall,
      nps: response.nps,
      ...(response.comment !== undefined ? { comment: response.comment } : {}),
      valid: response.valid,
      flags: response.flags,
      categories: response.categories,
      sentiment: response.sentiment,
      submittedAt: response.submittedAt,
    }),
  );
  return { items, nextCursor: page.nextCursor };
}
