/**
 * Every DynamoDB key of the single table is built here, and only here.
 *
 * Access patterns (table `pk`/`sk`, or index):
 * | pattern                                   | where | partition key                              | sort key                    |
 * |-------------------------------------------|-------|--------------------------------------------|-----------------------------|
 * | interaction by id                         | table | INTERACTION#<id>                           | INTERACTION                 |
 * | interactions of a customer, newest first  | gsi1  | CUSTOMER#<customerId>                      | INTERACTION#<startedAt>#<id>|
 * | interactions of a channel on a day        | gsi2  | INTERACTIONS#<channel>#<utc day>           | <startedAt>#<id>            |
 * | interactions on a day (all channels)      | gsi3  | INTERACTIONS#<utc day>                     | <startedAt>#<id>            |
 * | interactions whose next target is due     | gsi4  | INTERACTIONS#DUE#<utc due day>#<shard 0..3>| <dueAt>#<id>                |
 * |   (sparse: only while a target is undecided; the overdue job reads it)                                           |
 * | open interactions past a target, a team   | gsi5  | INTERACTIONS#OVERDUE#<team or none>        | <startedAt>#<id>            |
 * | open interactions past a target, all      | gsi6  | INTERACTIONS#OVERDUE                       | <startedAt>#<id>            |
 * | open interactions at risk, a team         | gsi5  | INTERACTIONS#ATRISK#<team or none>         | <startedAt>#<id>            |
 * | open interactions at risk, all            | gsi6  | INTERACTIONS#ATRISK                        | <startedAt>#<id>            |
 * |   (sparse, and never both: a contact past a target is overdue, one past a target's warning share only at risk)   |
 * | a team's open work by deadline (sparse)   | gsi7  | INTERACTIONS#OPEN#<team or none>           | <next dueBy>#<id>           |
 * | an agent's interactions, by month         | gsi8  | INTERACTIONS#AGENT#<agentId>#<utc YYYY-MM> | <startedAt>#<id>            |
 * | complaint by id                           | table | COMPLAINT#<id>                             | COMPLAINT                   |
 * | timeline of a complaint, in time order    | table | COMPLAINT#<id>                             | TIMELINE#<at>#<seq>         |
 * | a timeline entry written once, by name    | table | COMPLAINT#<id>                             | ONCE#<name>                 |
 * | complaints of a customer, newest first    | gsi1  | CUSTOMER#<customerId>                      | COMPLAINT#<registeredAt>#<id>|
 * | complaints in a status, by month          | gsi2  | COMPLAINTS#STATUS#<status>#<utc YYYY-MM>   | <registeredAt>#<id>         |
 * | all complaints, by month                  | gsi3  | COMPLAINTS#<utc YYYY-MM>                   | <registeredAt>#<id>         |
 * | breached complaints, by month (sparse)    | gsi4  | COMPLAINTS#BREACHED#<utc YYYY-MM>          | <registeredAt>#<id>         |
 * | open complaints of an assignee (sparse)   | gsi5  | COMPLAINTS#OPEN#ASSIGNEE#<assigneeId>      | <next dueBy or ~>#<id>      |
 * | open complaints of a team (sparse)        | gsi6  | COMPLAINTS#OPEN#TEAM#<team or ~>           | <next dueBy or ~>#<id>      |
 * | open complaints, all (sparse)             | gsi7  | COMPLAINTS#OPEN                            | <next dueBy or ~>#<id>      |
 * | a customer's paused complaints            | table | CUSTOMER#<customerId>                      | PAUSED_COMPLAINT#<id>       |
 * | SLA pause time per agent, one month       | table | PAUSES#<YYYY-MM>                           | AGENT#<agentId>             |
 * | sent message (email/SMS), by message id   | table | MESSAGE#<messageId>                        | MESSAGE                     |
 * | customer profile                          | table | CUSTOMER#<customerId>                      | PROFILE                     |
 * | customer activity counts, latest NPS      | table | CUSTOMER#<customerId>                      | ACTIVITY                    |
 * | customer survey throttle window           | table | CUSTOMER#<customerId>                      | SURVEY_THROTTLE             |
 * | everything of a customer (read, erasure)  | table | CUSTOMER#<customerId>                      | (all)                       |
 * | a report period's row export job          | table | EXPORT#<period>                            | JOB#<id>                    |
 * | a customer's erasure run (job state)      | table | ERASURE#<keyed hash of the id>             | RUN                         |
 * | survey invitation by id                   | table | SURVEY#<surveyId>                          | SURVEY                      |
 * | the one response to a survey              | table | SURVEY#<surveyId>                          | RESPONSE                    |
 * | responses counted on a day (CSV export)   | gsi3  | RESPONSES#<service day>                    | <submittedAt>#<id>          |
 * | commented answers of a month and problem  | table | COMMENTS#<YYYY-MM of service day>#<category>| <lowest score>#<submittedAt>#<surveyId> |
 * |   (a pointer, no text: the report's example comments read the response; erasure removes its comment)              |
 * | surveys of a customer (erasure)           | gsi1  | CUSTOMER#<customerId>                      | SURVEY#<createdAt>#<id>     |
 * | open survey of a subject (one at a time)  | table | SURVEY_SUBJECT#<type>#<subjectId>          | SURVEY_SUBJECT              |
 * | alert by id                               | table | ALERT#<alertId>                            | ALERT                       |
 * | alerts raised on a local day              | gsi2  | ALERTS#<local day>                         | <raisedAt>#<id>             |
 * | open / claimed alerts, soonest due first  | gsi3  | ALERTS#STATUS#open, ALERTS#STATUS#claimed  | <dueBy>#<id>                |
 * | done alerts by the month of the outcome   | gsi3  | ALERTS#STATUS#done#<utc YYYY-MM>           | <outcomeAt>#<id>            |
 * | submissions of a hashed client per window | table | RATE#<scope>#<client hash>                 | WINDOW#<window start>       |
 * | alerts of a customer (erasure)            | gsi1  | CUSTOMER#<customerId>                      | ALERT#<raisedAt>#<id>       |
 * | who erased a customer, and when           | table | ERASURE#<HMAC of the customer id>          | ERASURE                     |
 * | staff member by id                        | table | STAFF#<id>                                 | STAFF                       |
 * | staff directory, by team then id          | gsi1  | STAFF                                      | <team or ~>#<id>            |
 * | settings (current)                        | table | SETTINGS                                   | CURRENT                     |
 * | changes feed: one item per record write   | table | CHANGES#<utc YYYY-MM-DDTHH>#<shard 0..3>   | <changedAt>#<type>#<id>#<version>|
 * |   (written in the record's own transaction; expires after the feed's retention)                                   |
 * | complaint category (edited or added)      | table | CATEGORIES                                 | CATEGORY#<code>             |
 * | the category list's version               | table | CATEGORIES                                 | LIST                        |
 * |   (the whole list is one small partition: built-ins nobody edited are not stored)                                 |
 * | goal (a KPI to reach by a date)           | table | GOALS                                      | GOAL#<id>                   |
 * |   (a manager's handful of goals: one small partition, read whole by GET /goals and /metrics)                        |
 * | settings history (every version)          | table | SETTINGS                                   | V#<version, 8 digits>       |
 * | improvement action by id                  | table | IMPROVEMENT#<id>                           | IMPROVEMENT                 |
 * | improvement actions by status, due first  | gsi1  | IMPROVEMENTS#<status>                      | <dueDate>#<id>              |
 * | suggestion by id                          | table | SUGGESTION#<id>                            | SUGGESTION                  |
 * | suggestions of a status and month         | gsi1  | SUGGESTIONS#<status>#<YYYY-MM>             | <createdAt>#<id>            |
 * | suggestions of a month (any status)       | gsi3  | SUGGESTIONS#<YYYY-MM>                      | <createdAt>#<id>            |
 * | published suggestions of a month (sparse) | gsi2  | SUGGESTIONS#PUBLISHED#<YYYY-MM>            | <createdAt>#<id>            |
 * | published, of a status and month (sparse) | gsi5  | SUGGESTIONS#PUBLISHED#<status>#<YYYY-MM>   | <createdAt>#<id>            |
 * | suggestions of a customer (erasure)       | gsi4  | CUSTOMER#<customerId>                      | SUGGESTION#<createdAt>#<id> |
 * | board suggestions left with a contact     | gsi4  | CONTACT#<fingerprint of the contact>       | SUGGESTION#<createdAt>#<id> |
 * |   (sparse: erasure finds them from the profile's phone and email)                                                  |
 * | follow-up task by id (deterministic)      | table | FOLLOWUP#<task id>                         | TASK                        |
 * | follow-up tasks due on a day (pending only)| gsi2 | FOLLOWUPS#DUE#<utc day>#<shard 0..3>      | <dueAt>#<task id>           |
 * | follow-ups that failed, by month          | gsi3  | FOLLOWUPS#FAILED#<YYYY-MM>                 | <failedAt>#<task id>        |
 * | follow-up tasks of a customer (erasure)   | gsi1  | CUSTOMER#<customerId>                      | FOLLOWUP#<createdAt>#<task id>|
 * | addresses that bounced / opted out        | table | CUSTOMER#<customerId>                      | CONTACT_STATUS              |
 * | customers who complained about a category | table | WATCH#<category>#<YYYY-MM>                 | CUSTOMER#<customerId>       |
 * | a customer's watch items (erasure)        | gsi1  | CUSTOMER#<customerId>                      | WATCH#<category>#<YYYY-MM>  |
 * | monthly report of a month                 | table | REPORT#<YYYY-MM>                           | REPORT                      |
 * | the report's email delivery (once)        | table | REPORT#<YYYY-MM>                           | EMAIL                       |
 * | KPI counters of a month, one shard        | table | AGG#<YYYY-MM>#<shard 0..3>                 | <day>#<channel>#<team>#<slot 0..255> |
 * | KPI counters per agent, one shard         | table | AGGAGENT#<YYYY-MM>#<shard 0..3>            | <day>#<team>#<agentId>#<slot 0..255> |
 * | record a client request created (replay)  | table | REQUEST#<route>#<sha256(caller, key)>      | REQUEST                     |
 * | customers in a segment (sparse: members)  | table | SEGMENT#<segment>                          | <tier or none>#<customerId> |
 * | a questionnaire: its head (status, newest) | table | QUESTIONNAIRE#<id>                         | HEAD                        |
 * | a questionnaire's published version       | table | QUESTIONNAIRE#<id>                         | V#<version, 6 digits>       |
 * | a questionnaire's draft of a version      | table | QUESTIONNAIRE#<id>                         | DRAFT#<version, 6 digits>   |
 * | every questionnaire (tens), by id         | gsi1  | QUESTIONNAIRES                             | <id>                        |
 * | a customer's segments as last listed      | table | CUSTOMER#<customerId>                      | SEGMENTS                    |
 * | a customer's activity in a month (audience)| table | CUSTOMER#<customerId>                      | AUDIENCE#<kind>#<YYYY-MM>   |
 * | customers active / complaining in a month | gsi2  | AUDIENCE#<active|complained>#<YYYY-MM>#<shard 0..3> | <customerId>  |
 * |   (one small item per customer and month, its local days and teams in sets: a campaign's audience;               |
 * |    a write retried after a conflict adds to a spread item, sort key + `#<shard>.<slot>`, as counter cells do)    |
 * | campaign by id                            | table | CAMPAIGN#<id>                              | CAMPAIGN                    |
 * | campaigns of a status, newest first       | gsi1  | CAMPAIGNS#<status>                         | <createdAt>#<id>            |
 * | recurring waves to continue (sparse)      | gsi2  | CAMPAIGNS#RECURRING                        | <createdAt>#<id>            |
 * |   (a recurring campaign's latest wave, launched and not cancelled: one item per live chain)                       |
 * | drafts whose estimate is pending (sparse) | gsi2  | CAMPAIGNS#ESTIMATING                       | <estimateStartedAt>#<id>    |
 * |   (the wave job restarts an estimate job started too long ago: a range of the sort key, only the stale ones)    |
 *
 * Aggregate counters are spread over AGGREGATE_SHARDS partitions per month and, inside each,
 * over up to AGGREGATE_SLOTS items per cell; every write picks its partition and slot at random
 * (again, from a wider range, on each retry after a conflict) — one pick for all the cells it touches,
 * so a write's team cell and agent cell never collide apart — and concurrent increments of one busy day × channel × team rarely
 * meet on one item (real DynamoDB cancels transactions that do: TransactionConflict) and
 * never in one partition. Readers sum every item of a cell; a metrics call still reads
 * months × shards partitions whatever the volume.
 * Day partitions spread a busy month over ~30 partitions per channel, so no
 * partition takes more than a day's writes of one channel (far below 1,000 WCU/s).
 * Complaints are a few percent of contacts: a month partition per status takes every change
 * of that month's complaints (at 10× the expected 2,000 complaints a day, ~2 writes/s), and
 * lists walk month partitions newest first, so no list reads more than its date range.
 */
