/**
 * The local runtime: the same handlers as AWS, on this machine. DynamoDB is Amazon's
 * DynamoDB Local; the clock is scaled by CARELOOP_TIME_SCALE; routes come from the same
 * declarations CDK deploys. `npm start` runs main.ts, tests call startLocalRuntime().
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { followUpNeeds, reportNeeds } from '../../functions/composition.js';
import { runFollowUps } from '../../functions/followups/service.js';
import { sweepOverdueInteractions } from '../../functions/interactions/service.js';
import { generatePeriodReport } from '../../functions/reports/service.js';
import { sendWeeklyComplaintSummary } from '../../functions/reports/weekly-summary.js';
import { runCampaignWaves } from '../../functions/surveys/campaign-waves.js';
import { scaledClock } from '../../shared/domain/clock.js';
import { Forbidden, Invalid, NotFound, PayloadTooLarge } from '../../shared/domain/errors.js';
import { maskFreeText } from '../../shared/domain/masking.js';
import { actorFromEvent, authorize } from '../../shared/http/auth.js';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS } from '../../shared/http/cors.js';
import { dispatch } from '../../shared/http/dispatch.js';
import { NO_STORE, SECURITY_HEADERS } from '../../shared/http/headers.js';
import { apiFunctionIdOf, apiFunctions, routeKey } from '../../shared/http/routes/functions.js';
import { ROUTES } from '../../shared/http/routes/index.js';
import { JOBS } from '../../shared/jobs/declarations.js';
import type { JobRequest } from '../../shared/jobs/ports.js';
import { PUBLIC_BASE_URL_ENV, publicBaseUrlFor } from '../../shared/links.js';
import { LOCAL_SENDER_EMAIL, outboxSenders } from '../../shared/notify/outbox.js';
import { SENDER_EMAIL_ENV } from '../../shared/notify/ports.js';
import { clientMessageId, wechatTransport } from '../../shared/notify/wechat.js';
import { logger, redactTokens } from '../../shared/observability/logger.js';
import { usePorts } from '../../shared/ports.js';
import { SCHEDULES } from '../../shared/schedules.js';
import { Month, Role } from '../../shared/schemas/common.js';
import { z } from '../../shared/schemas/zod.js';
import { DEV_SURVEY_SIGNING_KEY, staticSigningKeys } from '../../shared/secrets/survey-signing-key.js';
import { dynamoMessageLedger } from '../../shared/store/messages.js';
import { forgetCachedSettings } from '../../shared/store/settings.js';
import { keepClockSaved, resumeAt } from './clock-file.js';
import { claimsFromAuthorization, DEFAULT_DEV_SECRET, mintDevToken } from './dev-auth.js';
import { ensureTables, useLocalDynamo } from './dynamodb.js';
import { type LocalDynamo, startDynamoLocal } from './dynamodb-process.js';
import { LOCAL_FILES_PREFIX, type LocalFiles, localFiles } from './files.js';
import {
  type CompiledRoute,
  clientErrorAnswer,
  compileRoute,
  type LambdaHandler,
  lambdaContext,
  matchRoute,
  noRoute,
  parseTarget,
  readBody,
  toEvent,
  writeProblem,
  writeProblemAndClose,
  writeResult,
} from './http-adapter.js';
import { createOutbox, type Outbox } from './outbox.js';
import { startScheduler } from './scheduler.js';
import {
  renderTemplateMessage,
  STAND_IN_CREDENTIALS,
  startWechatStandIn,
  type WechatStandIn,
} from './wechat-server.js';
import { type LocalWorkflowOptions, LocalWorkflowRunner } from './workflow.js';

export interface LocalRuntimeOptions {
  port?: number;
  /** Persist DynamoDB data here; in memory when absent. */
  dataDir?: string | undefined;
  /** Use an already running DynamoDB Local instead of starting one (tests share one). */
  dynamoEndpoint?: string | undefined;
  /**
   * A DynamoDB Local the caller started already, stopped with the runtime: `npm start` launches the
   * JVM before it loads this module, so the two start side by side.
   */
  dynamo?: Promise<LocalDynamo>;
  /** Prefix for table names, so several runtimes can share one DynamoDB Local. */
  tablePrefix?: string;
  timeScale?: number;
  /** Where the scaled clock starts; default: where it stood when `dataDir` was last used, or now. */
  startAt?: Date;
  jwtSecret?: string;
  /** Where sent email and SMS are written; a fresh temp dir when absent. */
  outboxDir?: string | undefined;
  /** Replace escalation task handlers (tests simulating a failing step). */
  workflowHandlers?: LocalWorkflowOptions['handlers'];
  /** Fire the declared schedules from the clock (default true). */
  schedules?: boolean;
  /**
   * Runs once the tables exist, before the schedules start: data the first scheduled run must find
   * (e.g. the demo's escalation contacts and report recipients, `infra/local/seed/settings.ts`).
   */
  beforeSchedules?: (now: Date) => Promise<void>;
  /** Where links in messages point (`<base>/s/<token>`); this server when absent. */
  publicBaseUrl?: string | undefined;
  log?: (line: string) => void;
}

