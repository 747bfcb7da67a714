/**
 * Campaigns (contract "Campaigns (v1.2)"): one questionnaire asked of a sampled audience within a
 * window. This module holds what every part shares (the deps, the view of a campaign and its
 * progress) and the draft: create it with its estimate (inline, or the estimate job), read and
 * list campaigns, the report's campaign list. The audience and the draw are campaign-audience.ts;
 * the launch, its job and the cancel campaign-launch.ts; the recurring waves campaign-waves.ts;
 * the results campaign-results.ts.
 */
import { ulid } from 'ulidx';
import type { Actor } from '../../shared/domain/access.js';
import type { Counters } from '../../shared/domain/aggregates.js';
import { marginOfError } from '../../shared/domain/campaigns.js';
import { Conflict, Invalid, NotFound } from '../../shared/domain/errors.js';
import { CAMPAIGN_CHANNEL } from '../../shared/domain/metrics.js';
import type { PublishedQuestionnaire } from '../../shared/domain/questionnaires.js';
import type { CampaignSummary } from '../../shared/domain/report/model.js';
import { localDate } from '../../shared/domain/time.js';
import { ports } from '../../shared/ports.js';
import type { Campaign, CampaignEstimate, CreateCampaignBody } from '../../shared/schemas/campaigns.js';
import type { Settings } from '../../shared/schemas/settings.js';
import { type CounterReader, dynamoCounterReader } from '../../shared/store/aggregates.js';
import { type AudienceStore, dynamoAudienceStore } from '../../shared/store/audience.js';
import { type CampaignRecord, type CampaignStore, dynamoCampaignStore } from '../../shared/store/campaigns.js';
import { type ClientRequest, claimItems } from '../../shared/store/requests.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';
import { dynamoSurveyStore, type SurveyStore } from '../../shared/store/surveys.js';
import { estimateFor, INLINE_ESTIMATE_READS } from './campaign-audience.js';
import { questionnaireToAsk, questionnaireVersion } from './questionnaires.js';

export interface CampaignDeps {
  campaigns: CampaignStore;
  /** Who was active or complained in a period (the audience markers). */
  audience: AudienceStore;
  surveys: Pick<SurveyStore, 'createInvitations'>;
  settings: SettingsStore;
  questionnaireToAsk: (id: string) => Promise<PublishedQuestionnaire>;
  questionnaireVersion: (id: string, version: number) => Promise<PublishedQuestionnaire>;
  /** A campaign's own counter cell (channel `campaign`, team = its id): its progress and results. */
  counters: Pick<CounterReader, 'readCounters'>;
}

export const campaignDefaults: CampaignDeps = {
  campaigns: dynamoCampaignStore,
  audience: dynamoAudienceStore,
  surveys: dynamoSurveyStore,
  settings: dynamoSettingsStore,
  questionnaireToAsk,
  questionnaireVersion,
  counters: dynamoCounterReader,
};

/** The estimate of a draft whose audience is left to the estimate job. */
const pendingEstimate = (): CampaignEstimate => ({
  status: 'pending',
  audience: null,
  eligible: null,
  sample: null,
  examined: 0,
  excluded: null,
});

export const today = (now: Date, settings: Settings) => localDate(now, settings.timezone);

/**
 * POST /campaigns: a draft with its estimate. An audience read within INLINE_ESTIMATE_READS items is
 * estimated here: 400 a sample larger than the audience, 409 fewer eligible customers than the
 * sample. A larger one answers at once with `estimate.status: pending` and the estimate job fills it
 * (its problems then stop the launch, 409). Always: 400 a window already over; 409 a questionnaire
 * not published.
 */