import type { ContactChannel } from '../schemas/common.js';

export type Key = { pk: string; sk: string };

export const interactionKeys = {
  item: (id: string): Key => ({ pk: `INTERACTION#${id}`, sk: 'INTERACTION' }),
  byCustomer: (customerId: string, startedAt: string, id: string) => ({
    gsi1pk: interactionKeys.customerPartition(customerId),
    gsi1sk: `INTERACTION#${startedAt}#${id}`,
  }),
  customerPartition: (customerId: string) => `CUSTOMER#${customerId}`,
  customerSortPrefix: 'INTERACTION#',
  byChannelDay: (channel: ContactChannel, startedAt: string, id: string) => ({
    gsi2pk: interactionKeys.channelDayPartition(channel, startedAt.slice(0, 10)),
    gsi2sk: `${startedAt}#${id}`,
  }),
  channelDayPartition: (channel: ContactChannel, utcDay: string) => `INTERACTIONS#${channel}#${utcDay}`,
  byDay: (startedAt: string, id: string) => ({
    gsi3pk: interactionKeys.dayPartition(startedAt.slice(0, 10)),
    gsi3sk: `${startedAt}#${id}`,
  }),
  dayPartition: (utcDay: string) => `INTERACTIONS#${utcDay}`,
  /** Sparse due index: the next target time of a contact whose answer or resolution is still undecided. */
  due: (dueAt: string, id: string, shard: number) => ({
    gsi4pk: interactionKeys.duePartition(dueAt.slice(0, 10), shard),
    gsi4sk: `${dueAt}#${id}`,
  }),
  duePartition: (utcDay: string, shard: number) => `INTERACTIONS#DUE#${utcDay}#${shard}`,
  /** Sparse: open contacts past a target, by team and for everyone, oldest first. */
  overdue: (team: string, startedAt: string, id: string) => ({
    gsi5pk: interactionKeys.overdueTeamPartition(team),
    gsi5sk: `${startedAt}#${id}`,
    gsi6pk: interactionKeys.overdueAllPartition,
    gsi6sk: `${startedAt}#${id}`,
  }),
  overdueTeamPartition: (team: string) => `INTERACTIONS#OVERDUE#${team}`,
  overdueAllPartition: 'INTERACTIONS#OVERDUE',
  /** Sparse, in the same two indexes: open contacts past a target's warning share, not (yet) past the target. */
  atRisk: (team: string, startedAt: string, id: string) => ({
    gsi5pk: interactionKeys.atRiskTeamPartition(team),
    gsi5sk: `${startedAt}#${id}`,
    gsi6pk: interactionKeys.atRiskAllPartition,
    gsi6sk: `${startedAt}#${id}`,
  }),
  atRiskTeamPartition: (team: string) => `INTERACTIONS#ATRISK#${team}`,
  atRiskAllPartition: 'INTERACTIONS#ATRISK',
  /** Sparse: a team's open work (unresolved, not abandoned) by its next deadline, passed ones first. */
  openWork: (team: string, dueBy: string, id: string) => ({
    gsi7pk: interactionKeys.openWorkPartition(team),
    gsi7sk: `${dueBy}#${id}`,
  }),
  openWorkPartition: (team: string) => `INTERACTIONS#OPEN#${team}`,
  /** An agent's contacts by month, newest first: an agent filter is a key, so its pages come back full. */
  byAgent: (agentId: string, startedAt: string, id: string) => ({
    gsi8pk: interactionKeys.agentMonthPartition(agentId, startedAt.slice(0, 7)),
    gsi8sk: `${startedAt}#${id}`,
  }),
  agentMonthPartition: (agentId: string, utcMonth: string) => `INTERACTIONS#AGENT#${agentId}#${utcMonth}`,
};