/** A local-only endpoint (absent in AWS): answers JSON, errors become problem+json. */
export type LocalEndpoint = (input: { body: unknown; url: URL }) => Promise<{ status: number; body: unknown }>;

export interface LocalRuntime {
  url: string;
  clock: ReturnType<typeof scaledClock>;
  dynamoEndpoint: string;
  jwtSecret: string;
  outbox: Outbox;
  /** The stand-in WeChat server the real adapter sends to (tests expire its tokens, script failures). */
  wechat: WechatStandIn;
  /** Tokens the WeChat adapter fetched from it. */
  wechatTokenFetches(): number;
  /** The escalation workflow runner: executions, their status and state transitions. */
  workflows: LocalWorkflowRunner;
  /** Files jobs wrote (exports), served at /_local/files/… by expiring links. */
  files: LocalFiles;
  /** Resolves once every job started so far has finished (tests, benchmark). */
  jobsSettled(): Promise<void>;
  /**
   * Holds the scheduled jobs and `POST /_local/jobs/*` until `until` settles (a job due meanwhile
   * runs then): `npm start` holds them while the demo's past is written in the background, so the
   * follow-up job never sends what the load closes as history (infra/local/seed/demo.ts).
   */
  holdJobsUntil(until: Promise<unknown>): void;
  /** Adds a local-only endpoint, e.g. `POST /_local/jobs/follow-ups`. */
  addLocalEndpoint(method: string, path: string, endpoint: LocalEndpoint): void;
  token(sub: string, groups: Role[], team?: string): Promise<string>;
  stop(): Promise<void>;
}

const TokenRequest = z.strictObject({
  sub: z.string().min(1).max(128),
  groups: z.array(Role).min(1),
  team: z.string().max(64).optional(),
});

const modules = new Map<string, Record<string, unknown>>();

/** The export of functions/<capability>/handler.ts that CDK deploys for a route or a schedule. */
async function loadExport(capability: string, name: string): Promise<(...args: never[]) => Promise<unknown>> {
  let module = modules.get(capability);
  if (!module) {
    module = (await import(
      pathToFileURL(new URL(`../../functions/${capability}/handler.ts`, import.meta.url).pathname).href
    )) as Record<string, unknown>;
    modules.set(capability, module);
  }
  const handler = module[name];
  if (typeof handler !== 'function') throw new Error(`functions/${capability}/handler.ts has no export ${name}`);
  return handler as (...args: never[]) => Promise<unknown>;
}

/**
 * Each route is served, as in AWS, by the dispatcher of the function CDK deploys for it
 * (shared/http/routes/functions.ts): the same grouping, the same lookup by method and resource.
 */
async function loadHandlers(): Promise<CompiledRoute[]> {
  const dispatchers = new Map<string, LambdaHandler>();
  for (const fn of apiFunctions(ROUTES)) {
    const handlers: Record<string, LambdaHandler> = {};
    for (const route of fn.routes)
      handlers[routeKey(route)] = (await loadExport(route.capability, route.handler)) as unknown as LambdaHandler;
    dispatchers.set(fn.id, dispatch(handlers));
  }
  return ROUTES.map((route) => {
    const dispatcher = dispatchers.get(apiFunctionIdOf(route));
    if (!dispatcher) throw new Error(`no function serves ${routeKey(route)}`);
    return compileRoute(route, dispatcher);
  });
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
  'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(','),
  'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(','),
  'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
};

