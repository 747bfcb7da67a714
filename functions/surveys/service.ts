/** Use cases of the surveys capability: invite, show the form, take the one response. */

import { ulid } from 'ulidx';
import { type Actor, assertMayChange } from '../../shared/domain/access.js';
import { contributionDelta, forAgent, NO_TEAM } from '../../shared/domain/aggregates.js';
import { callbackDue } from '../../shared/domain/alerts.js';
import { classifierFor } from '../../shared/domain/comment-classifier.js';
import { activityDelta, deriveSegment } from '../../shared/domain/customers.js';
import { Conflict, defined, Gone, Invalid, NotFound, TooManyRequests } from '../../shared/domain/errors.js';
import { chooseChannel } from '../../shared/domain/followups.js';
import { type CustomerGroups, customerGroupsOf } from '../../shared/domain/groups.js';
import { type MessageChannel, taskIds } from '../../shared/domain/message-ids.js';
import { answerCounters } from '../../shared/domain/questionnaire-counters.js';
import {
  type Answers,
  builtInVersion,
  checkAnswers,
  LEGACY_QUESTIONNAIRE,
  localizeQuestion,
  type ProfileFields,
  type PublishedQuestionnaire,
  profileFromAnswers,
  type QuestionnaireRef,
  questionsShown,
  roles,
  SERVICE_TRANSACTION,
  withoutAnsweredProfileFields,
} from '../../shared/domain/questionnaires.js';
import { surveySettingsFromStored } from '../../shared/domain/settings.js';
import { signSurveyToken, verifySurveyToken } from '../../shared/domain/survey-token.js';
import {
  assessValidity,
  FORM_TEXT,
  invitationContribution,
  negativeFeedbackReasons,
  responseContribution,
  type SurveyAnswers,
  subjectCell,
  throttledInvitationContribution,
} from '../../shared/domain/surveys.js';
import { DAY, localDate } from '../../shared/domain/time.js';
import { surveyPageUrl } from '../../shared/links.js';
import { countEvent } from '../../shared/observability/metrics.js';
import { ports } from '../../shared/ports.js';
import type { Language } from '../../shared/schemas/customers.js';
import type { Settings } from '../../shared/schemas/settings.js';
import type {
  CreateSurveyBody,
  SubmitSurveyResponseBody,
  SurveyForm,
  SurveyResponseReceipt,
} from '../../shared/schemas/surveys.js';
import { DIMENSIONS } from '../../shared/schemas/vocabulary.js';
import {
  type CustomerProfile,
  type CustomerStore,
  customerActivityUpdate,
  dynamoCustomerStore,
  profileFieldsUpdate,
} from '../../shared/store/customers.js';
import { scheduleTaskItem } from '../../shared/store/followups.js';
import {
  type ClientRequest,
  dynamoRequestClaims,
  RequestAlreadyApplied,
  type RequestClaims,
} from '../../shared/store/requests.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';
import {
  type AlertRecord,
  dynamoSurveyStore,
  type SurveyRecord,
  type SurveyResponseRecord,
  type SurveyStore,
} from '../../shared/store/surveys.js';
import { questionnaireToAsk, questionnaireVersion } from './questionnaires.js';
import { SUBJECT_LOOKUPS, type SubjectLookup, type SurveySubject } from './subjects.js';

/** What the surveys capability needs from another one (customers), passed in by functions/composition.ts. */
export interface SurveyNeeds {
  /** Re-derives the customer's segment lists after an answer changed their NPS or negative feedback. */
  segments: (customerId: string | undefined, now: Date) => Promise<void>;
}

export interface SurveyDeps extends SurveyNeeds {
  subjects: Record<CreateSurveyBody['subject']['type'], SubjectLookup>;
  settings: SettingsStore;
  surveys: SurveyStore;
  customers: Pick<CustomerStore, 'readCustomer'>;
  /** Which survey a client request (caller + Idempotency-Key) created: a retry answers with it. */
  requests: RequestClaims;
  /** The newest published version of a questionnaire (409 retired or draft, 404 unknown). */
  questionnaireToAsk: (id: string) => Promise<PublishedQuestionnaire>;
  /** A published version, as a survey asks it again. */
  questionnaireVersion: (id: string, version: number) => Promise<PublishedQuestionnaire>;
}