/** The changes feed (GET /changes): an hour's writes spread over shards by record id, so no partition takes them all. */
export const changeKeys = {
  partition: (utcHour: string, shard: number) => `CHANGES#${utcHour}#${shard}`,
  item: (changedAt: string, type: string, id: string, version: number, shard: number): Key => ({
    pk: changeKeys.partition(changedAt.slice(0, 13), shard),
    sk: `${changedAt}#${type}#${id}#${String(version).padStart(10, '0')}`,
  }),
};
export const CHANGE_SHARDS = 4;

/** Shards of the interaction due index per day, so a busy day's target times never meet in one partition. */
export const INTERACTION_DUE_SHARDS = 4;

/** A customer's own items share one partition, so one Query reads (or erases) them all. */
export const customerKeys = {
  partition: (customerId: string) => `CUSTOMER#${customerId}`,
  profile: (customerId: string): Key => ({ pk: customerKeys.partition(customerId), sk: 'PROFILE' }),
  activity: (customerId: string): Key => ({ pk: customerKeys.partition(customerId), sk: 'ACTIVITY' }),
  surveyThrottle: (customerId: string): Key => ({ pk: customerKeys.partition(customerId), sk: 'SURVEY_THROTTLE' }),
};

/**
 * Pointers to the valid, not-praising commented answers of a month and problem category, the
 * lowest-scored first: the report's example comments (s002 "客户原话") read the first few of each
 * top problem, however many answers the month holds. No comment text is copied here.
 */