/** An address of this machine: 127.0.0.0/8, ::1, or IPv4 on loopback written as IPv6. */
export const isLoopback = (address: string | undefined) =>
  address !== undefined && (/^(::ffff:)?127\./.test(address) || address === '::1');

type LocalClock = ReturnType<typeof scaledClock>;
type Log = (line: string) => void;

/** Step 1: DynamoDB Local (started here unless the caller shares one) and the tables. */
async function startStorage(options: LocalRuntimeOptions, log: Log) {
  let dynamo: LocalDynamo | undefined;
  let endpoint = options.dynamoEndpoint;
  if (!endpoint) {
    if (!options.dynamo) log('Starting DynamoDB Local (Java)…');
    dynamo = await (options.dynamo ?? startDynamoLocal({ dataDir: options.dataDir }));
    endpoint = dynamo.endpoint;
  }
  useLocalDynamo(endpoint);
  await ensureTables(endpoint, options.tablePrefix ?? '');
  forgetCachedSettings();
  return { dynamo, endpoint };
}

/** Step 2: the scaled clock (kept in `dataDir` across restarts) and the signing keys. */
function startClock(options: LocalRuntimeOptions) {
  const clock = scaledClock(options.timeScale ?? 1, options.startAt ?? resumeAt(options.dataDir));
  const clockFile = options.dataDir ? keepClockSaved(options.dataDir, clock) : undefined;
  const startedAt = clock.now();
  usePorts({
    clock,
    signingKeys: staticSigningKeys(process.env.CARELOOP_SURVEY_SIGNING_KEY ?? DEV_SURVEY_SIGNING_KEY),
  });
  return { clock, clockFile, startedAt };
}

/**
 * Step 3: where messages go. Email and SMS into the outbox; WeChat through the real adapter to
 * the stand-in WeChat server, which writes what it accepts into the outbox too.
 */
async function startMessaging(clock: LocalClock, outboxDir: string | undefined, workflows: LocalWorkflowRunner) {
  const outbox = createOutbox(outboxDir);
  // The outbox needs no provider-verified sender: the local runtime has one of its own (GET /health does not list it).
  process.env[SENDER_EMAIL_ENV] ??= LOCAL_SENDER_EMAIL;
  const sentAs = new Map<string, string>(); // client_msg_id → our message id
  const wechat = await startWechatStandIn({
    now: () => clock.now(),
    onDelivery: (delivery) =>
      outbox.writeWechat(
        {
          id: sentAs.get(delivery.clientMsgId ?? '') ?? delivery.clientMsgId ?? String(delivery.msgid),
          to: delivery.openId,
          text: renderTemplateMessage(delivery),
          templateId: delivery.templateId,
          ...(delivery.url ? { url: delivery.url } : {}),
        },
        delivery.at,
      ),
  });
  const wechatAdapter = wechatTransport({
    credentials: async () => STAND_IN_CREDENTIALS,
    baseUrl: wechat.url,
    now: () => clock.now().getTime(),
    tokens: new Map(),
  });
  const localWechat: typeof wechatAdapter = {
    stats: wechatAdapter.stats,
    deliver: (message) => {
      sentAs.set(clientMessageId(message.id), message.id);
      return wechatAdapter.deliver(message);
    },
  };
  usePorts({
    ...outboxSenders(outbox, dynamoMessageLedger, () => clock, localWechat),
    workflows,
    executions: workflows,
  });
  return { outbox, wechat, wechatTokenFetches: () => wechatAdapter.stats.tokenFetches };
}

/**
 * Step 4: jobs (shared/jobs) run the same job code as in AWS, in-process after the request has
 * answered; the files they write are served by expiring links.
 */
function startJobs(clock: LocalClock, options: LocalRuntimeOptions, log: Log, baseUrl: () => string) {
  const running = new Set<Promise<unknown>>();
  const files = localFiles({
    dir: options.dataDir ? `${options.dataDir}/files` : undefined,
    clock: () => clock,
    baseUrl,
  });
  usePorts({
    files,
    jobs: {
      async start(job: JobRequest) {
        const { capability, handler } = JOBS[job.kind];
        const run = (await loadExport(capability, handler)) as (job: JobRequest) => Promise<unknown>;
        const started: Promise<unknown> = new Promise((resolve) => setImmediate(resolve))
          .then(() => run(job))
          .catch((error: unknown) => log(redactTokens(maskFreeText(`job ${job.kind} failed: ${String(error)}`))))
          .finally(() => running.delete(started));
        running.add(started);
      },
    },
  });
  const settled = async () => {
    while (running.size) await Promise.allSettled([...running]);
  };
  return { files, settled };
}

