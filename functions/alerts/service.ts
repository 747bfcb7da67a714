/**
 * The call-back queue (s004: every low score and angry comment is called back): list the
 * alerts, claim one (one person at a time), record how the call went. Whether the outcome came
 * by `dueBy` is counted for `alertsHandledInTime` as it is recorded.
 */

import type { Actor } from '../../shared/domain/access.js';
import { alertKindOf, handledInTime } from '../../shared/domain/alerts.js';
import { Conflict, defined, Invalid, NotFound } from '../../shared/domain/errors.js';
import type { Alert, AlertOutcomeBody, ListAlertsQuery } from '../../shared/schemas/alerts.js';
import { ALERT_OUTCOMES } from '../../shared/schemas/vocabulary.js';
import { type AlertStore, dynamoAlertStore, type QueuedAlert } from '../../shared/store/alerts.js';
import { type ComplaintStore, dynamoComplaintStore } from '../../shared/store/complaints.js';
import { type CustomerStore, dynamoCustomerStore } from '../../shared/store/customers.js';
import { type ClientRequest, dynamoRequestClaims, type RequestClaims } from '../../shared/store/requests.js';

export interface AlertDeps {
  alerts: AlertStore;
  /** A complaint_opened outcome names a complaint that exists. */
  complaints: Pick<ComplaintStore, 'get'>;
  /** The names and tiers of the customers to call back, for the whole page at once. */
  customers: Pick<CustomerStore, 'readCustomersBrief'>;
  /** The claims of keyed requests (idempotency inside the write). */
  requests: Pick<RequestClaims, 'claimItem'>;
}

const defaults: AlertDeps = {
  alerts: dynamoAlertStore,
  complaints: dynamoComplaintStore,
  customers: dynamoCustomerStore,
  requests: dynamoRequestClaims,
};

/** An alert as the API shows it. */
export function alertView(record: QueuedAlert, customer: Alert['customer']): Alert {
  const own =
    record.kind === 'surge'
      ? {
          kind: 'surge' as const,
          surge: {
            category: record.category,
            last24h: record.last24h,
            dailyMean: record.dailyMean,
            triggeredBy: record.triggeredBy,
            improvementId: record.improvementId,
          },
          nps: null,
          reasons: [],
        }
      : {
          kind: alertKindOf(record.reasons),
          responseId: record.responseId,
          surveyId: record.surveyId,
          ...(record.customerId ? { customerId: record.customerId } : {}),
          subject: record.subject,
          ...(record.team ? { team: record.team } : {}),
          nps: record.nps,
          reasons: record.reasons,
        };
  return {
    id: record.id,
    customer,
    ...own,
    createdAt: record.raisedAt,
    dueBy: record.dueBy ?? record.raisedAt,
    status: record.status,
    ...(record.claimedBy ? { claimedBy: record.claimedBy } : {}),
    ...(record.claimedAt ? { claimedAt: record.claimedAt } : {}),
    ...(record.outcome ? { outcome: record.outcome } : {}),
    ...(record.outcomeAt ? { outcomeAt: record.outcomeAt } : {}),
    ...(record.handledInTime !== undefined ? { handledInTime: record.handledInTime } : {}),
    ...(record.note ? { note: record.note } : {}),
    ...(record.complaintId ? { complaintId: record.complaintId } : {}),
  };
}

/** Alerts as served, each with its customer's name and tier (one BatchGetItem for all of them). */
async function alertViews(records: QueuedAlert[], deps: Pick<AlertDeps, 'customers'>): Promise<Alert[]> {
  const customerOf = (r: QueuedAlert) => (r.kind === 'surge' ? undefined : r.customerId);
  const briefs = await deps.customers.readCustomersBrief(records.flatMap((r) => customerOf(r) ?? []));
  return records.map((record) => {
    const customerId = customerOf(record);
    const profile = customerId ? briefs.get(customerId)?.profile : undefined;
    return alertView(
      record,
      customerId ? { id: customerId, name: profile?.name ?? null, tier: profile?.tier ?? null } : null,
    );
  });
}
const oneView = async (record: QueuedAlert, deps: Pick<AlertDeps, 'customers'>) =>
  defined((await alertViews([record], deps))[0], `the view of alert ${record.id}`);