export const commentExampleKeys = {
  partition: (month: string, category: string) => `COMMENTS#${month}#${category}`,
  item: (month: string, category: string, lowestScore: number, submittedAt: string, surveyId: string): Key => ({
    pk: commentExampleKeys.partition(month, category),
    sk: `${lowestScore}#${submittedAt}#${surveyId}`,
  }),
};

export const surveyKeys = {
  item: (id: string): Key => ({ pk: `SURVEY#${id}`, sk: 'SURVEY' }),
  response: (surveyId: string): Key => ({ pk: `SURVEY#${surveyId}`, sk: 'RESPONSE' }),
  /** Responses by the day they are counted under (their subject's service day), for the month's row export. */
  responseByDay: (serviceDay: string, submittedAt: string, id: string) => ({
    gsi3pk: surveyKeys.responseDayPartition(serviceDay),
    gsi3sk: `${submittedAt}#${id}`,
  }),
  responseDayPartition: (serviceDay: string) => `RESPONSES#${serviceDay}`,
  byCustomer: (customerId: string, createdAt: string, id: string) => ({
    gsi1pk: interactionKeys.customerPartition(customerId),
    gsi1sk: `${surveyKeys.customerSortPrefix}${createdAt}#${id}`,
  }),
  customerSortPrefix: 'SURVEY#',
  subject: (type: string, subjectId: string): Key => ({
    pk: `SURVEY_SUBJECT#${type}#${subjectId}`,
    sk: 'SURVEY_SUBJECT',
  }),
  /** Beside the subject's marker: its automatic invitation was throttled (counted once). */
  throttledSubject: (type: string, subjectId: string): Key => ({
    pk: `SURVEY_SUBJECT#${type}#${subjectId}`,
    sk: 'THROTTLED',
  }),
};

/**
 * A category's complaints per UTC day and hour, spread over SURGE_COUNT_SHARDS items a day so
 * concurrent registrations rarely meet on one item; the surge check reads the category's last 29
 * days (≤ 29 × 4 small items) in one Query. The marker of a day's surge makes it open once.
 */
export const surgeKeys = {
  partition: (category: string) => `SURGE#${category}`,
  count: (category: string, utcDay: string, shard: number): Key => ({
    pk: surgeKeys.partition(category),
    sk: `COUNT#${utcDay}#${shard}`,
  }),
  /** Sort-key bounds of the count items of the days `from`..`to`. */
  countRange: (from: string, to: string): [string, string] => [`COUNT#${from}#`, `COUNT#${to}#~`],
  raised: (category: string, localDay: string): Key => ({
    pk: surgeKeys.partition(category),
    sk: `RAISED#${localDay}`,
  }),
  /** Surge alerts by the local month they opened in (report, weekly summary). */
  byMonth: (localDay: string, raisedAt: string, id: string) => ({
    gsi4pk: surgeKeys.monthPartition(localDay.slice(0, 7)),
    gsi4sk: `${raisedAt}#${id}`,
  }),
  monthPartition: (month: string) => `SURGES#${month}`,
};
export const SURGE_COUNT_SHARDS = 4;

/** Alerts for human follow-up; a day partition holds only that day's alerts (a small share of responses). */
export const alertKeys = {
  item: (id: string): Key => ({ pk: `ALERT#${id}`, sk: 'ALERT' }),
  byDay: (localDay: string, raisedAt: string, id: string) => ({
    gsi2pk: alertKeys.dayPartition(localDay),
    gsi2sk: `${raisedAt}#${id}`,
  }),
  dayPartition: (localDay: string) => `ALERTS#${localDay}`,
  /** The call-back queue by status: open and claimed ones are few (they get handled); done ones by month. */
  statusPartition: (status: 'open' | 'claimed' | 'done', month?: string) =>
    status === 'done' ? `ALERTS#STATUS#done#${month}` : `ALERTS#STATUS#${status}`,
  byStatus: (status: 'open' | 'claimed' | 'done', sortInstant: string, id: string, month?: string) => ({
    gsi3pk: alertKeys.statusPartition(status, month),
    gsi3sk: `${sortInstant}#${id}`,
  }),
  byCustomer: (customerId: string, raisedAt: string, id: string) => ({
    gsi1pk: interactionKeys.customerPartition(customerId),
    gsi1sk: `${alertKeys.customerSortPrefix}${raisedAt}#${id}`,
  }),
  customerSortPrefix: 'ALERT#',
};

