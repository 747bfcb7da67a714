/**
 * Refusals a screen can act on without another read (contract "For screens (v1.2)"): a 412 or 409
 * carries the record as stored (`current`, typed as the route's 200 answer in /openapi.json) and
 * its version as the ETag header; settings `api.requireIfMatch` makes a write without If-Match a
 * 428; field errors name their field as an RFC 6901 pointer beside the dotted path, with per-code
 * params ({ min, max }, { allowed }, { format }).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aComplaintBody } from '../support/builders/complaints.js';
import { anInteraction } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), schedules: false });
});
afterAll(() => api?.runtime.stop());

const newInteraction = async () => {
  const reply = await api.call('POST', '/interactions', {
    as: 'agent',
    body: anInteraction({ customerId: 'C-typed' }),
  });
  expect(reply.status).toBe(201);
  return reply.body as { id: string; version: number };
};

describe('a refused write carries the record as stored', () => {
  it('412: current and the ETag to retry with; the retry with it succeeds', async () => {
    const { id } = await newInteraction();
    // Someone else changes it meanwhile.
    const other = await api.call('PATCH', `/interactions/${id}`, {
      as: 'agent',
      body: { category: 'billing' },
      headers: { 'if-match': '"1"' },
    });
    expect(other.status).toBe(200);
    const stale = await api.call('PATCH', `/interactions/${id}`, {
      as: 'agent',
      body: { category: 'delivery' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe('https://careloop.dev/problems/precondition-failed');
    expect(stale.body.current).toMatchObject({ id, category: 'billing', version: other.body.version });
    expect(stale.headers.get('etag')).toBe(`"${other.body.version}"`);
    const retried = await api.call('PATCH', `/interactions/${id}`, {
      as: 'agent',
      body: { category: 'delivery' },
      headers: { 'if-match': stale.headers.get('etag')! },
    });
    expect(retried.status).toBe(200);
    expect(retried.body.category).toBe('delivery');
  });

  it('409 on a refused complaint transition: current (its status now) and its ETag', async () => {
    const created = await api.call('POST', '/complaints', {
      as: 'agent',
      body: aComplaintBody({ customerId: 'C-typed' }),
    });
    expect(created.status).toBe(201);
    const refused = await api.call('POST', `/complaints/${created.body.id}/events`, {
      as: 'agent',
      body: { type: 'resolve' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.currentStatus).toBe('registered');
    expect(refused.body.current).toMatchObject({
      id: created.body.id,
      status: 'registered',
      version: created.body.version,
      allowedEvents: expect.arrayContaining(['assign']),
    });
    expect(refused.headers.get('etag')).toBe(`"${created.body.version}"`);
  });

  it('declares current in the document as the route’s own 200 answer, with the ETag header', async () => {
    const doc = (await api.call('GET', '/openapi.json', { as: null })).body;
    const conflict = doc.paths['/complaints/{id}/events'].post.responses['409'];
    expect(conflict.headers.ETag).toBeDefined();
    const schema = conflict.content['application/problem+json'].schema;
    expect(JSON.stringify(schema)).toContain('#/components/schemas/ComplaintView');
    const stale = doc.paths['/interactions/{id}'].patch.responses['412'];
    expect(JSON.stringify(stale.content['application/problem+json'].schema)).toContain(
      '#/components/schemas/Interaction',
    );
    expect(doc.paths['/interactions/{id}'].patch.responses['428']).toBeDefined();
    expect(doc.paths['/interactions/{id}'].get.responses['428']).toBeUndefined();
  });
});

describe('settings api.requireIfMatch', () => {
  it('is off by default; on, a write without If-Match is a 428 and one with it goes through', async () => {
    const settings = await api.call('GET', '/settings', { as: 'admin' });
    expect(settings.body.api).toEqual({ requireIfMatch: false });
    const { id } = await newInteraction();
    expect(
      (await api.call('PATCH', `/interactions/${id}`, { as: 'agent', body: { category: 'billing' } })).status,
    ).toBe(200);
    const on = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { api: { requireIfMatch: true } },
      headers: { 'if-match': settings.headers.get('etag')! },
    });
    expect(on.status).toBe(200);
    try {
      const without = await api.call('PATCH', `/interactions/${id}`, { as: 'agent', body: { category: 'delivery' } });
      expect(without.status).toBe(428);
      expect(without.body.type).toBe('https://careloop.dev/problems/precondition-required');
      expect(without.body.detail).toMatch(/If-Match/);
      const read = await api.call('GET', `/interactions/${id}`, { as: 'agent' });
      const withIt = await api.call('PATCH', `/interactions/${id}`, {
        as: 'agent',
        body: { category: 'product' },
        headers: { 'if-match': read.headers.get('etag')! },
      });
      expect(withIt.status).toBe(200);
      // Reads and creations are not writes to an existing record: no If-Match needed.
      expect((await api.call('GET', `/interactions/${id}`, { as: 'agent' })).status).toBe(200);
      expect((await newInteraction()).id).toBeTruthy();
    } finally {
      const off = await api.call('PATCH', '/settings', {
        as: 'admin',
        body: { api: { requireIfMatch: false } },
        headers: { 'if-match': on.headers.get('etag')! },
      });
      expect(off.status).toBe(200);
    }
  });
});

describe('field errors', () => {
  it('name each field as an RFC 6901 pointer beside the dotted path, with params per code', async () => {
    const bad = await api.call('POST', '/interactions', {
      as: 'agent',
      body: { ...anInteraction({ customerId: 'C-typed' }), channel: 'fax', startedAt: 'yesterday' },
    });
    expect(bad.status).toBe(400);
    const byPath = Object.fromEntries(bad.body.errors.map((e: any) => [e.path, e]));
    expect(byPath.channel).toMatchObject({
      pointer: '/channel',
      code: 'not_in_list',
      params: { allowed: expect.arrayContaining(['phone', 'chat']) },
    });
    expect(byPath.startedAt).toMatchObject({
      pointer: '/startedAt',
      code: 'invalid_format',
      params: { format: 'datetime' },
    });
    const limit = await api.call('GET', '/interactions?limit=1000', { as: 'agent' });
    expect(limit.status).toBe(400);
    expect(limit.body.errors[0]).toMatchObject({
      path: 'limit',
      pointer: '/limit',
      code: 'out_of_range',
      params: { max: 100 },
    });
  });

  it('escapes a key that holds a dot or a slash, where the dotted path is ambiguous', async () => {
    const settings = await api.call('GET', '/settings', { as: 'admin' });
    const bad = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { escalation: { teamContacts: { 'north.team': { supervisor: { name: 'N', email: 'not-an-email' } } } } },
      headers: { 'if-match': settings.headers.get('etag')! },
    });
    expect(bad.status).toBe(400);
    const error = bad.body.errors.find((e: any) => e.path.endsWith('email'));
    expect(error).toMatchObject({
      path: 'escalation.teamContacts.north.team.supervisor.email',
      pointer: '/escalation/teamContacts/north.team/supervisor/email',
      code: 'invalid_format',
      params: { format: 'email' },
    });
    const slash = await api.call('PATCH', '/settings', {
      as: 'admin',
      body: { calendars: { 'a/b~c': null } },
      headers: { 'if-match': settings.headers.get('etag')! },
    });
    expect(slash.status).toBe(400);
    expect(slash.body.errors.map((e: any) => e.pointer)).toContain('/calendars/a~1b~0c');
  });
});
