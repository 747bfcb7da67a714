import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/http/routes/index.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime();
});
afterAll(() => api?.runtime.stop());

describe('public system routes', () => {
  it('answers /health without a token', async () => {
    const reply = await api.call('GET', '/health', { as: null });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('ok');
  });

  it('serves an OpenAPI 3.1 document that lists every route with its method and security', async () => {
    const reply = await api.call('GET', '/openapi.json', { as: null });
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      const operation = reply.body.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation.operationId).toBe(route.id);
      if (route.auth === 'public') expect(operation.security).toEqual([]);
      else expect(operation.security).toEqual([{ bearer: [] }]);
    }
  });

  it('documents the interaction fields of the contract from the same zod schemas the handlers use', async () => {
    const { body } = await api.call('GET', '/openapi.json', { as: null });
    const interaction = body.components.schemas.Interaction;
    for (const field of [
      'id',
      'customerId',
      'channel',
      'complexity',
      'startedAt',
      'firstResponseSeconds',
      'resolutionSeconds',
      'responseTargetMet',
      'resolutionTargetMet',
      'status',
    ]) {
      expect(interaction.properties, field).toHaveProperty(field);
    }
    const create = body.components.schemas.CreateInteractionBody;
    expect(create.additionalProperties).toBe(false);
    expect(create.properties.summary.maxLength).toBe(2000);
  });

  it('mints dev tokens on /_local/token and refuses unknown roles', async () => {
    const ok = await api.call('POST', '/_local/token', { as: null, body: { sub: 'me', groups: ['supervisor'] } });
    expect(ok.body.token).toMatch(/^ey/);
    const bad = await api.call('POST', '/_local/token', { as: null, body: { sub: 'me', groups: ['root'] } });
    expect(bad.status).toBe(400);
  });

  it('opens the outbox, executions and jobs to an admin token only (they hold phone numbers and live links)', async () => {
    for (const [method, path] of [
      ['GET', '/_local/outbox'],
      ['GET', '/_local/executions'],
      ['POST', '/_local/jobs/follow-ups'],
      ['POST', '/_local/jobs/overdue'],
      ['POST', '/_local/jobs/monthly-report'],
      ['POST', '/_local/jobs/complaint-summary'],
    ] as const) {
      expect((await api.call(method, path, { as: null })).status, `${method} ${path} without a token`).toBe(401);
      expect((await api.call(method, path, { as: 'manager' })).status, `${method} ${path} as a manager`).toBe(403);
    }
    expect((await api.call('GET', '/_local/outbox', { as: 'admin' })).status).toBe(200);
    expect((await api.call('GET', '/_local/executions', { as: 'admin' })).status).toBe(200);
  });

  it('mints tokens for this machine only (loopback)', async () => {
    const { isLoopback } = await import('../../infra/local/runtime.js');
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.1.2.3']) expect(isLoopback(address)).toBe(true);
    for (const address of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.1', undefined])
      expect(isLoopback(address)).toBe(false);
  });

  it('answers an unknown path with a problem+json 404', async () => {
    const reply = await api.call('GET', '/nowhere');
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
  });
});