export const AGGREGATE_SHARDS = 4;
/**
 * At most this many items per cell inside one shard partition (sort-key suffix): up to 4 × 256 = 1,024
 * for a cell so hot that its writes kept meeting through three retries (a few hundred KB to read, once
 * per metrics call for that day — bounded, and only where the contention was). An ordinary cell stays at
 * 4 items; the width is what keeps 64 concurrent writers on one agent from running out of attempts
 * while transactions stay in flight for seconds (DynamoDB Local under load).
 */
export const AGGREGATE_SLOTS = 256;

export const aggregateKeys = {
  cell: (cell: { day: string; channel: string; team: string }, shard: number, slot = 0): Key => ({
    pk: aggregateKeys.monthPartition(cell.day.slice(0, 7), shard),
    sk: `${cell.day}#${cell.channel}#${cell.team}#${slot}`,
  }),
  monthPartition: (month: string, shard: number) => `AGG#${month}#${shard}`,
  /** Sort-key bounds for the days `from`..`to` inside a month partition. */
  dayRange: (from: string, to: string): [string, string] => [`${from}#`, `${to}#~`],
  /** The cell a stored aggregate item describes (items written before slots existed have no slot suffix). */
  parseCell: (sk: string) => {
    const [day = '', channel = '', team = ''] = sk.split('#');
    return { day, channel, team };
  },
  /** A per-agent cell: the agent's counters of one day and team, over all channels. */
  agentCell: (cell: { day: string; team: string; agent: string }, shard: number, slot = 0): Key => ({
    pk: aggregateKeys.agentMonthPartition(cell.day.slice(0, 7), shard),
    sk: `${cell.day}#${cell.team}#${cell.agent}#${slot}`,
  }),
  agentMonthPartition: (month: string, shard: number) => `AGGAGENT#${month}#${shard}`,
  parseAgentCell: (sk: string) => {
    const [day = '', team = '', agent = ''] = sk.split('#');
    return { day, channel: 'all', team, agent };
  },
};

/**
 * Segment lists (at_risk, detractor, frequent_complainer): one member item per customer in a
 * segment, keyed by tier so `?tier=` is a key condition. Only members are stored (a small share of
 * customers), written when a customer's activity changes, never scanned for.
 */
export const segmentKeys = {
  partition: (segment: string) => `SEGMENT#${segment}`,
  member: (segment: string, tier: string, customerId: string): Key => ({
    pk: segmentKeys.partition(segment),
    sk: `${tier}#${customerId}`,
  }),
  record: (customerId: string): Key => ({ pk: customerKeys.partition(customerId), sk: 'SEGMENTS' }),
};

/** Complaint items live in month partitions of their UTC registration month. */
const monthOf = (instant: string) => instant.slice(0, 7);

export const complaintKeys = {
  item: (id: string): Key => ({ pk: `COMPLAINT#${id}`, sk: 'COMPLAINT' }),
  partition: (id: string) => `COMPLAINT#${id}`,
  timelinePrefix: 'TIMELINE#',
  /** A timeline entry: ordered by time, then by `suffix` (sequence within one write, or a deterministic name). */
  timeline: (id: string, at: string, suffix: string): Key => ({
    pk: `COMPLAINT#${id}`,
    sk: `TIMELINE#${at}#${suffix}`,
  }),
  /** Marks a named timeline entry as written (what makes `recordOnce` once, whatever the entry's time). */
  once: (id: string, name: string): Key => ({ pk: `COMPLAINT#${id}`, sk: `ONCE#${name}` }),
  byCustomer: (customerId: string, registeredAt: string, id: string) => ({
    gsi1pk: complaintKeys.customerPartition(customerId),
    gsi1sk: `${complaintKeys.customerSortPrefix}${registeredAt}#${id}`,
  }),
  /** A customer's partition of gsi1, shared with their interactions (sort keys tell them apart). */
  customerPartition: (customerId: string) => interactionKeys.customerPartition(customerId),
  customerSortPrefix: 'COMPLAINT#',
  byStatus: (status: string, registeredAt: string, id: string) => ({
    gsi2pk: complaintKeys.statusPartition(status, monthOf(registeredAt)),
    gsi2sk: `${registeredAt}#${id}`,
  }),
  statusPartition: (status: string, month: string) => `COMPLAINTS#STATUS#${status}#${month}`,
  byMonth: (registeredAt: string, id: string) => ({
    gsi3pk: complaintKeys.monthPartition(monthOf(registeredAt)),
    gsi3sk: `${registeredAt}#${id}`,
  }),
  monthPartition: (month: string) => `COMPLAINTS#${month}`,
  breached: (registeredAt: string, id: string) => ({
    gsi4pk: complaintKeys.breachedPartition(monthOf(registeredAt)),
    gsi4sk: `${registeredAt}#${id}`,
  }),
  breachedPartition: (month: string) => `COMPLAINTS#BREACHED#${month}`,
  /**
   * Sparse: only complaints not yet closed carry these, ordered by the deadline of their next open
   * milestone (`~`, after every instant, when none runs: paused or all met), so the agent home's
   * "my open complaints, nearest deadline first" is one Query. Open complaints are the few days'
   * work in progress, and each changes a handful of times: even the all-open partition takes well
   * under one write a second at 10× the expected volume.
   */
  open: (
    complaint: { id: string; assigneeId?: string | undefined; team?: string | undefined },
    dueBy: string | null,
  ) => {
    const sk = `${dueBy ?? '~'}#${complaint.id}`;
    return {
      ...(complaint.assigneeId
        ? { gsi5pk: complaintKeys.openOfAssigneePartition(complaint.assigneeId), gsi5sk: sk }
        : {}),
      gsi6pk: complaintKeys.openOfTeamPartition(complaint.team),
      gsi6sk: sk,
      gsi7pk: complaintKeys.openPartition,
      gsi7sk: sk,
    };
  },
  openOfAssigneePartition: (assigneeId: string) => `COMPLAINTS#OPEN#ASSIGNEE#${assigneeId}`,
  openOfTeamPartition: (team: string | undefined) => `COMPLAINTS#OPEN#TEAM#${team ?? '~'}`,
  openPartition: 'COMPLAINTS#OPEN',
  /** Marks a complaint awaiting the customer, so the customer's next contact can resume it with one small Query. */
  pausedMarker: (customerId: string, id: string): Key => ({
    pk: `CUSTOMER#${customerId}`,
    sk: `${complaintKeys.pausedMarkerPrefix}${id}`,
  }),
  pausedMarkerPrefix: 'PAUSED_COMPLAINT#',
  pausedMarkerPartition: (customerId: string) => `CUSTOMER#${customerId}`,
  pausesOfAgent: (month: string, agentId: string): Key => ({
    pk: complaintKeys.pausesPartition(month),
    sk: `AGENT#${agentId}`,
  }),
  pausesPartition: (month: string) => `PAUSES#${month}`,
};