const defaults: Omit<SurveyDeps, keyof SurveyNeeds> = {
  subjects: SUBJECT_LOOKUPS,
  settings: dynamoSettingsStore,
  surveys: dynamoSurveyStore,
  customers: dynamoCustomerStore,
  requests: dynamoRequestClaims,
  questionnaireToAsk,
  questionnaireVersion,
};

/** The survey page the API serves itself: `<publicBaseUrl>/s/<token>` (shared/links.ts). */
export const surveyUrl = surveyPageUrl;

/** The survey section of the settings, with defaults for anything a stored document predates. */
const surveySettings = (settings: Settings) => surveySettingsFromStored(settings.surveys);

export interface SurveyInvitationView {
  id: string;
  token: string;
  url: string;
  expiresAt: string;
  channel: SurveyRecord['channel'];
  language: Language;
}

/**
 * Creates a survey for an interaction or a complaint: 404 when the subject does not exist,
 * 409 when it already has an open or answered survey or the requested channel has no
 * consent or address, 429 when the customer was surveyed within `surveyThrottleDays`
 * (a complaint's closing survey is exempt).
 */
/**
 * A new invitation as it is stored, with what it adds (throttle window, customer activity,
 * KPI counters). Pure: `inviteToSurvey` stores it, the demo data set loads many at once.
 */
/** A customer's address on a channel (the openId on WeChat). */
const addressOf = (profile: Pick<CustomerProfile, 'phone' | 'email' | 'wechatOpenId'>, channel: MessageChannel) =>
  channel === 'sms' ? profile.phone : channel === 'email' ? profile.email : profile.wechatOpenId;

export function newInvitation(input: {
  subject: SurveySubject;
  profile:
    | Pick<CustomerProfile, 'preferredChannel' | 'consent' | 'phone' | 'email' | 'wechatOpenId' | 'language'>
    | undefined;
  channel?: MessageChannel | undefined;
  actor: Pick<Actor, 'id'>;
  settings: Settings;
  now: Date;
  /** Created by the follow-up job (not handed over by staff): without a channel to send it on, it is a skipped invitation. */
  automatic?: boolean;
  /** The questionnaire version asked (default service-transaction 1). */
  questionnaire?: QuestionnaireRef | undefined;
  campaignId?: string | undefined;
  /** A campaign's survey: its deterministic id (a retried launch names the same survey) and its link's end (the window's). */
  id?: string | undefined;
  expiresAt?: Date | undefined;
}) {
  const { subject, profile, settings, now } = input;
  // The routing rule: the preferred channel with consent and an address, else the first such in messaging.channelOrder.
  const route = profile ? chooseChannel(profile, input.channel, settings.messaging.channelOrder) : undefined;
  const channel = input.channel ?? (route?.channel ? route.channel : 'link');
  const contact = channel === 'link' ? undefined : profile && addressOf(profile, channel);
  const id = input.id ?? ulid(now.getTime());
  // Whole seconds: the token carries the expiry in seconds, and the API must show the same instant.
  const expiresAt = new Date(
    Math.floor((input.expiresAt?.getTime() ?? now.getTime() + surveySettings(settings).linkValidDays * DAY) / 1000) *
      1000,
  );
  const cell = subjectCell(subject);
  // Nobody hands an automatic survey's link over: without consent (or an address) it was not sent.
  const skipped =
    input.automatic && channel === 'link'
      ? route && route.channel === null && route.reason !== 'no_consent'
        ? ('no_contact' as const)
        : ('no_consent' as const)
      : undefined;
  const counted = invitationContribution(cell, subject.type, skipped);
  const survey: SurveyRecord = {
    id,
    questionnaire: input.questionnaire ?? LEGACY_QUESTIONNAIRE,
    ...(input.campaignId ? { campaignId: input.campaignId } : {}),
    subject: { type: subject.type, id: subject.id },
    customerId: subject.customerId,
    channel,
    ...(contact ? { contact } : {}),
    language: profile?.language ?? 'zh',
    cell,
    ...(subject.agentId ? { agentId: subject.agentId } : {}),
    throttleExempt: subject.type === 'complaint',
    linkExpiresAt: expiresAt.toISOString(),
    status: 'sent',
    createdAt: now.toISOString(),
    createdBy: input.actor.id,
  };
  return {
    survey,
    expiresAt,
    throttleUntil: new Date(now.getTime() + settings.surveyThrottleDays * DAY).toISOString(),
    activity: activityDelta('surveys', localDate(now, settings.timezone).slice(0, 7)),
    counters: [counted, ...forAgent(counted, subject.agentId)],
  };
}

