/**
 * The eight screens of a CareLoop console, each loaded in at most three calls with @careloop/client.
 * Every type below comes from the generated schema: no hand-written type, no cast. README.md walks
 * through them; test/screens.http.test.ts runs each against the local runtime and counts its calls.
 */
import { type CareLoopClient, ok, settle } from '../src/index.js';
import type { components } from '../src/schema.js';

type Schemas = components['schemas'];

/** 1. Agent home: who I am and my clock, my open complaints and contacts, nearest deadline first. 3 calls. */
export async function agentHome(api: CareLoopClient) {
  const [me, complaints, contacts] = await Promise.all([
    ok(api.GET('/me')),
    ok(api.GET('/complaints', { params: { query: { assigneeId: 'me', open: 'true', sort: 'nextDeadline' } } })),
    ok(api.GET('/interactions', { params: { query: { agentId: 'me', status: 'open', sort: 'nextDeadline' } } })),
  ]);
  return {
    me: { name: me.name ?? me.sub, timezone: me.timezone, serverNow: me.serverNow },
    complaints: complaints.items.map((row) => ({
      id: row.id,
      customer: row.customer.name ?? row.customer.id,
      tier: row.customer.tier,
      due: row.nextDeadline && { milestone: row.nextDeadline.milestone, secondsLeft: row.nextDeadline.secondsLeft },
      buttons: row.allowedEvents,
    })),
    contacts: contacts.items.map((row) => ({
      id: row.id,
      channel: row.channel,
      customer: row.customer.name ?? row.customer.id,
      due: row.nextDeadline && { milestone: row.nextDeadline.milestone, secondsLeft: row.nextDeadline.secondsLeft },
    })),
  };
}

/** 2. Complaint detail: the complaint (with its list row's deadline, customer and assignee) and its timeline. 2 calls. */
export async function complaintDetail(api: CareLoopClient, id: string) {
  const [complaint, timeline] = await Promise.all([
    ok(api.GET('/complaints/{id}', { params: { path: { id } } })),
    ok(api.GET('/complaints/{id}/timeline', { params: { path: { id } } })),
  ]);
  return {
    status: complaint.status,
    customer: complaint.customer.name ?? complaint.customer.id,
    assignee: complaint.assignee?.name ?? null,
    due: complaint.nextDeadline,
    buttons: complaint.allowedEvents,
    timeline: timeline.items.map((item) => ({ at: item.at, type: item.type, by: item.actorName ?? item.actor })),
  };
}

/**
 * A button of the detail screen: the event with the ETag of the last read (If-Match). A 412 answers the
 * complaint as stored and its version: show it, and a second press sends that version (no re-read).
 */
export async function complaintEvent(api: CareLoopClient, id: string, body: Schemas['ComplaintEventBody']) {
  const sent = await settle(
    api.POST('/complaints/{id}/events', { params: { path: { id }, header: api.ifMatch(`/complaints/${id}`) }, body }),
  );
  if (sent.ok) return { saved: true as const, status: sent.data.status, buttons: sent.data.allowedEvents };
  const { problem } = sent;
  return {
    saved: false as const,
    status: problem.status,
    now: problem.current?.status ?? null,
    buttons: problem.current?.allowedEvents ?? problem.problem?.allowedEvents ?? [],
  };
}

/**
 * 3. Supervisor queue: a team's open complaints by deadline and its open call-backs, and a changes cursor
 * taken first (a change after it and before the lists is seen twice, never missed). 3 calls.
 */
export async function supervisorQueue(api: CareLoopClient, team: string) {
  const start = await ok(api.GET('/changes'));
  const [complaints, alerts] = await Promise.all([
    ok(api.GET('/complaints', { params: { query: { team, open: 'true', sort: 'nextDeadline' } } })),
    ok(api.GET('/alerts', { params: { query: { status: 'open', team } } })),
  ]);
  return {
    cursor: start.nextCursor,
    complaints: complaints.items.map((row) => ({
      id: row.id,
      status: row.status,
      customer: row.customer.name ?? row.customer.id,
      assignee: row.assignee?.name ?? null,
      due: row.nextDeadline?.dueBy ?? null,
    })),
    callBacks: alerts.items.map((alert) => ({
      id: alert.id,
      customer: alert.customer?.name ?? null,
      dueBy: alert.dueBy,
    })),
  };
}

/**
 * The queue's live refresh: one small `/changes` call. It names what changed (type, id, version); the
 * screen re-reads only those rows it shows, and keeps the new cursor.
 */
export async function queueChanges(api: CareLoopClient, cursor: string) {
  const page = await ok(api.GET('/changes', { params: { query: { since: cursor, types: 'complaint,alert' } } }));
  return { cursor: page.nextCursor, changed: page.items.map((item) => ({ type: item.type, id: item.id })) };
}

