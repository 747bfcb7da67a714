/**
 * WeChat as a channel, end to end: the real adapter (shared/notify/wechat.ts) against the stand-in
 * WeChat server the local runtime starts, through the follow-up job and the one routing rule
 * (preference and consent, then messaging.channelOrder; a permanent failure falls back once, a
 * transient one retries on WeChat). The clock is moved by hand (`runFollowUps(at)`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpNeeds } from '../../functions/composition.js';
import { runFollowUps as runJob } from '../../functions/followups/service.js';
import { dynamoFollowUpStore } from '../../shared/store/followups.js';
import { aCustomer } from '../support/builders/surveys.js';
import { configureWeChat } from '../support/contacts.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { aResolvedChat } from '../support/surveys.js';

// 10:00 in Shanghai: outside the 21:00–08:00 quiet hours.
const START = new Date('2026-11-10T02:00:00Z');
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);
const runFollowUps = (at: Date) => runJob(at, followUpNeeds);

let api: TestApi;
let customers = 0;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  await configureWeChat(api);
});
afterAll(() => api?.runtime.stop());

/** A WeChat follower (WeChat preferred, email consented too) with a chat resolved at START. */
async function wechatCustomer(openIdPrefix = 'oFollower_') {
  customers += 1;
  const customerId = `C-wx-${customers}`;
  const openId = `${openIdPrefix}${String(customers).padStart(4, '0')}`;
  const email = `wx-${customers}@example.com`;
  const { invitationTaskId } = await aResolvedChat(api, {
    customerId,
    profile: {
      phone: `+86139000${String(customers).padStart(5, '0')}`,
      email,
      wechatOpenId: openId,
      preferredChannel: 'wechat',
      consent: { sms: true, email: true, wechat: true },
    },
    resolvedAt: START,
  });
  return { customerId, openId, email, taskId: invitationTaskId };
}

const outboxTo = (address: string) => api.runtime.outbox.list().filter((m) => m.to.includes(address));

describe('customer profiles on WeChat', () => {
  it('keep wechatOpenId and consent.wechat; preferredChannel wechat needs both', async () => {
    const ok = await api.call('PUT', '/customers/C-wx-profile', {
      as: 'agent',
      body: aCustomer({
        wechatOpenId: 'oAbc_123-xyz',
        preferredChannel: 'wechat',
        consent: { sms: false, email: false, wechat: true },
      }),
    });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body).toMatchObject({
      wechatOpenId: 'oAbc_123-xyz',
      preferredChannel: 'wechat',
      consent: { wechat: true },
    });

    const refused = async (body: unknown, field: string) => {
      const reply = await api.call('PUT', '/customers/C-wx-profile-bad', { as: 'agent', body });
      expect(reply.status, reply.text).toBe(400);
      expect(reply.body.errors.map((e: { path: string }) => e.path)).toContain(field);
      expect((await api.call('GET', '/customers/C-wx-profile-bad', { as: 'agent' })).status).toBe(404);
    };
    await refused(aCustomer({ wechatOpenId: 'short' }), 'wechatOpenId');
    await refused(aCustomer({ wechatOpenId: 'has spaces in it' }), 'wechatOpenId');
    await refused(aCustomer({ wechatOpenId: 'x'.repeat(65) }), 'wechatOpenId');
    await refused(
      aCustomer({ preferredChannel: 'wechat', consent: { sms: true, email: true, wechat: true } }),
      'preferredChannel',
    );
    await refused(
      aCustomer({ preferredChannel: 'wechat', wechatOpenId: 'oAbc_123-xyz', consent: { sms: true, email: true } }),
      'preferredChannel',
    );
  });
});

