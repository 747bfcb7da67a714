/**
 * The wave job (schedule `campaignWaves`, README "Recurring campaigns: the wave job"): closes the
 * windows that are over, launches the next wave of each recurring campaign, and walks every launch
 * still `launching` to its end; and restarts the estimate of drafts pending too long.
 */
import { campaignWaveId, nextWavePeriods, recurrenceMonths, shiftRange } from '../../shared/domain/campaigns.js';
import { Conflict, NotFound } from '../../shared/domain/errors.js';
import { CAMPAIGN_CHANNEL } from '../../shared/domain/metrics.js';
import type { PublishedQuestionnaire } from '../../shared/domain/questionnaires.js';
import { startOfLocalDay } from '../../shared/domain/time.js';
import { ESTIMATE_STALE_SECONDS } from '../../shared/jobs/declarations.js';
import { logger } from '../../shared/observability/logger.js';
import type { Settings } from '../../shared/schemas/settings.js';
import { type CampaignRecord, estimating } from '../../shared/store/campaigns.js';
import { emptyWalk, estimateFor } from './campaign-audience.js';
import { runCampaignLaunch } from './campaign-launch.js';
import { type CampaignDeps, campaignDefaults, runCampaignEstimate, today } from './campaigns.js';

/** What one run of the wave job did. */
export interface CampaignWavesRun {
  /** Running campaigns whose window closed: now `finished`. */
  finished: string[];
  /** Waves created (or found created by an earlier run) for recurring campaigns whose next period began. */
  waves: string[];
  /** Campaigns whose launch this run walked to its end (new waves, and launches an earlier run left unfinished). */
  launched: string[];
  /** Drafts whose estimate was pending since before ESTIMATE_STALE_SECONDS ago: estimated again by this run. */
  estimates: string[];
}

/**
 * The next wave of a recurring wave, once its period has begun (local day `day`): a campaign with the
 * same questionnaire (its current published version), sample and recurrence, its window and audience
 * dates moved by the periods passed ("active last month" stays last month), a deterministic id
 * (campaignWaveId) created conditionally, launched at once, and linked from the wave it follows.
 * A retired questionnaire ends the chain (logged by the caller through the answer). Undefined while
 * the next period has not begun.
 */
async function continueChain(
  stale: CampaignRecord,
  now: Date,
  day: string,
  settings: Settings,
  deps: CampaignDeps,
): Promise<string | undefined> {
  // The index is eventually consistent: decide on the item itself.
  const record = await deps.campaigns.get(stale.id);
  if (!record?.recurrence || record.nextWave || record.cancelledAt || record.status === 'cancelled') return undefined;
  const next = nextWavePeriods({ window: record.window, recurrence: record.recurrence }, day);
  if (!next) return undefined;
  const months = recurrenceMonths(record.recurrence) * next.periods;
  const id = campaignWaveId(record.id, next.periods, startOfLocalDay(next.window.from, settings.timezone));
  if (!(await deps.campaigns.get(id))) {
    let questionnaire: PublishedQuestionnaire;
    try {
      questionnaire = await deps.questionnaireToAsk(record.questionnaire.id);
    } catch (error) {
      if (error instanceof Conflict || error instanceof NotFound) return undefined; // retired: no more waves
      throw error;
    }
    const audience = {
      ...record.audience,
      ...(record.audience.activeBetween ? { activeBetween: shiftRange(record.audience.activeBetween, months) } : {}),
      ...(record.audience.complainedBetween
        ? { complainedBetween: shiftRange(record.audience.complainedBetween, months) }
        : {}),
    };
    const body = { audience, sample: record.sample, window: next.window };
    const drawn = await estimateFor(id, body, now, settings, { capToAudience: true }, deps);
    if (!drawn) throw new Error(`The audience of wave ${id} was not read whole`);
    const { estimate, reads } = drawn;
    const wave: CampaignRecord = {
      id,
      name: record.name,
      questionnaire: { id: questionnaire.id, version: questionnaire.version },
      audience,
      ...(record.sample ? { sample: record.sample } : {}),
      window: next.window,
      recurrence: record.recurrence,
      status: 'launching',
      estimate,
      cell: { day: next.window.from, channel: CAMPAIGN_CHANNEL, team: id },
      estimateReads: reads,
      createdAt: now.toISOString(),
      createdBy: record.createdBy,
      launchedAt: now.toISOString(),
      launchedBy: record.launchedBy ?? record.createdBy,
      walk: emptyWalk(),
      previousWave: record.id,
      wave: (record.wave ?? 1) + next.periods,
      version: 1,
    };
    // false: another run created it first; its launch goes on below all the same.
    await deps.campaigns.create(wave);
  }
  try {
    await deps.campaigns.replace(record, { ...record, nextWave: id, version: record.version + 1 });
  } catch (error) {
    if (!(error instanceof Conflict)) throw error; // changed meanwhile (linked by another run): the next run sees it
  }
  return id;
}