/** 4. Manager dashboard: the period's KPIs month by month beside the previous period, agents by name, the clock. 3 calls. */
export async function managerDashboard(api: CareLoopClient, from: string, to: string) {
  const [me, metrics, agents] = await Promise.all([
    ok(api.GET('/me')),
    ok(api.GET('/metrics', { params: { query: { from, to, interval: 'month', compare: 'previous' } } })),
    ok(api.GET('/metrics/agents', { params: { query: { from, to } } })),
  ]);
  return {
    timezone: me.timezone,
    period: metrics.period,
    csat: metrics.satisfaction.csat,
    statuses: metrics.status,
    trend: (metrics.series ?? []).map((point) => ({ from: point.from, to: point.to, kpis: point.kpis })),
    agents: agents.items.map((agent) => ({ name: agent.name ?? agent.agentId, interactions: agent.interactions })),
  };
}

/** 5. Report viewer: a period's report (JSON) and the links of its page and CSV. 1 call. */
export async function reportViewer(api: CareLoopClient, baseUrl: string, period: string) {
  const report = await ok(api.GET('/reports/{period}', { params: { path: { period } } }));
  return {
    kind: report.kind,
    period: report.period,
    overview: report.overview,
    csat: report.satisfaction.csat,
    page: `${baseUrl}/reports/${encodeURIComponent(period)}/html`,
    csv: `${baseUrl}/reports/${encodeURIComponent(period)}/csv`,
  };
}

/** 6. Settings: the versioned settings and who changed what. 2 calls. */
export async function settingsScreen(api: CareLoopClient) {
  const [settings, history] = await Promise.all([ok(api.GET('/settings')), ok(api.GET('/settings/history'))]);
  return {
    version: settings.version,
    requireIfMatch: settings.api.requireIfMatch,
    history: history.items.map((change) => ({ version: change.version, by: change.updatedBy, fields: change.fields })),
  };
}

/**
 * Saving the settings form: PATCH with the version last read. A 412 answers the settings as stored and
 * their ETag (the client keeps it); a 400 names each bad field by JSON pointer, with a code to translate.
 */
export async function saveSettings(api: CareLoopClient, patch: Schemas['SettingsPatch']) {
  const saved = await settle(api.PATCH('/settings', { params: { header: api.ifMatch('/settings') }, body: patch }));
  if (saved.ok) return { saved: true as const, version: saved.data.version };
  const { problem } = saved;
  return {
    saved: false as const,
    status: problem.status,
    storedVersion: problem.current?.version ?? null,
    fields: problem.errors.map((error) => ({ pointer: error.pointer, code: error.code, params: error.params })),
  };
}

/**
 * 7. Customer 360: profile with counts and last NPS and their latest survey answers (`include: 'responses'`),
 * their contacts and complaints. 3 calls. `responses` is optional in the type (only asked for it is it
 * there): `?? none` keeps the screen typed without a cast.
 */
export async function customer360(api: CareLoopClient, id: string) {
  const [customer, contacts, complaints] = await Promise.all([
    ok(api.GET('/customers/{id}', { params: { path: { id }, query: { include: 'responses' } } })),
    ok(api.GET('/interactions', { params: { query: { customerId: id } } })),
    ok(api.GET('/complaints', { params: { query: { customerId: id } } })),
  ]);
  const answers = customer.responses ?? { items: [], nextCursor: null };
  return {
    name: customer.name ?? customer.id,
    tier: customer.tier ?? null,
    labels: customer.segment.labels,
    counts: customer.counts,
    latestNps: customer.latestNps?.score ?? null,
    contacts: contacts.items.map((row) => ({ channel: row.channel, status: row.status })),
    complaints: complaints.items.map((row) => ({ id: row.id, status: row.status, next: row.nextDeadline?.milestone })),
    answers: answers.items.map(answerRow),
    /** The cursor of the answers tab's "more" (null: no more). */
    moreAnswers: answers.nextCursor,
  };
}

const answerRow = (answer: Schemas['CustomerSurveyResponse']) => ({
  submittedAt: answer.submittedAt,
  overall: answer.overall,
  nps: answer.nps,
  comment: answer.comment ?? null,
});

/** The answers tab's "more": the next page of the customer's answers, from the cursor the last page gave. 1 call. */
export async function moreCustomerAnswers(api: CareLoopClient, id: string, cursor: string) {
  const page = await ok(api.GET('/customers/{id}/responses', { params: { path: { id }, query: { cursor } } }));
  return { answers: page.items.map(answerRow), moreAnswers: page.nextCursor };
}

/**
 * 8. Escalation auditor: a complaint and every round of its escalation workflow — each execution's
 * status and the states it went through (Step Functions' history in AWS). 2 calls.
 */
export async function escalationAuditor(api: CareLoopClient, complaintId: string) {
  const [complaint, executions] = await Promise.all([
    ok(api.GET('/complaints/{id}', { params: { path: { id: complaintId } } })),
    ok(api.GET('/complaints/{id}/escalations', { params: { path: { id: complaintId } } })),
  ]);
  return {
    status: complaint.status,
    rounds: executions.items.map((execution) => ({
      round: execution.round,
      name: execution.name,
      status: execution.status,
      startedAt: execution.startedAt,
      stoppedAt: execution.stoppedAt ?? null,
      states: execution.states.map((state) => state.name),
    })),
  };
}

/** From an execution's name (an alarm, the AWS console) back to its complaint and round. 1 call. */
export async function executionOwner(api: CareLoopClient, name: string) {
  return ok(api.GET('/escalations/{name}', { params: { path: { name } } }));
}
