import { CareLoopError } from '../../shared/domain/errors.js';
import { followUpMessage, REMINDER_DELAYS_DAYS } from '../../shared/domain/followups.js';
import { taskIds } from '../../shared/domain/message-ids.js';
import { signSurveyToken } from '../../shared/domain/survey-token.js';
import { DAY } from '../../shared/domain/time.js';
import { ports } from '../../shared/ports.js';
import type { SurveyRecord } from '../../shared/store/surveys.js';
import { type FollowUpDeps, type Job, type Performed, reach, routed, SYSTEM, sendToCustomer } from './performing.js';

export async function surveyLink(survey: SurveyRecord, deps: FollowUpDeps): Promise<string> {
  return deps.surveyUrl(
    signSurveyToken({ surveyId: survey.id, expiresAt: new Date(survey.linkExpiresAt) }, await ports().signingKeys()),
  );
}

/** The survey an invitation task sends: the one it created on an earlier attempt, or a new one. */
export async function invitationSurvey({ task, now, deps }: Job): Promise<SurveyRecord | Performed> {
  const earlier = task.surveyId ? await deps.surveys.getSurvey(task.surveyId) : undefined;
  if (earlier) return earlier;
  if (!task.subject) return { outcome: 'skipped', reason: 'no_subject' };
  let surveyId: string;
  try {
    surveyId = await deps.createSurvey(task.subject, SYSTEM, now);
  } catch (error) {
    // Already surveyed (409), throttled (429), subject gone (404): nothing to send, and that is fine.
    if (error instanceof CareLoopError) return { outcome: 'skipped', reason: `${error.slug}: ${error.message}` };
    throw error;
  }
  await deps.tasks.rememberTaskSurvey(task.id, surveyId);
  return (await deps.surveys.getSurvey(surveyId)) ?? { outcome: 'skipped', reason: 'survey_not_found' };
}

/** The invitation after a resolved contact or a closed complaint, and its reminders. */
export async function sendSurveyInvitation(job: Job): Promise<Performed> {
  const { task, now, deps } = job;
  const survey = await invitationSurvey(job);
  if (!('id' in survey)) return survey;
  if (survey.answeredAt) return { outcome: 'skipped', reason: 'answered' };
  if (survey.campaignId && !(await deps.campaignSending(survey.campaignId)))
    return { outcome: 'skipped', reason: 'campaign_cancelled', changes: { surveyId: survey.id } };
  if (survey.channel === 'link' || !survey.contact)
    return { outcome: 'skipped', reason: 'no_channel_with_consent', changes: { surveyId: survey.id } };
  const customer = await reach(survey.customerId, survey.channel, job.settings, deps);
  if (customer.channel === null)
    return { outcome: 'skipped', reason: customer.reason, changes: { surveyId: survey.id } };
  const url = await surveyLink(survey, deps);
  const result = await sendToCustomer(
    job,
    customer,
    followUpMessage({ kind: 'survey_invitation', language: survey.language, url }),
    { kind: 'survey_invitation', reference: survey.id, url },
    { ...task, surveyId: survey.id },
  );
  if ('failed' in result) return routed(result, { surveyId: survey.id });
  if (survey.campaignId) await deps.surveys.markDelivered(survey, now.toISOString());
  for (const [i, days] of REMINDER_DELAYS_DAYS.entries()) {
    await deps.tasks.scheduleTask(
      {
        id: taskIds.surveyReminder(survey.id, i + 1),
        kind: 'survey_reminder',
        surveyId: survey.id,
        ...(survey.customerId ? { customerId: survey.customerId } : {}),
        reminder: i + 1,
        dueAt: new Date(now.getTime() + days * DAY).toISOString(),
      },
      now,
    );
  }
  return routed(result, { surveyId: survey.id });
}

/** A reminder of a survey that is still open, on the channel the invitation used. */
export async function sendSurveyReminder(job: Job): Promise<Performed> {
  const { task, now, deps } = job;
  const survey = task.surveyId ? await deps.surveys.getSurvey(task.surveyId) : undefined;
  if (!survey || survey.erasedAt || !survey.contact || survey.channel === 'link')
    return { outcome: 'skipped', reason: 'no_contact' };
  if (survey.answeredAt) return { outcome: 'skipped', reason: 'answered' };
  if (survey.campaignId && !(await deps.campaignSending(survey.campaignId)))
    return { outcome: 'skipped', reason: 'campaign_cancelled' };
  if (new Date(survey.linkExpiresAt) <= now) return { outcome: 'skipped', reason: 'link_expired' };
  const customer = await reach(survey.customerId, survey.channel, job.settings, deps);
  if (customer.channel === null) return { outcome: 'skipped', reason: customer.reason };
  const url = await surveyLink(survey, deps);
  return routed(
    await sendToCustomer(job, customer, followUpMessage({ kind: 'survey_reminder', language: survey.language, url }), {
      kind: 'survey_reminder',
      reference: survey.id,
      url,
    }),
  );
}
