/**
 * The call-back queue end to end through the local API: negative answers raise alerts due two
 * business days later, one supervisor claims each (a second claimer gets 409), the outcome is
 * recorded, `alertsHandledInTime` in /metrics counts exactly the ones handled by their dueBy,
 * and the supervisor gets one digest email a day, not one per alert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAlertOutcome } from '../../functions/alerts/service.js';
import { followUpNeeds } from '../../functions/composition.js';
import { runAlertDigest } from '../../functions/followups/service.js';
import { anInteraction } from '../support/builders/interactions.js';
import { aCustomer, aSurveyResponse } from '../support/builders/surveys.js';
import { configureDemoContacts } from '../support/contacts.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

// Tuesday 10:00 in Shanghai.
const START = new Date('2026-11-10T02:00:00Z');

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  // The notices go to the demo's contacts, configured as an admin would (a fresh stack has none).
  await configureDemoContacts(api);
  // Answered at once in this test: the too-fast check is not what it is about. The alert threshold is
  // left at its default (NPS 0–6, api-contract.md "Alerts"): the NPS 5 answer below raises one.
  const patched = await api.call('PATCH', '/settings', {
    as: 'admin',
    body: { surveys: { minAnswerSeconds: 0 } },
  });
  expect(patched.status).toBe(200);
});
afterAll(() => api?.runtime.stop());

let customers = 0;
/** A customer's resolved chat, its survey opened and answered. */
async function answer(response: Partial<Parameters<typeof aSurveyResponse>[0]>) {
  customers += 1;
  const customerId = `C-alert-${customers}`;
  expect(
    (await api.call('PUT', `/customers/${customerId}`, { body: aCustomer({ language: 'en' }) })).status,
  ).toBeLessThan(300);
  const interaction = await api.call('POST', '/interactions', {
    body: anInteraction({ customerId, startedAt: START.toISOString(), resolvedAt: START.toISOString() }),
  });
  expect(interaction.status).toBe(201);
  const survey = await api.call('POST', '/surveys', {
    as: 'agent',
    body: { subject: { type: 'interaction', id: interaction.body.id } },
  });
  expect(survey.status).toBe(201);
  expect((await api.call('GET', `/surveys/${survey.body.token}`, { as: null })).status).toBe(200);
  const answered = await api.call('POST', `/surveys/${survey.body.token}/responses`, {
    as: null,
    body: aSurveyResponse(response),
  });
  expect(answered.status).toBe(201);
  expect(answered.body.valid).toBe(true);
  return { customerId, responseId: answered.body.id as string };
}

type AlertItem = { id: string; kind: string; responseId: string; dueBy: string; status: string; createdAt: string };
const openAlerts = async (): Promise<AlertItem[]> => {
  const list = await api.call('GET', '/alerts', { as: 'supervisor' });
  expect(list.status).toBe(200);
  return list.body.items;
};

