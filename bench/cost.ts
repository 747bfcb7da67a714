/**
 * Cost per million interactions and per 1,000 complaints, from what this run measures: the
 * DynamoDB capacity units each operation consumed (reads as DynamoDB Local reports them, writes
 * priced item by item: bench/capacity.ts), the API requests and their handler time,
 * the workflow's state transitions and the messages sent; priced with the AWS list prices
 * below. Every assumption is printed with the figures.
 */
import type { LocalRuntime } from '../infra/local/runtime.js';
import { builtInVersion, SERVICE_STANDARD, SERVICE_TRANSACTION } from '../shared/domain/questionnaires.js';
import { DEFAULT_SETTINGS } from '../shared/domain/settings.js';
import { meterCapacity, type PricedItem, type Usage } from './capacity.js';
import { escalationTransitions } from './escalation.js';
import { ms, quantile, ratio, table, timeEach } from './stats.js';
import type { Section } from './summary.js';

/** One POST /interactions with an Idempotency-Key (issue 26: half of round 1's 12 WCU, in ≤ 2 requests). */
export const TARGET_INTERACTION_WCU = 6;
export const TARGET_INTERACTION_REQUESTS = 2;
/** An 18-item questionnaire answer ÷ a 5-item one, in WCU and in latency (issue 26, wave 3). */
export const TARGET_LONG_ANSWER_RATIO = 1.5;

/**
 * The answers of a questionnaire's JSON body: every required question and, of the optional scale
 * items, the first (the one that applies: s001's store or online convenience item), varied scores
 * so no straight-lining flag; the comment left out. `service-standard` so answers 18 dimension items.
 */
function answersOf(questionnaireId: string, i: number): Record<string, number> {
  const form = builtInVersion(questionnaireId, 1);
  if (!form) throw new Error(`no built-in questionnaire ${questionnaireId}`);
  const optional = form.questions.find((q) => q.type === 'scale' && !q.required);
  const answers: Record<string, number> = {};
  for (const [k, q] of form.questions.entries()) {
    if (q.type === 'nps') answers[q.id] = 9;
    else if (q.type === 'scale' && (q.required || q === optional)) answers[q.id] = 3 + ((i + k) % 3);
  }
  return answers;
}

/**
 * AWS list prices, us-east-1, as published on the AWS pricing pages in 2025 (PRICES_AS_OF);
 * check them before quoting a figure. On-demand DynamoDB after the November 2024 reduction.
 */
export const PRICES_AS_OF = '2025-06';
export const USD = {
  apiGatewayRestPerMillionRequests: 3.5,
  lambdaPerMillionRequests: 0.2,
  lambdaArm64PerGbSecond: 0.0000133334,
  dynamoPerMillionWriteRequestUnits: 0.625,
  dynamoPerMillionReadRequestUnits: 0.125,
  stepFunctionsStandardPerTransition: 0.000025,
  sesPerEmail: 0.0001,
  /** SNS SMS to a US number; other countries differ a lot (China several times more). */
  snsPerSms: 0.00645,
} as const;

/** Lambda memory of every function (infra/aws/constructs/lambda.ts default) and its architecture. */
const LAMBDA_GB = 512 / 1024;
const SURVEYED_SHARE = 0.3;
/** Survey invitations go out by SMS for this share of customers, by email for the rest (the demo customers' mix). */
const SMS_SHARE = 0.7;
/** The WeChat-first mix beside it (settings messaging.channelOrder wechat, email, sms): WeChat template messages are free. */
const CHANNEL_MIX = { wechat: 0.6, email: 0.3, sms: 0.1 } as const;

const money = (usd: number) => `$${usd < 10 ? usd.toFixed(3) : usd.toFixed(2)}`;

interface Priced {
  apiRequests: number;
  lambdaInvocations: number;
  lambdaMs: number;
  usage: Usage;
  transitions: number;
  emails: number;
  sms: number;
}

function price(p: Priced, times: number) {
  const lambda =
    p.lambdaInvocations * (USD.lambdaPerMillionRequests / 1e6) +
    (p.lambdaMs / 1000) * LAMBDA_GB * USD.lambdaArm64PerGbSecond;
  const parts = {
    'API Gateway': p.apiRequests * (USD.apiGatewayRestPerMillionRequests / 1e6),
    Lambda: lambda,
    DynamoDB:
      p.usage.wcu * (USD.dynamoPerMillionWriteRequestUnits / 1e6) +
      p.usage.rcu * (USD.dynamoPerMillionReadRequestUnits / 1e6),
    'Step Functions': p.transitions * USD.stepFunctionsStandardPerTransition,
    SES: p.emails * USD.sesPerEmail,
    SNS: p.sms * USD.snsPerSms,
  };
  const row: Record<string, string> = {};
  let total = 0;
  for (const [service, usd] of Object.entries(parts)) {
    row[service] = money(usd * times);
    total += usd * times;
  }
  row.total = money(total);
  return row;
}

