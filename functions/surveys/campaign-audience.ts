/**
 * A campaign's audience and its draw (README "Campaigns"): who the audience is, read from indexes
 * (the audience markers, the segment lists; never a Scan), why a customer of the sample is not
 * invited, the walk of the draw in chunks of WALK_CHUNK customers that the estimate and the launch
 * job share, and the estimate of a draft or a wave. Reads only: the writes are the callers'
 * (campaigns.ts stores the estimate, campaign-launch.ts invites).
 */
import { drawOrder, sampleSize } from '../../shared/domain/campaigns.js';
import { chooseChannel } from '../../shared/domain/followups.js';
import { startOfLocalDay } from '../../shared/domain/time.js';
import type { CampaignEstimate, CreateCampaignBody } from '../../shared/schemas/campaigns.js';
import type { Settings } from '../../shared/schemas/settings.js';
import type { AudienceMember, AudienceStore } from '../../shared/store/audience.js';
import { batchGetItems } from '../../shared/store/batch.js';
import type { CampaignWalk } from '../../shared/store/campaigns.js';
import type { CustomerProfile } from '../../shared/store/customers.js';
import { customerKeys, segmentKeys } from '../../shared/store/keys.js';
import { dynamoSegmentStore } from '../../shared/store/segments.js';

/** What reading an audience needs: who was active or complained in a period (the audience markers). */
export interface AudienceDeps {
  audience: AudienceStore;
}

/** Customers whose eligibility one BatchGetItem decides (a profile and a throttle window each: 100 keys). */
export const WALK_CHUNK = 50;

export interface Candidate {
  customerId: string;
  stratum: string;
  /** The profile, when the audience needed it already (tier, customer type, stratum). */
  profile?: Record<string, unknown> | undefined;
}

/**
 * The audience: customers active / complaining in the period (audience markers), or members of a
 * segment list, narrowed by team, tier and customer type; each with its stratum. `reads` counts
 * the items read. Profiles are read here only when a rule needs them (tier outside a segment list,
 * customer type, a stratum of tier or segment); otherwise the walk reads them for the sample only.
 */