describe('the call-back queue', () => {
  it('raises, claims once, records outcomes and counts alertsHandledInTime exactly', async () => {
    const detractor = await answer({ nps: 5 });
    const angry = await answer({ nps: 9, comment: '太差了，再也不来了' });
    const late = await answer({ nps: 0 });
    const promoter = await answer({ nps: 10 });

    const alerts = await openAlerts();
    const of = (responseId: string) => alerts.find((a) => a.responseId === responseId)!;
    expect(alerts.some((a) => a.responseId === promoter.responseId)).toBe(false);
    expect(of(detractor.responseId)).toMatchObject({ kind: 'detractor', status: 'open' });
    expect(of(angry.responseId)).toMatchObject({ kind: 'negative_comment', status: 'open' });
    // 24×7 calendar: two business days are two days, at the same time of day.
    const raised = new Date(of(detractor.responseId).createdAt);
    expect(new Date(of(detractor.responseId).dueBy).getTime() - raised.getTime()).toBe(2 * 86_400_000);

    const id = of(detractor.responseId).id;
    const claimed = await api.call('POST', `/alerts/${id}/claim`, { as: 'supervisor' });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', claimedBy: 'test-supervisor' });
    expect((await api.call('POST', `/alerts/${id}/claim`, { as: 'supervisor' })).status).toBe(200);
    const second = await api.call('POST', `/alerts/${id}/claim`, { as: 'manager' });
    expect(second.status).toBe(409);
    expect(
      (await api.call('POST', `/alerts/${id}/outcome`, { as: 'manager', body: { outcome: 'called_back' } })).status,
    ).toBe(409);

    const noComplaint = await api.call('POST', `/alerts/${id}/outcome`, {
      as: 'supervisor',
      body: { outcome: 'complaint_opened' },
    });
    expect(noComplaint.status).toBe(400);
    expect(noComplaint.body.errors.map((e: { path: string }) => e.path)).toEqual(['complaintId']);

    const complaint = await api.call('POST', '/complaints', {
      as: 'agent',
      body: {
        customerId: detractor.customerId,
        channel: 'phone',
        category: 'service_attitude',
        severity: 'low',
        description: 'Opened from a call-back',
      },
    });
    const done = await api.call('POST', `/alerts/${id}/outcome`, {
      as: 'supervisor',
      body: { outcome: 'complaint_opened', complaintId: complaint.body.id, note: 'Complaint opened on the call.' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', outcome: 'complaint_opened', handledInTime: true });
    expect(
      (await api.call('POST', `/alerts/${id}/outcome`, { as: 'supervisor', body: { outcome: 'resolved' } })).status,
    ).toBe(409);

    // Unclaimed, handled in time by a manager; the third handled three days late.
    expect(
      (
        await api.call('POST', `/alerts/${of(angry.responseId).id}/outcome`, {
          as: 'manager',
          body: { outcome: 'unreachable' },
        })
      ).status,
    ).toBe(200);
    const lateAlert = of(late.responseId);
    const afterDue = new Date(new Date(lateAlert.dueBy).getTime() + 86_400_000);
    const lateDone = await recordAlertOutcome(
      lateAlert.id,
      { outcome: 'called_back' },
      { id: 'sup-2', roles: ['supervisor'] },
      afterDue,
    );
    expect(lateDone).toMatchObject({ status: 'done', handledInTime: false });

    expect((await openAlerts()).map((a) => a.id)).not.toContain(id);
    const doneList = await api.call('GET', '/alerts?status=done', { as: 'supervisor' });
    expect(doneList.body.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([id, lateAlert.id]));

    // Due on Thursday 2026-11-12: three alerts due, two handled by their dueBy.
    const metrics = await api.call('GET', '/metrics?from=2026-11-12&to=2026-11-12', { as: 'supervisor' });
    expect(metrics.status).toBe(200);
    // raised on the day of the contacts they rate (10 November), none on the 12th
    expect(metrics.body.alerts).toEqual({ raised: 0, due: 3, handledInTime: 2, handledInTimeShare: 0.6667 });
    const raisedDay = await api.call('GET', '/metrics?from=2026-11-10&to=2026-11-10', { as: 'supervisor' });
    // the detractor (NPS 5), the angry comment and the NPS 0 answer; not the promoter
    expect(raisedDay.body.alerts).toMatchObject({ raised: 3, due: 0 });
    expect(metrics.body.values.alertsHandledInTime).toBe(0.6667);
    expect(metrics.body.status.alertsHandledInTime).toBe('red');
  });

  it('sends the supervisor one digest a day of what is still open, however often it runs', async () => {
    const open = await answer({ nps: 1 });
    const digestsBefore = api.runtime.outbox.list().filter((m) => m.id.startsWith('alert-digest-'));
    expect(digestsBefore).toHaveLength(0);
    expect(await runAlertDigest(api.runtime.clock.now(), followUpNeeds)).toBe('sent');
    expect(await runAlertDigest(api.runtime.clock.now(), followUpNeeds)).toBe('already_sent');
    const digests = api.runtime.outbox.list().filter((m) => m.id.startsWith('alert-digest-'));
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ kind: 'email', to: ['supervisor@example.com'] });
    const openIds = (await openAlerts()).map((a) => a.id);
    expect(openIds).toHaveLength(1);
    expect(digests[0]!.subject).toContain('1 call-backs open');
    expect((await openAlerts()).find((a) => a.responseId === open.responseId)).toBeDefined();
  });
});

describe('claims and outcomes with an Idempotency-Key (idempotency inside the write)', () => {
  it('answers a retry from the alert as it is now, records the outcome once, and refuses the key with another body', async () => {
    const detractor = await answer({ nps: 3 });
    const id = (await openAlerts()).find((a) => a.responseId === detractor.responseId)?.id;
    expect(id).toBeDefined();
    const post = (what: 'claim' | 'outcome', key: string, body?: unknown) =>
      api.call('POST', `/alerts/${id}/${what}`, { as: 'supervisor', body, headers: { 'idempotency-key': key } });

    const claimed = await post('claim', 'claim-1');
    expect(claimed.status).toBe(200);
    expect(claimed.headers.get('idempotent-replayed')).toBeNull();
    const claimedAgain = await post('claim', 'claim-1');
    expect(claimedAgain.status).toBe(200);
    expect(claimedAgain.headers.get('idempotent-replayed')).toBe('true');

    const done = await post('outcome', 'outcome-1', { outcome: 'called_back', note: 'Spoke to them' });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('done');
    // Without the key a second outcome is a 409 (handled already); the same request is answered again.
    const retried = await post('outcome', 'outcome-1', { outcome: 'called_back', note: 'Spoke to them' });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toEqual(done.body);
    // The claim retried after the outcome: the alert as it is now (done), not a 409.
    const lateClaim = await post('claim', 'claim-1');
    expect(lateClaim.status).toBe(200);
    expect(lateClaim.body.status).toBe('done');

    expect((await post('outcome', 'outcome-1', { outcome: 'unreachable' })).status).toBe(422);
  });
});
