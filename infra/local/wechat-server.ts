/**
 * The local stand-in for the WeChat Official Account API, so the real adapter
 * (shared/notify/wechat.ts) runs end to end: the same endpoints, token expiry and error codes.
 *
 * - `GET /cgi-bin/token?grant_type=client_credential&appid=…&secret=…` → `{ access_token, expires_in }`
 *   (40013 for another app id, 40125 for a wrong secret, 40002 for another grant type). A new token
 *   leaves the previous ones 5 more minutes, as WeChat does.
 * - `POST /cgi-bin/message/template/send?access_token=…` → `{ errcode: 0, errmsg: "ok", msgid }`;
 *   40001 for a token it never issued, 42001 for an expired one, 47001 for a body that is not
 *   JSON, 40003 for a malformed openId, 40037 without a template id; an openId starting
 *   `refused-` answers 43101 (the user refused), `busy-` 45009 (quota). One message per openId
 *   and `client_msg_id` within 10 minutes, as WeChat's duplicate guard.
 *
 * A message sent lands in the local outbox with channel `wechat`, rendered as the customer sees it.
 * Time follows the local runtime's (scaled) clock. Tests can expire every token or make the next
 * answers fail (a timeout, garbage, an errcode) to exercise the adapter's classification.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WechatCredentials } from '../../shared/notify/wechat.js';

/** How long a token lives, as WeChat's (seconds). */
export const STAND_IN_TOKEN_SECONDS = 7200;
/** A superseded token keeps working this long. */
const SUPERSEDED_GRACE_MS = 5 * 60 * 1000;
/** WeChat's client_msg_id window. */
const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

/** The local app's credentials (not a secret: the stand-in accepts nothing else). */
export const STAND_IN_CREDENTIALS: WechatCredentials = {
  appId: 'wx-careloop-local',
  secret: 'careloop-local-wechat-secret',
};

export interface WechatDelivery {
  msgid: number;
  openId: string;
  templateId: string;
  url?: string;
  data: Record<string, string>;
  clientMsgId?: string;
  at: Date;
}

/** A scripted answer for the next send (tests): a timeout, a body that is not JSON, an HTTP error or an errcode. */
export type ScriptedFailure =
  | { kind: 'timeout' }
  | { kind: 'garbage' }
  | { kind: 'http'; status: number }
  | { kind: 'errcode'; errcode: number; errmsg?: string };

export interface WechatStandIn {
  url: string;
  /** Tokens issued so far. */
  readonly tokensIssued: number;
  /** Messages accepted, oldest first. */
  readonly deliveries: readonly WechatDelivery[];
  /** Every token expires now (the next send answers 42001). */
  expireTokens(): void;
  /** The next sends answer these, one each, before normal service resumes. */
  failNext(...failures: ScriptedFailure[]): void;
  stop(): Promise<void>;
}

export interface WechatStandInOptions {
  now: () => Date;
  credentials?: WechatCredentials;
  tokenSeconds?: number;
  onDelivery?: (delivery: WechatDelivery) => void;
  port?: number;
}

const OPEN_ID = /^[A-Za-z0-9_-]{6,64}$/;

