/**
 * The eight screens of examples/screens.ts against the local runtime, through @careloop/client: what
 * each shows, and that each loads in at most three calls (a live queue refresh in one). Every answer is
 * held to the served document (test/support.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../test/support/wait.js';
import {
  agentHome,
  complaintDetail,
  complaintEvent,
  customer360,
  escalationAuditor,
  executionOwner,
  managerDashboard,
  queueChanges,
  reportViewer,
  saveSettings,
  settingsScreen,
  supervisorQueue,
} from '../examples/screens.js';
import { idempotencyKey, ok } from '../src/index.js';
import { type ClientHarness, type RecordedClient, startClientHarness } from './support.js';

let harness: ClientHarness;
let agent: RecordedClient;
let supervisor: RecordedClient;
let manager: RecordedClient;
let admin: RecordedClient;
let complaintId = '';
let interactionId = '';

/** The calls `load` makes with `client`. */
async function counted<T>(client: RecordedClient, load: () => Promise<T>): Promise<{ view: T; calls: string[] }> {
  const before = client.calls.length;
  const view = await load();
  return { view, calls: client.calls.slice(before) };
}

beforeAll(async () => {
  harness = await startClientHarness({ startAt: new Date('2026-11-10T02:00:00Z') });
  agent = await harness.client('agent-sc', ['agent'], 'hotline');
  supervisor = await harness.client('sup-sc', ['supervisor'], 'hotline');
  manager = await harness.client('mgr-sc', ['manager']);
  admin = await harness.client('admin-sc', ['admin']);
  await ok(
    admin.api.PUT('/staff/{id}', {
      params: { path: { id: 'agent-sc' } },
      body: { name: '陈静', team: 'hotline', roles: ['agent'], active: true },
    }),
  );
  await ok(
    agent.api.PUT('/customers/{id}', {
      params: { path: { id: 'C-screens' } },
      body: { name: '林霞', preferredChannel: 'sms', language: 'zh', consent: { sms: true, email: false } },
    }),
  );
  const complaint = await ok(
    agent.api.POST('/complaints', {
      params: { header: idempotencyKey() },
      body: {
        customerId: 'C-screens',
        channel: 'phone',
        category: 'logistics',
        severity: 'medium',
        description: 'Parcel never arrived',
        team: 'hotline',
      },
    }),
  );
  complaintId = complaint.id;
  await ok(
    agent.api.POST('/complaints/{id}/events', {
      params: { path: { id: complaintId }, header: agent.api.ifMatch(`/complaints/${complaintId}`) },
      body: { type: 'assign', assigneeId: 'agent-sc' },
    }),
  );
  const interaction = await ok(
    agent.api.POST('/interactions', {
      params: { header: idempotencyKey() },
      body: {
        customerId: 'C-screens',
        channel: 'chat',
        complexity: 'simple',
        startedAt: '2026-11-10T01:50:00Z',
        agentId: 'agent-sc',
        team: 'hotline',
      },
    }),
  );
  interactionId = interaction.id;
});
afterAll(() => harness?.stop());

describe('1. agent home', () => {
  it('shows my open complaints and contacts with names, deadlines and buttons, in 3 calls', async () => {
    const { view, calls } = await counted(agent, () => agentHome(agent.api));
    expect(calls).toHaveLength(3);
    expect(view.me).toMatchObject({ name: '陈静', timezone: 'Asia/Shanghai' });
    expect(view.me.serverNow.slice(0, 10)).toBe('2026-11-10');
    expect(view.complaints).toEqual([
      {
        id: complaintId,
        customer: '林霞',
        tier: null,
        due: { milestone: 'respond', secondsLeft: expect.any(Number) },
        buttons: expect.arrayContaining(['respond']),
      },
    ]);
    expect(view.contacts).toEqual([
      expect.objectContaining({ id: interactionId, channel: 'chat', customer: '林霞', due: expect.anything() }),
    ]);
  });
});