export async function createCampaign(
  body: CreateCampaignBody,
  actor: Actor,
  now: Date,
  request?: ClientRequest,
  deps: Partial<CampaignDeps> = {},
): Promise<Campaign> {
  const all = { ...campaignDefaults, ...deps };
  const { settings } = await all.settings.current();
  if (body.window.to < today(now, settings))
    throw Invalid.field('window.to', 'has passed: a campaign asks within a window still to come', 'out_of_range', {
      minimum: today(now, settings),
    });
  const questionnaire = await all.questionnaireToAsk(body.questionnaireId);
  const id = ulid(now.getTime());
  const drawn = await estimateFor(id, body, now, settings, { maxReads: INLINE_ESTIMATE_READS }, all);
  const problem = drawn?.estimate.problem;
  if (problem?.code === 'sample_over_audience')
    throw Invalid.field(
      'sample.size',
      `is larger than the audience (${drawn?.estimate.audience} customers)`,
      'out_of_range',
      { maximum: drawn?.estimate.audience ?? 0 },
    );
  if (problem) throw new Conflict(problem.detail);
  const record: CampaignRecord = {
    id,
    name: body.name,
    questionnaire: { id: questionnaire.id, version: questionnaire.version },
    audience: body.audience,
    ...(body.sample ? { sample: body.sample } : {}),
    window: body.window,
    ...(body.recurrence ? { recurrence: body.recurrence } : {}),
    status: 'draft',
    estimate: drawn?.estimate ?? pendingEstimate(),
    cell: { day: body.window.from, channel: CAMPAIGN_CHANNEL, team: id },
    estimateReads: drawn?.reads ?? 0,
    createdAt: now.toISOString(),
    createdBy: actor.id,
    version: 1,
  };
  // With a key, the request's claim is written with the draft (shared/store/requests.ts).
  await all.campaigns.create(record, claimItems(request, id, now));
  if (!drawn) await ports().jobs.start({ kind: 'campaignEstimate', campaignId: id });
  return view(record, emptyCounters);
}

/**
 * The estimate job: reads the whole audience of a draft whose estimate is pending, draws the sample
 * and stores the estimate (`ready`, with the problem that stops its launch, if any). Safe to run
 * again or twice at once: the conditional write on the campaign's version keeps one; a draft
 * launched, cancelled or estimated meanwhile is left as it is.
 */
export async function runCampaignEstimate(
  id: string,
  now: Date,
  deps: Partial<CampaignDeps> = {},
): Promise<CampaignEstimate | undefined> {
  const all = { ...campaignDefaults, ...deps };
  const record = await all.campaigns.get(id);
  if (record?.status !== 'draft' || record.estimate.status !== 'pending') return record?.estimate;
  const { settings } = await all.settings.current();
  const drawn = await estimateFor(id, record, now, settings, {}, all);
  if (!drawn) throw new Error(`The audience of campaign ${id} was not read whole`);
  const estimate: CampaignEstimate = { ...drawn.estimate, readyAt: now.toISOString() };
  try {
    await all.campaigns.replace(record, {
      ...record,
      estimate,
      estimateReads: drawn.reads,
      version: record.version + 1,
    });
  } catch (error) {
    if (!(error instanceof Conflict)) throw error; // cancelled, or another run stored it first
    return (await all.campaigns.get(id))?.estimate;
  }
  return estimate;
}

export const emptyCounters: Counters = {};

export async function countersOf(record: CampaignRecord, deps: Pick<CampaignDeps, 'counters'>): Promise<Counters> {
  const rows = await deps.counters.readCounters(record.cell.day, record.cell.day, {
    channel: CAMPAIGN_CHANNEL,
    team: record.id,
  });
  const total: Counters = {};
  for (const row of rows)
    for (const [name, value] of Object.entries(row.counters)) total[name] = (total[name] ?? 0) + value;
  return total;
}

export function progressOf(record: CampaignRecord, c: Counters) {
  const invited = c.invitations ?? 0;
  const answered = c.responses ?? 0;
  const valid = c.valid_responses ?? 0;
  return {
    invited,
    delivered: c.delivered ?? 0,
    answered,
    valid,
    responseRate: invited ? Math.round((answered / invited) * 10_000) / 10_000 : null,
    marginOfError: marginOfError(valid, record.estimate.audience ?? 0),
  };
}

