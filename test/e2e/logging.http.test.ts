/**
 * What the functions really write to their logs, read back with logging on (the other tests run
 * with LOG_LEVEL=SILENT): contact data masked, link and bearer tokens never written.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Before any import builds the logger: Powertools resets the level to this one on every invocation.
vi.hoisted(() => {
  process.env.LOG_LEVEL = 'DEBUG';
  process.env.LOG_FORMAT = 'json';
});

import { logger } from '../../shared/observability/logger.js';
import { anInteraction } from '../support/builders/interactions.js';
import { aCustomer, aSurveyResponse } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
const runtimeLog: string[] = [];
beforeAll(async () => {
  api = await startTestRuntime({ schedules: false, log: (line) => runtimeLog.push(line) });
});
afterAll(() => api?.runtime.stop());

/** Runs `work` and returns every line written to stdout and stderr meanwhile, parsed when JSON. */
async function captured(work: () => Promise<void>): Promise<{ text: string; lines: Array<Record<string, any>> }> {
  const written: string[] = [];
  const spies = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')].map((spy) =>
    spy.mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }),
  );
  try {
    await work();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  const text = written.join('');
  const lines = text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>);
  return { text, lines };
}

describe('logs', () => {
  it('never writes contact data to the logs (logging on, and what was written is read back)', async () => {
    const contact = aCustomer({ name: 'Zhao Secret', phone: '+8613700001111', email: 'zhao.secret@example.com' });
    const { text, lines } = await captured(async () => {
      await api.call('PUT', '/customers/C-20004', { as: 'agent', body: contact });
      await api.call('PUT', '/customers/C-20004', { as: 'agent', body: { ...contact, phone: 'call me' } });
      await api.call('GET', '/customers/C-20004', { as: 'agent' });
      await api.call('DELETE', '/customers/C-20004', { as: 'admin' });
      // Whatever a function logs about a customer goes through the same logger and its replacer.
      logger.error('customer update failed', {
        customer: contact,
        detail: `call ${contact.phone} or ${contact.email}`,
      });
    });
    // The requests were logged: without this the test would pass with logging off.
    const requests = lines.filter((line) => line.message === 'request' && line.resource === '/customers/{id}');
    expect(requests.map((line) => `${line.method} ${line.status}`)).toEqual([
      'PUT 201',
      'PUT 400',
      'GET 200',
      'DELETE 204',
    ]);
    const failure = lines.find((line) => line.message === 'customer update failed');
    expect(failure?.customer.phone).toBe('+86*******1111');
    expect(failure?.customer.email).toBe('z***@example.com');
    expect(failure?.customer.name).toBe('Z**********');
    for (const value of ['Zhao Secret', '+8613700001111', 'zhao.secret@example.com', '13700001111'])
      expect(text).not.toContain(value);
  });

  it('never writes a survey link token or a bearer token, whatever happens to the link', async () => {
    const startedAt = new Date(api.runtime.clock.now().getTime() - 3600_000);
    await api.call('PUT', '/customers/C-logs-1', { as: 'agent', body: aCustomer() });
    const interaction = await api.call('POST', '/interactions', {
      as: 'agent',
      body: anInteraction({
        customerId: 'C-logs-1',
        channel: 'chat',
        startedAt: startedAt.toISOString(),
        resolvedAt: new Date(startedAt.getTime() + 600_000).toISOString(),
      }),
    });
    expect(interaction.status).toBe(201);
    const bearer = await api.runtime.token('logs-agent', ['agent']);
    let token = '';
    const { text, lines } = await captured(async () => {
      const survey = await api.call('POST', '/surveys', {
        as: 'agent',
        body: { subject: { type: 'interaction', id: interaction.body.id } },
      });
      expect(survey.status).toBe(201);
      token = survey.body.token;
      expect(token.length).toBeGreaterThan(40);
      expect((await api.call('GET', `/surveys/${token}`, { as: null })).status).toBe(200);
      const bad = await api.call('POST', `/surveys/${token}/responses`, { as: null, body: { overall: 'x' } });
      expect(bad.status).toBe(400);
      const good = await api.call('POST', `/surveys/${token}/responses`, { as: null, body: aSurveyResponse() });
      expect(good.status).toBe(201);
      expect(
        (await api.call('POST', `/surveys/${token}/responses`, { as: null, body: aSurveyResponse() })).status,
      ).toBe(410);
      const tampered = `${token.slice(0, -4)}AAAA`;
      expect((await api.call('GET', `/surveys/${tampered}`, { as: null })).status).toBeGreaterThanOrEqual(400);
      await api.call('GET', '/customers/C-logs-1', { as: null, headers: { authorization: `Bearer ${bearer}` } });
      // A function that logs a token by mistake still writes none.
      logger.warn('link problem', { url: `https://x.example/s/${token}`, authorization: `Bearer ${bearer}` });
    });
    expect(
      lines.filter((line) => line.message === 'request' && String(line.resource).startsWith('/surveys/{token}')),
    ).not.toHaveLength(0);
    expect(lines.find((line) => line.message === 'link problem')?.url).toBe('https://x.example/s/[token]');
    for (const secret of [token, token.slice(8, 40), bearer, bearer.split('.')[2]!]) expect(text).not.toContain(secret);
    expect(runtimeLog.join('\n')).not.toContain(token);
  });

  it('redacts the path of a failing token request in the local runtime log', async () => {
    const token = 'Q'.repeat(63);
    api.runtime.addLocalEndpoint('GET', `/_local/boom/${token}`, async () => {
      throw new Error(`failed for ${token}`);
    });
    const { text } = await captured(async () => {
      expect((await api.call('GET', `/_local/boom/${token}`, { as: 'admin' })).status).toBe(500);
    });
    const line = runtimeLog.find((l) => l.includes('/_local/boom/'));
    expect(line).toBeDefined();
    expect(line).not.toContain(token);
    expect(text).not.toContain(token);
  });
});
