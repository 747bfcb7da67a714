/**
 * WeChat Official Account template messages (公众号模板消息), as the documented API speaks them:
 *
 * - `GET  /cgi-bin/token?grant_type=client_credential&appid=…&secret=…` → `{ access_token, expires_in }`;
 *   the token is kept (per app id, for the life of the container, so across invocations) until
 *   5 minutes before it expires, and fetched once for concurrent sends;
 * - `POST /cgi-bin/message/template/send?access_token=…` with `{ touser, template_id, url, data,
 *   client_msg_id }` → `{ errcode: 0, msgid }`. `client_msg_id` is WeChat's own duplicate guard
 *   (one message per openId and id for 10 minutes), so a send whose answer was lost and is
 *   retried does not reach the customer twice.
 *
 * Answers, as the contract classifies them:
 * - 40001 / 40014 / 42001 (token invalid or expired): fetch a new token and retry once;
 * - 43004 (not subscribed) / 43101 (refused): permanent for this customer on WeChat
 *   (`addressRefused`: the next channel is tried, and this openId is not used again until the
 *   profile changes);
 * - 45009 / 45047 (rate limits) and -1 (system busy): transient, retried later;
 * - any other errcode: failed, naming it;
 * - a timeout, a network error, a 5xx or an answer that is not the documented JSON: transient.
 *
 * The credentials (`appId`, `secret`) come from a `WechatCredentialSource`: AWS Secrets Manager in
 * a deployed function (read once per cold start, `secretsManagerCredentials`), the stand-in's
 * own locally. Neither the secret nor a token is ever logged or put in an error message.
 */
import { createHash } from 'node:crypto';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeliveryFailed, type Transport } from './ports.js';

/** The API's base: WeChat's own in AWS, the stand-in locally (infra/local/wechat-server.ts). */
export const WECHAT_API_BASE = 'https://api.weixin.qq.com';
export const WECHAT_API_BASE_ENV = 'CARELOOP_WECHAT_API_BASE';
/** The environment variable naming the Secrets Manager secret (`{"appId":"…","secret":"…"}`), set by the CDK. */
export const WECHAT_SECRET_ENV = 'CARELOOP_WECHAT_SECRET_ARN';

/** A token is used until this long before WeChat says it expires. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** How long one call to the API may take before it counts as a (transient) timeout. */
export const WECHAT_TIMEOUT_MS = 5000;

export const WECHAT_ERRCODES = {
  systemBusy: -1,
  invalidCredential: 40001,
  invalidToken: 40014,
  tokenExpired: 42001,
  notSubscribed: 43004,
  refused: 43101,
  dailyQuota: 45009,
  rateLimit: 45047,
} as const;

const TOKEN_ERRCODES = new Set<number>([
  WECHAT_ERRCODES.invalidCredential,
  WECHAT_ERRCODES.invalidToken,
  WECHAT_ERRCODES.tokenExpired,
]);
const REFUSED_ERRCODES = new Set<number>([WECHAT_ERRCODES.notSubscribed, WECHAT_ERRCODES.refused]);
const TRANSIENT_ERRCODES = new Set<number>([
  WECHAT_ERRCODES.systemBusy,
  WECHAT_ERRCODES.dailyQuota,
  WECHAT_ERRCODES.rateLimit,
]);

/** A template message to one follower. */
export interface WechatMessage {
  /** Idempotency key (the ledger's; sent to WeChat as `client_msg_id`). */
  id: string;
  /** The follower's openId. */
  to: string;
  templateId: string;
  /** Where tapping the message leads (a survey or confirmation link). */
  url?: string;
  /** The template's fields, in order (`first`, `keyword1`, …, `remark`). */
  data: Record<string, string>;
}

export interface WechatCredentials {
  appId: string;
  secret: string;
}
export type WechatCredentialSource = () => Promise<WechatCredentials>;

/** The WeChat channel is not set up (no app id or secret): permanent, the next channel is tried. */
export const WECHAT_NOT_CONFIGURED = 'wechat_not_configured';