export const messageKeys = {
  item: (messageId: string): Key => ({ pk: `MESSAGE#${messageId}`, sk: 'MESSAGE' }),
  /** A provider's id of a sent message → ours, where its receipts name only the provider's (SNS SMS delivery status). */
  provider: (channel: string, providerMessageId: string): Key => ({
    pk: `PROVIDER#${channel}#${providerMessageId}`,
    sk: 'MESSAGE',
  }),
};

/**
 * Messaging counters (sent, segments, list cost per channel; survey messages and invitations),
 * written with the ledger's "sent" mark: cells of local day × channel in AGGREGATE_SHARDS
 * partitions per month (a shard and slot per write, like the KPI counters), so `/metrics`
 * reads months × shards partitions whatever the number of messages.
 */
export const messagingCounterKeys = {
  cell: (day: string, channel: string, shard: number, slot = 0): Key => ({
    pk: messagingCounterKeys.monthPartition(day.slice(0, 7), shard),
    sk: `${day}#${channel}#${slot}`,
  }),
  monthPartition: (month: string, shard: number) => `MSGAGG#${month}#${shard}`,
  dayRange: (from: string, to: string): [string, string] => [`${from}#`, `${to}#~`],
  parseCell: (sk: string) => {
    const [day = '', channel = ''] = sk.split('#');
    return { day, channel };
  },
};

/** Improvement actions are few (tens a month): one partition per status is far from any limit. */
export const improvementKeys = {
  item: (id: string): Key => ({ pk: `IMPROVEMENT#${id}`, sk: 'IMPROVEMENT' }),
  byStatus: (status: string, dueDate: string, id: string) => ({
    gsi1pk: improvementKeys.statusPartition(status),
    gsi1sk: `${dueDate}#${id}`,
  }),
  statusPartition: (status: string) => `IMPROVEMENTS#${status}`,
};

/** Submissions from one (hashed) client address in one time window, for a rate limit. */
export const rateKeys = {
  window: (scope: string, client: string, windowStart: number): Key => ({
    pk: `RATE#${scope}#${client}`,
    sk: `WINDOW#${windowStart}`,
  }),
};

export const suggestionKeys = {
  item: (id: string): Key => ({ pk: `SUGGESTION#${id}`, sk: 'SUGGESTION' }),
  byStatus: (status: string, createdAt: string, id: string) => ({
    gsi1pk: suggestionKeys.statusMonthPartition(status, createdAt.slice(0, 7)),
    gsi1sk: `${createdAt}#${id}`,
  }),
  statusMonthPartition: (status: string, month: string) => `SUGGESTIONS#${status}#${month}`,
  byMonth: (createdAt: string, id: string) => ({
    gsi3pk: suggestionKeys.monthPartition(createdAt.slice(0, 7)),
    gsi3sk: `${createdAt}#${id}`,
  }),
  monthPartition: (month: string) => `SUGGESTIONS#${month}`,
  /** Sparse: only suggestions a manager approved for publication are on the public board's indexes. */
  published: (status: string, createdAt: string, id: string) => ({
    gsi2pk: suggestionKeys.publishedPartition(createdAt.slice(0, 7)),
    gsi2sk: `${createdAt}#${id}`,
    gsi5pk: suggestionKeys.publishedStatusPartition(status, createdAt.slice(0, 7)),
    gsi5sk: `${createdAt}#${id}`,
  }),
  publishedPartition: (month: string) => `SUGGESTIONS#PUBLISHED#${month}`,
  publishedStatusPartition: (status: string, month: string) => `SUGGESTIONS#PUBLISHED#${status}#${month}`,
  /** Sparse: a suggestion made for a known customer, so erasure finds it with one Query. */
  byCustomer: (customerId: string, createdAt: string, id: string) => ({
    gsi4pk: interactionKeys.customerPartition(customerId),
    gsi4sk: `${suggestionKeys.customerSortPrefix}${createdAt}#${id}`,
  }),
  /** Sparse: a board suggestion that left a contact (no customer id), by a fingerprint of that contact. */
  byContact: (fingerprint: string, createdAt: string, id: string) => ({
    gsi4pk: suggestionKeys.contactPartition(fingerprint),
    gsi4sk: `${suggestionKeys.customerSortPrefix}${createdAt}#${id}`,
  }),
  contactPartition: (fingerprint: string) => `CONTACT#${fingerprint}`,
  customerSortPrefix: 'SUGGESTION#',
};

