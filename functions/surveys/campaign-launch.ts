/**
 * A campaign's launch (README "Campaigns", "The launch job"): `POST …/launch` hands the draft to the
 * launch job, which walks the draw in chunks, creating each invitation through the survey path
 * (`newInvitation` + the store's exactly-once transaction) with a deterministic survey id, and
 * records how far it walked in the campaign item after every chunk, so a retried or resumed run
 * invites nobody twice. The follow-up job sends the invitations and their reminders (throttle,
 * consent, quiet hours, exactly-once messages), as for every survey. And the cancel that stops it.
 */
import type { Actor } from '../../shared/domain/access.js';
import { campaignSurveyId, drawOrder } from '../../shared/domain/campaigns.js';
import { activityDelta } from '../../shared/domain/customers.js';
import { Conflict } from '../../shared/domain/errors.js';
import { taskIds } from '../../shared/domain/message-ids.js';
import { CAMPAIGN_CHANNEL } from '../../shared/domain/metrics.js';
import { builtInVersion } from '../../shared/domain/questionnaires.js';
import { addDays, startOfLocalDay } from '../../shared/domain/time.js';
import { ports } from '../../shared/ports.js';
import type { Campaign } from '../../shared/schemas/campaigns.js';
import type { CampaignRecord, CampaignWalk } from '../../shared/store/campaigns.js';
import { type CustomerProfile, customerActivityUpdate } from '../../shared/store/customers.js';
import { scheduleTaskItem } from '../../shared/store/followups.js';
import { type ClientRequest, claimItems, claimOnly } from '../../shared/store/requests.js';
import type { NewInvitation } from '../../shared/store/surveys.js';
import { audienceOf, type Exclusion, emptyWalk, invitationTime, walkDraw } from './campaign-audience.js';
import { type CampaignDeps, campaignDefaults, countersOf, found, today, view } from './campaigns.js';
import { newInvitation } from './service.js';

/**
 * POST /campaigns/{id}/launch: hands the draft to the launch job (`launching`). Launching again is
 * safe: a campaign already launched answers as it stands and starts nothing. 409 when the window
 * has passed, the campaign was cancelled, or its questionnaire was retired since. With `request`
 * (a keyed POST) its claim is written with the launch, or alone when it was launched already.
 */
export async function launchCampaign(
  id: string,
  actor: Actor,
  now: Date,
  request?: ClientRequest,
  deps: Partial<CampaignDeps> = {},
): Promise<Campaign> {
  const all = { ...campaignDefaults, ...deps };
  const record = await found(id, all);
  if (record.status === 'launching' || record.status === 'running' || record.status === 'finished') {
    await claimOnly(request, id, now);
    return view(record, await countersOf(record, all));
  }
  if (record.status === 'cancelled') throw new Conflict(`Campaign ${id} was cancelled.`);
  const { settings } = await all.settings.current();
  if (record.window.to < today(now, settings))
    throw new Conflict(`The window of campaign ${id} ended on ${record.window.to}; create a new campaign.`);
  if (record.estimate.status === 'pending') {
    // A job that died leaves it pending: asking again starts it again (a second run changes nothing).
    await ports().jobs.start({ kind: 'campaignEstimate', campaignId: id });
    throw new Conflict(
      `The estimate of campaign ${id} is still being computed (estimate.status pending); launch it once GET /campaigns/${id} shows it ready.`,
    );
  }
  if (record.estimate.problem) throw new Conflict(record.estimate.problem.detail);
  // A questionnaire retired since the draft is not sent any more (409 from questionnaireToAsk).
  await all.questionnaireToAsk(record.questionnaire.id);
  const next: CampaignRecord = {
    ...record,
    status: 'launching',
    launchedAt: now.toISOString(),
    launchedBy: actor.id,
    walk: emptyWalk(),
    version: record.version + 1,
  };
  await all.campaigns.replace(record, next, claimItems(request, id, now));
  await ports().jobs.start({ kind: 'campaignLaunch', campaignId: id });
  return view(next, await countersOf(next, all));
}

/**
 * The launch job: walks the draw from where the last run stopped, inviting each eligible customer
 * of the sample once (the survey id is derived from the campaign and the customer: a retried
 * invitation finds its survey and counts it, never a second one), and records the walk after each
 * chunk. Stops when the campaign is cancelled meanwhile. Safe to run again.
 */
