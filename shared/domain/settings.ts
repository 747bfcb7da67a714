import type { Settings } from '../schemas/settings.js';
import { DEFAULT_MESSAGING } from './messaging.js';

/**
 * The settings a fresh installation runs with (no escalation contacts and no report recipients:
 * those are the organisation's own, see `configurationGaps`): the service standards of the seed documents
 * (20 s online, 3 min in store, 1 h email and complex feedback, 4 h / 72 h resolution) and
 * the 1 h / 24 h / 72 h complaint milestones in calendar hours for every severity.
 */
export const DEFAULT_SETTINGS: Settings = {
  timezone: 'Asia/Shanghai',
  targets: {
    firstResponseSeconds: { phone: 20, chat: 20, app: 20, wechat: 20, store: 180, email: 3600 },
    complexFirstFeedbackSeconds: 3600,
    resolutionSeconds: { simple: 4 * 3600, complex: 72 * 3600 },
    warnAtShare: 0.8,
  },
  sla: {
    policies: {
      high: { respondMinutes: 60, solutionMinutes: 24 * 60, closeMinutes: 72 * 60, calendar: '24x7' },
      medium: { respondMinutes: 60, solutionMinutes: 24 * 60, closeMinutes: 72 * 60, calendar: '24x7' },
      low: { respondMinutes: 60, solutionMinutes: 24 * 60, closeMinutes: 72 * 60, calendar: '24x7' },
    },
    warningMinutes: 15,
  },
  calendars: {
    '24x7': { timezone: 'Asia/Shanghai', workingHours: {}, holidays: [] },
  },
  escalation: {
    defaultTier: { high: 1, medium: 2, low: 2 },
    ladders: { '1': ['department_head', 'executive'], '2': ['supervisor', 'department_head', 'executive'] },
    // Nobody to tell until an admin says who (PATCH /settings): a fresh stack sends nothing to a
    // placeholder address, and GET /health lists every role still without a contact.
    contacts: {},
    teamContacts: {},
  },
  reportRecipients: [],
  complaintSummaryRecipients: [],
  complaints: { surge: { minCount: 5, multipleOfMean: 3 } },
  reportLanguage: 'zh',
  quietHours: { start: '21:00', end: '08:00' },
  surveyThrottleDays: 30,
  api: { requireIfMatch: false },
  surveys: {
    linkValidDays: 14,
    minAnswerSeconds: 10,
    // s004 calls back every low score: a detractor is NPS 0–6.
    alertNpsAtOrBelow: 6,
    // service-transaction asks 8 questions: 8 s, under minAnswerSeconds; the s001 standard's 22 need 22 s.
    minSecondsPerQuestion: 1,
    questionnaireFor: { interaction: 'service-transaction', complaint: 'service-transaction' },
    commentKeywords: {},
  },
  messaging: DEFAULT_MESSAGING,
  // Targets from the seeds where they give one (s003: 满意度≥90%, 响应及时率≥98%; s004: NPS 50).
  kpis: {
    csat: { target: 4.5, amber: 4.0, direction: 'higher', owner: 'Customer service' },
    satisfiedShare: { target: 0.9, amber: 0.8, direction: 'higher', owner: 'Customer service' },
    nps: { target: 50, amber: 30, direction: 'higher', owner: 'Customer experience' },
    surveyResponseRate: { target: 0.3, amber: 0.2, direction: 'higher', owner: 'Customer experience' },
    firstResponse: { target: 0.95, amber: 0.85, direction: 'higher', owner: 'Service operations' },
    // s000: a complex issue gets its first feedback within 1 h.
    complexFeedback: { target: 0.95, amber: 0.85, direction: 'higher', owner: 'Technical support' },
    simpleResolution: { target: 0.9, amber: 0.8, direction: 'higher', owner: 'Service operations' },
    complexResolution: { target: 0.9, amber: 0.8, direction: 'higher', owner: 'Technical support' },
    firstContactResolution: { target: 0.8, amber: 0.7, direction: 'higher', owner: 'Service operations' },
    complaintRate: { target: 0.02, amber: 0.04, direction: 'lower', owner: 'Quality' },
    respondedInTime: { target: 0.98, amber: 0.9, direction: 'higher', owner: 'Complaints desk' },
    solutionInTime: { target: 0.95, amber: 0.85, direction: 'higher', owner: 'Complaints desk' },
    closedInTime: { target: 0.95, amber: 0.85, direction: 'higher', owner: 'Complaints desk' },
    recurrenceRate: { target: 0.05, amber: 0.1, direction: 'lower', owner: 'Quality' },
    escalationRate: { target: 0.1, amber: 0.2, direction: 'lower', owner: 'Complaints desk' },
    // s004 投诉解决率 (resolved at the first attempt ÷ every complaint registered, open ones included); resolution time is a figure in complaints, without a status;
    // s003 escalated complaints resolved ≥ 95 %; s004 表扬率, recommendation; s000/s002 survey coverage.
    firstAttemptResolution: { target: 0.9, amber: 0.8, direction: 'higher', owner: 'Complaints desk' },
    escalatedResolution: { target: 0.95, amber: 0.85, direction: 'higher', owner: 'Complaints desk' },
    praiseShare: { target: 0.2, amber: 0.1, direction: 'higher', owner: 'Customer experience' },
    recommendationShare: { target: 0.6, amber: 0.45, direction: 'higher', owner: 'Customer experience' },
    surveyCoverage: { target: 0.8, amber: 0.6, direction: 'higher', owner: 'Customer experience' },
    // s004: every low score and angry comment is called back, within two business days.
    alertsHandledInTime: { target: 0.95, amber: 0.85, direction: 'higher', owner: 'Customer experience' },
    // s000 负面评价 ≤ 3 %: valid answers with overall ≤ 2 or a negative comment.
    negativeShare: { target: 0.03, amber: 0.05, direction: 'lower', owner: 'Customer experience' },
    // s004 客户满意度指数 on 0–10 (its example goal: 7.5 → 8.0).
    csi: { target: 8, amber: 7.5, direction: 'higher', owner: 'Customer experience' },
    // s004 权重设定: NPS 30 %, service satisfaction 25 %, complaint resolution 20 %, the rest spread.
    scorecard: {
      nps: 0.3,
      csat: 0.25,
      firstAttemptResolution: 0.2,
      firstResponse: 0.125,
      firstContactResolution: 0.125,
    },
  },
};

