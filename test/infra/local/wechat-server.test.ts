/**
 * The stand-in WeChat server speaks the API the adapter expects: the real adapter against it,
 * over HTTP — tokens, their expiry, the refused-/busy- openIds, WeChat's duplicate guard.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  renderTemplateMessage,
  STAND_IN_CREDENTIALS,
  startWechatStandIn,
  type WechatStandIn,
} from '../../../infra/local/wechat-server.js';
import type { DeliveryFailed } from '../../../shared/notify/ports.js';
import { WECHAT_TIMEOUT_MS, wechatErrcode, wechatTransport } from '../../../shared/notify/wechat.js';

let clock = Date.parse('2026-12-07T08:00:00Z');
let standIn: WechatStandIn;
beforeAll(async () => {
  standIn = await startWechatStandIn({ now: () => new Date(clock) });
});
afterAll(() => standIn.stop());
beforeEach(() => {
  clock += 24 * 3600 * 1000; // every token of the previous test has expired
});

// Real HTTP on a shared machine: a call may take seconds when it is busy, so only the test of the
// timeout itself waits for one (the product's 5 s); the others allow far more than any call needs.
const adapter = (timeoutMs = 30_000) =>
  wechatTransport({
    credentials: async () => STAND_IN_CREDENTIALS,
    baseUrl: standIn.url,
    now: () => clock,
    tokens: new Map(),
    timeoutMs,
  });
const message = (to: string, id = `m-${to}`) => ({
  id,
  to,
  templateId: 'TPL-survey',
  url: 'http://localhost/s/abc',
  data: { first: '请评价本次服务', keyword1: 'I-1', remark: '感谢' },
});
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('delivered');
    },
    (error: unknown) => error as DeliveryFailed,
  );

describe('stand-in WeChat server with the real adapter', () => {
  it('delivers a template message and renders it as the customer sees it', async () => {
    const before = standIn.deliveries.length;
    const result = await adapter().deliver(message('oCustomer_0001'));
    expect(result.providerMessageId).toMatch(/^\d+$/);
    const delivery = standIn.deliveries[before]!;
    expect(delivery).toMatchObject({
      openId: 'oCustomer_0001',
      templateId: 'TPL-survey',
      clientMsgId: 'm-oCustomer_0001',
    });
    expect(renderTemplateMessage(delivery)).toBe('请评价本次服务\nI-1\n感谢\n详情 Details: http://localhost/s/abc');
  });

  it('a token that expires between two sends is refreshed once (42001, then a new token)', async () => {
    const wechat = adapter();
    const issued = standIn.tokensIssued;
    await wechat.deliver(message('oCustomer_0002', 'a'));
    standIn.expireTokens();
    await wechat.deliver(message('oCustomer_0002', 'b'));
    expect(standIn.tokensIssued - issued).toBe(2);
    expect(wechat.stats.tokenFetches).toBe(2);
  });

  it('a token past expires_in is renewed before it is used (5 minutes early)', async () => {
    const wechat = adapter();
    await wechat.deliver(message('oCustomer_0003', 'a'));
    clock += (7200 - 299) * 1000;
    await wechat.deliver(message('oCustomer_0003', 'b'));
    expect(wechat.stats.tokenFetches).toBe(2);
  });

  it('refused- answers 43101 (permanent), busy- 45009 (transient)', async () => {
    const refused = await rejection(adapter().deliver(message('refused-0001')));
    expect(wechatErrcode(refused)).toBe(43101);
    expect(refused).toMatchObject({ addressRefused: true, retryable: false });
    const busy = await rejection(adapter().deliver(message('busy-0001')));
    expect(wechatErrcode(busy)).toBe(45009);
    expect(busy).toMatchObject({ addressRefused: false, retryable: true });
  });

  it('the same client_msg_id to the same openId is one message (a retry after a lost answer)', async () => {
    const before = standIn.deliveries.length;
    const first = await adapter().deliver(message('oCustomer_0004', 'same'));
    const again = await adapter().deliver(message('oCustomer_0004', 'same'));
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(standIn.deliveries.length - before).toBe(1);
  });

  it('a timeout or garbage is transient and nothing is delivered', { timeout: 60_000 }, async () => {
    const before = standIn.deliveries.length;
    standIn.failNext({ kind: 'timeout' }, { kind: 'garbage' });
    const wechat = adapter(WECHAT_TIMEOUT_MS);
    expect(await rejection(wechat.deliver(message('oCustomer_0005')))).toMatchObject({ retryable: true });
    expect(await rejection(wechat.deliver(message('oCustomer_0005')))).toMatchObject({ retryable: true });
    expect(standIn.deliveries.length).toBe(before);
  });

  it('wrong credentials: 40125 at the token endpoint', async () => {
    const wechat = wechatTransport({
      credentials: async () => ({ appId: STAND_IN_CREDENTIALS.appId, secret: 'wrong' }),
      baseUrl: standIn.url,
      now: () => clock,
      tokens: new Map(),
    });
    expect((await rejection(wechat.deliver(message('oCustomer_0006')))).message).toContain('token errcode 40125');
  });
});
