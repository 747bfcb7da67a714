/**
 * The WeChat Official Account adapter against recorded API answers (the documented shapes of
 * /cgi-bin/token and /cgi-bin/message/template/send, errmsg texts as WeChat writes them), and its
 * credentials from Secrets Manager against aws-sdk-client-mock.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeliveryFailed } from '../../../shared/notify/ports.js';
import {
  clientMessageId,
  secretsManagerCredentials,
  TOKEN_REFRESH_MARGIN_MS,
  wechatErrcode,
  wechatTransport,
} from '../../../shared/notify/wechat.js';

/** Answers as WeChat sends them (recorded shapes; rids vary per call). */
const RECORDED = {
  token: (n: number) => ({ access_token: `ACCESS_TOKEN_${n}_86_Jx9hJkQq7sL2`, expires_in: 7200 }),
  tokenInvalidAppId: { errcode: 40013, errmsg: 'invalid appid rid: 6571a3b2-0c1f2a3b-4d5e6f70' },
  sent: { errcode: 0, errmsg: 'ok', msgid: 200228332 },
  invalidCredential: {
    errcode: 40001,
    errmsg: 'invalid credential, access_token is invalid or not latest rid: 6571a3b2-2a4b6c8d-11223344',
  },
  expired: { errcode: 42001, errmsg: 'access_token expired rid: 6571a3b2-3b5c7d9e-55667788' },
  requireSubscribe: { errcode: 43004, errmsg: 'require subscribe rid: 6571a3b2-4c6d8e0f-99aabbcc' },
  refused: { errcode: 43101, errmsg: 'user refuse to accept the msg rid: 6571a3b2-5d7e9f10-ddeeff00' },
  dailyQuota: { errcode: 45009, errmsg: 'reach max api daily quota limit rid: 6571a3b2-6e8f0a21-01234567' },
  responseLimit: { errcode: 45047, errmsg: 'out of response count limit rid: 6571a3b2-7f901b32-89abcdef' },
  invalidTemplate: { errcode: 40037, errmsg: 'invalid template_id rid: 6571a3b2-80a12c43-fedcba98' },
  systemBusy: { errcode: -1, errmsg: 'system error rid: 6571a3b2-91b23d54-76543210' },
};

type Call = { url: URL; body?: Record<string, unknown> };