/** The last `count` UTC months up to `now`'s, newest first. */
function monthsBack(now: Date, count: number): string[] {
  const months: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}

export async function listAlerts(query: ListAlertsQuery, now: Date, deps: Partial<AlertDeps> = {}) {
  const { alerts } = { ...defaults, ...deps };
  const page = await alerts.list({
    status: query.status,
    team: query.team,
    kind: query.kind,
    months: monthsBack(now, query.months),
    limit: query.limit,
    cursor: query.cursor,
  });
  return { items: await alertViews(page.items, { ...defaults, ...deps }), nextCursor: page.nextCursor };
}

async function existing(alerts: AlertStore, id: string): Promise<QueuedAlert> {
  const alert = await alerts.get(id);
  if (!alert) throw new NotFound(`No alert ${id}.`);
  return alert;
}

/** One alert as served (404 when there is none). */
export async function readAlert(id: string, deps: Partial<AlertDeps> = {}): Promise<Alert> {
  const all = { ...defaults, ...deps };
  return oneView(await existing(all.alerts, id), all);
}

/** The 409 for an alert another caller holds or that is done, read as it is now. */
async function conflictOver(alerts: AlertDeps['alerts'], id: string): Promise<Conflict> {
  const current = await existing(alerts, id);
  return new Conflict(
    current.status === 'done'
      ? `Alert ${id} was handled already (${current.outcome}).`
      : `Alert ${id} is claimed by ${current.claimedBy}.`,
    { alertStatus: current.status, ...(current.claimedBy ? { claimedBy: current.claimedBy } : {}) },
  );
}

/**
 * Claims an alert for the caller: 200 (again for the same caller), 409 when another has it or it is
 * done. With `request` (a keyed POST) its claim is written in the same transaction.
 */
export async function claimAlert(
  id: string,
  actor: Actor,
  now: Date,
  request?: ClientRequest,
  deps: Partial<AlertDeps> = {},
): Promise<Alert> {
  const { alerts, requests } = { ...defaults, ...deps };
  await existing(alerts, id);
  if (!(await alerts.claim(id, actor.id, now, request ? [requests.claimItem(request, id, now)] : []))) {
    throw await conflictOver(alerts, id);
  }
  return oneView(await existing(alerts, id), { ...defaults, ...deps });
}

/** The outcomes that close a surge alert. */
const SURGE_OUTCOMES: ReadonlySet<string> = new Set(['assessed', 'resolved']);

/**
 * Records the call-back's outcome (once): by the caller, on an open alert or one they claimed.
 * With `request` (a keyed POST) its claim is written in the same transaction.
 */
export async function recordAlertOutcome(
  id: string,
  body: AlertOutcomeBody,
  actor: Actor,
  now: Date,
  request?: ClientRequest,
  deps: Partial<AlertDeps> = {},
): Promise<Alert> {
  const { alerts, complaints, requests } = { ...defaults, ...deps };
  if (body.outcome === 'complaint_opened') {
    if (!body.complaintId)
      throw Invalid.field('complaintId', 'is required when the outcome is complaint_opened', 'required');
    if (!(await complaints.get(body.complaintId)))
      throw Invalid.field('complaintId', 'names no complaint', 'not_found');
  } else if (body.complaintId) {
    throw Invalid.field('complaintId', 'goes only with the outcome complaint_opened', 'invalid');
  }
  const alert = await existing(alerts, id);
  // A surge is closed by its special assessment; an answer by the call-back.
  const fits = alert.kind === 'surge' ? SURGE_OUTCOMES.has(body.outcome) : body.outcome !== 'assessed';
  if (!fits)
    throw Invalid.field(
      'outcome',
      alert.kind === 'surge' ? 'a surge closes as assessed or resolved' : 'assessed closes a surge only',
      'not_in_list',
      { allowed: alert.kind === 'surge' ? [...SURGE_OUTCOMES] : ALERT_OUTCOMES.filter((o) => o !== 'assessed') },
    );
  const inTime = handledInTime(now, alert.dueBy ?? alert.raisedAt);
  const claim = request ? [requests.claimItem(request, id, now)] : [];
  if (!(await alerts.close(alert, body, actor.id, now, inTime, claim))) {
    throw await conflictOver(alerts, id);
  }
  return oneView(await existing(alerts, id), { ...defaults, ...deps });
}
