/** Use cases of the customers capability: keep a profile, read it with its segment, erase it. */
import { customerCounts, deriveSegment } from '../../shared/domain/customers.js';
import { NotFound } from '../../shared/domain/errors.js';
import { localDate } from '../../shared/domain/time.js';
import type { IfMatch } from '../../shared/domain/versions.js';
import type { Customer, PutCustomerBody } from '../../shared/schemas/customers.js';
import { eraseComplaintTexts } from '../../shared/store/complaints.js';
import {
  type CustomerItems,
  deleteCustomerItems,
  putCustomerProfile,
  readCustomer,
} from '../../shared/store/customers.js';
import { eraseInteractionSummaries } from '../../shared/store/interactions.js';
import { customerKeys } from '../../shared/store/keys.js';
import { currentSettings } from '../../shared/store/settings-store.js';
import { eraseCustomerFromSurveys } from '../../shared/store/surveys.js';

function toCustomer(items: Required<Pick<CustomerItems, 'profile'>> & CustomerItems, month: string): Customer {
  return {
    ...items.profile,
    segment: deriveSegment(items.activity, month),
    counts: customerCounts(items.activity, month),
    ...(items.activity.latestNps ? { latestNps: items.activity.latestNps } : {}),
  };
}

/** Creates or replaces a customer's profile (a PUT: fields left out are removed). */
export async function saveCustomer(
  id: string,
  body: PutCustomerBody,
  now: Date,
  ifMatch: IfMatch = undefined,
): Promise<{ customer: Customer; created: boolean }> {
  const { created } = await putCustomerProfile(id, body, now, ifMatch);
  return { customer: await readCustomerProfile(id, now), created };
}

export async function readCustomerProfile(id: string, now: Date): Promise<Customer> {
  const { settings } = await currentSettings();
  const items = await readCustomer(id);
  if (!items.profile) throw new NotFound(`No customer ${id}.`);
  return toCustomer({ ...items, profile: items.profile }, localDate(now, settings.timezone).slice(0, 7));
}

/**
 * Erases a customer's personal data everywhere it is stored: survey comments and contact
 * copies, alerts' link to the customer, interaction summaries, complaint texts, then the profile, activity
 * and throttle items. Scores, categories and KPI counters stay: they are anonymous.
 * Safe to repeat; the profile goes last so an interrupted erasure is finished by a retry.
 */
export async function eraseCustomer(id: string, now: Date): Promise<void> {
  await eraseCustomerFromSurveys(customerKeys.partition(id), now.toISOString());
  await eraseInteractionSummaries(id);
  await eraseComplaintTexts(id);
  await deleteCustomerItems(id);
}
