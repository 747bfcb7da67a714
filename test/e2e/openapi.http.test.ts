/**
 * The served OpenAPI document as a validating client meets it: the conformance check that every
 * HTTP test runs (test/support/openapi-conformance.ts) can fail, the settings schemas accept real
 * answers, every operation with a body has a full request example that its own schema accepts, and the
 * document lints clean with Redocly's recommended rules.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/http/routes/index.js';
import { conformanceChecker } from '../support/openapi-conformance.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
let document: Record<string, any>;
beforeAll(async () => {
  api = await startTestRuntime({ schedules: false });
  document = (await api.call('GET', '/openapi.json', { as: null })).body;
});
afterAll(() => api?.runtime.stop());

describe('the conformance check', () => {
  it('passes a real answer and fails one that drifts from the document', async () => {
    const checker = conformanceChecker(document);
    const settings = await api.call('GET', '/settings', { as: 'manager' });
    const answer = { method: 'GET', path: '/settings', status: 200, contentType: 'application/json' };
    expect(() => checker.check({ ...answer, body: settings.body })).not.toThrow();
    const { version: _version, ...withoutVersion } = settings.body;
    expect(() => checker.check({ ...answer, body: withoutVersion })).toThrow(/version/);
    expect(() => checker.check({ ...answer, body: { ...settings.body, timezone: 7 } })).toThrow(/timezone/);
    expect(() => checker.check({ ...answer, status: 418, body: {} })).toThrow(/does not list/);
    expect(() =>
      checker.check({
        method: 'GET',
        path: '/complaints/01JC0ZQ8M3Y7D5T2N4K6P8R0SV',
        status: 200,
        contentType: 'application/json',
        body: { id: 'x' },
      }),
    ).toThrow(/does not match/);
  });

  it('describes settings as served and a typed merge patch', () => {
    const schemas = document.components.schemas;
    expect(schemas.VersionedSettings.allOf).toBeUndefined();
    expect(schemas.VersionedSettings.required).toEqual(expect.arrayContaining(['version', 'timezone', 'kpis']));
    expect(schemas.SettingsPatch.additionalProperties).toBe(false);
    expect(Object.keys(schemas.SettingsPatch.properties)).toEqual(expect.arrayContaining(['timezone', 'kpis', 'sla']));
    expect(schemas.TimelineDetail.properties).toHaveProperty('milestone');
    expect(schemas.TimelineEventType.enum).toEqual(expect.arrayContaining(['owner_notified', 'customer_notified']));
    expect(schemas.Problem.properties).toHaveProperty('instance');
    expect(schemas.FieldError.required).toEqual(expect.arrayContaining(['path', 'code', 'message']));
    expect(document.info.license).toBeDefined();
  });

  it('names the contract version it describes (api-contract.md v1.2)', () => {
    expect(document.info.version).toBe('1.2.0');
  });

  it('gives every operation with a body a full request example its own schema accepts', () => {
    for (const route of ROUTES.filter((r) => r.request?.body && r.method !== 'DELETE')) {
      const operation = document.paths[route.path][route.method.toLowerCase()];
      const example = operation.requestBody.content['application/json'].example;
      expect(example, route.id).toBeDefined();
      const parsed = route.request!.body!.safeParse(example);
      expect(parsed.success, `${route.id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it('uses staff and team examples, not a customer id, for agentId, team and assigneeId', () => {
    const body = document.components.schemas.CreateInteractionBody.properties;
    expect(body.agentId.example).not.toMatch(/^C-/);
    expect(body.team.example).not.toMatch(/^C-/);
  });
});

describe('the document lints clean (Redocly, recommended rules)', () => {
  const lint = async (doc: Record<string, unknown>) => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    return problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
  };

  it('has no error and no warning, license included', async () => {
    expect(document.info.license).toMatchObject({ name: expect.any(String), url: expect.any(String) });
    expect(await lint(document)).toEqual([]);
  });

  it('would report a missing license and an operation without a 4XX answer (the lint can fail)', async () => {
    const broken = structuredClone(document);
    delete broken.info.license;
    const responses = broken.paths['/me'].get.responses;
    for (const status of Object.keys(responses)) if (status.startsWith('4')) delete responses[status];
    const problems = await lint(broken);
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/info-license/), expect.stringMatching(/operation-4xx-response/)]),
    );
  });
});