/** Step 5: the declared schedules, fired from the clock (after `beforeSchedules`), each once `held()` lets it. */
async function startSchedules(
  options: LocalRuntimeOptions,
  clock: LocalClock,
  startedAt: Date,
  log: Log,
  held: () => Promise<unknown>,
) {
  const scheduledJobs = await Promise.all(
    SCHEDULES.map(async (schedule) => {
      const run = (await loadExport(schedule.capability, schedule.handler)) as () => Promise<unknown>;
      return { schedule, run: () => held().then(run) };
    }),
  );
  await options.beforeSchedules?.(clock.now());
  return options.schedules === false ? undefined : startScheduler(clock, scheduledJobs, log, startedAt);
}

/** Step 6: the endpoints only the local runtime has (contract, "Local runtime"). */
function localEndpointsFor(parts: {
  clock: LocalClock;
  outbox: Outbox;
  workflows: LocalWorkflowRunner;
  token: (sub: string, groups: Role[], team?: string) => Promise<string>;
  /** Resolves when jobs may run (`holdJobsUntil`). */
  held: () => Promise<unknown>;
}): Map<string, LocalEndpoint> {
  const { clock, outbox, workflows, token, held } = parts;
  const localEndpoints = new Map<string, LocalEndpoint>();
  /** A job's endpoint: it runs once the jobs are no longer held, at the clock's time then. */
  const job = (run: (input: { body: unknown; url: URL }) => Promise<{ status: number; body: unknown }>) =>
    (async (input) => {
      await held();
      return run(input);
    }) satisfies LocalEndpoint;
  localEndpoints.set('POST /_local/token', async ({ body }) => {
    const request = TokenRequest.safeParse(body);
    if (!request.success)
      throw Invalid.field('groups', 'must list one or more of agent, supervisor, manager, admin; sub is required');
    return { status: 200, body: { token: await token(request.data.sub, request.data.groups, request.data.team) } };
  });

  localEndpoints.set(
    'POST /_local/jobs/follow-ups',
    job(async () => ({ status: 200, body: await runFollowUps(clock.now(), followUpNeeds) })),
  );
  localEndpoints.set(
    'POST /_local/jobs/campaign-waves',
    job(async () => ({ status: 200, body: await runCampaignWaves(clock.now()) })),
  );
  localEndpoints.set(
    'POST /_local/jobs/overdue',
    job(async () => ({ status: 200, body: await sweepOverdueInteractions(clock.now()) })),
  );
  // Delivery receipts as SES (through SNS and SQS) and SNS SMS delivery status report them: one event or a list,
  // handed as an SQS batch to the same handler AWS runs (functions/followups/handler.ts deliveryEvents).
  let receiptCount = 0;
  localEndpoints.set('POST /_local/delivery-events', async ({ body }) => {
    const events = Array.isArray(body) ? body : [body];
    if (!events.length || events.some((event) => !event || typeof event !== 'object'))
      throw Invalid.field(
        'body',
        'must be an SES event or an SNS SMS delivery status (JSON object), or a list of them',
      );
    const handler = (await loadExport('followups', 'deliveryEvents')) as (event: unknown) => Promise<unknown>;
    const Records = events.map((event) => ({
      messageId: `local-receipt-${++receiptCount}`,
      body: JSON.stringify(event),
    }));
    return { status: 200, body: await handler({ Records }) };
  });
  localEndpoints.set('GET /_local/outbox', async () => ({
    status: 200,
    body: { dir: outbox.dir, items: outbox.list() },
  }));
  localEndpoints.set('GET /_local/executions', async () => ({
    status: 200,
    body: {
      items: [...workflows.executions.values()].map(({ done: _, input: __, ...execution }) => execution),
    },
  }));
  localEndpoints.set(
    'POST /_local/jobs/complaint-summary',
    job(async ({ body }) => {
      const week = (body as { week?: unknown } | undefined)?.week;
      if (week !== undefined && (typeof week !== 'string' || !/^(20\d\d|2100)-W(0[1-9]|[1-4]\d|5[0-3])$/.test(week)))
        throw Invalid.field('week', 'must be an ISO week as YYYY-Www');
      return { status: 200, body: await sendWeeklyComplaintSummary(clock.now(), { week }) };
    }),
  );
  localEndpoints.set(
    'POST /_local/jobs/monthly-report',
    job(async ({ body }) => {
      const month = Month.safeParse((body as { month?: unknown })?.month);
      if (!month.success) throw Invalid.field('month', 'must be a month as YYYY-MM');
      const { report, emailError } = await generatePeriodReport(month.data, clock.now(), { email: true }, reportNeeds);
      return {
        status: 200,
        body: {
          month: month.data,
          version: report.version,
          email: report.email,
          ...(emailError ? { emailError: emailError.message } : {}),
        },
      };
    }),
  );
  return localEndpoints;
}