export async function audienceOf(
  body: Pick<CreateCampaignBody, 'audience' | 'sample'>,
  options: { maxReads?: number | undefined },
  deps: AudienceDeps,
): Promise<{ candidates: Candidate[]; reads: number } | undefined> {
  const { audience } = body;
  const stratifyBy = body.sample?.stratifyBy;
  const { maxReads } = options;
  let reads = 0;
  let members: Map<string, AudienceMember & { tier?: string }> | undefined;
  const intersect = (next: Map<string, AudienceMember & { tier?: string }>) => {
    if (!members) members = next;
    else
      members = new Map(
        [...members]
          .filter(([id]) => next.has(id))
          .map(([id, m]) => [id, { ...m, ...next.get(id), teams: m.teams, channels: m.channels }]),
      );
  };
  const left = () => (maxReads === undefined ? undefined : maxReads - reads);
  if (audience.activeBetween) {
    const found = await deps.audience.audienceBetween(
      'active',
      audience.activeBetween.from,
      audience.activeBetween.to,
      {
        maxReads: left(),
      },
    );
    reads += found.reads;
    if (!found.complete) return undefined;
    intersect(found.members);
  }
  if (audience.complainedBetween) {
    const found = await deps.audience.audienceBetween(
      'complained',
      audience.complainedBetween.from,
      audience.complainedBetween.to,
      { maxReads: left() },
    );
    reads += found.reads;
    if (!found.complete) return undefined;
    intersect(found.members);
  }
  if (audience.segment) {
    const inSegment = new Map<string, AudienceMember & { tier?: string }>();
    let cursor: string | undefined;
    do {
      const room = left();
      if (room !== undefined && room <= 0) return undefined;
      const page = await dynamoSegmentStore.members(audience.segment, {
        tier: audience.tier,
        limit: Math.min(1000, room ?? 1000),
        cursor,
      });
      reads += page.items.length;
      for (const item of page.items)
        inSegment.set(item.customerId, {
          customerId: item.customerId,
          teams: new Set(),
          channels: new Set(),
          ...(item.tier !== 'none' ? { tier: item.tier } : {}),
        });
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    intersect(inSegment);
  }
  let list = [...(members ?? new Map()).values()];
  const team = audience.team;
  if (team) list = list.filter((m) => m.teams.has(team));
  const needsProfile =
    (audience.tier && !audience.segment) || audience.customerType || stratifyBy === 'tier' || stratifyBy === 'segment';
  const profiles = new Map<string, Record<string, unknown>>();
  const segmentsOf = new Map<string, string[]>();
  if (needsProfile) {
    const keys = list.flatMap((m) => [
      customerKeys.profile(m.customerId),
      ...(stratifyBy === 'segment' ? [segmentKeys.record(m.customerId)] : []),
    ]);
    const items = await batchGetItems(keys);
    reads += items.length;
    for (const item of items) {
      const id = String(item.pk).slice('CUSTOMER#'.length);
      if (item.sk === 'PROFILE') profiles.set(id, item);
      else segmentsOf.set(id, [...((item.segments as string[] | undefined) ?? [])].sort());
    }
    list = list.filter((m) => {
      const profile = profiles.get(m.customerId);
      if (audience.tier && !audience.segment && profile?.tier !== audience.tier) return false;
      if (audience.customerType && profile?.customerType !== audience.customerType) return false;
      return true;
    });
  }
  const stratumOf = (m: AudienceMember & { tier?: string }) => {
    switch (stratifyBy) {
      case 'tier':
        return String(profiles.get(m.customerId)?.tier ?? m.tier ?? 'none');
      case 'segment':
        return segmentsOf.get(m.customerId)?.[0] ?? 'none';
      case 'team':
        return [...m.teams].sort()[0] ?? 'none';
      case 'channel':
        return [...m.channels].sort()[0] ?? 'none';
      default:
        return 'all';
    }
  };
  return {
    candidates: list.map((m) => ({
      customerId: m.customerId,
      stratum: stratumOf(m),
      profile: profiles.get(m.customerId),
    })),
    reads,
  };
}

/** Why a customer of the sample is not invited, or null when they can be. */
export type Exclusion = 'throttled' | 'noConsent' | 'noContact' | null;

/** Why a customer is not invited when their invitation is due at `invitedAt` (the demo data set draws with it too). */
export function exclusionOf(
  profile: Record<string, unknown> | undefined,
  throttleUntil: string | undefined,
  invitedAt: Date,
  settings: Settings,
): Exclusion {
  if (!profile) return 'noContact';
  const route = chooseChannel(profile as unknown as CustomerProfile, undefined, settings.messaging.channelOrder);
  if (route.channel === null) return route.reason === 'no_consent' ? 'noConsent' : 'noContact';
  if (throttleUntil && throttleUntil > invitedAt.toISOString()) return 'throttled';
  return null;
}

/**
 * Walks the draw from `walk.through` on, a chunk of WALK_CHUNK customers at a time (one BatchGetItem
 * each), each stratum until its quota is met: `onEligible` gets the chunk's customers to invite, in
 * draw order, and says for each whether the invitation was made (null), or why not. `afterChunk`
 * records the walk; returning false stops it.
 */
export async function walkDraw(
  order: Array<Candidate & { key: string }>,
  quotas: Map<string, number>,
  walk: CampaignWalk,
  invitedAt: Date,
  settings: Settings,
  onEligible: (eligible: Array<{ customerId: string; profile: Record<string, unknown> }>) => Promise<Exclusion[]>,
  afterChunk: (walk: CampaignWalk) => Promise<boolean>,
  options: {
    chunkSize?: number | undefined;
    /** The survey that holds a customer's throttle window is this campaign's own (invited by an earlier run). */
    invitedBefore?: (customerId: string, throttleSurveyId: string | undefined) => boolean;
    /**
     * The estimate: whole chunks are examined (one BatchGetItem reads them anyway), so eligible
     * customers beyond a stratum's quota are counted (`eligibleSeen`) rather than left unread.
     */
    estimate?: boolean;
  } = {},
): Promise<CampaignWalk & { eligibleSeen: number }> {
  const chunkSize = options.chunkSize ?? WALK_CHUNK;
  let eligibleSeen = 0;
  const none = new Map<string, number>();
  let state: CampaignWalk = structuredClone(walk);
  const remaining = order.filter((c) => c.key > state.through);
  let position = 0;
  const open = (stratum: string, pending: Map<string, number>) =>
    (state.perStratum[stratum] ?? 0) + (pending.get(stratum) ?? 0) < (quotas.get(stratum) ?? 0);
  while (position < remaining.length && [...quotas].some(([s]) => open(s, new Map()))) {
    // The next customers of strata still short of their quota, as many as could fill it.
    const chunk: Array<Candidate & { key: string }> = [];
    const pending = new Map<string, number>();
    let last = position;
    for (; last < remaining.length && chunk.length < chunkSize; last += 1) {
      // Every stratum's quota could be met by the chunk: the rest waits for the next one.
      if (!options.estimate && ![...quotas].some(([s]) => open(s, pending))) break;
      const candidate = remaining[last];
      if (!candidate) break;
      if (!open(candidate.stratum, options.estimate ? none : pending)) continue;
      chunk.push(candidate);
      pending.set(candidate.stratum, (pending.get(candidate.stratum) ?? 0) + 1);
    }
    const items = await batchGetItems(
      chunk.flatMap((c) => [
        ...(c.profile ? [] : [customerKeys.profile(c.customerId)]),
        customerKeys.surveyThrottle(c.customerId),
      ]),
    );
    state.reads += items.length;
    const byKey = new Map(items.map((item) => [`${item.pk}|${item.sk}`, item]));
    const at = (key: { pk: string; sk: string }) => byKey.get(`${key.pk}|${key.sk}`);
    // Who is excluded on what was read; the rest are invited together (one batch of writes).
    const decided = new Map<string, Exclusion>();
    const toInvite: Array<{ customerId: string; profile: Record<string, unknown> }> = [];
    for (const c of chunk) {
      const profile = c.profile ?? at(customerKeys.profile(c.customerId));
      const throttle = at(customerKeys.surveyThrottle(c.customerId));
      if (options.invitedBefore?.(c.customerId, throttle?.surveyId as string | undefined))
        decided.set(c.customerId, null);
      else {
        const why = exclusionOf(profile, throttle?.until as string | undefined, invitedAt, settings);
        if (why === null && profile) toInvite.push({ customerId: c.customerId, profile });
        else decided.set(c.customerId, why ?? 'noContact');
      }
    }
    if (toInvite.length) {
      const outcomes = await onEligible(toInvite);
      for (const [i, { customerId }] of toInvite.entries()) decided.set(customerId, outcomes[i] ?? null);
    }
    for (const c of chunk) {
      const why = decided.get(c.customerId) ?? null;
      if (why === null) eligibleSeen += 1;
      if (why === null && options.estimate && !open(c.stratum, none)) continue;
      if (why === null) {
        state.invited += 1;
        state.perStratum[c.stratum] = (state.perStratum[c.stratum] ?? 0) + 1;
      } else state.excluded[why] += 1;
    }
    position = last;
    state.through = remaining[last - 1]?.key ?? state.through;
    if (!(await afterChunk(state))) return { ...state, eligibleSeen };
    state = structuredClone(state);
  }
  return { ...state, done: true, eligibleSeen };
}

export const emptyWalk = (): CampaignWalk => ({
  through: '',
  invited: 0,
  perStratum: {},
  excluded: { throttled: 0, noConsent: 0, noContact: 0 },
  reads: 0,
  done: false,
});

/** When a wave's invitations are due: the window's first local day, or now if later. */
export const invitationTime = (window: { from: string }, now: Date, settings: Settings) =>
  new Date(Math.max(startOfLocalDay(window.from, settings.timezone).getTime(), now.getTime()));

/**
 * Marker (or segment list) items `POST /campaigns` reads at most to estimate inside the request: an
 * audience found within them is estimated at once (and its 400/409 answered then); a larger one is
 * left to the estimate job (`estimate.status: pending`), so the request's cost does not grow with
 * the audience. Measured: 2,000 customers estimated in 1.6 s on a loaded DynamoDB Local (README).
 */
export const INLINE_ESTIMATE_READS = 2_000;

/**
 * The draw of a campaign and its estimate: the audience, the sample, who of those examined is
 * excluded, and the problem that stops its launch (a sample larger than the audience, or than the
 * eligible customers). Undefined when `maxReads` did not suffice to read the audience.
 */
export async function estimateFor(
  id: string,
  body: Pick<CreateCampaignBody, 'audience' | 'sample' | 'window'>,
  now: Date,
  settings: Settings,
  options: { capToAudience?: boolean; maxReads?: number },
  deps: AudienceDeps,
): Promise<{ estimate: CampaignEstimate; reads: number } | undefined> {
  const found = await audienceOf(body, { maxReads: options.maxReads }, deps);
  if (!found) return undefined;
  const { candidates, reads } = found;
  const wanted = sampleSize(body.sample, candidates.length);
  // A recurring wave keeps its campaign's sample size; a smaller audience that period is asked whole.
  const size = options.capToAudience ? Math.min(wanted, candidates.length) : wanted;
  if (size > candidates.length)
    return {
      estimate: {
        status: 'ready',
        audience: candidates.length,
        eligible: null,
        sample: size,
        examined: 0,
        excluded: { throttled: 0, noConsent: 0, noContact: 0 },
        problem: {
          code: 'sample_over_audience',
          detail: `The sample (${size}) is larger than the audience (${candidates.length} customers).`,
        },
      },
      reads,
    };
  const { order, quotas } = drawOrder(id, candidates, size);
  const walked = await walkDraw(
    order,
    quotas,
    emptyWalk(),
    invitationTime(body.window, now, settings),
    settings,
    async (eligible) => eligible.map(() => null),
    async () => true,
    { estimate: true },
  );
  const excluded = walked.excluded.throttled + walked.excluded.noConsent + walked.excluded.noContact;
  const examined = walked.eligibleSeen + excluded;
  const exhausted = walked.through === (order.at(-1)?.key ?? '');
  const eligible =
    exhausted && !body.sample?.stratifyBy
      ? walked.eligibleSeen
      : examined
        ? Math.round((candidates.length * walked.eligibleSeen) / examined)
        : candidates.length;
  const { throttled, noConsent, noContact } = walked.excluded;
  const estimate: CampaignEstimate = {
    status: 'ready',
    audience: candidates.length,
    eligible,
    sample: size,
    examined,
    excluded: walked.excluded,
    ...(walked.invited < size
      ? {
          problem: {
            code: 'sample_over_eligible' as const,
            detail: `The sample (${size}) is larger than the eligible audience: of ${candidates.length} customers, ${throttled} throttled, ${noConsent} without consent, ${noContact} without a contact.`,
          },
        }
      : {}),
  };
  return { estimate, reads: reads + walked.reads };
}