/** The deploy context keys a deployment still lacks (`GET /health` `missing`). */
export function deploymentGaps(deployment: {
  senderConfigured: boolean;
  operationsAlertsConfigured?: boolean;
}): string[] {
  return [
    ...(deployment.senderConfigured ? [] : ['careloop:senderEmail']),
    ...(deployment.operationsAlertsConfigured === false ? ['careloop:operationsEmail'] : []),
  ];
}

/** What a running installation still needs before it can tell anyone anything (`GET /health`). */
export interface ConfigurationGaps {
  /**
   * What to configure: settings paths an admin sets with PATCH /settings (`escalation.contacts.supervisor`,
   * `reportRecipients`), or deploy context keys (`careloop:senderEmail`, `careloop:operationsEmail`).
   */
  missing: string[];
  /** What works only in part, in a sentence each. */
  warnings: string[];
}

/**
 * The gaps of `settings`: every role on an escalation ladder without an email or phone of the
 * organisation's own (a team's contacts cover only that team's complaints), an empty list of report
 * recipients or of complaints-desk recipients (the weekly complaint summary), the email sender when the deployment
 * still has the placeholder, and the operations email when the deployment's alarms reach nobody.
 */
export function configurationGaps(
  settings: Settings,
  deployment: { senderConfigured: boolean; operationsAlertsConfigured?: boolean },
): ConfigurationGaps {
  const { contacts, ladders } = settings.escalation;
  const roles = [...new Set([...ladders['1'], ...ladders['2']])];
  const reachable = (role: (typeof roles)[number]) => !!(contacts[role]?.email || contacts[role]?.phone);
  const missing = [
    ...roles.filter((role) => !reachable(role)).map((role) => `escalation.contacts.${role}`),
    ...(settings.reportRecipients.length ? [] : ['reportRecipients']),
    ...(settings.complaintSummaryRecipients.length ? [] : ['complaintSummaryRecipients']),
    ...deploymentGaps(deployment),
  ];
  const warnings =
    contacts.supervisor?.phone && !contacts.supervisor.email
      ? ['escalation.contacts.supervisor has a phone but no email: the daily call-back digest is not sent']
      : [];
  return { missing, warnings };
}

/** The survey settings as a stored document may hold them: written before a field was added or renamed. */
type StoredSurveySettings = Partial<Settings['surveys']> & { negativeAlertNpsAtOrBelow?: number };

/**
 * The survey section of stored settings, complete: defaults for fields added later, and the alert
 * threshold read under its earlier name (`negativeAlertNpsAtOrBelow`) when the new one
 * (`alertNpsAtOrBelow`, api-contract.md "Alerts") is absent, so a deployed stack keeps its choice.
 * The old name is dropped: the next change of the settings stores the new one.
 */
export function surveySettingsFromStored(stored: StoredSurveySettings | undefined): Settings['surveys'] {
  const { negativeAlertNpsAtOrBelow, ...current } = stored ?? {};
  return {
    ...DEFAULT_SETTINGS.surveys,
    ...current,
    alertNpsAtOrBelow:
      current.alertNpsAtOrBelow ?? negativeAlertNpsAtOrBelow ?? DEFAULT_SETTINGS.surveys.alertNpsAtOrBelow,
  };
}

/**
 * The settings in force from a stored document: merged over the defaults, so a section added in a
 * later release has values, a KPI added later gets its default target beside the stored ones, and
 * renamed fields are read under their earlier names.
 */
export function settingsFromStored(stored: Partial<Settings> | undefined): Settings {
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    targets: { ...DEFAULT_SETTINGS.targets, ...stored?.targets },
    complaints: { surge: { ...DEFAULT_SETTINGS.complaints.surge, ...stored?.complaints?.surge } },
    surveys: surveySettingsFromStored(stored?.surveys),
    messaging: {
      ...DEFAULT_SETTINGS.messaging,
      ...stored?.messaging,
      prices: { ...DEFAULT_SETTINGS.messaging.prices, ...stored?.messaging?.prices },
    },
    kpis: { ...DEFAULT_SETTINGS.kpis, ...stored?.kpis },
  };
}