/**
 * Step 7: one request, as API Gateway and Lambda would answer it: CORS preflight, the files jobs
 * wrote, the local endpoints (admin only), else the route's function with the caller's claims.
 */
function requestHandler(parts: {
  routes: CompiledRoute[];
  localEndpoints: Map<string, LocalEndpoint>;
  files: LocalFiles;
  jwtSecret: string;
  log: Log;
}) {
  const { routes, localEndpoints, files, jwtSecret, log } = parts;
  /**
   * Local endpoints (contract, "Local runtime"): the outbox holds customers' phone numbers and live
   * survey links, the jobs act for everyone, so each needs an admin token (`npm start` prints one);
   * `POST /_local/token` mints tokens, so it answers this machine (loopback) only.
   */
  const guardLocalEndpoint = async (key: string, request: IncomingMessage) => {
    if (key === 'POST /_local/token') {
      if (!isLoopback(request.socket?.remoteAddress))
        throw new Forbidden('POST /_local/token answers requests from this machine (loopback) only.');
      return;
    }
    const claims = await claimsFromAuthorization(jwtSecret, request.headers.authorization);
    authorize(actorFromEvent({ requestContext: { authorizer: claims ? { claims } : null } } as never), 'admin');
  };

  /** Every 500 is written to the log with what failed (masked), wherever it came from. */
  const logFailure = (method: string, path: string, status: number, error?: unknown) => {
    if (status < 500) return;
    const cause = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error ?? '');
    log(redactTokens(maskFreeText(`${method} ${path} answered ${status}${cause ? `: ${cause}` : ''}`)));
    if (error) logger.error('local request failed', { method, path, status, error: error as Error });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const method = (request.method ?? 'GET').toUpperCase();
    let path = request.url ?? '/';
    try {
      if (method === 'OPTIONS') {
        response.writeHead(204, { ...CORS_HEADERS, ...SECURITY_HEADERS }).end();
        return;
      }
      const target = parseTarget(request.url ?? '/');
      path = target.path;
      if (method === 'GET' && target.path.startsWith(LOCAL_FILES_PREFIX)) {
        const file = files.serve(target.path, new URL(request.url ?? '/', 'http://localhost').searchParams);
        if (file.status !== 200) throw file.status === 403 ? new Forbidden(file.detail) : new NotFound(file.detail);
        response.writeHead(200, {
          'content-type': file.contentType,
          'content-disposition': `attachment; filename="${file.fileName}"`,
          'content-length': file.body.length,
          ...NO_STORE,
          ...SECURITY_HEADERS,
        });
        response.end(file.body);
        return;
      }
      const body = await readBody(request);
      const local = localEndpoints.get(`${method} ${target.path}`);
      if (local) {
        await guardLocalEndpoint(`${method} ${target.path}`, request);
        const parsed = body.length ? (JSON.parse(body.toString('utf8')) as unknown) : {};
        const result = await local({ body: parsed, url: new URL(request.url ?? '/', 'http://localhost') });
        writeResult(
          response,
          {
            statusCode: result.status,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(result.body),
          },
          CORS_HEADERS,
        );
        return;
      }
      const match = matchRoute(routes, method, target.path);
      if (!match) throw noRoute(routes, method, target.path);
      const claims = await claimsFromAuthorization(jwtSecret, request.headers.authorization).catch((error: unknown) => {
        // Public routes have no authorizer in API Gateway: a stale token there is simply ignored.
        if (match.compiled.route.auth === 'public') return null;
        throw error;
      });
      const event = toEvent({
        request,
        url: { pathname: target.path, query: target.query },
        body,
        route: match.compiled.route,
        pathParameters: match.pathParameters,
        claims,
      });
      const result = await match.compiled.handler(event, lambdaContext(match.compiled.route));
      writeResult(response, result); // the handler's own CORS middleware set the headers
      logFailure(method, target.path, result.statusCode); // the handler logged its own error
    } catch (error) {
      if (error instanceof SyntaxError)
        return void writeProblem(response, Invalid.field('(body)', 'is not valid JSON'), CORS_HEADERS, path);
      if (error instanceof PayloadTooLarge) return void writeProblemAndClose(request, response, error, CORS_HEADERS);
      logFailure(method, path, writeProblem(response, error, CORS_HEADERS, path), error);
    }
  };
  return handle;
}