/**
 * Follow-up tasks. Only pending tasks carry the due-index keys (a sparse index), spread
 * over 4 shards per day, so the job's Query finds due work without reading finished tasks.
 */
export const FOLLOWUP_SHARDS = 4;
export const followUpKeys = {
  task: (taskId: string): Key => ({ pk: `FOLLOWUP#${taskId}`, sk: 'TASK' }),
  due: (taskId: string, dueAt: string, shard: number) => ({
    gsi2pk: followUpKeys.duePartition(dueAt.slice(0, 10), shard),
    gsi2sk: `${dueAt}#${taskId}`,
  }),
  duePartition: (utcDay: string, shard: number) => `FOLLOWUPS#DUE#${utcDay}#${shard}`,
  failed: (taskId: string, failedAt: string) => ({
    gsi3pk: followUpKeys.failedPartition(failedAt.slice(0, 7)),
    gsi3sk: `${failedAt}#${taskId}`,
  }),
  failedPartition: (month: string) => `FOLLOWUPS#FAILED#${month}`,
  contactStatus: (customerId: string): Key => ({ pk: customerKeys.partition(customerId), sk: 'CONTACT_STATUS' }),
  /** A task that concerns a customer, so erasure finds it (and its stored provider errors) with one Query. */
  byCustomer: (customerId: string, createdAt: string, taskId: string) => ({
    gsi1pk: interactionKeys.customerPartition(customerId),
    gsi1sk: `${followUpKeys.customerSortPrefix}${createdAt}#${taskId}`,
  }),
  customerSortPrefix: 'FOLLOWUP#',
};

/** Who complained about what, per month: whom to tell when an improvement on that category is verified. */
export const complaintWatchKeys = {
  watcher: (category: string, month: string, customerId: string): Key => ({
    pk: complaintWatchKeys.partition(category, month),
    sk: `CUSTOMER#${customerId}`,
  }),
  partition: (category: string, month: string) => `WATCH#${category}#${month}`,
  customerOf: (sk: string) => sk.slice('CUSTOMER#'.length),
  byCustomer: (customerId: string, category: string, month: string) => ({
    gsi1pk: interactionKeys.customerPartition(customerId),
    gsi1sk: `${complaintWatchKeys.customerSortPrefix}${category}#${month}`,
  }),
  customerSortPrefix: 'WATCH#',
};

/** A client request (route, caller, Idempotency-Key) and the record it created; the key is hashed, never stored. */
export const requestKeys = {
  item: (route: string, digest: string): Key => ({ pk: `${requestKeys.prefix}${route}#${digest}`, sk: 'REQUEST' }),
  prefix: 'REQUEST#',
};

export const reportKeys = {
  report: (month: string): Key => ({ pk: `REPORT#${month}`, sk: 'REPORT' }),
  email: (month: string): Key => ({ pk: `REPORT#${month}`, sk: 'EMAIL' }),
};

/** Background jobs (shared/jobs): a row export of a report period; a customer's erasure run (by the erasure digest). */
export const jobKeys = {
  reportExport: (period: string, id: string): Key => ({ pk: `EXPORT#${period}`, sk: `JOB#${id}` }),
  erasureRun: (digest: string): Key => ({ pk: `ERASURE#${digest}`, sk: 'RUN' }),
};

/** The erasure of a customer, by a keyed hash of their id (names nobody; found again from the id). */
export const erasureKeys = {
  item: (digest: string): Key => ({ pk: `ERASURE#${digest}`, sk: 'ERASURE' }),
};

/**
 * The staff directory: one item per member, and one small directory partition (gsi1) ordered by
 * team then id, so `GET /staff?team=` is one Query. Staff are hundreds, not millions, and change
 * rarely: the partition stays far below any item-collection or throughput limit.
 */
export const staffKeys = {
  item: (id: string): Key => ({ pk: `STAFF#${id}`, sk: 'STAFF' }),
  directory: (team: string | null, id: string) => ({
    gsi1pk: staffKeys.directoryPartition,
    gsi1sk: `${team ?? staffKeys.noTeam}#${id}`,
  }),
  directoryPartition: 'STAFF',
  /** Sorts after every team id (ids never hold `~`): members without a team come last. */
  noTeam: '~',
  /** Sort-key prefix of one team's members (team ids never hold `#`, so no team is the prefix of another's). */
  teamPrefix: (team: string) => `${team}#`,
};

/** The managed category list: one small partition (tens of items), read whole or one code at a time. */
export const goalKeys = {
  item: (id: string): Key => ({ pk: goalKeys.partition, sk: `GOAL#${id}` }),
  partition: 'GOALS',
};

export const categoryKeys = {
  item: (code: string): Key => ({ pk: categoryKeys.partition, sk: `${categoryKeys.sortPrefix}${code}` }),
  /** The list's own version: every edit moves it on, so edits of the list are serialised (no concurrent cycles). */
  head: (): Key => ({ pk: categoryKeys.partition, sk: 'LIST' }),
  partition: 'CATEGORIES',
  sortPrefix: 'CATEGORY#',
};

