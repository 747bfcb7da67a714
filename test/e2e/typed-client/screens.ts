/**
 * Three screens written the way a frontend team writes them: openapi-fetch with the types that
 * openapi-typescript generates from `GET /openapi.json`, and no hand-written type. Not compiled
 * with the repository (the types do not exist until generated): test/e2e/typed-client.http.test.ts
 * generates `careloop.d.ts` beside a copy of this file, type-checks both with tsc, then runs them.
 */
import createClient from 'openapi-fetch';
import type { paths } from './careloop.js';

export function careloop(baseUrl: string, token: string) {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } });
}
type Client = ReturnType<typeof careloop>;

/** The agent home: my open complaints, nearest deadline first, with everything a row shows. One call. */
export async function agentHome(client: Client) {
  const { data, error } = await client.GET('/complaints', {
    params: { query: { assigneeId: 'me', open: 'true', sort: 'nextDeadline', limit: 25 } },
  });
  if (error) throw new Error(`${error.status} ${error.title}`);
  return data.items.map((row) => ({
    id: row.id,
    customer: row.customer.name ?? row.customer.id,
    tier: row.customer.tier,
    labels: row.customer.segment.labels,
    assignee: row.assignee?.name ?? null,
    due: row.nextDeadline ? { milestone: row.nextDeadline.milestone, secondsLeft: row.nextDeadline.secondsLeft } : null,
    buttons: row.allowedEvents,
  }));
}

/** A button on a row: send the event with the ETag last read; a 409 says what the complaint accepts now. */
export async function respond(client: Client, id: string, etag: string) {
  const { data, error, response } = await client.POST('/complaints/{id}/events', {
    params: { path: { id }, header: { 'If-Match': etag } },
    body: { type: 'respond', note: 'Called the customer back' },
  });
  if (data) return { status: data.status, buttons: data.allowedEvents, etag: response.headers.get('etag') };
  if (response.status === 409 && error && 'allowedEvents' in error) return { refused: error.allowedEvents };
  return { failed: response.status };
}

/** The customer view: profile, contacts, complaints and survey answers, four calls at once. */
export async function customerView(client: Client, id: string) {
  const [profile, interactions, complaints, responses] = await Promise.all([
    client.GET('/customers/{id}', { params: { path: { id } } }),
    client.GET('/interactions', { params: { query: { customerId: id } } }),
    client.GET('/complaints', { params: { query: { customerId: id } } }),
    client.GET('/customers/{id}/responses', { params: { path: { id } } }),
  ]);
  if (!profile.data || !interactions.data || !complaints.data || !responses.data) throw new Error('customer view');
  return {
    name: profile.data.name ?? null,
    labels: profile.data.segment.labels,
    contacts: interactions.data.items.map((i) => ({ channel: i.channel, status: i.status, customer: i.customer.name })),
    complaints: complaints.data.items.map((c) => ({ status: c.status, next: c.nextDeadline?.milestone ?? null })),
    answers: responses.data.items.map((r) => ({ overall: r.overall, nps: r.nps, comment: r.comment ?? null })),
  };
}

/** The supervisor dashboard: the zone and clock to read dates in, the month's KPIs, the overdue queue. */
export async function dashboard(client: Client, from: string, to: string) {
  const [me, metrics, overdue] = await Promise.all([
    client.GET('/me'),
    client.GET('/metrics', { params: { query: { from, to } } }),
    client.GET('/interactions', { params: { query: { overdue: 'true' } } }),
  ]);
  if (!me.data || !metrics.data || !overdue.data) throw new Error('dashboard');
  return {
    timezone: me.data.timezone,
    serverNow: me.data.serverNow,
    csat: metrics.data.satisfaction.csat,
    nps: metrics.data.nps.score,
    statuses: metrics.data.status,
    overdue: overdue.data.items.map((i) => ({ id: i.id, customer: i.customer.name ?? i.customer.id })),
  };
}