/** WeChat's `client_msg_id`: our id when it is short and plain, else a digest of it (same id → same value). */
export function clientMessageId(id: string): string {
  return /^[\w:.-]{1,64}$/.test(id) ? id : createHash('sha256').update(id).digest('hex').slice(0, 40);
}

interface CachedToken {
  token: string;
  /** Epoch ms after which the token is not used (5 minutes before WeChat's expiry). */
  useUntil: number;
}

/** Tokens per app id, kept for the life of the container (a Lambda's module scope outlives one invocation). */
const containerTokens = new Map<string, CachedToken>();

export interface WechatTransportOptions {
  credentials: WechatCredentialSource;
  baseUrl?: string;
  /** Epoch ms "now" for token expiry: the system clock, or the local scaled clock (the stand-in uses the same). */
  now?: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Where tokens are kept; the container's cache by default (tests pass a fresh map). */
  tokens?: Map<string, CachedToken>;
}

/** What the transport observed (tests and the local runtime read it; never the token itself). */
export interface WechatTransportStats {
  tokenFetches: number;
}

type Answer = { errcode?: unknown; errmsg?: unknown; [key: string]: unknown };

const transient = (what: string) => new DeliveryFailed(`wechat not delivered: ${what}`, true, { channel: 'wechat' });
/** A failure a later attempt would meet again; `addressRefused` when the customer refused (43004/43101). */
const permanent = (what: string, addressRefused = false) =>
  new DeliveryFailed(`wechat not delivered: ${what}`, false, { channel: 'wechat', addressRefused });

