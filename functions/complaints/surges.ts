/**
 * The surge check a registration makes (s000 专项评估; api-contract.md "Categories and causes"):
 * its category's complaints of the last 24 hours against the category's daily mean over the 28
 * days before, read from the category's hour counters in ONE Query (the registration's own count
 * was added in its transaction). At the threshold (`settings.complaints.surge`) a `surge` alert
 * opens, once per category and local day, with a draft improvement for the 72 h special assessment
 * and a notice to the complaints desk (the follow-up job sends it).
 */
import { ulid } from 'ulidx';
import { taskIds } from '../../shared/domain/message-ids.js';
import { isSurge, type SurgeFigures, surgeDays, surgeFigures, surgeOpening } from '../../shared/domain/surges.js';
import { localDate } from '../../shared/domain/time.js';
import { logger } from '../../shared/observability/logger.js';
import type { Complaint } from '../../shared/schemas/complaints.js';
import type { Settings } from '../../shared/schemas/settings.js';
import type { ImprovementRecord } from '../../shared/store/improvements.js';
import { dynamoSurgeStore, type SurgeAlertRecord, type SurgeStore } from '../../shared/store/surges.js';

/** Who the system's surge records name as their author, and the draft's owner until a manager plans it. */
export const SURGE_ACTOR = 'system:surge';
export const SURGE_DESK = 'complaints-desk';

/** The draft improvement of a surge: the special assessment of the category, due with the alert. */
function draftAssessment(
  id: string,
  complaint: Pick<Complaint, 'category'>,
  figures: SurgeFigures,
  dueDate: string,
  now: Date,
): ImprovementRecord {
  const at = now.toISOString();
  return {
    id,
    problem: `Complaint surge: ${figures.last24h} complaints of ${complaint.category} in 24 h (daily mean before: ${figures.dailyMean.toFixed(1)}) / 投诉激增`,
    measure: 'Special assessment within 72 hours (s000 专项评估): find the cause, then plan the measures and an owner.',
    department: 'complaints',
    ownerId: SURGE_DESK,
    dueDate,
    category: complaint.category,
    status: 'draft',
    createdAt: at,
    updatedAt: at,
    createdBy: SURGE_ACTOR,
    history: [{ at, actor: SURGE_ACTOR, action: 'created' }],
    version: 1,
  };
}

/**
 * Checks the category of a complaint just stored; opens its surge when the threshold is reached
 * and none is open for the category today. Returns the alert it opened, if any.
 */
export async function checkSurge(
  complaint: Pick<Complaint, 'id' | 'category'>,
  settings: Settings,
  now: Date,
  store: SurgeStore = dynamoSurgeStore,
): Promise<SurgeAlertRecord | undefined> {
  const days = surgeDays(now);
  const figures = surgeFigures(await store.hourCounts(complaint.category, days.from, days.to), now);
  if (!isSurge(figures, settings.complaints.surge)) return undefined;
  const opening = surgeOpening(now, settings.timezone);
  const improvementId = ulid(now.getTime());
  const alert: SurgeAlertRecord = {
    id: ulid(now.getTime()),
    kind: 'surge',
    status: 'open',
    day: opening.day,
    raisedAt: now.toISOString(),
    category: complaint.category,
    last24h: figures.last24h,
    dailyMean: Math.round(figures.dailyMean * 1000) / 1000,
    triggeredBy: complaint.id,
    improvementId,
    dueBy: opening.dueBy,
  };
  const draft = draftAssessment(
    improvementId,
    complaint,
    figures,
    localDate(new Date(opening.dueBy), settings.timezone),
    now,
  );
  const notice = {
    id: taskIds.surgeNotice(complaint.category, opening.day),
    kind: 'surge_notice' as const,
    category: complaint.category,
    alertId: alert.id,
    dueAt: now.toISOString(),
  };
  if (!(await store.open(alert, draft, notice, now))) return undefined;
  logger.info('complaint surge opened', {
    category: alert.category,
    alertId: alert.id,
    last24h: alert.last24h,
    dailyMean: alert.dailyMean,
  });
  return alert;
}