export function view(record: CampaignRecord, counters: Counters): Campaign {
  return {
    id: record.id,
    name: record.name,
    questionnaire: record.questionnaire,
    audience: record.audience,
    ...(record.sample ? { sample: record.sample } : {}),
    window: record.window,
    ...(record.recurrence ? { recurrence: record.recurrence } : {}),
    status: record.status,
    estimate: record.estimate,
    progress: progressOf(record, counters),
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    ...(record.launchedAt ? { launchedAt: record.launchedAt } : {}),
    ...(record.cancelledAt ? { cancelledAt: record.cancelledAt } : {}),
    ...(record.previousWave ? { previousWave: record.previousWave } : {}),
    ...(record.nextWave ? { nextWave: record.nextWave } : {}),
    ...(record.recurrence ? { wave: record.wave ?? 1 } : {}),
  };
}

export async function found(id: string, deps: CampaignDeps): Promise<CampaignRecord> {
  const record = await deps.campaigns.get(id);
  if (!record) throw new NotFound(`No campaign ${id}.`);
  return record;
}

export async function readCampaign(id: string, deps: Partial<CampaignDeps> = {}): Promise<Campaign> {
  const all = { ...campaignDefaults, ...deps };
  const record = await found(id, all);
  return view(record, await countersOf(record, all));
}

export async function listCampaigns(
  query: { status?: CampaignRecord['status'] | undefined; limit: number; cursor?: string | undefined },
  deps: Partial<CampaignDeps> = {},
): Promise<{ items: Campaign[]; nextCursor: string | null }> {
  const all = { ...campaignDefaults, ...deps };
  const page = await all.campaigns.list(query);
  const items = await Promise.all(page.items.map(async (record) => view(record, await countersOf(record, all))));
  return { items, nextCursor: page.nextCursor };
}

/**
 * What the report's campaign list reads: its own defaults, so the report functions bundle none of
 * the audience, survey and questionnaire stores the estimate and the launch need.
 */
type ReportCampaignDeps = Pick<CampaignDeps, 'campaigns' | 'counters'>;
const reportDefaults: ReportCampaignDeps = { campaigns: dynamoCampaignStore, counters: dynamoCounterReader };

/** How many campaigns a report reads at most (newest first): years of monthly and quarterly waves. */
const REPORT_CAMPAIGNS_READ = 500;

/**
 * The campaigns a report of `period` lists: launched (drafts left out), window overlapping the
 * period, each with its progress (response rate, margin of error); oldest window first.
 */
export async function campaignsForReport(
  period: { from: string; to: string },
  deps: Partial<ReportCampaignDeps> = {},
): Promise<CampaignSummary[]> {
  const all = { ...reportDefaults, ...deps };
  const found: CampaignRecord[] = [];
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await all.campaigns.list({ limit: 100, cursor });
    read += page.items.length;
    found.push(
      ...page.items.filter((c) => c.status !== 'draft' && c.window.from <= period.to && c.window.to >= period.from),
    );
    cursor = page.nextCursor ?? undefined;
  } while (cursor && read < REPORT_CAMPAIGNS_READ);
  const rows = await Promise.all(
    found.map(async (record) => {
      const progress = progressOf(record, await countersOf(record, all));
      return {
        id: record.id,
        name: record.name,
        questionnaire: record.questionnaire,
        window: record.window,
        status: record.status,
        audience: record.estimate.audience ?? 0,
        invited: progress.invited,
        answered: progress.answered,
        valid: progress.valid,
        responseRate: progress.responseRate,
        marginOfError: progress.marginOfError,
      };
    }),
  );
  return rows.sort((a, b) => a.window.from.localeCompare(b.window.from) || a.id.localeCompare(b.id));
}

/** Whether a campaign's survey may still be sent (its campaign not cancelled): the follow-up job asks before each message. */
export async function campaignStillSending(campaignId: string, deps: Partial<CampaignDeps> = {}): Promise<boolean> {
  const all = { ...campaignDefaults, ...deps };
  const record = await all.campaigns.get(campaignId);
  return !!record && record.status !== 'cancelled';
}