/** A transaction's items as table rows. */
function itemRows(items: readonly PricedItem[]) {
  const rows = items.map((item) => ({
    item: `${item.operation} ${item.kind}`,
    bytes: String(item.bytes),
    indexes: item.indexes.join(' ') || '–',
    WCU: String(item.wcu),
  }));
  rows.push({ item: 'total', bytes: '', indexes: '', WCU: String(items.reduce((sum, i) => sum + i.wcu, 0)) });
  return rows;
}

export async function benchCost(runtime: LocalRuntime, samples = 40): Promise<Section> {
  const meter = meterCapacity();
  const agent = await runtime.token('bench-cost', ['agent']);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${agent}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  await call('PUT', '/customers/C-cost', {
    name: 'Cost Bench',
    phone: '+8617000999999',
    preferredChannel: 'sms',
    language: 'en',
    consent: { sms: true, email: true },
  });
  const base = Date.UTC(2026, 9, 5, 2);
  const contact = (i: number) => ({
    customerId: 'C-cost',
    channel: 'chat',
    complexity: 'simple',
    team: 'online',
    startedAt: new Date(base + i * 60_000).toISOString(),
    firstResponseAt: new Date(base + i * 60_000 + 12_000).toISOString(),
    resolvedAt: new Date(base + i * 60_000 + 1_500_000).toISOString(),
    resolvedOnFirstContact: true,
  });
  // Warm-up, then the measured interactions (with an Idempotency-Key, as clients should send).
  for (let i = 0; i < 5; i += 1)
    await call('POST', '/interactions', contact(i), { 'idempotency-key': `cost-warm-${i}` });
  meter.take();
  const ids: string[] = [];
  const interactionMs = await timeEach(samples, async (i) => {
    ids.push(String((await call('POST', '/interactions', contact(10 + i), { 'idempotency-key': `cost-${i}` })).id));
  });
  const interaction = meter.take();
  const interactionItems = meter.lastTransaction();
  // The same without a key: what the key adds (its claim is an item of the same transaction).
  for (let i = 0; i < samples; i += 1) await call('POST', '/interactions', contact(60 + i));
  const unkeyed = meter.take();

  // A survey: invitation, the form, one answer (a different customer each, so the throttle lets it through).
  const surveyMs: number[] = [];
  const surveyUsage: Usage = { rcu: 0, wcu: 0, localWcu: 0, requests: 0 };
  for (let i = 0; i < Math.min(samples, ids.length); i += 1) {
    const customerId = `C-cost-${i}`;
    await call('PUT', `/customers/${customerId}`, {
      preferredChannel: 'sms',
      language: 'en',
      consent: { sms: false, email: false },
    });
    const { id } = await call('POST', '/interactions', { ...contact(100 + i), customerId });
    meter.take();
    const started = performance.now();
    const { token } = await call('POST', '/surveys', { subject: { type: 'interaction', id } });
    await call('GET', `/surveys/${token}`);
    await call('POST', `/surveys/${token}/responses`, {
      scores: { responsiveness: 5, professionalism: 4, attitude: 5, resolution: 4, convenience: 4 },
      overall: 4,
      nps: 9,
      comment: 'Quick and friendly',
    });
    surveyMs.push(performance.now() - started);
    const used = meter.take();
    surveyUsage.rcu += used.rcu;
    surveyUsage.wcu += used.wcu;
    surveyUsage.localWcu += used.localWcu;
    surveyUsage.requests += used.requests;
  }
  const surveys = surveyMs.length;

  // A long questionnaire's answer beside a short one (wave 3): the same JSON answer route, the
  // service-standard form (18 dimension items) and service-transaction (5), in turns, only the POST
  // metered and timed. The runtime's clock is held while the form is "read", then moved on by the
  // reading time the form needs, so both answers are valid ones (too fast would be flagged).
  const answerRuns: Record<string, Array<Usage & { ms: number }>> = {
    [SERVICE_STANDARD]: [],
    [SERVICE_TRANSACTION]: [],
  };
  const perQuestion = DEFAULT_SETTINGS.surveys.minSecondsPerQuestion;
  try {
    for (let i = 0; i < samples; i += 1) {
      for (const questionnaireId of i % 2
        ? [SERVICE_TRANSACTION, SERVICE_STANDARD]
        : [SERVICE_STANDARD, SERVICE_TRANSACTION]) {
        const customerId = `C-answer-${questionnaireId}-${i}`;
        await call('PUT', `/customers/${customerId}`, {
          preferredChannel: 'email',
          language: 'en',
          consent: { sms: false, email: false },
        });
        const { id } = await call('POST', '/interactions', { ...contact(200 + i), customerId });
        const { token } = await call('POST', '/surveys', { subject: { type: 'interaction', id }, questionnaireId });
        const opened = runtime.clock.now();
        runtime.clock.hold(opened);
        await call('GET', `/surveys/${token}`);
        const shown = builtInVersion(questionnaireId, 1)?.questions.length ?? 0;
        runtime.clock.hold(
          new Date(opened.getTime() + (perQuestion * shown + DEFAULT_SETTINGS.surveys.minAnswerSeconds + 1) * 1000),
        );
        meter.take();
        const started = performance.now();
        await call('POST', `/surveys/${token}/responses`, { answers: answersOf(questionnaireId, i) });
        const took = performance.now() - started;
        answerRuns[questionnaireId]?.push({ ...meter.take(), ms: took });
        runtime.clock.release();
      }
    }
  } finally {
    runtime.clock.release();
  }
  const answerFigures = (runs: Array<Usage & { ms: number }>) => ({
    wcu: runs.reduce((sum, r) => sum + r.wcu, 0) / runs.length,
    requests: runs.reduce((sum, r) => sum + r.requests, 0) / runs.length,
    p50: quantile(
      runs.map((r) => r.ms),
      0.5,
    ),
  });
  const longAnswer = answerFigures(answerRuns[SERVICE_STANDARD] ?? []);
  const shortAnswer = answerFigures(answerRuns[SERVICE_TRANSACTION] ?? []);

  // Complaints: the two priced paths of the escalation workflow, use cases and tasks in this process.
  const complaintUsage: Record<string, Usage> = {};
  let current = '';
  const { onTime, fullyEscalated } = await escalationTransitions(runtime, (path) => {
    const used = meter.take();
    if (current) complaintUsage[current] = used;
    current = path;
  });

  const p50 = (values: number[]) => quantile(values, 0.5);
  const per = (u: Usage, n: number): Usage => ({
    rcu: u.rcu / n,
    wcu: u.wcu / n,
    localWcu: u.localWcu / n,
    requests: u.requests / n,
  });
  const perInteraction: Priced = {
    apiRequests: 1,
    lambdaInvocations: 1,
    lambdaMs: p50(interactionMs),
    usage: per(interaction, samples),
    transitions: 0,
    emails: 0,
    sms: 0,
  };
  const perSurvey: Priced = {
    apiRequests: 3,
    lambdaInvocations: 3 + 1, // three requests and the follow-up job's send of the invitation
    lambdaMs: p50(surveyMs),
    usage: per(surveyUsage, surveys),
    transitions: 0,
    emails: 1 - SMS_SHARE,
    sms: SMS_SHARE,
  };
  const surveyed = (p: Priced): Priced => ({
    apiRequests: p.apiRequests * SURVEYED_SHARE,
    lambdaInvocations: p.lambdaInvocations * SURVEYED_SHARE,
    lambdaMs: p.lambdaMs * SURVEYED_SHARE,
    usage: { ...per(p.usage, 1 / SURVEYED_SHARE), requests: 0 },
    transitions: 0,
    emails: p.emails * SURVEYED_SHARE,
    sms: p.sms * SURVEYED_SHARE,
  });
  /** A complaint: 6 API calls on the on-time path (register, assign, respond, propose, resolve, close), 1 when neglected. */
  const complaint = (path: typeof onTime, usage: Usage, apiCalls: number): Priced => {
    const tasks = path.states.filter((state) => /^(Check|Escalate|Notify|Record)/.test(state)).length;
    return {
      apiRequests: apiCalls,
      lambdaInvocations: apiCalls + tasks,
      lambdaMs: (apiCalls + tasks) * p50(interactionMs),
      usage,
      transitions: path.transitions,
      emails: path.messages.email,
      sms: path.messages.sms,
    };
  };
  const none: Usage = { rcu: 0, wcu: 0, localWcu: 0, requests: 0 };
  const rows = [
    { scenario: 'per 1 million interactions recorded', ...price(perInteraction, 1e6) },
    { scenario: `  + survey invitation and answer for ${SURVEYED_SHARE * 100} %`, ...price(surveyed(perSurvey), 1e6) },
    {
      scenario: `  + the same, WeChat first: ${CHANNEL_MIX.wechat * 100} % WeChat, ${CHANNEL_MIX.email * 100} % email, ${CHANNEL_MIX.sms * 100} % SMS`,
      ...price(surveyed({ ...perSurvey, emails: CHANNEL_MIX.email, sms: CHANNEL_MIX.sms }), 1e6),
    },
    {
      scenario: 'per 1,000 complaints handled on time',
      ...price(complaint(onTime, complaintUsage.onTime ?? none, 6), 1000),
    },
    {
      scenario: 'per 1,000 complaints fully escalated',
      ...price(complaint(fullyEscalated, complaintUsage.fullyEscalated ?? none, 1), 1000),
    },
  ];
  const units = (u: Usage) =>
    `${u.rcu.toFixed(1)} RCU + ${u.wcu.toFixed(1)} WCU in ${u.requests.toFixed(1)} requests (DynamoDB Local reported ${u.localWcu.toFixed(1)} WCU)`;
  const text = [
    `### Cost (USD, AWS list prices us-east-1 as of ${PRICES_AS_OF}), split by service`,
    table(rows),
    '',
    'Measured in this run: reads as DynamoDB Local reports them (ReturnConsumedCapacity); writes priced item by item',
    '(bench/capacity.ts: a transaction item costs 2 × its KB × the table and each index it is written to; Local',
    'itself reports a transaction’s look-alike items once, so its figure, in brackets, is below what AWS bills):',
    `- one interaction (POST /interactions with Idempotency-Key): ${units(perInteraction.usage)}, handler p50 ${p50(interactionMs).toFixed(1)} ms`,
    `- the same without a key: ${units(per(unkeyed, samples))}`,
    `- one survey (invite, form, answer): ${units(perSurvey.usage)}, p50 ${p50(surveyMs).toFixed(1)} ms for the three requests`,
    `- complaint on time: ${units(complaintUsage.onTime ?? none)}, ${onTime.transitions} transitions, ${onTime.messages.email} emails, ${onTime.messages.sms} SMS`,
    `- complaint fully escalated: ${units(complaintUsage.fullyEscalated ?? none)}, ${fullyEscalated.transitions} transitions, ${fullyEscalated.messages.email} emails, ${fullyEscalated.messages.sms} SMS`,
    'Assumptions: Lambda arm64 at 512 MB billed for the measured local request time (an upper bound: it includes the',
    'local HTTP hop); complaint requests and workflow tasks billed at the interaction p50 each; one follow-up job',
    `invocation per survey invitation; invitations by SMS for ${SMS_SHARE * 100} % (SNS, US price) and email for the rest (SES);`,
    'escalation notices as counted on the paths; no free tier; Cognito, WAF, CloudWatch, data transfer and storage not included.',
    '',
    'The transaction of one POST /interactions with an Idempotency-Key (its last sample), item by item:',
    table(itemRows(interactionItems)),
    '',
    `A questionnaire answer (POST /surveys/{token}/responses, the JSON body; ${samples} of each in turns, the POST alone):`,
    table([
      {
        questionnaire: `${SERVICE_STANDARD} (18 dimension items)`,
        WCU: longAnswer.wcu.toFixed(1),
        requests: longAnswer.requests.toFixed(1),
        p50: ms(longAnswer.p50),
      },
      {
        questionnaire: `${SERVICE_TRANSACTION} (5 dimension items, baseline)`,
        WCU: shortAnswer.wcu.toFixed(1),
        requests: shortAnswer.requests.toFixed(1),
        p50: ms(shortAnswer.p50),
      },
    ]),
  ].join('\n');
  const wcuRatio = longAnswer.wcu / shortAnswer.wcu;
  const msRatio = longAnswer.p50 / shortAnswer.p50;
  return {
    text,
    rows: [
      {
        figure: 'write cost of one POST /interactions with an Idempotency-Key',
        value: `${perInteraction.usage.wcu.toFixed(1)} WCU in ${perInteraction.usage.requests.toFixed(1)} requests`,
        target: `≤ ${TARGET_INTERACTION_WCU} WCU in ≤ ${TARGET_INTERACTION_REQUESTS} requests`,
        met:
          perInteraction.usage.wcu <= TARGET_INTERACTION_WCU &&
          perInteraction.usage.requests <= TARGET_INTERACTION_REQUESTS,
        note: `priced item by item (Local reports ${perInteraction.usage.localWcu.toFixed(1)}), mean of ${samples}; ${interactionItems.length} items`,
      },
      {
        figure: 'an 18-item questionnaire answer ÷ a 5-item one: WCU',
        value: ratio(wcuRatio),
        target: `≤ ${TARGET_LONG_ANSWER_RATIO}×`,
        met: wcuRatio <= TARGET_LONG_ANSWER_RATIO,
        note: `${longAnswer.wcu.toFixed(1)} ÷ ${shortAnswer.wcu.toFixed(1)} WCU (${SERVICE_STANDARD} ÷ ${SERVICE_TRANSACTION})`,
      },
      {
        figure: 'an 18-item questionnaire answer ÷ a 5-item one: latency (p50)',
        value: ratio(msRatio),
        target: `≤ ${TARGET_LONG_ANSWER_RATIO}×`,
        met: msRatio <= TARGET_LONG_ANSWER_RATIO,
        note: `${ms(longAnswer.p50)} ÷ ${ms(shortAnswer.p50)}`,
      },
    ],
  };
}