describe('the survey invitation on WeChat', () => {
  it('goes to a follower on WeChat once across two job runs, as a template message with the link', async () => {
    const { openId, email, taskId } = await wechatCustomer();
    await runFollowUps(minutes(31));
    await runFollowUps(minutes(33));
    const sent = outboxTo(openId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'wechat', kind: 'wechat', id: `followup:${taskId}` });
    expect(sent[0]!.text).toContain('服务评价邀请');
    expect(sent[0]!.text).toMatch(/详情 Details: http:\/\/127\.0\.0\.1:\d+\/s\//);
    expect(outboxTo(email)).toHaveLength(0);
    expect(await dynamoFollowUpStore.getTask(taskId)).toMatchObject({ status: 'sent', channel: 'wechat' });
    // The link in it works like any other.
    const token = /\/s\/([A-Za-z0-9_-]+)/.exec(sent[0]!.text ?? '')?.[1];
    expect((await api.call('GET', `/surveys/${token}`, { as: null })).status).toBe(200);
  });

  it('refused- falls back to email once, the reason recorded, and WeChat is not tried again for that openId', async () => {
    const { customerId, openId, email, taskId } = await wechatCustomer('refused-');
    await runFollowUps(minutes(31));
    await runFollowUps(minutes(35));
    expect(outboxTo(openId)).toHaveLength(0);
    const mails = outboxTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ channel: 'email', id: `followup:${taskId}` });
    const task = await dynamoFollowUpStore.getTask(taskId);
    expect(task).toMatchObject({ status: 'sent', channel: 'email' });
    expect(task?.fallbacks).toEqual([{ channel: 'wechat', reason: expect.stringContaining('errcode 43101') }]);
    expect(Object.keys(await dynamoFollowUpStore.undeliverableAddresses(customerId))).toEqual(['wechat']);
  });

  it('busy- (45009) retries on WeChat later, never falls back to email, never sends twice', async () => {
    const { openId, email, taskId } = await wechatCustomer('busy-');
    await runFollowUps(minutes(31));
    expect(await dynamoFollowUpStore.getTask(taskId)).toMatchObject({ status: 'pending', attempts: 1 });
    await runFollowUps(minutes(32)); // before its backoff: not tried
    expect(await dynamoFollowUpStore.getTask(taskId)).toMatchObject({ attempts: 1 });
    await runFollowUps(minutes(34)); // 2 min later: tried again on WeChat
    expect(await dynamoFollowUpStore.getTask(taskId)).toMatchObject({ status: 'pending', attempts: 2 });
    expect(outboxTo(openId)).toHaveLength(0);
    expect(outboxTo(email)).toHaveLength(0);
  });

  it('a rate limit then success: sent once on WeChat after the backoff', async () => {
    const { openId, email, taskId } = await wechatCustomer();
    api.runtime.wechat.failNext({ kind: 'errcode', errcode: 45009 });
    await runFollowUps(minutes(31));
    expect(outboxTo(openId)).toHaveLength(0);
    await runFollowUps(minutes(34));
    await runFollowUps(minutes(60));
    expect(outboxTo(openId)).toHaveLength(1);
    expect(outboxTo(email)).toHaveLength(0);
    expect(await dynamoFollowUpStore.getTask(taskId)).toMatchObject({ status: 'sent', channel: 'wechat', attempts: 1 });
  });

  it('garbage or a timeout from WeChat is transient: retried, then sent once', async () => {
    const { openId, taskId } = await wechatCustomer();
    api.runtime.wechat.failNext({ kind: 'garbage' });
    await runFollowUps(minutes(31));
    expect(await dynamoFollowUpStore.getTask(taskId)).toMatchObject({ status: 'pending', attempts: 1 });
    await runFollowUps(minutes(34));
    expect(outboxTo(openId)).toHaveLength(1);
  });

  it('a token expiring between two sends is refreshed once', async () => {
    const first = await wechatCustomer();
    const second = await wechatCustomer();
    await runFollowUps(minutes(31)); // both sent (one token, or a fresh one: whatever the cache held)
    expect(outboxTo(first.openId)).toHaveLength(1);
    expect(outboxTo(second.openId)).toHaveLength(1);
    const third = await wechatCustomer();
    const fetches = api.runtime.wechatTokenFetches();
    api.runtime.wechat.expireTokens();
    await runFollowUps(minutes(32));
    expect(outboxTo(third.openId)).toHaveLength(1);
    expect(api.runtime.wechatTokenFetches() - fetches).toBe(1);
  });

  it('quiet hours hold for WeChat too', async () => {
    const { openId, taskId } = await wechatCustomer();
    const lateEvening = new Date('2026-11-10T14:00:00Z'); // 22:00 in Shanghai
    await runFollowUps(lateEvening);
    expect(outboxTo(openId)).toHaveLength(0);
    expect(await dynamoFollowUpStore.getTask(taskId)).toMatchObject({ status: 'pending' });
    await runFollowUps(new Date('2026-11-11T00:05:00Z')); // 08:05
    expect(outboxTo(openId)).toHaveLength(1);
  });
});

describe('erasure', () => {
  it('removes the openId everywhere', async () => {
    const { customerId, openId } = await wechatCustomer();
    await runFollowUps(minutes(31));
    expect(outboxTo(openId)).toHaveLength(1);
    expect((await api.call('DELETE', `/customers/${customerId}`, { as: 'admin' })).status).toBe(204);
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const { dynamo } = await import('../../shared/store/client.js');
    const { MAIN_TABLE, tableName } = await import('../../shared/store/table.js');
    const found: unknown[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo().send(
        new ScanCommand({ TableName: tableName(MAIN_TABLE), ExclusiveStartKey: startKey, ConsistentRead: true }),
      );
      found.push(...(page.Items ?? []).filter((item) => JSON.stringify(item).includes(openId)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    expect(found).toEqual([]);
  });
});

describe('the decision on a suggestion', () => {
  it('reaches a WeChat follower on WeChat through the routing rule, once', async () => {
    const { customerId, openId, email } = await wechatCustomer();
    await runFollowUps(minutes(31)); // the chat's survey invitation
    const suggestion = await api.call('POST', '/suggestions', {
      as: 'agent',
      body: { text: '希望增加夜间客服', customerId, channel: 'app' },
    });
    expect(suggestion.status, suggestion.text).toBe(201);
    const decided = await api.call('POST', `/suggestions/${suggestion.body.id}/decision`, {
      as: 'manager',
      body: { decision: 'adopted', plannedFor: '2026-12-01' },
    });
    expect(decided.status, decided.text).toBe(200);
    await runFollowUps(minutes(40));
    await runFollowUps(minutes(45));
    const decisions = outboxTo(openId).filter((m) => m.id.startsWith('followup:notify:suggestion:'));
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ channel: 'wechat' });
    expect(decisions[0]!.text).toContain('建议处理结果');
    expect(outboxTo(email)).toHaveLength(0);
  });
});