/** The answer to an invitation request: the link (signed again from the stored id and expiry: the same token). */
async function invitationView(survey: SurveyRecord): Promise<SurveyInvitationView> {
  const expiresAt = new Date(survey.linkExpiresAt);
  const token = signSurveyToken({ surveyId: survey.id, expiresAt }, await ports().signingKeys());
  return {
    id: survey.id,
    token,
    url: surveyUrl(token),
    expiresAt: expiresAt.toISOString(),
    channel: survey.channel,
    language: survey.language,
  };
}

/** A survey invitation as POST /surveys answered it, read again (the answer to a retried request). */
export async function readInvitation(id: string, deps: Partial<SurveyDeps> = {}): Promise<SurveyInvitationView> {
  const all = { ...defaults, ...deps };
  const survey = await all.surveys.getSurvey(id);
  if (!survey) throw new NotFound(`No survey ${id}.`);
  return invitationView(survey);
}

/** The survey an earlier copy of this request created (same caller and Idempotency-Key), if any. */
async function alreadyInvited(
  request: ClientRequest | undefined,
  deps: Pick<SurveyDeps, 'requests' | 'surveys'>,
): Promise<SurveyRecord | undefined> {
  if (!request) return undefined;
  const id = await deps.requests.find(request);
  return id ? deps.surveys.getSurvey(id) : undefined;
}

/**
 * Creates the survey, and when a channel is asked for the follow-up task that sends it, in ONE
 * transaction with the claim of the client request: a retry of the same request (after a failure
 * anywhere, even after the write) finds the survey it made and answers with it, never a second
 * survey, never a survey without its invitation.
 */
export async function inviteToSurvey(
  body: CreateSurveyBody,
  actor: Actor,
  now: Date,
  options: {
    /** Queue the SMS/email when a channel is asked for (the follow-up job sends it itself). */ deliver?: boolean;
    /** The follow-up job's own invitation: one it cannot send (no consent, no address, throttled) is counted as skipped. */
    automatic?: boolean;
  } = {},
  request?: ClientRequest,
  deps: Partial<SurveyDeps> = {},
): Promise<SurveyInvitationView> {
  const all = { ...defaults, ...deps };
  const replayed = await alreadyInvited(request, all);
  if (replayed) return invitationView(replayed);
  const subject = await all.subjects[body.subject.type](body.subject.id);
  if (!subject) throw new NotFound(`No ${body.subject.type} ${body.subject.id}.`);
  // Inviting a survey about a record follows the rule of changing it (contract "Auth").
  if (!options.automatic)
    assertMayChange(
      actor,
      { team: subject.team, people: subject.people },
      `${body.subject.type === 'interaction' ? 'Interaction' : 'Complaint'} ${body.subject.id}`,
    );
  const { settings } = await all.settings.current();
  const { profile } = await all.customers.readCustomer(subject.customerId);

  const canUse = (channel: MessageChannel) => profile?.consent[channel] === true && !!addressOf(profile, channel);
  if (body.channel && !canUse(body.channel)) {
    const what = { sms: 'phone number', email: 'email address', wechat: 'WeChat openId' }[body.channel];
    throw new Conflict(
      `The customer has no ${what} with consent for ${body.channel}; create the survey without a channel to hand over the link yourself.`,
    );
  }
  const questionnaire = await questionnaireFor(body, body.subject.type, settings, all);
  const invitation = newInvitation({
    subject,
    profile,
    channel: body.channel,
    actor,
    settings,
    now,
    automatic: options.automatic === true,
    questionnaire: { id: questionnaire.id, version: questionnaire.version },
  });
  const { survey } = invitation;
  const { id, contact } = survey;
  const view = await invitationView(survey);
  // Sent by the follow-up job: quiet hours, retries and exactly-once delivery live there.
  const sendTask =
    options.deliver !== false && body.channel && contact
      ? [
          scheduleTaskItem(
            {
              id: taskIds.surveyInvitation({ type: 'survey', id }),
              kind: 'survey_invitation',
              surveyId: id,
              dueAt: now.toISOString(),
            },
            now,
          ),
        ]
      : [];
  try {
    await all.surveys.createInvitation({
      ...invitation,
      now: now.toISOString(),
      customerActivity: (customerId, delta) => customerActivityUpdate(customerId, delta),
      alsoWrite: [...sendTask, ...(request ? [all.requests.claimItem(request, id, now)] : [])],
    });
  } catch (error) {
    // A racing copy of the same request stored its survey first: answer with that one.
    const raced =
      error instanceof Conflict || error instanceof TooManyRequests || error instanceof RequestAlreadyApplied
        ? await alreadyInvited(request, all)
        : undefined;
    if (!raced && error instanceof TooManyRequests && options.automatic) {
      const skipped = throttledInvitationContribution(subjectCell(subject));
      await all.surveys.recordThrottledInvitation(
        subject,
        [skipped, ...forAgent(skipped, subject.agentId)],
        now.toISOString(),
      );
    }
    if (!raced) throw error;
    return invitationView(raced);
  }
  return view;
}

