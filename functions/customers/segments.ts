/**
 * Which segment lists a customer is on (s002/s004 win-back and interview lists): derived from their
 * activity item (shared/domain/customers.ts) for this month and their tier, and written after every
 * change of that activity (a complaint, a survey answer, a tier change). Other capabilities receive
 * `refreshSegmentsAfterChange` as a need (functions/composition.ts).
 *
 * Segments only shrink as time passes (the three-month window moves on), so a reader re-derives
 * each listed member for the current month and leaves out (and refreshes) those who dropped out.
 */
import { deriveSegment } from '../../shared/domain/customers.js';
import { localDate } from '../../shared/domain/time.js';
import { logger } from '../../shared/observability/logger.js';
import { type CustomerStore, dynamoCustomerStore } from '../../shared/store/customers.js';
import {
  dynamoSegmentStore,
  LISTED_SEGMENTS,
  type ListedSegment,
  type SegmentStore,
} from '../../shared/store/segments.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';

export interface SegmentDeps {
  segments: Pick<SegmentStore, 'readMembership' | 'replaceMembership'>;
  customers: Pick<CustomerStore, 'readCustomer'>;
  settings: SettingsStore;
}

const defaults: SegmentDeps = {
  segments: dynamoSegmentStore,
  customers: dynamoCustomerStore,
  settings: dynamoSettingsStore,
};

/** The listed segments a customer is in this month, from their activity. */
export function listedSegmentsOf(labels: readonly string[]): ListedSegment[] {
  return LISTED_SEGMENTS.filter((segment) => labels.includes(segment));
}

const NO_TIER = 'none';
const REFRESH_ATTEMPTS = 5;

/**
 * Brings a customer's member items in line with their activity and tier now. Idempotent; safe
 * to run concurrently (versioned). A customer without a profile or activity is in no segment.
 */
export async function refreshCustomerSegments(
  customerId: string,
  now: Date,
  deps: Partial<SegmentDeps> = {},
): Promise<ListedSegment[]> {
  const all = { ...defaults, ...deps };
  const { settings } = await all.settings.current();
  const month = localDate(now, settings.timezone).slice(0, 7);
  for (let attempt = 1; ; attempt += 1) {
    const [record, items] = await Promise.all([
      all.segments.readMembership(customerId),
      all.customers.readCustomer(customerId),
    ]);
    const segments = items.profile ? listedSegmentsOf(deriveSegment(items.activity, month).labels) : [];
    const tier = items.profile?.tier ?? NO_TIER;
    const before = record ?? { segments: [], tier: NO_TIER };
    if (before.tier === tier && before.segments.join() === segments.join()) return segments;
    if (await all.segments.replaceMembership(customerId, record, { segments, tier }, now)) return segments;
    if (attempt >= REFRESH_ATTEMPTS)
      throw new Error(`segments of ${customerId}: lost ${REFRESH_ATTEMPTS} races in a row`);
  }
}

/**
 * What a use case calls after a customer's activity or tier changed. The change itself is stored;
 * a failed refresh is logged and leaves the lists as they were until the customer's next change.
 */
export async function refreshSegmentsAfterChange(
  customerId: string | undefined,
  now: Date,
  deps: Partial<SegmentDeps> = {},
): Promise<void> {
  if (!customerId) return;
  try {
    await refreshCustomerSegments(customerId, now, deps);
  } catch (error) {
    logger.warn('segment lists not refreshed', { customerId, error: (error as Error).message });
  }
}
