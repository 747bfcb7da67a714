/**
 * A campaign's results (`GET /campaigns/{id}/results`): read from its own counter cell (channel
 * `campaign`, team = its id), pre-aggregated, so the cost is flat in the number of answers.
 */
import { CAMPAIGN_CHANNEL, computeMetrics } from '../../shared/domain/metrics.js';
import { questionDistribution } from '../../shared/domain/questionnaire-counters.js';
import { builtInVersion } from '../../shared/domain/questionnaires.js';
import type { CampaignResults } from '../../shared/schemas/campaigns.js';
import { type CampaignDeps, campaignDefaults, found, progressOf } from './campaigns.js';

/** GET /campaigns/{id}/results: the satisfaction figures of its answers, per question its distribution, per dimension its CSI. */
export async function campaignResults(id: string, deps: Partial<CampaignDeps> = {}): Promise<CampaignResults> {
  const all = { ...campaignDefaults, ...deps };
  const record = await found(id, all);
  const { settings } = await all.settings.current();
  const rows = await all.counters.readCounters(record.cell.day, record.cell.day, {
    channel: CAMPAIGN_CHANNEL,
    team: record.id,
  });
  const metrics = computeMetrics(
    rows,
    { from: record.cell.day, to: record.cell.day, timezone: settings.timezone },
    settings,
  );
  const questionnaire =
    builtInVersion(record.questionnaire.id, record.questionnaire.version) ??
    (await all.questionnaireVersion(record.questionnaire.id, record.questionnaire.version));
  const s = metrics.satisfaction;
  return {
    campaignId: id,
    questionnaire: record.questionnaire,
    progress: progressOf(record, metrics.counters),
    satisfaction: {
      responses: s.responses,
      validResponses: s.validResponses,
      csat: s.csat,
      satisfiedShare: s.satisfiedShare,
      csi: s.csi,
    },
    nps: metrics.nps,
    questions: questionDistribution(metrics.counters, questionnaire),
    dimensions: Object.fromEntries(
      Object.entries(s.dimensions).filter(
        (entry): entry is [string, NonNullable<(typeof entry)[1]>] => !!entry[1] && entry[1].n > 0,
      ),
    ),
    subIndicators: s.subIndicators,
  };
}