/**
 * The wave job (schedule `campaignWaves`): closes running campaigns whose window is over
 * (`finished`), launches the next wave of each recurring campaign whose next period has begun, and
 * walks every launch still `launching` to its end (new waves, and a launch job that died), then
 * restarts the estimate of drafts pending too long (restartStaleEstimates). Every step is a
 * conditional write on a deterministic id or a version, so two runs, at once or one after the
 * other, create and invite each wave once. Reads only indexes: the `running` and `launching`
 * status partitions, the sparse partition of recurring waves and that of pending drafts.
 */
export async function runCampaignWaves(now: Date, deps: Partial<CampaignDeps> = {}): Promise<CampaignWavesRun> {
  const all = { ...campaignDefaults, ...deps };
  const { settings } = await all.settings.current();
  const day = today(now, settings);
  const run: CampaignWavesRun = { finished: [], waves: [], launched: [], estimates: [] };
  const each = async (status: CampaignRecord['status'], act: (record: CampaignRecord) => Promise<void>) => {
    let cursor: string | undefined;
    do {
      const page = await all.campaigns.list({ status, limit: 100, cursor });
      for (const record of page.items) await act(record);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  };
  await each('running', async (listed) => {
    const record = await all.campaigns.get(listed.id);
    if (record?.status !== 'running' || record.window.to >= day) return;
    try {
      await all.campaigns.replace(record, { ...record, status: 'finished', version: record.version + 1 });
      run.finished.push(record.id);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error; // cancelled meanwhile
    }
  });
  const launch = async (id: string) => {
    if (run.launched.includes(id)) return;
    const record = await all.campaigns.get(id);
    if (record?.status !== 'launching') return;
    const walked = await runCampaignLaunch(id, now, undefined, all);
    if (walked?.done) run.launched.push(id);
  };
  for (const wave of await all.campaigns.recurring()) {
    const id = await continueChain(wave, now, day, settings, all);
    if (!id) continue;
    run.waves.push(id);
    await launch(id);
  }
  await each('launching', (record) => launch(record.id));
  run.estimates = await restartStaleEstimates(now, day, all);
  return run;
}

/**
 * Estimates again each draft pending since its estimate job was started more than
 * ESTIMATE_STALE_SECONDS ago (a job that never started or died), read from the sparse partition of
 * pending drafts (only the stale ones). Each restart first moves the draft's `estimateStartedAt` on
 * with a conditional write on its version: of two runs at once one restarts it, and the next run
 * leaves it for another stale time. The estimate runs here, as the launches above do (this
 * scheduled function has a job's time; it cannot start another function's job). A draft whose
 * window has passed cannot be launched: left as it is. One draft's failure does not stop the others;
 * the run fails at the end, naming them.
 */
async function restartStaleEstimates(now: Date, day: string, deps: CampaignDeps): Promise<string[]> {
  const staleBefore = new Date(now.getTime() - ESTIMATE_STALE_SECONDS * 1000).toISOString();
  const restarted: string[] = [];
  const failed: string[] = [];
  for (const listed of await deps.campaigns.estimatesStartedBefore(staleBefore)) {
    // The index is eventually consistent: decide on the item itself.
    const record = await deps.campaigns.get(listed.id);
    if (!record || !estimating(record) || record.window.to < day) continue;
    if ((record.estimateStartedAt ?? record.createdAt) >= staleBefore) continue;
    try {
      await deps.campaigns.replace(record, {
        ...record,
        estimateStartedAt: now.toISOString(),
        version: record.version + 1,
      });
    } catch (error) {
      if (!(error instanceof Conflict)) throw error; // restarted, estimated or cancelled meanwhile
      continue;
    }
    restarted.push(record.id);
    try {
      await runCampaignEstimate(record.id, now, deps);
    } catch (error) {
      logger.error('campaign estimate restart failed', { campaignId: record.id, error: error as Error });
      failed.push(record.id);
    }
  }
  if (failed.length) throw new Error(`The estimate of campaigns ${failed.join(', ')} failed again`);
  return restarted;
}
