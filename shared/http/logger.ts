import { Logger } from '@aws-lambda-powertools/logger';
import { maskPersonalData } from '../domain/personal-data.js';

/**
 * The structured logger of every function. Its JSON replacer masks phone numbers,
 * email addresses and names, so personal data never reaches CloudWatch in clear.
 */
/** The service name in every log line and trace (CDK sets POWERTOOLS_SERVICE_NAME from it too). */
export const SERVICE_NAME = 'careloop';

/**
 * Link tokens (survey and confirmation links, 40+ base64url characters), bearer JWTs and sealed
 * cursors: anything that grants access by being known. Replaced wherever they occur in a log value.
 */
const SECRET_TOKEN = /eyJ[\w-]*\.[\w-]+\.[\w-]*|(?<![\w-])[\w-]{40,}(?![\w-])/g;

export function redactTokens(text: string): string {
  return text.replace(SECRET_TOKEN, '[token]');
}

/** The logger's JSON replacer: personal data masked, tokens redacted. */
export function logReplacer(key: string, value: unknown): unknown {
  const masked = maskPersonalData(key, value);
  return typeof masked === 'string' ? redactTokens(masked) : masked;
}

export const logger = new Logger({
  serviceName: SERVICE_NAME,
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
  jsonReplacerFn: logReplacer,
});