/**
 * What a new survey asks: the questionnaire the request names, else the one settings pick for the
 * subject's kind. A setting naming a questionnaire since retired falls back to service-transaction
 * (the follow-up job keeps sending); a request naming one is refused (409).
 */
async function questionnaireFor(
  body: CreateSurveyBody,
  kind: CreateSurveyBody['subject']['type'],
  settings: Settings,
  deps: Pick<SurveyDeps, 'questionnaireToAsk'>,
): Promise<PublishedQuestionnaire> {
  if (body.questionnaireId) return deps.questionnaireToAsk(body.questionnaireId);
  const configured = surveySettings(settings).questionnaireFor[kind];
  try {
    return await deps.questionnaireToAsk(configured);
  } catch (error) {
    if (!(error instanceof Conflict || error instanceof NotFound) || configured === SERVICE_TRANSACTION) throw error;
    return defined(builtInVersion(SERVICE_TRANSACTION, 1), 'the built-in service questionnaire');
  }
}

/** The questionnaire version a survey asks (surveys from before v1.2: service-transaction 1). */
async function askedBy(survey: SurveyRecord, deps: Pick<SurveyDeps, 'questionnaireVersion'>) {
  const ref = survey.questionnaire ?? LEGACY_QUESTIONNAIRE;
  return builtInVersion(ref.id, ref.version) ?? deps.questionnaireVersion(ref.id, ref.version);
}

/** The survey behind a link that may still be answered: 404 unknown, 410 used or expired. */
async function openSurvey(
  token: string,
  now: Date,
  surveys: Pick<SurveyStore, 'getSurvey'>,
): Promise<{ survey: SurveyRecord; expiresAt: Date }> {
  const { surveyId, expiresAt } = verifySurveyToken(token, await ports().signingKeys(), now);
  const survey = await surveys.getSurvey(surveyId);
  if (!survey) throw new NotFound('No survey for this link.');
  if (survey.answeredAt) throw new Gone('This survey has already been answered. Thank you!');
  return { survey, expiresAt };
}

/** The customer's profile fields a questionnaire may ask (none when the survey has no customer, or it was erased). */
async function profileOf(survey: SurveyRecord, deps: Pick<SurveyDeps, 'customers'>): Promise<ProfileFields> {
  if (!survey.customerId) return {};
  const profile = (await deps.customers.readCustomer(survey.customerId)).profile;
  return profile ? { customerType: profile.customerType, customerSince: profile.customerSince } : {};
}

/**
 * What the survey page shows: the customer's language and what is rated ("your chat on 3
 * November"). Opening the page counts as opening the form (the too-fast rule), like the JSON form.
 */
export async function openSurveyPage(
  token: string,
  now: Date,
  deps: Partial<SurveyDeps> = {},
): Promise<{
  language: Language;
  subjectType: SurveyRecord['subject']['type'];
  channel: string;
  day: string;
  questionnaire: PublishedQuestionnaire;
}> {
  const all = { ...defaults, ...deps };
  const { survey } = await openSurvey(token, now, all.surveys);
  await all.surveys.markSurveyOpened(survey.id, now.toISOString());
  const questionnaire = await askedBy(survey, all);
  // The page shows the questions this customer is asked: profile questions only while the profile lacks them.
  const profile = await profileOf(survey, all);
  return {
    questionnaire: { ...questionnaire, questions: questionsShown(questionnaire.questions, profile) },
    language: survey.language,
    subjectType: survey.subject.type,
    channel: survey.cell.channel,
    day: survey.cell.day,
  };
}