/**
 * Questionnaires: a head item (status, newest published version, the version a draft is open for),
 * one immutable item per published version, one item per draft. They are tens, edited by managers:
 * the directory partition on gsi1 is tiny.
 */
export const questionnaireKeys = {
  head: (id: string): Key => ({ pk: `QUESTIONNAIRE#${id}`, sk: 'HEAD' }),
  version: (id: string, version: number): Key => ({
    pk: `QUESTIONNAIRE#${id}`,
    sk: `V#${String(version).padStart(6, '0')}`,
  }),
  draft: (id: string, version: number): Key => ({
    pk: `QUESTIONNAIRE#${id}`,
    sk: `DRAFT#${String(version).padStart(6, '0')}`,
  }),
  directory: (id: string) => ({ gsi1pk: questionnaireKeys.directoryPartition, gsi1sk: id }),
  directoryPartition: 'QUESTIONNAIRES',
};

/**
 * A campaign's audience (contract "Campaigns (v1.2)"): one item per customer and local month they
 * were active (any contact or complaint) or complained, written in the same transaction as the
 * record, its local days and teams added to sets. A sparse gsi2 partition per kind, month and shard
 * lists them: "active between" reads months × AUDIENCE_SHARDS partitions of small items, one per
 * customer, never the records themselves and never a Scan. The shard is a hash of the customer id,
 * so a month's writes spread over AUDIENCE_SHARDS partitions. A write retried after a
 * TransactionConflict adds to a spread item of the marker (`spread`: the counter item its attempt
 * picked, `<shard>.<slot>`), so many concurrent contacts of ONE customer do not all meet on one item;
 * readers merge a customer's items. An uncontended customer keeps one item per kind and month.
 */
export const AUDIENCE_SHARDS = 4;
export type AudienceKind = 'active' | 'complained';
export const audienceKeys = {
  marker: (customerId: string, kind: AudienceKind, month: string, spread?: string): Key => ({
    pk: customerKeys.partition(customerId),
    sk: `AUDIENCE#${kind}#${month}${spread ? `#${spread}` : ''}`,
  }),
  byMonth: (customerId: string, kind: AudienceKind, month: string, shard: number) => ({
    gsi2pk: audienceKeys.monthPartition(kind, month, shard),
    gsi2sk: customerId,
  }),
  monthPartition: (kind: AudienceKind, month: string, shard: number) => `AUDIENCE#${kind}#${month}#${shard}`,
};

/** Campaigns are tens a month: one gsi1 partition per status lists them, newest first. */
export const campaignKeys = {
  item: (id: string): Key => ({ pk: `CAMPAIGN#${id}`, sk: 'CAMPAIGN' }),
  byStatus: (status: string, createdAt: string, id: string) => ({
    gsi1pk: campaignKeys.statusPartition(status),
    gsi1sk: `${createdAt}#${id}`,
  }),
  statusPartition: (status: string) => `CAMPAIGNS#${status}`,
  /** Sparse: a recurring campaign's latest wave, while its chain goes on (the wave job's list). */
  recurring: (createdAt: string, id: string) => ({
    gsi2pk: campaignKeys.recurringPartition,
    gsi2sk: `${createdAt}#${id}`,
  }),
  recurringPartition: 'CAMPAIGNS#RECURRING',
  /** Sparse: a draft whose estimate is pending, by when its estimate job was last started (the wave job's list). */
  estimating: (estimateStartedAt: string, id: string) => ({
    gsi2pk: campaignKeys.estimatingPartition,
    gsi2sk: `${estimateStartedAt}#${id}`,
  }),
  estimatingPartition: 'CAMPAIGNS#ESTIMATING',
};

export const settingsKeys = {
  current: (): Key => ({ pk: 'SETTINGS', sk: 'CURRENT' }),
  version: (version: number): Key => ({
    pk: 'SETTINGS',
    sk: `${settingsKeys.versionPrefix}${String(version).padStart(8, '0')}`,
  }),
  versionPrefix: 'V#',
};

/** Entity type tag stored on every item, so a stream consumer or an export can tell items apart. */
export const EntityType = {
  interaction: 'interaction',
  complaint: 'complaint',
  complaintTimeline: 'complaint_timeline',
  complaintTimelineMark: 'complaint_timeline_mark',
  complaintPaused: 'complaint_paused',
  pauseTotals: 'pause_totals',
  message: 'message',
  messagePointer: 'message_pointer',
  messagingCounter: 'messaging_counter',
  aggregate: 'aggregate',
  report: 'report',
  followUp: 'follow-up',
  contactStatus: 'contact-status',
  complaintWatch: 'complaint-watch',
  improvement: 'improvement',
  suggestion: 'suggestion',
  reportEmail: 'report-email',
  settings: 'settings',
  customer: 'customer',
  customerErasure: 'customer_erasure',
  exportJob: 'export_job',
  customerActivity: 'customer_activity',
  surveyThrottle: 'survey_throttle',
  survey: 'survey',
  surveyResponse: 'survey_response',
  commentExample: 'comment_example',
  surveySubject: 'survey_subject',
  alert: 'alert',
  surgeCount: 'surge_count',
  surgeRaised: 'surge_raised',
  change: 'change',
  request: 'request',
  staff: 'staff',
  category: 'category',
  goal: 'goal',
  segmentMember: 'segment_member',
  questionnaire: 'questionnaire',
  questionnaireVersion: 'questionnaire_version',
  questionnaireDraft: 'questionnaire_draft',
  customerSegments: 'customer_segments',
  audienceMarker: 'audience_marker',
  campaign: 'campaign',
} as const;
