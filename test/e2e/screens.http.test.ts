/**
 * What an agent console needs beyond reports (contract "For screens (v1.1)"), over real HTTP:
 * concurrent edits (ETag, If-Match → 412, reassign → 409), coded field errors a zh/en form can
 * translate, a distinct expired-token 401. Every answer is also checked against /openapi.json by
 * the test client (test/support/openapi-conformance.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../infra/local/dev-auth.js';
import { FIELD_ERROR_CODES } from '../../shared/schemas/vocabulary.js';
import { aComplaintBody } from '../support/builders/complaints.js';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), schedules: false });
});
afterAll(() => api?.runtime.stop());

const register = async () => {
  const reply = await api.call('POST', '/complaints', {
    as: 'agent',
    body: aComplaintBody({ customerId: 'C-screens' }),
  });
  expect(reply.status).toBe(201);
  return reply.body as { id: string; version: number };
};
const event = (id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api.call('POST', `/complaints/${id}/events`, { as: 'agent', body, headers });

describe('concurrent edits', () => {
  it('answers every single-record read and write with an ETag from the record’s version', async () => {
    const { id } = await register();
    const read = await api.call('GET', `/complaints/${id}`, { as: 'agent' });
    expect(read.headers.get('etag')).toBe(`"${read.body.version}"`);
    const assigned = await event(
      id,
      { type: 'assign', assigneeId: 'agent-a' },
      { 'if-match': read.headers.get('etag')! },
    );
    expect(assigned.status).toBe(200);
    expect(assigned.headers.get('etag')).toBe(`"${read.body.version + 1}"`);
    // A single record says which events it accepts now, like a list row (the buttons to draw).
    expect(read.body.allowedEvents).toEqual(expect.arrayContaining(['assign']));
    expect(read.body.allowedEvents).not.toContain('respond');
    expect(assigned.body.allowedEvents).toEqual(expect.arrayContaining(['respond', 'await_customer']));
    const list = await api.call('GET', '/complaints?customerId=C-screens', { as: 'agent' });
    // A list answers a weak ETag of its page (v1.2): If-None-Match then gives 304 while nothing in it changed.
    expect(list.headers.get('etag')).toMatch(/^W\/"/);
    const unchanged = await api.call('GET', '/complaints?customerId=C-screens', {
      as: 'agent',
      headers: { 'if-none-match': list.headers.get('etag')! },
    });
    expect(unchanged.status).toBe(304);
  });

  it('two concurrent assigns to different agents: one 200, one 409 naming the status and allowed events', async () => {
    const { id } = await register();
    const replies = await Promise.all([
      event(id, { type: 'assign', assigneeId: 'agent-a' }),
      event(id, { type: 'assign', assigneeId: 'agent-b' }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const refused = replies.find((r) => r.status === 409)!;
    const winner = replies.find((r) => r.status === 200)!.body.assigneeId;
    expect(refused.body).toMatchObject({ currentStatus: 'assigned', assigneeId: winner });
    expect(refused.body.allowedEvents).toEqual(expect.arrayContaining(['assign', 'respond']));
    // Taking it over is possible when meant.
    const loser = winner === 'agent-a' ? 'agent-b' : 'agent-a';
    const taken = await event(id, { type: 'assign', assigneeId: loser, reassign: true });
    expect(taken.status).toBe(200);
    expect(taken.body.assigneeId).toBe(loser);
    const timeline = (await api.call('GET', `/complaints/${id}/timeline`, { as: 'agent' })).body.items;
    expect(timeline.at(-1)).toMatchObject({
      type: 'assign',
      detail: { assigneeId: loser, previousAssigneeId: winner },
    });
  });

  it('a refused transition is a 409 with currentStatus and allowedEvents', async () => {
    const { id } = await register();
    const reply = await event(id, { type: 'resolve' });
    expect(reply.status).toBe(409);
    // `escalate` (the contract's agent escalation) is open in every status but closed.
    expect(reply.body).toMatchObject({ currentStatus: 'registered', allowedEvents: ['assign', 'escalate'] });
    // …and the next deadline, as the list rows show it.
    expect(reply.body.nextDeadline).toMatchObject({ milestone: 'respond', secondsLeft: expect.any(Number) });
  });

  it('a stale If-Match is a 412 and changes nothing, on complaints, interactions, customers and settings', async () => {
    const { id, version } = await register();
    await event(id, { type: 'assign', assigneeId: 'agent-a' });
    const staleEvent = await event(id, { type: 'respond' }, { 'if-match': `"${version}"` });
    expect(staleEvent.status).toBe(412);
    expect(staleEvent.body.type).toMatch(/precondition-failed$/);
    expect((await api.call('GET', `/complaints/${id}`, { as: 'agent' })).body.status).toBe('assigned');

    const interaction = (await api.call('POST', '/interactions', { as: 'agent', body: anInteraction() })).body;
    const first = await api.call('PATCH', `/interactions/${interaction.id}`, {
      as: 'agent',
      body: { category: 'billing' },
      headers: { 'if-match': `"${interaction.version}"` },
    });
    expect(first.status).toBe(200);
    const second = await api.call('PATCH', `/interactions/${interaction.id}`, {
      as: 'agent',
      body: { category: 'delivery' },
      headers: { 'if-match': `"${interaction.version}"` },
    });
    expect(second.status).toBe(412);
    expect((await api.call('GET', `/interactions/${interaction.id}`, { as: 'agent' })).body.category).toBe('billing');

    // Two agents edit one customer: the second, from a stale read, cannot silently drop the first one's phone.
    const profile = { preferredChannel: 'sms', language: 'zh', consent: { sms: true, email: false } };
    const made = await api.call('PUT', '/customers/C-etag', { as: 'agent', body: profile });
    const etag = made.headers.get('etag')!;
    expect(etag).toBe(`"${made.body.version}"`);
    const phoneEdit = await api.call('PUT', '/customers/C-etag', {
      as: 'agent',
      body: { ...profile, phone: '+8613800000001' },
      headers: { 'if-match': etag },
    });
    expect(phoneEdit.status).toBe(200);
    const staleEdit = await api.call('PUT', '/customers/C-etag', {
      as: 'agent',
      body: { ...profile, language: 'en' },
      headers: { 'if-match': etag },
    });
    expect(staleEdit.status).toBe(412);
    expect((await api.call('GET', '/customers/C-etag', { as: 'agent' })).body.phone).toBe('+8613800000001');

    const settings = await api.call('GET', '/settings', { as: 'manager' });
    const settingsTag = settings.headers.get('etag')!;
    expect(
      (
        await api.call('PATCH', '/settings', {
          as: 'admin',
          body: { surveyThrottleDays: 20 },
          headers: { 'if-match': settingsTag },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api.call('PATCH', '/settings', {
          as: 'admin',
          body: { surveyThrottleDays: 25 },
          headers: { 'if-match': settingsTag },
        })
      ).status,
    ).toBe(412);
    expect((await api.call('GET', '/settings', { as: 'manager' })).body.surveyThrottleDays).toBe(20);
  });
});

describe('coded field errors', () => {
  const post = (body: unknown) => api.call('POST', '/interactions', { as: 'agent', body });

  it('gives every validation failure of POST /interactions a documented code, one entry per field', async () => {
    const cases: Array<[unknown, Record<string, string>]> = [
      [{}, { customerId: 'required', channel: 'required', complexity: 'required', startedAt: 'required' }],
      [anInteraction({ channel: 'fax' as never }), { channel: 'not_in_list' }],
      [anInteraction({ complexity: 'hard' as never }), { complexity: 'not_in_list' }],
      [anInteraction({ overdueReason: 'lazy' as never }), { overdueReason: 'not_in_list' }],
      [anInteraction({ startedAt: 'yesterday' }), { startedAt: 'invalid_format' }],
      [anInteraction({ customerId: 'has space' }), { customerId: 'invalid_format' }],
      [anInteraction({ customerId: '' }), { customerId: 'required' }],
      [anInteraction({ summary: 'x'.repeat(2001) }), { summary: 'too_long' }],
      [anInteraction({ category: 'c'.repeat(65) }), { category: 'too_long' }],
      [anInteraction({ resolvedOnFirstContact: 'yes' as never }), { resolvedOnFirstContact: 'invalid_type' }],
      [{ ...anInteraction(), createdBy: 'me' }, { createdBy: 'unknown_field' }],
      [anInteraction({ resolvedAt: '2026-11-03T07:00:00Z' }), { resolvedAt: 'not_ordered' }],
      [anInteraction({ startedAt: '2027-01-01T00:00:00Z' }), { startedAt: 'out_of_range' }],
    ];
    for (const [body, expected] of cases) {
      const reply = await post(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      const byPath = Object.fromEntries(reply.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]));
      expect(byPath).toEqual(expected);
      expect(reply.body.errors).toHaveLength(Object.keys(expected).length);
      for (const error of reply.body.errors) {
        expect(FIELD_ERROR_CODES).toContain(error.code);
        expect(error.message).not.toMatch(/^(Invalid|Too (big|small))/);
      }
    }
    const tooLong = await post(anInteraction({ summary: 'x'.repeat(2001) }));
    expect(tooLong.body.errors[0].params).toEqual({ max: 2000, maximum: 2000 });
  });
});

describe('authentication', () => {
  it('tells an expired token apart from a forged one', async () => {
    const expired = await mintDevToken(
      api.runtime.jwtSecret,
      { sub: 'agent-old', groups: ['agent'] },
      new Date(Date.now() - 13 * 3600 * 1000),
    );
    const reply = await api.call('GET', '/complaints', { as: null, headers: { authorization: `Bearer ${expired}` } });
    expect(reply.status).toBe(401);
    expect(reply.body.type).toMatch(/\/token-expired$/);
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);

    const forged = await mintDevToken('another-secret-entirely-0123456789', { sub: 'agent-x', groups: ['agent'] });
    const refused = await api.call('GET', '/complaints', { as: null, headers: { authorization: `Bearer ${forged}` } });
    expect(refused.status).toBe(401);
    expect(refused.body.type).toMatch(/\/unauthenticated$/);
    // A public route ignores a stale token, as API Gateway does.
    expect(
      (await api.call('GET', '/health', { as: null, headers: { authorization: `Bearer ${expired}` } })).status,
    ).toBe(200);
  });
});
