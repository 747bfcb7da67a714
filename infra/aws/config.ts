/**
 * The deploy-time settings of a CareLoop stack, read from CDK context (cdk.json, or
 * `npx cdk deploy -c careloop:stage=prod ...`). Nothing here is looked up in an AWS account,
 * so `cdk synth` works offline and without credentials.
 */
import type { Node } from 'constructs';
import { isLocalhost } from '../../shared/links.js';
import { DEFAULT_SENDER_EMAIL } from '../../shared/notify/ports.js';

export const CONTEXT = {
  /** Browser origins allowed by CORS: `["*"]`, or a list such as `["https://app.example.com"]`. */
  allowedOrigins: 'careloop:allowedOrigins',
  /** The SES-verified address that reports and follow-ups are sent from. */
  senderEmail: 'careloop:senderEmail',
  /** Deployment stage (dev, test, prod…): names the stack, the API stage and the user pool. */
  stage: 'careloop:stage',
  /**
   * The address the operations alarms are emailed to (subscribed to the operations SNS topic). Required in
   * prod: without it every alarm goes to a topic nobody reads. Elsewhere GET /health lists it as missing.
   */
  operationsEmail: 'careloop:operationsEmail',
  /**
   * Optional: the public base of links in customers' messages (`<base>/s/<token>`, `<base>/c/<token>`), e.g. a
   * custom domain mapped to the API such as https://care.example.com. Default: the API's own URL.
   */
  publicBaseUrl: 'careloop:publicBaseUrl',
  /** Replaced by careloop:publicBaseUrl (the API serves the survey pages itself). */
  surveyBaseUrl: 'careloop:surveyBaseUrl',
} as const;

export interface CareLoopConfig {
  stage: string;
  allowedOrigins: string[];
  senderEmail: string;
  /** The configured link base; absent means the API's own URL (shared/links.ts publicBaseUrlFor). */
  publicBaseUrl?: string;
  operationsEmail?: string;
}

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Context given on the command line arrives as a string: a JSON array or a comma-separated list. */
function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text.startsWith('[')) return JSON.parse(text) as unknown[];
  return text.split(',').map((item) => item.trim());
}

function fail(key: string, message: string): never {
  throw new Error(`CDK context ${key} ${message}`);
}

/** Reads and checks the context; a wrong value stops the synth with a message naming the key. */
export function readConfig(node: Node): CareLoopConfig {
  const stage = node.tryGetContext(CONTEXT.stage) ?? 'dev';
  if (typeof stage !== 'string' || !STAGE.test(stage))
    fail(CONTEXT.stage, 'must be lowercase letters, digits and dashes (at most 20), starting with a letter');

  const origins = asList(node.tryGetContext(CONTEXT.allowedOrigins));
  if (origins.length === 0) fail(CONTEXT.allowedOrigins, 'must list at least one origin, or "*"');
  for (const origin of origins) {
    if (typeof origin !== 'string' || (origin !== '*' && !ORIGIN.test(origin))) {
      fail(
        CONTEXT.allowedOrigins,
        `has ${JSON.stringify(origin)}: each entry must be "*" or an origin such as https://app.example.com (no path, no trailing slash)`,
      );
    }
  }
  if (origins.includes('*') && origins.length > 1) fail(CONTEXT.allowedOrigins, 'cannot mix "*" with named origins');
  if (origins.includes('*') && stage === 'prod')
    fail(CONTEXT.allowedOrigins, 'must name the frontends\' origins in prod ("*" is for dev and test stages)');

  const senderEmail = node.tryGetContext(CONTEXT.senderEmail) ?? DEFAULT_SENDER_EMAIL;
  if (typeof senderEmail !== 'string' || !EMAIL.test(senderEmail))
    fail(CONTEXT.senderEmail, 'must be an email address (an SES-verified identity)');

  if (node.tryGetContext(CONTEXT.surveyBaseUrl) !== undefined)
    fail(
      CONTEXT.surveyBaseUrl,
      `is replaced by ${CONTEXT.publicBaseUrl}: the API serves the survey and confirmation pages itself, and links use its own URL unless ${CONTEXT.publicBaseUrl} names a custom domain`,
    );
  const publicBaseUrl = node.tryGetContext(CONTEXT.publicBaseUrl);
  if (
    publicBaseUrl !== undefined &&
    (typeof publicBaseUrl !== 'string' || !/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?(\/[\w./-]*)?$/i.test(publicBaseUrl))
  ) {
    fail(CONTEXT.publicBaseUrl, 'must be a URL such as https://care.example.com');
  }
  if (typeof publicBaseUrl === 'string' && stage === 'prod' && isLocalhost(publicBaseUrl))
    fail(
      CONTEXT.publicBaseUrl,
      `is ${publicBaseUrl}: customers' phones cannot open links to localhost. Name the public domain, or leave it out to use the API's own URL`,
    );

  const operationsEmail = node.tryGetContext(CONTEXT.operationsEmail);
  if (operationsEmail !== undefined && (typeof operationsEmail !== 'string' || !EMAIL.test(operationsEmail)))
    fail(CONTEXT.operationsEmail, 'must be an email address (it receives the operations alarms)');
  if (operationsEmail === undefined && stage === 'prod')
    fail(CONTEXT.operationsEmail, 'is required in prod: without it the operations alarms reach nobody');

  return {
    stage,
    allowedOrigins: origins as string[],
    senderEmail,
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...(operationsEmail ? { operationsEmail } : {}),
  };
}