describe('2. complaint detail', () => {
  it('shows the complaint with its customer, assignee, deadline and timeline by name, in 2 calls', async () => {
    const { view, calls } = await counted(agent, () => complaintDetail(agent.api, complaintId));
    expect(calls).toHaveLength(2);
    expect(view).toMatchObject({ status: 'assigned', customer: '林霞', assignee: '陈静' });
    expect(view.due).toMatchObject({ milestone: 'respond' });
    expect(view.timeline.map((item) => item.type)).toEqual(expect.arrayContaining(['registered', 'assign']));
    expect(view.timeline.find((item) => item.type === 'assign')?.by).toBe('陈静');
  });

  it('a button sends the version last read; pressed again after someone else moved it, it shows the complaint as stored', async () => {
    const other = await harness.client('agent-sc', ['agent'], 'hotline');
    await complaintDetail(other.api, complaintId);
    const first = await complaintEvent(other.api, complaintId, { type: 'respond', note: 'Called the customer back' });
    expect(first).toEqual({ saved: true, status: 'responded', buttons: expect.arrayContaining(['propose_solution']) });

    // agent's last read was before that: a 412, with the complaint as it is now (no second read).
    const { view: stale, calls } = await counted(agent, () =>
      complaintEvent(agent.api, complaintId, { type: 'respond', note: 'again' }),
    );
    expect(calls).toHaveLength(1);
    expect(stale).toEqual({
      saved: false,
      status: 412,
      now: 'responded',
      buttons: expect.arrayContaining(['propose_solution']),
    });
    // The 412's version is kept: the next press goes through (and the loop refuses what it cannot take).
    const refused = await complaintEvent(agent.api, complaintId, { type: 'respond', note: 'again' });
    expect(refused).toMatchObject({ saved: false, status: 409, now: 'responded' });
  });
});