/** A fetch that answers from a script, one answer per call, and records what it was asked. */
function scripted(answers: Array<unknown | ((call: Call) => unknown)>) {
  const calls: Call[] = [];
  const fetch = (async (input: string | URL, init?: RequestInit) => {
    const call: Call = {
      url: new URL(String(input)),
      ...(init?.body ? { body: JSON.parse(String(init.body)) as Record<string, unknown> } : {}),
    };
    calls.push(call);
    const next = answers.shift();
    if (next === undefined) throw new Error(`unexpected call ${call.url.pathname}`);
    const answer = typeof next === 'function' ? (next as (c: Call) => unknown)(call) : next;
    if (answer instanceof Error) throw answer;
    if (answer instanceof Response) return answer;
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const credentials = async () => ({ appId: 'wx0123456789abcdef', secret: 'SECRET-not-to-be-logged-0123456789' });
const message = {
  id: 'followup:invite:interaction:01JD5Z',
  to: 'oXyZ_abcdef123456',
  templateId: 'TPL-survey',
  url: 'https://careloop.example.com/s/abc',
  data: { first: '请评价本次服务', keyword1: '01JD5Z', remark: '感谢您的反馈' },
};

let clock = Date.parse('2026-12-07T08:00:00Z');
const now = () => clock;
beforeEach(() => {
  clock = Date.parse('2026-12-07T08:00:00Z');
});

function transport(answers: Array<unknown | ((call: Call) => unknown)>, timeoutMs?: number) {
  const api = scripted(answers);
  const adapter = wechatTransport({
    credentials,
    baseUrl: 'https://api.weixin.qq.com',
    now,
    fetch: api.fetch,
    tokens: new Map(),
    ...(timeoutMs ? { timeoutMs } : {}),
  });
  return { adapter, calls: api.calls };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryFailed> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryFailed);
  return error as DeliveryFailed;
}

describe('WeChat adapter: the documented calls', () => {
  it('fetches a token with appid and secret, then sends the template message with fields, link and client_msg_id', async () => {
    const { adapter, calls } = transport([RECORDED.token(1), RECORDED.sent]);
    expect(await adapter.deliver(message)).toEqual({ providerMessageId: '200228332' });
    expect(calls[0]!.url.pathname).toBe('/cgi-bin/token');
    expect(Object.fromEntries(calls[0]!.url.searchParams)).toEqual({
      grant_type: 'client_credential',
      appid: 'wx0123456789abcdef',
      secret: 'SECRET-not-to-be-logged-0123456789',
    });
    expect(calls[1]!.url.pathname).toBe('/cgi-bin/message/template/send');
    expect(calls[1]!.url.searchParams.get('access_token')).toBe('ACCESS_TOKEN_1_86_Jx9hJkQq7sL2');
    expect(calls[1]!.body).toEqual({
      touser: 'oXyZ_abcdef123456',
      template_id: 'TPL-survey',
      url: 'https://careloop.example.com/s/abc',
      data: { first: { value: '请评价本次服务' }, keyword1: { value: '01JD5Z' }, remark: { value: '感谢您的反馈' } },
      client_msg_id: 'followup:invite:interaction:01JD5Z',
    });
  });

  it('keeps the token until 5 minutes before expires_in, then fetches a new one (once)', async () => {
    const { adapter, calls } = transport([
      RECORDED.token(1),
      RECORDED.sent,
      RECORDED.sent,
      RECORDED.token(2),
      RECORDED.sent,
    ]);
    await adapter.deliver(message);
    clock += 7200 * 1000 - TOKEN_REFRESH_MARGIN_MS - 1; // still inside: no new token
    await adapter.deliver({ ...message, id: 'm2' });
    clock += 2; // within 5 minutes of expiry: refreshed early
    await adapter.deliver({ ...message, id: 'm3' });
    expect(calls.map((c) => c.url.pathname)).toEqual([
      '/cgi-bin/token',
      '/cgi-bin/message/template/send',
      '/cgi-bin/message/template/send',
      '/cgi-bin/token',
      '/cgi-bin/message/template/send',
    ]);
    expect(calls[4]!.url.searchParams.get('access_token')).toBe('ACCESS_TOKEN_2_86_Jx9hJkQq7sL2');
    expect(adapter.stats.tokenFetches).toBe(2);
  });

  it('keeps tokens across transports built on the same cache (a Lambda container: across invocations)', async () => {
    const tokens = new Map();
    const first = scripted([RECORDED.token(1), RECORDED.sent]);
    await wechatTransport({ credentials, now, fetch: first.fetch, tokens }).deliver(message);
    const second = scripted([RECORDED.sent]);
    await wechatTransport({ credentials, now, fetch: second.fetch, tokens }).deliver({ ...message, id: 'm2' });
    expect(second.calls.map((c) => c.url.pathname)).toEqual(['/cgi-bin/message/template/send']);
  });

  it('asks for one token for concurrent sends', async () => {
    const { adapter, calls } = transport([RECORDED.token(1), RECORDED.sent, RECORDED.sent, RECORDED.sent]);
    await Promise.all([1, 2, 3].map((n) => adapter.deliver({ ...message, id: `m${n}` })));
    expect(calls.filter((c) => c.url.pathname === '/cgi-bin/token')).toHaveLength(1);
  });

  it.each([
    ['40001 (not the latest token)', RECORDED.invalidCredential],
    ['42001 (expired)', RECORDED.expired],
  ])('on errcode %s: refreshes the token and retries once', async (_, answer) => {
    const { adapter, calls } = transport([RECORDED.token(1), answer, RECORDED.token(2), RECORDED.sent]);
    expect(await adapter.deliver(message)).toEqual({ providerMessageId: '200228332' });
    expect(calls.map((c) => c.url.pathname)).toEqual([
      '/cgi-bin/token',
      '/cgi-bin/message/template/send',
      '/cgi-bin/token',
      '/cgi-bin/message/template/send',
    ]);
    expect(calls[3]!.url.searchParams.get('access_token')).toBe('ACCESS_TOKEN_2_86_Jx9hJkQq7sL2');
    expect(calls[3]!.body?.client_msg_id).toBe(calls[1]!.body?.client_msg_id);
  });

  it('retries only once: a second token error fails with its errcode, not a loop', async () => {
    const { adapter, calls } = transport([RECORDED.token(1), RECORDED.expired, RECORDED.token(2), RECORDED.expired]);
    const error = await failure(adapter.deliver(message));
    expect(calls).toHaveLength(4);
    expect(wechatErrcode(error)).toBe(42001);
  });
});

describe('WeChat adapter: how answers are classified', () => {
  it.each([
    ['43004 require subscribe', RECORDED.requireSubscribe, 43004],
    ['43101 user refused', RECORDED.refused, 43101],
  ])('%s: permanent, the address refused (the next channel is tried)', async (_, answer, code) => {
    const { adapter } = transport([RECORDED.token(1), answer]);
    const error = await failure(adapter.deliver(message));
    expect(error).toMatchObject({ retryable: false, addressRefused: true });
    expect(wechatErrcode(error)).toBe(code);
  });

  it.each([
    ['45009 daily quota', RECORDED.dailyQuota, 45009],
    ['45047 response limit', RECORDED.responseLimit, 45047],
    ['-1 system busy', RECORDED.systemBusy, -1],
  ])('%s: transient (retried later on WeChat)', async (_, answer, code) => {
    const { adapter } = transport([RECORDED.token(1), answer]);
    const error = await failure(adapter.deliver(message));
    expect(error).toMatchObject({ retryable: true, addressRefused: false });
    expect(wechatErrcode(error)).toBe(code);
  });

  it('another errcode: failed, naming it, neither retried nor blaming the customer', async () => {
    const { adapter } = transport([RECORDED.token(1), RECORDED.invalidTemplate]);
    const error = await failure(adapter.deliver(message));
    expect(error).toMatchObject({ retryable: false, addressRefused: false });
    expect(error.message).toContain('errcode 40037');
  });

  it('a wrong app id at the token endpoint: failed with its errcode (an operator must fix the secret)', async () => {
    const { adapter } = transport([RECORDED.tokenInvalidAppId]);
    const error = await failure(adapter.deliver(message));
    expect(error).toMatchObject({ retryable: false, addressRefused: false });
    expect(error.message).toContain('token errcode 40013');
  });

  it.each([
    ['an HTML error page', () => new Response('<html>502 Bad Gateway</html>', { status: 200 })],
    ['a 503', () => new Response('{}', { status: 503 })],
    ['a JSON array', () => new Response('[1,2]', { status: 200 })],
    ['an object without errcode', () => ({ hello: 'world' })],
    ['a network error', () => Object.assign(new TypeError('fetch failed'), { name: 'TypeError' })],
  ])('%s: transient', async (_, answer) => {
    const { adapter } = transport([RECORDED.token(1), answer]);
    const error = await failure(adapter.deliver(message));
    expect(error).toMatchObject({ retryable: true, addressRefused: false });
  });

  it('a timeout: transient', async () => {
    const hang: typeof fetch = (_, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason ?? new Error('aborted'))),
      );
    let call = 0;
    const adapter = wechatTransport({
      credentials,
      now,
      tokens: new Map(),
      timeoutMs: 20,
      fetch: (async (input: string | URL, init?: RequestInit) => {
        call += 1;
        if (call === 1) return new Response(JSON.stringify(RECORDED.token(1)));
        return hang(input, init);
      }) as typeof fetch,
    });
    const error = await failure(adapter.deliver(message));
    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toContain('timeout');
  });

  it('never puts the secret or a token in an error message', async () => {
    const echo = {
      errcode: 40164,
      errmsg:
        'invalid ip 1.2.3.4, not in whitelist, secret=SECRET-not-to-be-logged-0123456789 access_token=ACCESS_TOKEN_1_86_Jx9hJkQq7sL2',
    };
    const { adapter } = transport([RECORDED.token(1), echo]);
    const error = await failure(adapter.deliver(message));
    expect(error.message).toContain('errcode 40164');
    expect(error.message).not.toContain('SECRET-not-to-be-logged');
    expect(error.message).not.toContain('ACCESS_TOKEN_1');
  });

  it('without credentials: permanent (not configured), no call made', async () => {
    const api = scripted([]);
    const adapter = wechatTransport({
      credentials: async () => ({ appId: '', secret: '' }),
      fetch: api.fetch,
      tokens: new Map(),
    });
    const error = await failure(adapter.deliver(message));
    expect(error).toMatchObject({ retryable: false, addressRefused: false });
    expect(error.message).toContain('wechat_not_configured');
    expect(api.calls).toHaveLength(0);
  });

  it('client_msg_id: the message id when short and plain, else a stable digest', () => {
    expect(clientMessageId('followup:notify:customer:01J:acknowledged:r1')).toBe(
      'followup:notify:customer:01J:acknowledged:r1',
    );
    const long = `followup:${'x'.repeat(80)}`;
    expect(clientMessageId(long)).toMatch(/^[0-9a-f]{40}$/);
    expect(clientMessageId(long)).toBe(clientMessageId(long));
  });
});

describe('WeChat credentials from Secrets Manager', () => {
  const secrets = mockClient(SecretsManagerClient);
  beforeEach(() => secrets.reset());

  it('reads the secret once (per cold start) and keeps it', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"appId":"wx01","secret":"s3cr3t"}' });
    const source = secretsManagerCredentials('arn:aws:secretsmanager:cn-north-1:1:secret:careloop/wechat');
    expect(await source()).toEqual({ appId: 'wx01', secret: 's3cr3t' });
    expect(await source()).toEqual({ appId: 'wx01', secret: 's3cr3t' });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({
      SecretId: 'arn:aws:secretsmanager:cn-north-1:1:secret:careloop/wechat',
    });
  });

  it('a failed read is transient and tried again on the next message', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ SecretString: '{"appId":"wx01","secret":"s3cr3t"}' });
    const source = secretsManagerCredentials('careloop/wechat');
    const error = await failure(source());
    expect(error.retryable).toBe(true);
    expect(await source()).toEqual({ appId: 'wx01', secret: 's3cr3t' });
  });

  it('a placeholder or malformed secret reads as not configured (the adapter then sends nothing)', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'not json' });
    expect(await secretsManagerCredentials('careloop/wechat')()).toEqual({ appId: '', secret: '' });
  });
});