/** The form behind a link, labelled in the customer's language; remembers when it was first opened. */
export async function readSurveyForm(
  token: string,
  now: Date,
  language?: Language,
  deps: Partial<SurveyDeps> = {},
): Promise<SurveyForm> {
  const all = { ...defaults, ...deps };
  const { survey, expiresAt } = await openSurvey(token, now, all.surveys);
  await all.surveys.markSurveyOpened(survey.id, now.toISOString());
  const lang = language ?? survey.language;
  const text = FORM_TEXT[lang];
  const questionnaire = await askedBy(survey, all);
  const profile = await profileOf(survey, all);
  return {
    dimensions: DIMENSIONS.map((key) => ({ key, label: text.dimensions[key] })),
    scale: { min: 1, max: 5, minLabel: text.scale[1], maxLabel: text.scale[5] },
    nps: true,
    questions: { overall: text.overall, nps: text.nps, comment: text.comment },
    npsScale: { min: 0, max: 10, minLabel: text.npsScale[0], maxLabel: text.npsScale[10] },
    questionnaire: {
      id: questionnaire.id,
      version: questionnaire.version,
      name: questionnaire.name[lang],
      questions: questionsShown(questionnaire.questions, profile).map((q) => localizeQuestion(q, lang)),
    },
    language: lang,
    expiresAt: expiresAt.toISOString(),
  };
}

type SurveySettings = ReturnType<typeof surveySettings>;

/**
 * The answers per question from either body: `answers` (any questionnaire; each checked, a 400
 * naming `answers.<id>`), or the v1.1 fields for service-transaction (unanswered ones kept as
 * missing, which makes the response invalid, as before).
 */