export async function startWechatStandIn(options: WechatStandInOptions): Promise<WechatStandIn> {
  const credentials = options.credentials ?? STAND_IN_CREDENTIALS;
  const tokenSeconds = options.tokenSeconds ?? STAND_IN_TOKEN_SECONDS;
  const tokens = new Map<string, number>(); // token → expires at (epoch ms)
  const recent = new Map<string, { msgid: number; at: number }>(); // openId + client_msg_id → first send
  const deliveries: WechatDelivery[] = [];
  const scripted: ScriptedFailure[] = [];
  let tokensIssued = 0;
  let nextMsgId = 3_000_000_001;
  const hanging = new Set<ServerResponse>();

  const json = (response: ServerResponse, body: unknown, status = 200) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  };
  const error = (response: ServerResponse, errcode: number, errmsg: string) =>
    json(response, { errcode, errmsg: `${errmsg} rid: ${randomBytes(6).toString('hex')}` });

  const issueToken = (response: ServerResponse, query: URLSearchParams) => {
    if (query.get('grant_type') !== 'client_credential') return error(response, 40002, 'invalid grant_type');
    if (query.get('appid') !== credentials.appId) return error(response, 40013, 'invalid appid');
    if (query.get('secret') !== credentials.secret) return error(response, 40125, 'invalid appsecret');
    const now = options.now().getTime();
    for (const [token, expiresAt] of tokens) tokens.set(token, Math.min(expiresAt, now + SUPERSEDED_GRACE_MS));
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, now + tokenSeconds * 1000);
    tokensIssued += 1;
    json(response, { access_token: token, expires_in: tokenSeconds });
  };

  const sendTemplate = (response: ServerResponse, query: URLSearchParams, raw: string) => {
    const now = options.now().getTime();
    const expiresAt = tokens.get(query.get('access_token') ?? '');
    if (expiresAt === undefined)
      return error(response, 40001, 'invalid credential, access_token is invalid or not latest');
    if (expiresAt <= now) return error(response, 42001, 'access_token expired');
    let body: {
      touser?: unknown;
      template_id?: unknown;
      url?: unknown;
      data?: unknown;
      client_msg_id?: unknown;
    };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return error(response, 47001, 'data format error');
    }
    if (typeof body.touser !== 'string' || !OPEN_ID.test(body.touser)) return error(response, 40003, 'invalid openid');
    if (typeof body.template_id !== 'string' || !body.template_id) return error(response, 40037, 'invalid template_id');
    if (body.touser.startsWith('refused-')) return error(response, 43101, 'user refuse to accept the msg');
    if (body.touser.startsWith('busy-')) return error(response, 45009, 'reach max api daily quota limit');
    const clientMsgId = typeof body.client_msg_id === 'string' ? body.client_msg_id : undefined;
    const key = clientMsgId ? `${body.touser} ${clientMsgId}` : undefined;
    const earlier = key ? recent.get(key) : undefined;
    if (earlier && now - earlier.at < DUPLICATE_WINDOW_MS)
      return json(response, { errcode: 0, errmsg: 'ok', msgid: earlier.msgid });
    const data: Record<string, string> = {};
    if (body.data && typeof body.data === 'object')
      for (const [field, value] of Object.entries(body.data as Record<string, unknown>)) {
        const text = (value as { value?: unknown } | null)?.value;
        if (typeof text === 'string') data[field] = text;
      }
    const delivery: WechatDelivery = {
      msgid: nextMsgId++,
      openId: body.touser,
      templateId: body.template_id,
      ...(typeof body.url === 'string' ? { url: body.url } : {}),
      data,
      ...(clientMsgId ? { clientMsgId } : {}),
      at: new Date(now),
    };
    if (key) recent.set(key, { msgid: delivery.msgid, at: now });
    deliveries.push(delivery);
    options.onDelivery?.(delivery);
    json(response, { errcode: 0, errmsg: 'ok', msgid: delivery.msgid });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (request.method === 'GET' && url.pathname === '/cgi-bin/token') return issueToken(response, url.searchParams);
    if (request.method === 'POST' && url.pathname === '/cgi-bin/message/template/send') {
      const failure = scripted.shift();
      if (failure?.kind === 'timeout') {
        hanging.add(response); // never answered: the adapter's timeout fires
        response.on('close', () => hanging.delete(response));
        return;
      }
      if (failure?.kind === 'garbage') {
        response.writeHead(200, { 'content-type': 'text/html' });
        return void response.end('<html><body>502 Bad Gateway</body></html>');
      }
      if (failure?.kind === 'http') return json(response, { message: 'unavailable' }, failure.status);
      if (failure?.kind === 'errcode') return error(response, failure.errcode, failure.errmsg ?? 'scripted');
      return sendTemplate(response, url.searchParams, raw);
    }
    json(response, { errcode: 40066, errmsg: 'invalid url' });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => json(response, { errcode: -1, errmsg: 'system error' }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get tokensIssued() {
      return tokensIssued;
    },
    deliveries,
    expireTokens() {
      const now = options.now().getTime();
      for (const token of tokens.keys()) tokens.set(token, now);
    },
    failNext(...failures) {
      scripted.push(...failures);
    },
    async stop() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A template message as the customer sees it in WeChat: the template's fields in order (first,
 * keywords, remark), and the link behind "详情 / Details".
 */
export function renderTemplateMessage(delivery: Pick<WechatDelivery, 'data' | 'url'>): string {
  const lines = Object.values(delivery.data).filter(Boolean);
  return [...lines, ...(delivery.url ? [`详情 Details: ${delivery.url}`] : [])].join('\n');
}