export function wechatTransport(options: WechatTransportOptions): Transport<WechatMessage> & {
  stats: WechatTransportStats;
} {
  const base = (options.baseUrl ?? process.env[WECHAT_API_BASE_ENV] ?? WECHAT_API_BASE).replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? WECHAT_TIMEOUT_MS;
  const tokens = options.tokens ?? containerTokens;
  const stats: WechatTransportStats = { tokenFetches: 0 };
  /** One token request at a time per app id: concurrent sends wait for it instead of each invalidating the other's. */
  const fetching = new Map<string, Promise<string>>();

  /** Calls the API and reads its JSON; anything but a JSON object (timeout, network, 5xx, garbage) is transient. */
  async function call(path: string, init?: { method: 'POST'; body: string }): Promise<Answer> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        ...(init ? { method: 'POST', body: init.body, headers: { 'content-type': 'application/json' } } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: string } | null)?.name ?? 'Error';
      throw transient(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : `network error (${name})`);
    }
    if (response.status >= 500) throw transient(`HTTP ${response.status}`);
    const body = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw transient(`an answer that is not JSON (HTTP ${response.status})`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw transient(`an answer that is not a JSON object (HTTP ${response.status})`);
    return parsed as Answer;
  }

  async function credentials(): Promise<WechatCredentials> {
    const found = await options.credentials();
    if (!found.appId || !found.secret) throw permanent(WECHAT_NOT_CONFIGURED);
    return found;
  }

  async function fetchToken({ appId, secret }: WechatCredentials): Promise<string> {
    stats.tokenFetches += 1;
    const query = new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret });
    const answer = await call(`/cgi-bin/token?${query}`);
    if (typeof answer.access_token === 'string' && typeof answer.expires_in === 'number') {
      tokens.set(appId, {
        token: answer.access_token,
        useUntil: now() + answer.expires_in * 1000 - TOKEN_REFRESH_MARGIN_MS,
      });
      return answer.access_token;
    }
    const errcode = typeof answer.errcode === 'number' ? answer.errcode : undefined;
    if (errcode === undefined) throw transient('a token answer without access_token or errcode');
    // -1 (busy) may pass; a wrong app id or secret (40013, 40125, 40164 IP not whitelisted…) needs an operator.
    if (TRANSIENT_ERRCODES.has(errcode)) throw transient(`token errcode ${errcode}`);
    throw permanent(`token errcode ${errcode} (${safeErrmsg(answer)})`);
  }

  async function token(creds: WechatCredentials, renew: boolean): Promise<string> {
    const cached = tokens.get(creds.appId);
    if (!renew && cached && cached.useUntil > now()) return cached.token;
    if (renew && cached) tokens.delete(creds.appId);
    let pending = fetching.get(creds.appId);
    if (!pending) {
      pending = fetchToken(creds).finally(() => fetching.delete(creds.appId));
      fetching.set(creds.appId, pending);
    }
    return pending;
  }

  async function sendWith(accessToken: string, message: WechatMessage): Promise<Answer> {
    const body = {
      touser: message.to,
      template_id: message.templateId,
      ...(message.url ? { url: message.url } : {}),
      data: Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, { value }])),
      client_msg_id: clientMessageId(message.id),
    };
    return call(`/cgi-bin/message/template/send?access_token=${encodeURIComponent(accessToken)}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
  }

  return {
    stats,
    async deliver(message) {
      const creds = await credentials();
      let answer = await sendWith(await token(creds, false), message);
      if (typeof answer.errcode === 'number' && TOKEN_ERRCODES.has(answer.errcode)) {
        // Expired early, or another caller fetched a newer one: one fresh token, one more try.
        answer = await sendWith(await token(creds, true), message);
      }
      const errcode = answer.errcode;
      if (errcode === 0 || (errcode === undefined && answer.msgid !== undefined))
        return answer.msgid === undefined ? {} : { providerMessageId: String(answer.msgid) };
      if (typeof errcode !== 'number') throw transient('a send answer without errcode');
      if (REFUSED_ERRCODES.has(errcode)) throw permanent(`errcode ${errcode} (${safeErrmsg(answer)})`, true);
      if (TRANSIENT_ERRCODES.has(errcode)) throw transient(`errcode ${errcode} (${safeErrmsg(answer)})`);
      throw permanent(`errcode ${errcode} (${safeErrmsg(answer)})`);
    },
  };
}

/** WeChat's errmsg, cut and without anything that looks like a token or secret (errmsg may echo a parameter). */
function safeErrmsg(answer: Answer): string {
  const text = typeof answer.errmsg === 'string' ? answer.errmsg : '';
  return text
    .replace(/(access_token|secret|appid)=?[^\s,;]*/gi, '$1=…')
    .replace(/[A-Za-z0-9_-]{32,}/g, '…')
    .slice(0, 120);
}

/** The errcode a DeliveryFailed of this transport names, if any (for a task's recorded reason). */
export function wechatErrcode(error: unknown): number | undefined {
  const match = /errcode (-?\d+)/.exec((error as Error | null)?.message ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * Credentials from an AWS Secrets Manager secret holding `{"appId":"…","secret":"…"}`: read on
 * first use and kept for the life of the container (once per cold start); a failed read is tried
 * again on the next message. The client is loaded then too, not when the function starts.
 */
export function secretsManagerCredentials(
  secretId: string,
  given?: Pick<SecretsManagerClient, 'send'>,
): WechatCredentialSource {
  let loading: Promise<WechatCredentials> | undefined;
  const read = async (): Promise<WechatCredentials> => {
    const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const client = given ?? new SecretsManagerClient({});
    const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    let value: { appId?: unknown; secret?: unknown } = {};
    try {
      value = JSON.parse(result.SecretString ?? '{}') as typeof value;
    } catch {
      // Not JSON: treated as not configured (the message names no part of the value).
    }
    return {
      appId: typeof value.appId === 'string' ? value.appId.trim() : '',
      secret: typeof value.secret === 'string' ? value.secret.trim() : '',
    };
  };
  return () => {
    loading ??= read().catch((error: Error) => {
      loading = undefined;
      throw transient(`the WeChat credentials could not be read (${error.name})`);
    });
    return loading;
  };
}

/** The default for a deployed function: the secret the stack created, else not configured. */
export function wechatCredentialsFromEnvironment(env: NodeJS.ProcessEnv = process.env): WechatCredentialSource {
  const secretId = env[WECHAT_SECRET_ENV];
  if (secretId) return secretsManagerCredentials(secretId);
  return async () => ({ appId: '', secret: '' });
}
