/**
 * `/metrics` `messaging` over a known mix (api-contract.md "Channels (v1.2)"): every message counted
 * once on the channel it went by, at the list prices of settings messaging.prices, SMS by segment,
 * a fallback counted once (on the channel that carried it), and the cost per survey invitation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpNeeds } from '../../functions/composition.js';
import { runFollowUps as runJob } from '../../functions/followups/service.js';
import { smsSegments } from '../../shared/domain/followups.js';
import type { PutCustomerBody } from '../../shared/schemas/customers.js';
import { configureWeChat } from '../support/contacts.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { aResolvedChat } from '../support/surveys.js';

const START = new Date('2026-11-10T02:00:00Z'); // 10:00 in Shanghai
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  await configureWeChat(api, { prices: { wechat: 0, email: 0.0002, sms: 0.05 } });
});
afterAll(() => api?.runtime.stop());

let n = 0;
async function customerWithResolvedChat(profile: Partial<PutCustomerBody>) {
  n += 1;
  await aResolvedChat(api, { customerId: `C-mix-${n}`, profile, resolvedAt: START });
}

describe('/metrics messaging', () => {
  it('is exact over a known mix: 2 WeChat, 1 email, 1 SMS, 1 refused WeChat falling back to email', async () => {
    const wechat = (openId: string): Partial<PutCustomerBody> => ({
      email: `${openId}@example.com`,
      wechatOpenId: openId,
      preferredChannel: 'wechat',
      consent: { sms: false, email: true, wechat: true },
    });
    await customerWithResolvedChat(wechat('oMix_000001'));
    await customerWithResolvedChat(wechat('oMix_000002'));
    await customerWithResolvedChat({
      email: 'mix-mail@example.com',
      preferredChannel: 'email',
      consent: { sms: false, email: true },
    });
    await customerWithResolvedChat({
      phone: '+8613900009999',
      preferredChannel: 'sms',
      consent: { sms: true, email: false },
    });
    await customerWithResolvedChat(wechat('refused-mix01'));
    await runJob(minutes(31), followUpNeeds);
    await runJob(minutes(40), followUpNeeds); // nothing more: every invitation went out once

    const outbox = api.runtime.outbox.list().filter((m) => m.id.startsWith('followup:invite:'));
    expect(outbox.map((m) => m.channel).sort()).toEqual(['email', 'email', 'sms', 'wechat', 'wechat']);
    const segments = smsSegments(outbox.find((m) => m.channel === 'sms')!.text!);
    expect(segments).toBeGreaterThan(0);

    const { status, body } = await api.call('GET', '/metrics?from=2026-11-10&to=2026-11-10', { as: 'manager' });
    expect(status).toBe(200);
    const smsCost = Math.round(segments * 0.05 * 1e6) / 1e6;
    expect(body.messaging).toEqual({
      sent: 5,
      byChannel: {
        wechat: { sent: 2, cost: 0, segments: 0 },
        email: { sent: 2, cost: 0.0004, segments: 0 },
        sms: { sent: 1, cost: smsCost, segments },
      },
      cost: Math.round((0.0004 + smsCost) * 1e6) / 1e6,
      costPerSurvey: Math.round(((0.0004 + smsCost) * 1e6) / 5) / 1e6,
    });
    // A team's or an agent's figures carry no organisation-wide messaging.
    const team = await api.call('GET', '/metrics?from=2026-11-10&to=2026-11-10&team=online', { as: 'manager' });
    expect(team.body.messaging).toBeUndefined();
  });
});