export async function runCampaignLaunch(
  id: string,
  now: Date,
  options: { maxChunks?: number; chunkSize?: number } = {},
  deps: Partial<CampaignDeps> = {},
): Promise<CampaignWalk | undefined> {
  const all = { ...campaignDefaults, ...deps };
  let record = await all.campaigns.get(id);
  if (record?.status !== 'launching' || !record.walk || !record.launchedAt) return record?.walk;
  const { settings } = await all.settings.current();
  const launchedAt = new Date(record.launchedAt);
  const questionnaire =
    builtInVersion(record.questionnaire.id, record.questionnaire.version) ??
    (await all.questionnaireVersion(record.questionnaire.id, record.questionnaire.version));
  const found = await audienceOf(record, {}, all);
  if (!found) throw new Error(`The audience of campaign ${id} was not read whole`);
  const { candidates, reads } = found;
  const size = record.estimate.sample ?? 0;
  const { order, quotas } = drawOrder(id, candidates, size);
  const dueAt = invitationTime(record.window, launchedAt, settings);
  // The links work until the end of the window's last day.
  const expiresAt = startOfLocalDay(addDays(record.window.to, 1), settings.timezone);
  const campaign = record;
  let chunks = 0;
  // The chunk's invitations in a few transactions (createInvitations): each keeps its own conditions, so an
  // invitation an earlier run made is found (`exists`, counted as invited) and never made twice.
  const invite = async (eligible: Array<{ customerId: string; profile: Record<string, unknown> }>) => {
    const invitations: NewInvitation[] = eligible.map(({ customerId, profile }) => {
      const surveyId = campaignSurveyId(launchedAt, id, customerId);
      const invitation = newInvitation({
        subject: {
          type: 'campaign',
          id: surveyId,
          customerId,
          serviceDay: campaign.cell.day,
          channel: CAMPAIGN_CHANNEL,
          team: id,
          people: [],
        },
        profile: profile as unknown as CustomerProfile,
        actor: { id: campaign.launchedBy ?? 'system' },
        settings,
        now: launchedAt,
        automatic: true,
        questionnaire: { id: questionnaire.id, version: questionnaire.version },
        campaignId: id,
        id: surveyId,
        expiresAt,
      });
      return {
        ...invitation,
        now: now.toISOString(),
        activity: activityDelta('surveys', today(launchedAt, settings).slice(0, 7)),
        customerActivity: (customer, delta) => customerActivityUpdate(customer, delta),
        alsoWrite: [
          scheduleTaskItem(
            {
              id: taskIds.surveyInvitation({ type: 'survey', id: surveyId }),
              kind: 'survey_invitation',
              surveyId,
              customerId,
              dueAt: dueAt.toISOString(),
            },
            now,
          ),
        ],
      };
    });
    const outcomes = await all.surveys.createInvitations(invitations);
    return outcomes.map((outcome): Exclusion => (outcome === 'throttled' ? 'throttled' : null));
  };
  const { eligibleSeen: _, ...walked } = await walkDraw(
    order,
    quotas,
    { ...record.walk, reads: record.walk.reads + reads },
    dueAt,
    settings,
    invite,
    async (walk) => {
      const current = record;
      if (!current) return false;
      const next: CampaignRecord = { ...current, walk, version: current.version + 1 };
      try {
        await all.campaigns.replace(current, next);
      } catch (error) {
        if (!(error instanceof Conflict)) throw error;
        record = await all.campaigns.get(id);
        return false; // cancelled (or another run took over): stop here
      }
      record = next;
      chunks += 1;
      return options.maxChunks === undefined || chunks < options.maxChunks;
    },
    {
      chunkSize: options.chunkSize,
      invitedBefore: (customerId, throttleSurveyId) =>
        throttleSurveyId === campaignSurveyId(launchedAt, id, customerId),
    },
  );
  if (!walked.done || record?.status !== 'launching') return walked;
  const finished: CampaignRecord = { ...record, status: 'running', walk: walked, version: record.version + 1 };
  await all.campaigns.replace(record, finished);
  return walked;
}

/**
 * POST /campaigns/{id}/cancel: nothing more is sent (the job stops; pending invitations and reminders
 * are skipped) and a recurring campaign launches no further wave. A recurring wave that has finished
 * can still be cancelled to stop the waves to come: it stays `finished` and gains `cancelledAt`.
 * With `request` (a keyed POST) its claim is written with the cancel, or alone when it was cancelled already.
 */
export async function cancelCampaign(
  id: string,
  now: Date,
  request?: ClientRequest,
  deps: Partial<CampaignDeps> = {},
): Promise<Campaign> {
  const all = { ...campaignDefaults, ...deps };
  for (;;) {
    const record = await found(id, all);
    if (record.status === 'cancelled' || (record.status === 'finished' && record.cancelledAt)) {
      await claimOnly(request, id, now);
      return view(record, await countersOf(record, all));
    }
    // A finished wave of a recurring campaign still has its future waves to stop: it stays finished, with cancelledAt.
    if (record.status === 'finished' && !(record.recurrence && !record.nextWave))
      throw new Conflict(`Campaign ${id} has finished; there is nothing left to stop.`);
    const next: CampaignRecord = {
      ...record,
      ...(record.status === 'finished' ? {} : { status: 'cancelled' as const }),
      cancelledAt: now.toISOString(),
      version: record.version + 1,
    };
    try {
      await all.campaigns.replace(record, next, claimItems(request, id, now));
      return view(next, await countersOf(next, all));
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
    }
  }
}