export function answersFromBody(
  body: SubmitSurveyResponseBody,
  questionnaire: PublishedQuestionnaire,
  profile: ProfileFields = {},
): Answers {
  const shown = questionsShown(questionnaire.questions, profile);
  const v11 = body.scores !== undefined || body.overall !== undefined || body.nps !== undefined;
  if (body.answers) {
    if (v11)
      throw Invalid.field(
        'scores',
        'send either answers or the v1.1 fields (scores, overall, nps), not both',
        'invalid',
      );
    const items: Answers = withoutAnsweredProfileFields(questionnaire.questions, shown, body.answers);
    const comment = roles(shown).comment;
    if (body.comment !== undefined && comment && items[comment.id] === undefined) items[comment.id] = body.comment;
    const errors = checkAnswers(shown, items);
    if (errors.length)
      throw new Invalid(`The answers are invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
    return items;
  }
  if (questionnaire.id !== SERVICE_TRANSACTION)
    throw Invalid.field('answers', `is required: this survey asks ${questionnaire.id}`, 'required');
  if (!body.scores) throw Invalid.field('scores', 'is required', 'required');
  const items: Answers = {};
  for (const d of DIMENSIONS) {
    const score = body.scores[d];
    if (score != null) items[d] = score;
  }
  if (body.overall != null) items.overall = body.overall;
  if (body.nps != null) items.nps = body.nps;
  if (body.comment !== undefined) items.comment = body.comment;
  return items;
}

/** The answers as the domain judges them: the dimensions, overall, NPS and comment found among the questions. */
function answersOf(items: Answers, questionnaire: PublishedQuestionnaire, profile: ProfileFields = {}): SurveyAnswers {
  const shown = questionsShown(questionnaire.questions, profile);
  const { overall, nps, comment } = roles(shown);
  const number = (id: string | undefined) =>
    id !== undefined && typeof items[id] === 'number' ? (items[id] as number) : null;
  const scaleIds = new Set(shown.filter((q) => q.type === 'scale').map((q) => q.id));
  const text = comment ? items[comment.id] : undefined;
  return {
    scores: Object.fromEntries(
      DIMENSIONS.map((d) => [d, scaleIds.has(d) ? number(d) : null]),
    ) as SurveyAnswers['scores'],
    overall: number(overall?.id),
    nps: number(nps?.id),
    comment: typeof text === 'string' && text.trim() ? text : undefined,
    questionnaire,
    items,
    shown,
  };
}

/** What the answers say: comment categories and sentiment, validity flags, reasons for a negative-feedback alert. */
function judge(answers: SurveyAnswers, survey: SurveyRecord, now: Date, config: SurveySettings) {
  const classification = answers.comment ? classifierFor(config.commentKeywords).classify(answers.comment) : undefined;
  const { valid, flags } = assessValidity(answers, {
    openedAt: survey.openedAt ? new Date(survey.openedAt) : undefined,
    submittedAt: now,
    minAnswerSeconds: config.minAnswerSeconds,
    minSecondsPerQuestion: config.minSecondsPerQuestion,
    commentSentiment: classification?.sentiment,
  });
  const reasons = negativeFeedbackReasons({
    nps: answers.nps,
    strongNegativeComment: classification?.strongNegative ?? false,
    npsAtOrBelow: config.alertNpsAtOrBelow,
  });
  return {
    valid,
    flags,
    reasons,
    categories: classification?.categories ?? [],
    sentiment: classification?.sentiment ?? 'neutral',
  };
}

type Judgement = ReturnType<typeof judge>;

/** The negative-feedback alert a response raises, when the judgement found reasons for one. */
function alertFor(
  survey: SurveyRecord,
  answers: SurveyAnswers,
  judgement: Judgement,
  ids: { responseId: string; alertId: string },
  at: { day: string; submittedAt: string },
  settings: Settings,
): AlertRecord | undefined {
  if (!judgement.reasons.length) return undefined;
  const team = survey.cell.team === NO_TEAM ? undefined : survey.cell.team;
  return {
    id: ids.alertId,
    kind: 'negative_feedback',
    status: 'open',
    // A call-back due two business days later, on the team's calendar (s004).
    ...callbackDue(new Date(at.submittedAt), survey.cell, settings, team),
    ...(team ? { team } : {}),
    day: at.day,
    raisedAt: at.submittedAt,
    reasons: judgement.reasons,
    surveyId: survey.id,
    responseId: ids.responseId,
    subject: survey.subject,
    ...(survey.customerId ? { customerId: survey.customerId } : {}),
    nps: answers.nps,
    overall: answers.overall,
    categories: judgement.categories,
    responseValid: judgement.valid,
  };
}

function responseRecord(
  survey: SurveyRecord,
  answers: SurveyAnswers,
  judgement: Judgement,
  id: string,
  alert: AlertRecord | undefined,
  submittedAt: string,
): SurveyResponseRecord {
  const questionnaire = defined(answers.questionnaire, 'the questionnaire of the answers');
  const given = answers.items ?? {};
  const texts = Object.fromEntries(
    questionnaire.questions
      .filter((q) => q.type === 'text' && q.id !== 'comment' && typeof given[q.id] === 'string')
      .map((q): [string, string] => [q.id, given[q.id] as string])
      .filter(([, text]) => text.trim() !== ''),
  );
  const textIds = new Set(questionnaire.questions.filter((q) => q.type === 'text').map((q) => q.id));
  const stored = Object.fromEntries(Object.entries(answers.items ?? {}).filter(([id]) => !textIds.has(id)));
  return {
    id,
    surveyId: survey.id,
    questionnaire: { id: questionnaire.id, version: questionnaire.version },
    answers: stored,
    ...(Object.keys(texts).length ? { texts } : {}),
    subject: survey.subject,
    cell: survey.cell,
    scores: answers.scores,
    overall: answers.overall,
    nps: answers.nps,
    ...(answers.comment ? { comment: answers.comment } : {}),
    valid: judgement.valid,
    flags: judgement.flags,
    categories: judgement.categories,
    sentiment: judgement.sentiment,
    ...(alert ? { alertId: alert.id } : {}),
    ...(survey.openedAt ? { openedAt: survey.openedAt } : {}),
    submittedAt,
  };
}

/** What the response adds to the customer's activity of the month and to the KPI counters. */
function responseEffects(
  survey: SurveyRecord,
  answers: SurveyAnswers,
  judgement: Judgement,
  alert: AlertRecord | undefined,
  at: { day: string; submittedAt: string },
  groups?: CustomerGroups,
) {
  const month = at.day.slice(0, 7);
  const activity = {
    ...activityDelta('responses', month),
    ...(judgement.valid ? activityDelta('validResponses', month) : {}),
    ...(alert ? activityDelta('negativeFeedback', month) : {}),
  };
  const latestNps = judgement.valid && answers.nps != null ? { score: answers.nps, at: at.submittedAt } : undefined;
  const counted = responseContribution({
    cell: survey.cell,
    subjectType: survey.subject.type,
    valid: judgement.valid,
    answers,
    categories: judgement.categories,
    alert: alert !== undefined,
    sentiment: judgement.sentiment,
    itemCounters: answers.questionnaire ? answerCounters(answers.questionnaire, answers.items ?? {}) : undefined,
    groups,
  });
  // Group counters stay in the team cell: an agent's cell is already one small group.
  const ungrouped = Object.fromEntries(Object.entries(counted.counters).filter(([name]) => !name.startsWith('grp_')));
  return {
    activity,
    latestNps,
    ...(survey.customerId ? { customerActivity: customerActivityUpdate(survey.customerId, activity, latestNps) } : {}),
    counters: contributionDelta(
      [],
      [
        // Counted on its due day (a valid answer's alert), for alertsHandledInTime.
        ...(alert?.dueCell && judgement.valid ? [{ cell: alert.dueCell, counters: { alerts_due: 1 } }] : []),
        counted,
        ...forAgent(counted, survey.agentId, ungrouped),
      ],
    ),
  };
}

/**
 * Takes the one response of a survey: classifies the comment, judges validity, raises a
 * negative_feedback alert when warranted, and stores response, alert, customer activity and
 * KPI counters in one transaction. A second (or racing) submission is 410.
 */
export async function submitSurveyResponse(
  token: string,
  body: SubmitSurveyResponseBody,
  now: Date,
  deps: SurveyNeeds & Partial<SurveyDeps>,
): Promise<SurveyResponseReceipt> {
  const all = { ...defaults, ...deps };
  const { survey } = await openSurvey(token, now, all.surveys);
  const { settings } = await all.settings.current();
  const questionnaire = await askedBy(survey, all);
  // The customer's groups as the answer arrives (tier, segment before it, type, new or returning): one read.
  const customer = survey.customerId ? await all.customers.readCustomer(survey.customerId) : undefined;
  const day = localDate(now, settings.timezone);
  const groups = customerGroupsOf(
    customer?.profile,
    customer && deriveSegment(customer.activity, day.slice(0, 7)),
    day,
  );
  const profile = customer?.profile;
  const { response, alert, customerActivity, counters, filled } = newResponse(
    survey,
    body,
    settings,
    now,
    questionnaire,
    groups,
    profile ? { customerType: profile.customerType, customerSince: profile.customerSince } : {},
  );
  await all.surveys.storeResponse({
    survey,
    response,
    ...(alert ? { alert } : {}),
    ...(customerActivity ? { customerActivity } : {}),
    ...(survey.customerId && profile && Object.keys(filled).length
      ? { profileUpdate: profileFieldsUpdate(survey.customerId, filled, now, 'customer') }
      : {}),
    counters,
  });
  await all.segments(survey.customerId, now);
  countEvent('SurveySubmitted');
  if (!response.valid) countEvent('SurveyInvalid');
  return { id: response.id, valid: response.valid, flags: response.flags, categories: response.categories };
}

/**
 * The one response to a survey as it is stored: classified, judged for validity, with the
 * alert it raises, the customer activity and the KPI counters it adds. Pure: the use case
 * above stores it, the demo data set loads many at once.
 */
export function newResponse(
  survey: SurveyRecord,
  body: SubmitSurveyResponseBody,
  settings: Settings,
  now: Date,
  asked?: PublishedQuestionnaire,
  groups?: CustomerGroups,
  /** The customer's profile fields as the answer arrives: profile questions it holds were not asked. */
  profile: ProfileFields = {},
) {
  const ref = survey.questionnaire ?? LEGACY_QUESTIONNAIRE;
  const questionnaire = asked ?? builtInVersion(ref.id, ref.version);
  if (!questionnaire) throw new Error(`questionnaire ${ref.id} v${ref.version} must be given`);
  const answers = answersOf(answersFromBody(body, questionnaire, profile), questionnaire, profile);
  const judgement = judge(answers, survey, now, surveySettings(settings));
  const at = { day: localDate(now, settings.timezone), submittedAt: now.toISOString() };
  const responseId = ulid(now.getTime());
  const alert = alertFor(survey, answers, judgement, { responseId, alertId: ulid(now.getTime()) }, at, settings);
  return {
    response: responseRecord(survey, answers, judgement, responseId, alert, at.submittedAt),
    alert,
    /** The profile fields the answers fill (only fields the profile lacked were asked). */
    filled: profileFromAnswers(answers.shown ?? [], answers.items ?? {}, at.day),
    ...responseEffects(survey, answers, judgement, alert, at, groups),
  };
}
