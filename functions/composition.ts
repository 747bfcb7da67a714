/**
 * The composition root: the one file that knows which capability provides what another one needs.
 * Capabilities never import each other (`npm run lint` checks it, .dependency-cruiser.cjs); a use
 * case that needs another capability names the need in its deps, and the handlers, the local
 * runtime and the tests pass it these.
 */
import { type ComplaintNeeds, resumeAfterContact } from './complaints/service.js';
import { refreshSegmentsAfterChange } from './customers/segments.js';
import type { EscalationNeeds } from './escalation/service.js';
import { type GivenFollowUpDeps, performTasksNow } from './followups/service.js';
import { improvementsForReport } from './improvements/service.js';
import type { InteractionNeeds } from './interactions/service.js';
import type { GivenReportDeps } from './reports/service.js';
import { checkGoalsAtRisk, goalsForReport } from './settings/goals.js';
import { campaignStillSending, campaignsForReport } from './surveys/campaigns.js';
import { inviteToSurvey, type SurveyNeeds, surveyUrl } from './surveys/service.js';

/** A registered complaint puts its customer on (or off) the segment lists (customers). */
export const complaintNeeds: ComplaintNeeds = {
  segments: (customerId, now) => refreshSegmentsAfterChange(customerId, now),
};

/** A survey answer puts its customer on (or off) the segment lists (customers). */
export const surveyNeeds: SurveyNeeds = { segments: (customerId, now) => refreshSegmentsAfterChange(customerId, now) };

/** A recorded contact resumes the customer's complaints that await them (complaints). */
export const interactionNeeds: InteractionNeeds = { customerContact: resumeAfterContact };

/** The report lists the improvement actions (improvements), the goals (settings) and the campaigns (surveys). */
export const reportNeeds: GivenReportDeps = {
  improvements: improvementsForReport,
  goals: (period, asOf) => goalsForReport(period, asOf),
  campaigns: (period) => campaignsForReport(period),
};

/** The follow-up job creates the survey of an invitation and links to it (surveys). */
export const followUpNeeds: GivenFollowUpDeps = {
  createSurvey: async (subject, actor, now) =>
    (await inviteToSurvey({ subject }, actor, now, { deliver: false, automatic: true })).id,
  surveyUrl,
  campaignSending: (campaignId) => campaignStillSending(campaignId),
};

/** The escalation workflow sends a complaint's registration notices as it starts, through the follow-up tasks (followups). */
export const escalationNeeds: EscalationNeeds = {
  sendNotices: (taskIds, now) => performTasksNow(taskIds, now, followUpNeeds),
};

/**
 * The morning job's goal check: the goals that turned at_risk (settings) get their notice task, sent
 * at once through the follow-up tasks (followups; the 15-minute job sends any this run could not).
 */
export async function tellGoalOwnersAtRisk(now: Date) {
  const summary = await checkGoalsAtRisk(now);
  return { ...summary, outcomes: await performTasksNow(summary.notices, now, followUpNeeds) };
}
