/** The complaints contract over real HTTP against the local runtime (DynamoDB Local and the local workflow runner underneath). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../support/builders/complaints.js';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { until } from '../support/wait.js';

let api: TestApi;
beforeAll(async () => {
  // Real time: no deadline passes while these tests run, so the workflows only wait.
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), schedules: false });
});
afterAll(() => api?.runtime.stop());

const expectProblem = (reply: { status: number; headers: Headers; body: any }, status: number) => {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
};
const register = async (overrides: Parameters<typeof aComplaintBody>[0] = {}) => {
  const reply = await api.call('POST', '/complaints', { as: 'agent', body: aComplaintBody(overrides) });
  expect(reply.status).toBe(201);
  return reply.body as { id: string; version: number; [key: string]: any };
};
const event = (id: string, body: Record<string, unknown>, as: 'agent' | 'supervisor' = 'agent') =>
  api.call('POST', `/complaints/${id}/events`, { as, body });
const UNKNOWN = '01JC0ZQ8M3Y7D5T2N4K6P8R0SV';

describe('registering a complaint', () => {
  it('answers 201 with the contract fields and starts the workflow execution named after the complaint', async () => {
    const reply = await api.call('POST', '/complaints', {
      as: 'agent',
      body: aComplaintBody({ severity: 'high', customerId: 'C-reg' }),
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      status: 'registered',
      tier: 1,
      severity: 'high',
      escalationLevel: 0,
      ownerRole: 'department_head',
      escalation: { executionArn: expect.stringMatching(/:execution:[^:]+:[0-9A-Z]{26}-r1$/) },
      createdBy: 'test-agent',
    });
    const { id, registeredAt, deadlines } = reply.body;
    const hoursAfterRegistration = (at: string) =>
      (new Date(at).getTime() - new Date(registeredAt).getTime()) / 3_600_000;
    expect([deadlines.respondBy, deadlines.solutionBy, deadlines.closeBy].map(hoursAfterRegistration)).toEqual([
      1, 24, 72,
    ]);
    // Round 1's execution is named `<complaintId>-r1` (contract "For screens (v1.2)"), like every later round's.
    expect(reply.body.escalation).toMatchObject({ executionName: `${id}-r1` });
    expect(reply.body.escalation.executionArn.endsWith(`:${id}-r1`)).toBe(true);
    expect(api.runtime.workflows.executions.has(id)).toBe(false);
    const execution = api.runtime.workflows.executions.get(`${id}-r1`);
    expect(execution).toMatchObject({ status: 'RUNNING', input: { complaintId: id, severity: 'high', tier: 1 } });
    // The single read is the created record plus what its list row adds (customer, assignee, next deadline).
    const { customer, assignee, nextDeadline, ...read } = (await api.call('GET', `/complaints/${id}`, { as: 'agent' }))
      .body;
    expect(read).toEqual(reply.body);
    expect(customer).toMatchObject({ id: 'C-reg' });
    expect(assignee).toBeNull();
    expect(nextDeadline).toMatchObject({ milestone: 'respond' });
    const executions = await api.call('GET', '/_local/executions', { as: 'admin' });
    expect(executions.body.items.map((e: { name: string }) => e.name)).toContain(`${id}-r1`);
  });

  it('defaults medium and low severities to tier 2 under a supervisor, and honours an explicit tier', async () => {
    expect(await register({ severity: 'low' })).toMatchObject({ tier: 2, ownerRole: 'supervisor' });
    expect(await register({ severity: 'low', tier: 1 })).toMatchObject({ tier: 1, ownerRole: 'department_head' });
  });

  it('links an existing interaction and refuses one that does not exist (400 naming interactionId)', async () => {
    const interaction = await api.call('POST', '/interactions', {
      as: 'agent',
      body: anInteraction({ startedAt: '2026-11-10T01:00:00Z' }),
    });
    expect(await register({ interactionId: interaction.body.id })).toMatchObject({
      interactionId: interaction.body.id,
    });
    const reply = await api.call('POST', '/complaints', {
      as: 'agent',
      body: aComplaintBody({ interactionId: UNKNOWN }),
    });
    expectProblem(reply, 400);
    expect(reply.body.errors).toEqual([
      { path: 'interactionId', pointer: '/interactionId', code: 'not_found', message: 'names no recorded interaction' },
    ]);
  });

  it('400 naming every bad field, server-owned fields included', async () => {
    const reply = await api.call('POST', '/complaints', {
      as: 'agent',
      body: {
        ...aComplaintBody(),
        severity: 'urgent',
        category: 'Billing Issue',
        tier: 3,
        status: 'closed',
        escalationLevel: 2,
      },
    });
    expectProblem(reply, 400);
    expect(reply.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'category',
      'escalationLevel',
      'severity',
      'status',
      'tier',
    ]);
  });

  it('401 without a token, 403 for a caller without a role', async () => {
    expectProblem(await api.call('POST', '/complaints', { as: null, body: aComplaintBody() }), 401);
    const token = await api.runtime.token('visitor', [] as never);
    expectProblem(
      await api.call('GET', '/complaints', { as: null, headers: { authorization: `Bearer ${token}` } }),
      403,
    );
  });

  it('returns the first answer to a retry with the same Idempotency-Key and starts one workflow', async () => {
    const headers = { 'idempotency-key': 'complaint-retry-1' };
    const body = aComplaintBody({ customerId: 'C-idem' });
    const first = await api.call('POST', '/complaints', { as: 'agent', body, headers });
    const second = await api.call('POST', '/complaints', { as: 'agent', body, headers });
    expect(second.body).toEqual(first.body);
    const list = await api.call('GET', '/complaints?customerId=C-idem', { as: 'agent' });
    expect(list.body.items).toHaveLength(1);
    // The retry started the same deterministically named execution again (left running), never a second one.
    const executions = [...api.runtime.workflows.executions.keys()].filter((name) => name.startsWith(first.body.id));
    expect(executions).toEqual([`${first.body.id}-r1`]);
  });
});

describe('the closed loop over HTTP', () => {
  it('walks registered → assigned → responded → solution proposed → resolved → confirmed → closed, each 200 with the updated complaint', async () => {
    const { id } = await register();
    const steps: Array<[Record<string, unknown>, string]> = [
      [{ type: 'assign', assigneeId: 'agent-9' }, 'assigned'],
      [{ type: 'respond', note: 'Called the customer back' }, 'responded'],
      [{ type: 'propose_solution', solution: 'Replacement by courier' }, 'solution_proposed'],
      [{ type: 'resolve' }, 'resolved'],
      [{ type: 'confirm', satisfied: true }, 'confirmed'],
      [{ type: 'close' }, 'closed'],
    ];
    for (const [body, status] of steps) {
      const reply = await event(id, body);
      expect(reply.status).toBe(200);
      expect(reply.body.status).toBe(status);
    }
    const closed = (await api.call('GET', `/complaints/${id}`, { as: 'agent' })).body;
    expect(closed).toMatchObject({
      status: 'closed',
      version: 7,
      assigneeId: 'agent-9',
      kpi: { respond: 'met', solution: 'met', close: 'met' },
    });
  });

  it('409 problem+json for a step the loop does not allow, and the complaint is unchanged', async () => {
    const complaint = await register();
    const reply = await event(complaint.id, { type: 'resolve' });
    expectProblem(reply, 409);
    expect(reply.body.detail).toContain("'assign'");
    expect((await api.call('GET', `/complaints/${complaint.id}`, { as: 'agent' })).body.version).toBe(
      complaint.version,
    );
  });

  it('400 naming the field an event needs or must not have', async () => {
    const { id } = await register();
    const missing = await event(id, { type: 'assign' });
    expectProblem(missing, 400);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(['assigneeId']);
    const extra = await event(id, { type: 'respond', solution: 'not here' });
    expectProblem(extra, 400);
    expect(extra.body.errors.map((e: { path: string }) => e.path)).toEqual(['solution']);
    const pause = await event(id, { type: 'await_customer' });
    expect(pause.body.errors.map((e: { path: string }) => e.path)).toEqual(['reason']);
    expectProblem(await event(id, { type: 'escalate' }), 400);
  });

  it('404 for an unknown complaint, on read, events and timeline; 400 for a malformed id', async () => {
    expectProblem(await api.call('GET', `/complaints/${UNKNOWN}`, { as: 'agent' }), 404);
    expectProblem(await event(UNKNOWN, { type: 'respond' }), 404);
    expectProblem(await api.call('GET', `/complaints/${UNKNOWN}/timeline`, { as: 'agent' }), 404);
    expectProblem(await api.call('GET', '/complaints/not-an-id', { as: 'agent' }), 400);
  });

  it('never loses an update when events race: ten concurrent reassignments all land', async () => {
    const { id } = await register();
    await event(id, { type: 'assign', assigneeId: 'agent-0' });
    const replies = await Promise.all(
      // Taking a complaint from another agent says so (reassign), else it is a 409 (contract v1.1).
      Array.from({ length: 10 }, (_, i) => event(id, { type: 'assign', assigneeId: `agent-${i + 1}`, reassign: true })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    const complaint = (await api.call('GET', `/complaints/${id}`, { as: 'agent' })).body;
    expect(complaint.version).toBe(12);
    const timeline = (await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' })).body.items;
    expect(timeline.filter((e: { type: string }) => e.type === 'assign')).toHaveLength(11);
  });

  it('lets exactly one of several concurrent responses through; the others get 409', async () => {
    const { id } = await register();
    await event(id, { type: 'assign', assigneeId: 'agent-9' });
    const replies = await Promise.all(Array.from({ length: 5 }, () => event(id, { type: 'respond' })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
  });

  it('pauses the SLA clock with a reason, resumes when the customer gets in touch, and reports paused minutes per agent', async () => {
    const { id, deadlines } = await register({ customerId: 'C-pause' });
    await event(id, { type: 'assign', assigneeId: 'agent-9' });
    const paused = await event(id, {
      type: 'await_customer',
      reason: 'information_requested',
      note: 'Asked for the order number',
    });
    expect(paused.body).toMatchObject({
      status: 'awaiting_customer',
      pause: { reason: 'information_requested', by: 'test-agent' },
    });
    expectProblem(await event(id, { type: 'respond' }), 409);
    // The customer's next contact (any recorded interaction) resumes it.
    await api.call('POST', '/interactions', {
      as: 'agent',
      body: anInteraction({ customerId: 'C-pause', startedAt: '2026-11-10T02:00:00Z' }),
    });
    const resumed = (await api.call('GET', `/complaints/${id}`, { as: 'agent' })).body;
    expect(resumed.status).toBe('assigned');
    expect(resumed.pauses).toEqual([expect.objectContaining({ reason: 'information_requested', by: 'test-agent' })]);
    expect(new Date(resumed.deadlines.respondBy).getTime()).toBeGreaterThanOrEqual(
      new Date(deadlines.respondBy).getTime(),
    );
    const timeline = (await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' })).body.items;
    expect(timeline.at(-1)).toMatchObject({ type: 'resume', actor: 'system:customer-contact' });

    const month = resumed.updatedAt.slice(0, 7);
    expectProblem(await api.call('GET', `/complaints/pauses?month=${month}`, { as: 'agent' }), 403);
    const report = await api.call('GET', `/complaints/pauses?month=${month}`, { as: 'supervisor' });
    expect(report.status).toBe(200);
    expect(report.body.items).toContainEqual({
      agentId: 'test-agent',
      pauses: expect.any(Number),
      pausedMinutes: expect.any(Number),
    });
  });

  it('reopens a closed complaint in a new round with fresh deadlines and a new workflow execution', async () => {
    const { id } = await register();
    for (const body of [
      { type: 'assign', assigneeId: 'a' },
      { type: 'respond' },
      { type: 'propose_solution', solution: 'x' },
      { type: 'resolve' },
      { type: 'close' },
    ]) {
      await event(id, body);
    }
    const reopened = await event(id, { type: 'reopen', note: 'Same fault again' });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'reopened', round: 2, escalation: { executionName: `${id}-r2` } });
    expect(api.runtime.workflows.executions.get(`${id}-r2`)?.input).toMatchObject({ round: 2 });
  });

  it('marks a complaint of the same customer and category within 30 days of a closed one as a recurrence', async () => {
    const first = await register({ customerId: 'C-again', category: 'price_billing' });
    for (const body of [
      { type: 'assign', assigneeId: 'a' },
      { type: 'respond' },
      { type: 'propose_solution', solution: 'x' },
      { type: 'resolve' },
      { type: 'close' },
    ]) {
      await event(first.id, body);
    }
    expect(await register({ customerId: 'C-again', category: 'price_billing' })).toMatchObject({
      recurrenceOf: first.id,
    });
    expect((await register({ customerId: 'C-again', category: 'logistics' })).recurrenceOf).toBeUndefined();
  });
});

describe('listing and the timeline', () => {
  it('filters by status, severity, breach and customer, and walks every page exactly once, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1)
      ids.push((await register({ customerId: 'C-list', severity: i % 2 ? 'low' : 'high' })).id);
    await event(ids[0]!, { type: 'assign', assigneeId: 'agent-1' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await api.call(
        'GET',
        `/complaints?customerId=C-list&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { as: 'agent' },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const high = await api.call('GET', '/complaints?customerId=C-list&severity=high', { as: 'agent' });
    expect(high.body.items.map((c: { id: string }) => c.id).sort()).toEqual([ids[0], ids[2], ids[4], ids[6]].sort());
    const assigned = await api.call('GET', '/complaints?status=assigned&severity=high', { as: 'agent' });
    expect(assigned.body.items.map((c: { id: string }) => c.id)).toContain(ids[0]);
    expect(
      assigned.body.items.every(
        (c: { status: string; severity: string }) => c.status === 'assigned' && c.severity === 'high',
      ),
    ).toBe(true);
    const breached = await api.call('GET', '/complaints?breached=true', { as: 'agent' });
    expect(breached.status).toBe(200);
    expect(breached.body.items).toEqual([]);
  });

  it('400 for a bad filter value, a reversed range or a foreign cursor', async () => {
    expectProblem(await api.call('GET', '/complaints?status=lost', { as: 'agent' }), 400);
    expectProblem(await api.call('GET', '/complaints?breached=yes', { as: 'agent' }), 400);
    expectProblem(await api.call('GET', '/complaints?from=2026-11-09&to=2026-11-01', { as: 'agent' }), 400);
    expectProblem(await api.call('GET', '/complaints?cursor=bm90LWEtY3Vyc29y', { as: 'agent' }), 400);
  });

  it('tells the story in time order with who did what', async () => {
    const { id } = await register();
    // The workflow's first step tells the customer and the owner as the complaint is stored.
    await until(
      async () => ((api.runtime.workflows.executions.get(`${id}-r1`)?.path.length ?? 0) > 1 ? true : undefined),
      {
        timeoutMs: 60_000,
      },
    );
    await event(id, { type: 'assign', assigneeId: 'agent-9' });
    await event(id, { type: 'respond', note: 'Apologised and promised a call tomorrow' }, 'supervisor');
    const reply = await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' });
    expect(reply.status).toBe(200);
    expect(reply.body.items.map((e: { type: string; actor: string }) => `${e.type} by ${e.actor}`)).toEqual([
      'registered by test-agent',
      'customer_notified by system:followups',
      'owner_notified by system:followups',
      'assign by test-agent',
      'respond by test-supervisor',
    ]);
    expect(reply.body.items[4].detail).toMatchObject({
      from: 'assigned',
      to: 'responded',
      note: 'Apologised and promised a call tomorrow',
    });
    const at = reply.body.items.map((e: { at: string }) => e.at);
    expect(at).toEqual([...at].sort());
  });

  it('documents every complaint route in the OpenAPI document', async () => {
    const document = (await api.call('GET', '/openapi.json', { as: null })).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/complaints',
        '/complaints/{id}',
        '/complaints/{id}/events',
        '/complaints/{id}/timeline',
        '/complaints/pauses',
      ]),
    );
    expect(document.paths['/complaints/{id}/events'].post.responses).toHaveProperty('409');
  });
});

describe('SLA policies from settings', () => {
  it('follows a changed policy for complaints registered after it: the seed-003 grid on a business-hours calendar', async () => {
    // Tuesday just after 10:00 in Shanghai; the office works 09:00–11:00 on weekdays and counts working time only.
    const office = {
      timezone: 'Asia/Shanghai',
      holidays: [],
      workingHours: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ start: '09:00', end: '11:00' }]])),
    };
    const patched = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: {
        calendars: { office },
        sla: {
          policies: {
            high: { respondMinutes: 60, solutionMinutes: 1440, closeMinutes: 4320, calendar: '24x7' },
            medium: {
              respondMinutes: 120,
              solutionMinutes: 2880,
              closeMinutes: 4320,
              calendar: 'office',
              counting: 'working_time',
            },
            low: { respondMinutes: 240, solutionMinutes: 4320, closeMinutes: 4320, calendar: '24x7' },
          },
        },
      },
    });
    expect(patched.status).toBe(200);
    try {
      const medium = await register({ severity: 'medium' });
      // Two working hours: the rest of Tuesday's window and the same part of Wednesday's, so the same time on Wednesday.
      expect(new Date(medium.deadlines.respondBy).getTime() - new Date(medium.registeredAt).getTime()).toBe(
        24 * 3_600_000,
      );
      expect(medium.deadlines.respondBy.slice(0, 10)).toBe('2026-11-11');
      expect(medium.sla).toMatchObject({ respondMinutes: 120, calendar: 'office', counting: 'working_time' });
      const low = await register({ severity: 'low' });
      expect((new Date(low.deadlines.respondBy).getTime() - new Date(low.registeredAt).getTime()) / 3_600_000).toBe(4);
      // A policy naming a calendar that does not exist is refused, naming the field.
      const wrong = await api.call('PATCH', '/settings', {
        as: 'admin',
        body: { sla: { policies: { low: { calendar: 'nowhere' } } } },
      });
      expectProblem(wrong, 400);
    } finally {
      await api.call('PATCH', '/settings', {
        as: 'admin',
        body: {
          sla: {
            policies: Object.fromEntries(
              ['high', 'medium', 'low'].map((s) => [
                s,
                { respondMinutes: 60, solutionMinutes: 1440, closeMinutes: 4320, calendar: '24x7', counting: null },
              ]),
            ),
          },
        },
      });
    }
  });
});

describe('complaints and the customer', () => {
  it('counts a customer’s complaints into their profile and marks a frequent complainer', async () => {
    const customerId = 'C-frequent';
    await api.call('PUT', `/customers/${customerId}`, {
      as: 'agent',
      body: { preferredChannel: 'sms', language: 'zh', phone: '+8613912345678', consent: { sms: true, email: false } },
    });
    for (let i = 0; i < 3; i += 1) await register({ customerId, category: i === 0 ? 'price_billing' : 'logistics' });
    const customer = (await api.call('GET', `/customers/${customerId}`, { as: 'agent' })).body;
    expect(customer.counts).toMatchObject({ complaints: 3, complaintsLast3Months: 3 });
    expect(customer.segment.frequentComplainer).toBe(true);
  });

  it('erases the free text of a customer’s complaints on request, keeping what the KPIs need', async () => {
    const customerId = 'C-erase';
    await api.call('PUT', `/customers/${customerId}`, {
      as: 'agent',
      body: { preferredChannel: 'sms', language: 'zh', phone: '+8613912345679', consent: { sms: true, email: false } },
    });
    const { id } = await register({ customerId, description: 'Call me on +8613912345679 after 6 pm, Mr Wang' });
    await event(id, { type: 'assign', assigneeId: 'agent-9', note: 'Wang prefers evenings' });
    await event(id, { type: 'respond' });
    await event(id, { type: 'propose_solution', solution: 'Courier to 12 Nanjing Road' });
    expect((await api.call('DELETE', `/customers/${customerId}`, { as: 'admin' })).status).toBe(204);
    const complaint = (await api.call('GET', `/complaints/${id}`, { as: 'agent' })).body;
    expect(complaint.description).toBe('[erased at the customer’s request]');
    expect(complaint.solution).toBeUndefined();
    expect(complaint).toMatchObject({ status: 'solution_proposed', kpi: { respond: 'met', solution: 'met' } });
    const timeline = JSON.stringify((await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' })).body);
    expect(timeline).not.toContain('Wang');
    expect(timeline).not.toContain('Nanjing');
  });
});