describe('3. supervisor queue', () => {
  it('loads the team’s open complaints and call-backs with a changes cursor in 3 calls; a refresh is 1 call', async () => {
    const { view, calls } = await counted(supervisor, () => supervisorQueue(supervisor.api, 'hotline'));
    expect(calls).toHaveLength(3);
    expect(calls[0]).toBe('GET /changes');
    expect(view.complaints).toEqual([
      expect.objectContaining({ id: complaintId, customer: '林霞', assignee: '陈静', due: expect.any(String) }),
    ]);
    expect(view.callBacks).toEqual([]);

    expect(
      await complaintEvent(agent.api, complaintId, { type: 'propose_solution', solution: 'A replacement parcel' }),
    ).toMatchObject({ saved: true, status: 'solution_proposed' });
    // The feed answers a change once it is 2 s old (a write still committing is never skipped): poll.
    let cursor = view.cursor;
    const seen: { type: string; id: string }[] = [];
    await until(
      async () => {
        const refresh = await counted(supervisor, () => queueChanges(supervisor.api, cursor));
        expect(refresh.calls).toHaveLength(1);
        cursor = refresh.view.cursor;
        seen.push(...refresh.view.changed);
        return seen.length ? true : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(new Set(seen.map((change) => `${change.type} ${change.id}`))).toEqual(new Set([`complaint ${complaintId}`]));
    const after = await supervisorQueue(supervisor.api, 'hotline');
    expect(after.complaints).toEqual([expect.objectContaining({ id: complaintId, status: 'solution_proposed' })]);
  });
});

describe('4. manager dashboard', () => {
  it('shows the period’s KPIs month by month, agents by name and the time zone, in 3 calls', async () => {
    const { view, calls } = await counted(manager, () => managerDashboard(manager.api, '2026-11-01', '2026-11-10'));
    expect(calls).toHaveLength(3);
    expect(view.timezone).toBe('Asia/Shanghai');
    expect(view.period).toMatchObject({ from: '2026-11-01', to: '2026-11-10' });
    expect(view.trend).toEqual([expect.objectContaining({ from: '2026-11-01', to: '2026-11-10' })]);
    expect(view.agents).toEqual(expect.arrayContaining([{ name: '陈静', interactions: 1 }]));
  });
});

describe('5. report viewer', () => {
  it('shows a built report and links its page and CSV, in 1 call', async () => {
    await ok(
      manager.api.POST('/reports/{period}/generate', {
        params: { path: { period: '2026-10' }, header: idempotencyKey() },
        body: { email: false },
      }),
    );
    const { view, calls } = await counted(manager, () => reportViewer(manager.api, harness.api.runtime.url, '2026-10'));
    expect(calls).toEqual(['GET /reports/2026-10']);
    expect(view).toMatchObject({ kind: 'month', period: { from: '2026-10-01', to: '2026-10-31' } });
    const page = await fetch(view.page, { headers: { authorization: `Bearer ${manager.token}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    await page.arrayBuffer();
  });
});

describe('6. settings', () => {
  it('loads settings and their history in 2 calls; saves with If-Match; shows a 412 and field errors', async () => {
    const { view, calls } = await counted(admin, () => settingsScreen(admin.api));
    expect(calls).toHaveLength(2);
    expect(view.requireIfMatch).toBe(false);

    const saved = await saveSettings(admin.api, { reportRecipients: ['director@example.com'] });
    expect(saved).toEqual({ saved: true, version: view.version + 1 });

    const other = await harness.client('admin-other', ['admin']);
    await settingsScreen(other.api);
    expect(await saveSettings(other.api, { reportRecipients: ['ops@example.com'] })).toMatchObject({ saved: true });
    expect(await saveSettings(admin.api, { reportRecipients: ['cfo@example.com'] })).toEqual({
      saved: false,
      status: 412,
      storedVersion: view.version + 2,
      fields: [],
    });

    const invalid = await saveSettings(admin.api, {
      escalation: { teamContacts: { 'north.team': { supervisor: { name: 'North', email: 'not-an-email' } } } },
    });
    expect(invalid).toMatchObject({ saved: false, status: 400 });
    expect(invalid.saved ? [] : invalid.fields).toEqual([
      {
        pointer: '/escalation/teamContacts/north.team/supervisor/email',
        code: 'invalid_format',
        params: expect.objectContaining({ format: 'email' }),
      },
    ]);
    expect((await settingsScreen(admin.api)).history[0]).toMatchObject({ by: 'admin-other' });
  });
});

describe('7. customer 360', () => {
  it('shows the profile with the latest survey answers, contacts and complaints in 3 calls', async () => {
    // The customer answers a survey about their contact, through the public form (no token).
    const invitation = await ok(
      agent.api.POST('/surveys', {
        params: { header: idempotencyKey() },
        body: { subject: { type: 'interaction', id: interactionId } },
      }),
    );
    const customer = harness.publicClient();
    const token = invitation.token;
    await ok(customer.GET('/surveys/{token}', { params: { path: { token } } }));
    await ok(
      customer.POST('/surveys/{token}/responses', {
        params: { path: { token } },
        body: {
          scores: { responsiveness: 4, professionalism: 5, attitude: 5, resolution: 3, convenience: 4 },
          overall: 4,
          nps: 8,
          comment: 'Kind, but the parcel is still missing',
        },
      }),
    );

    const { view, calls } = await counted(agent, () => customer360(agent.api, 'C-screens'));
    expect(calls).toHaveLength(3);
    expect(calls[0]).toBe('GET /customers/C-screens?include=responses');
    expect(view).toMatchObject({
      name: '林霞',
      counts: { responses: 1 },
      contacts: [{ channel: 'chat', status: 'open' }],
      complaints: [{ id: complaintId, status: 'solution_proposed' }],
      answers: [{ overall: 4, nps: 8, comment: 'Kind, but the parcel is still missing' }],
      moreAnswers: null,
    });
    // The same page the answers route answers (where "more" pages on).
    const page = await ok(agent.api.GET('/customers/{id}/responses', { params: { path: { id: 'C-screens' } } }));
    expect(view.answers).toEqual(
      page.items.map((answer) => expect.objectContaining({ submittedAt: answer.submittedAt })),
    );
  });
});

describe('8. escalation auditor', () => {
  it('goes from a complaint to each round of its workflow and back from an execution’s name, in 2 + 1 calls', async () => {
    const { view, calls } = await counted(supervisor, () => escalationAuditor(supervisor.api, complaintId));
    expect(calls).toHaveLength(2);
    expect(view.status).toBe('solution_proposed');
    expect(view.rounds).toEqual([
      expect.objectContaining({ round: 1, status: 'RUNNING', stoppedAt: null, states: expect.any(Array) }),
    ]);
    const [round] = view.rounds;
    expect(round?.name).toBe(`${complaintId}-r1`);
    expect(round?.states[0]).toBe('Tell the customer and the owner');

    const back = await counted(supervisor, () => executionOwner(supervisor.api, round?.name ?? ''));
    expect(back.calls).toHaveLength(1);
    expect(back.view).toEqual({ complaintId, round: 1 });
  });
});
