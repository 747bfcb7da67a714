/**
 * `messaging` in the settings (api-contract.md "Channels (v1.2)"): the channel order (cheapest
 * first by default), list prices and WeChat templates; a patch naming an unknown channel, none at
 * all, a channel twice or a negative price is a 400 naming the field, and stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ schedules: false });
});
afterAll(() => api?.runtime.stop());

const patch = (body: unknown) => api.call('PATCH', '/settings', { as: 'admin', rawBody: JSON.stringify(body) });

async function expectRefused(body: unknown, field: string) {
  const before = (await api.call('GET', '/settings', { as: 'admin' })).body;
  const reply = await patch(body);
  expect(reply.status, reply.text).toBe(400);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  const after = (await api.call('GET', '/settings', { as: 'admin' })).body;
  expect(after.version).toBe(before.version);
  expect(after.messaging).toEqual(before.messaging);
}

describe('settings: messaging', () => {
  it('defaults: WeChat, email, SMS (cheapest first), list prices, no WeChat template yet', async () => {
    const { body } = await api.call('GET', '/settings', { as: 'manager' });
    expect(body.messaging).toEqual({
      channelOrder: ['wechat', 'email', 'sms'],
      prices: { wechat: 0, email: 0.0001, sms: 0.04 },
      wechat: { templates: {} },
    });
  });

  it('takes a new order, prices and templates (merge patch: prices name only what changes)', async () => {
    const reply = await patch({
      messaging: {
        channelOrder: ['email', 'wechat'],
        prices: { sms: 0.05 },
        wechat: { templates: { survey_invitation: 'TPL_survey-01', customer_notice: 'TPL_notice' } },
      },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.messaging).toEqual({
      channelOrder: ['email', 'wechat'],
      prices: { wechat: 0, email: 0.0001, sms: 0.05 },
      wechat: { templates: { survey_invitation: 'TPL_survey-01', customer_notice: 'TPL_notice' } },
    });
    const history = await api.call('GET', '/settings/history?limit=1', { as: 'admin' });
    expect(history.body.items[0].fields).toEqual(
      expect.arrayContaining(['messaging.channelOrder', 'messaging.prices.sms']),
    );
  });

  it('refuses an unknown channel, an empty order or a channel twice, naming the field', async () => {
    await expectRefused({ messaging: { channelOrder: ['wechat', 'fax'] } }, 'messaging.channelOrder.1');
    await expectRefused({ messaging: { channelOrder: [] } }, 'messaging.channelOrder');
    await expectRefused({ messaging: { channelOrder: ['sms', 'sms'] } }, 'messaging.channelOrder');
  });

  it('refuses a negative price, a template of an unknown message or a malformed template id', async () => {
    await expectRefused({ messaging: { prices: { sms: -0.01 } } }, 'messaging.prices.sms');
    await expectRefused({ messaging: { prices: { wechat: 'free' } } }, 'messaging.prices.wechat');
    await expectRefused(
      { messaging: { wechat: { templates: { birthday: 'TPL' } } } },
      'messaging.wechat.templates.birthday',
    );
    await expectRefused(
      { messaging: { wechat: { templates: { survey_invitation: 'has spaces' } } } },
      'messaging.wechat.templates.survey_invitation',
    );
  });

  it('a manager reads the settings but may not change messaging', async () => {
    const reply = await api.call('PATCH', '/settings', { as: 'manager', body: { messaging: { prices: { sms: 1 } } } });
    expect(reply.status).toBe(403);
  });
});
