/** Improvement actions and suggestions over HTTP, with verification numbers on a known data set. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
// "Today" is 2026-11-10 in Shanghai.
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T04:00:00Z'), schedules: false });
});
afterAll(() => api?.runtime.stop());

const action = (overrides: Record<string, unknown> = {}) => ({
  problem: 'Hotline waits over 20 s at peak',
  measure: 'Add two agents 10:00–12:00 and a call-back option',
  department: 'Service operations',
  ownerId: 'M-07',
  dueDate: '2026-11-30',
  channel: 'phone',
  category: 'response_speed',
  expectedEffect: { metric: 'firstResponse', target: 0.75 },
  ...overrides,
});

describe('improvement actions', () => {
  it('verifies an action by comparing first-response compliance before and after', async () => {
    // Before (September): 1 of 4 phone calls answered within 20 s. After (from 2026-11-01): 3 of 4.
    const answered = (day: string, seconds: number, hour: number) =>
      anInteraction({
        channel: 'phone',
        startedAt: `${day}T0${hour}:00:00Z`,
        firstResponseAt: `${day}T0${hour}:00:${String(seconds).padStart(2, '0')}Z`,
      });
    for (const [i, seconds] of [10, 30, 40, 50].entries())
      await api.call('POST', '/interactions', { body: answered('2026-09-20', seconds, i + 1) });
    for (const [i, seconds] of [5, 10, 15, 45].entries())
      await api.call('POST', '/interactions', { body: answered('2026-11-03', seconds, i + 1) });

    const planned = await api.call('POST', '/improvements', { as: 'manager', body: action() });
    expect(planned.status).toBe(201);
    expect(planned.body).toMatchObject({ status: 'planned', overdue: false, version: 1 });
    const id = planned.body.id;
    expect(
      (await api.call('PATCH', `/improvements/${id}`, { as: 'manager', body: { status: 'verified' } })).status,
    ).toBe(409);
    await api.call('PATCH', `/improvements/${id}`, {
      as: 'manager',
      body: { status: 'in_progress', startedOn: '2026-10-01' },
    });
    await api.call('PATCH', `/improvements/${id}`, { as: 'manager', body: { status: 'done', doneOn: '2026-11-01' } });
    const verified = await api.call('PATCH', `/improvements/${id}`, { as: 'manager', body: { status: 'verified' } });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      status: 'verified',
      startedOn: '2026-10-01',
      doneOn: '2026-11-01',
      verifiedOn: '2026-11-10',
    });
    expect(verified.body.verification).toEqual({
      metric: 'firstResponse',
      before: 0.25,
      after: 0.75,
      beforeWindow: { from: '2026-09-01', to: '2026-09-30' },
      afterWindow: { from: '2026-11-01', to: '2026-11-10' },
      improved: true,
      targetMet: true,
    });
    expect(
      (await api.call('PATCH', `/improvements/${id}`, { as: 'manager', body: { status: 'in_progress' } })).status,
    ).toBe(409);
  });

  it('lists by status and finds the overdue ones', async () => {
    await api.call('POST', '/improvements', {
      as: 'manager',
      body: action({ problem: 'Late one', dueDate: '2026-11-01' }),
    });
    await api.call('POST', '/improvements', {
      as: 'manager',
      body: action({ problem: 'Future one', dueDate: '2026-12-01' }),
    });
    const overdue = await api.call('GET', '/improvements?overdue=true', { as: 'supervisor' });
    expect(overdue.body.items.map((i: { problem: string }) => i.problem)).toEqual(['Late one']);
    expect(overdue.body.items[0].overdue).toBe(true);
    const planned = await api.call('GET', '/improvements?status=planned', { as: 'supervisor' });
    expect(planned.body.items.map((i: { problem: string }) => i.problem)).toEqual(['Late one', 'Future one']);
  });

  it('answers the contract status codes', async () => {
    expect((await api.call('POST', '/improvements', { as: 'agent', body: action() })).status).toBe(403);
    const invalid = await api.call('POST', '/improvements', {
      as: 'manager',
      body: action({ dueDate: 'soon', expectedEffect: { metric: 'happiness', target: 1 } }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'dueDate',
      'expectedEffect.metric',
    ]);
    expect((await api.call('GET', '/improvements/01JC0ZQ8M3Y7D5T2N4K6P8R0SV', { as: 'manager' })).status).toBe(404);
  });
});

describe('customer suggestions', () => {
  it('records, rejects with a reason, adopts within a month, delivers, and publishes without personal data', async () => {
    const first = await api.call('POST', '/suggestions', {
      as: 'agent',
      body: { text: '希望增加夜间客服，电话 13812345678', customerId: 'C-9', channel: 'app' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'submitted', submittedOn: '2026-11-10', timeliness: 'pending' });
    const second = await api.call('POST', '/suggestions', { as: 'agent', body: { text: 'Please add a dark mode' } });

    expect(
      (
        await api.call('POST', `/suggestions/${first.body.id}/decision`, {
          as: 'manager',
          body: { decision: 'rejected' },
        })
      ).status,
    ).toBe(400);
    const adopted = await api.call('POST', `/suggestions/${first.body.id}/decision`, {
      as: 'manager',
      body: { decision: 'adopted', plannedFor: '2026-12-01' },
    });
    expect(adopted.body).toMatchObject({ status: 'adopted', plannedFor: '2026-12-01', deliverBy: '2026-12-11' });
    expect(
      (
        await api.call('POST', `/suggestions/${first.body.id}/decision`, {
          as: 'manager',
          body: { decision: 'rejected', reason: 'x' },
        })
      ).status,
    ).toBe(409);
    const rejected = await api.call('POST', `/suggestions/${second.body.id}/decision`, {
      as: 'manager',
      body: { decision: 'rejected', reason: 'Planned for next year' },
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', timeliness: 'on_time' });
    const delivered = await api.call('POST', `/suggestions/${first.body.id}/delivery`, { as: 'manager' });
    expect(delivered.body).toMatchObject({ status: 'delivered', deliveredOn: '2026-11-10', timeliness: 'on_time' });

    // The contract: GET /suggestions is for supervisors and up (an agent gets 403).
    expect((await api.call('GET', '/suggestions?status=delivered', { as: 'agent' })).status).toBe(403);
    const listed = await api.call('GET', '/suggestions?status=delivered', { as: 'supervisor' });
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual([first.body.id]);
    // Only what a manager approved is published (issue 10.11).
    for (const { body } of [first, second])
      expect(
        (await api.call('POST', `/suggestions/${body.id}/publication`, { as: 'manager', body: { publish: true } }))
          .status,
      ).toBe(200);
    const published = await api.call('GET', '/suggestions/published', { as: null });
    expect(published.status).toBe(200);
    expect(published.body.items).toHaveLength(2);
    expect(JSON.stringify(published.body)).not.toContain('13812345678');
    expect(JSON.stringify(published.body)).not.toContain('C-9');
  });
});

describe('publishing suggestions (issue 10.11: masked, and only what a manager approved)', () => {
  const publishedTexts = async () => {
    const reply = await api.call('GET', '/suggestions/published?limit=100', { as: null });
    expect(reply.status).toBe(200);
    return reply.body.items as Array<{ id: string; text: string; reason?: string }>;
  };

  it('publishes nothing a manager has not approved, and takes a suggestion off again', async () => {
    const made = await api.call('POST', '/suggestions', {
      as: 'agent',
      body: { text: '小明说周日门店应该开门', customerId: 'C-pub-1' },
    });
    expect(made.status).toBe(201);
    expect((await publishedTexts()).map((s) => s.id)).not.toContain(made.body.id);
    const board = await api.call('GET', '/suggestions/board?lang=zh', { as: null });
    expect(board.text).not.toContain('周日门店应该开门');

    // An agent may not approve; a manager may, editing out the bare name masking cannot recognise.
    const path = `/suggestions/${made.body.id}/publication`;
    expect((await api.call('POST', path, { as: 'supervisor', body: { publish: true } })).status).toBe(403);
    const approved = await api.call('POST', path, { as: 'manager', body: { publish: true, text: '周日门店应该开门' } });
    expect(approved.status).toBe(200);
    expect(approved.body.publication).toEqual({
      text: '周日门店应该开门',
      approvedBy: 'test-manager',
      approvedAt: expect.any(String),
    });
    const shown = (await publishedTexts()).find((s) => s.id === made.body.id);
    expect(shown?.text).toBe('周日门店应该开门');
    expect((await api.call('GET', '/suggestions/board?lang=zh', { as: null })).text).toContain('周日门店应该开门');
    expect((await api.call('GET', '/suggestions/published?status=submitted', { as: null })).body.items).toContainEqual(
      expect.objectContaining({ id: made.body.id }),
    );

    const withdrawn = await api.call('POST', path, { as: 'manager', body: { publish: false } });
    expect(withdrawn.body.publication).toBeUndefined();
    expect((await publishedTexts()).map((s) => s.id)).not.toContain(made.body.id);
    expect(
      (
        await api.call('POST', `/suggestions/01KA0000000000000000000000/publication`, {
          as: 'manager',
          body: { publish: true },
        })
      ).status,
    ).toBe(404);
  });

  it('masks phones, ID numbers, emails and titled names in the published text and the rejection reason', async () => {
    const text =
      '张先生建议：营业时间延长。电话 +86 138-1234-5678，座机 (021) 6234 5678，身份证 110101199003071234，邮箱 zhang.wei@example.com';
    const made = await api.call('POST', '/suggestions', { as: 'agent', body: { text } });
    // The manager sees what would be published before approving.
    expect(made.body.maskedText).not.toContain('张先生');
    await api.call('POST', `/suggestions/${made.body.id}/decision`, {
      as: 'manager',
      body: {
        decision: 'rejected',
        reason: 'Mr Wang Lei asked us to call 138 1234 5678 first; ID １３８１２３４５６７８',
      },
    });
    // Approving the text as written still publishes it masked (the approved text is masked before it is stored).
    await api.call('POST', `/suggestions/${made.body.id}/publication`, { as: 'manager', body: { publish: true } });
    const shown = (await publishedTexts()).find((s) => s.id === made.body.id);
    expect(shown?.text).toContain('营业时间延长');
    expect(shown?.reason).toContain('asked us to call');
    const everything = JSON.stringify(shown);
    for (const secret of [
      '张先生',
      '1234-5678',
      '6234 5678',
      '110101199003071234',
      'zhang.wei@',
      'Wang Lei',
      '138 1234 5678',
      '１３８１２３４５６７８',
      '13812345678',
    ])
      expect(everything).not.toContain(secret);
    const board = (await api.call('GET', '/suggestions/board?lang=en', { as: null })).text;
    expect(board).toContain('营业时间延长');
    for (const secret of ['张先生', '1234-5678', '110101199003071234', 'zhang.wei@', 'Wang Lei'])
      expect(board).not.toContain(secret);
  });
});