/** Step 8: the HTTP server on 127.0.0.1; answers what Node refuses before a handler runs as problem+json too. */
async function listen(handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>, port = 0) {
  const server: Server = createServer((request, response) => void handle(request, response));
  // What Node refuses before a handler runs (a URL over 16 KB: 431; unparsable HTTP: 400) is answered
  // as problem+json too, instead of Node's empty body; a socket already gone is left alone.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (error.code !== 'HPE_HEADER_OVERFLOW' && socket.bytesWritten > 0)) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorAnswer(error.code));
  });
  // Longer than any client keeps an idle socket, so the server never closes one a client is about to reuse.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${bound}` };
}

/** Starts the API on this machine: the steps above, in order, then the handle to stop it. */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const log = options.log ?? (() => undefined);
  // The handlers load while the JVM starts: neither needs the other.
  const loadingRoutes = loadHandlers();
  loadingRoutes.catch(() => undefined); // awaited below; a failure there, not as an unhandled rejection
  const { dynamo, endpoint } = await startStorage(options, log);
  const { clock, clockFile, startedAt } = startClock(options);
  const jwtSecret = options.jwtSecret ?? DEFAULT_DEV_SECRET;
  const workflows = new LocalWorkflowRunner({
    clock,
    log,
    ...(options.workflowHandlers ? { handlers: options.workflowHandlers } : {}),
  });
  const { outbox, wechat, wechatTokenFetches } = await startMessaging(clock, options.outboxDir, workflows);
  let serverUrl = '';
  const jobs = startJobs(clock, options, log, () => serverUrl);
  const routes = await loadingRoutes;
  let hold: Promise<unknown> = Promise.resolve();
  const held = () => hold;
  const scheduler = await startSchedules(options, clock, startedAt, log, held);
  const token = (sub: string, groups: Role[], team?: string) => mintDevToken(jwtSecret, { sub, groups, team });
  const localEndpoints = localEndpointsFor({ clock, outbox, workflows, token, held });
  const handle = requestHandler({ routes, localEndpoints, files: jobs.files, jwtSecret, log });
  const { server, url } = await listen(handle, options.port);
  serverUrl = url;
  // Links in messages point at this server's pages unless a public base is configured (shared/links.ts).
  process.env[PUBLIC_BASE_URL_ENV] = publicBaseUrlFor(url, options.publicBaseUrl);

  return {
    url,
    clock,
    dynamoEndpoint: endpoint,
    jwtSecret,
    outbox,
    wechat,
    wechatTokenFetches,
    workflows,
    files: jobs.files,
    jobsSettled: jobs.settled,
    holdJobsUntil(until) {
      // A load that fails releases the jobs too (main.ts reports the failure).
      hold = Promise.all([hold, until.catch(() => undefined)]);
    },
    addLocalEndpoint: (method, path, endpoint) => localEndpoints.set(`${method.toUpperCase()} ${path}`, endpoint),
    token,
    async stop() {
      scheduler?.stop();
      clockFile?.stop();
      await jobs.settled();
      await workflows.stop();
      await wechat.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dynamo?.stop();
    },
  };
}
