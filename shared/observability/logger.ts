/**
 * The logger of every function: Powertools Logger, with phone numbers, email addresses and
 * names masked and access tokens redacted, so neither reaches CloudWatch in clear.
 *
 * In Lambda (or with LOG_FORMAT=json) every entry is one JSON object, what CloudWatch Logs
 * Insights queries. Anywhere else (`npm start`, tests) an entry is one readable line:
 * `10:02:03.120 INFO  follow-ups run  due=3 sent=2`, masked the same way.
 */
import { Logger, type LogItem } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import { maskPersonalData } from '../domain/personal-data.js';

/** The service name in every log line, metric and trace (CDK sets POWERTOOLS_SERVICE_NAME from it too). */
export const SERVICE_NAME = 'careloop';

/**
 * Link tokens (survey and confirmation links, 40+ base64url characters), bearer JWTs and sealed
 * cursors: anything that grants access by being known. Replaced wherever they occur in a log value.
 */
const SECRET_TOKEN = /eyJ[\w-]*\.[\w-]+\.[\w-]*|(?<![\w-])[\w-]{40,}(?![\w-])/g;

export function redactTokens(text: string): string {
  return text.replace(SECRET_TOKEN, '[token]');
}

/**
 * The logger's JSON replacer: tokens redacted, then personal data masked. Tokens go first: a
 * digit run inside a random token can look like a card or ID number to the masker, which would
 * cut the token short of the 40 characters that identify it.
 */
export function logReplacer(key: string, value: unknown): unknown {
  const masked = maskPersonalData(key, typeof value === 'string' ? redactTokens(value) : value);
  return typeof masked === 'string' ? redactTokens(masked) : masked;
}

/** JSON in Lambda or when LOG_FORMAT=json; readable lines otherwise. Read at each entry, so a test can switch it. */
export function logFormat(): 'json' | 'lines' {
  return process.env.LOG_FORMAT === 'json' || process.env.AWS_LAMBDA_FUNCTION_NAME ? 'json' : 'lines';
}

/** Keys every entry carries; a readable line leaves them out (time, level and message lead the line). */
const STANDARD_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'sampling_rate',
  'xray_trace_id',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
]);

/** One value of a readable line, masked like the JSON: an error as `Name: message`, objects as JSON. */
function readableValue(key: string, value: unknown): string {
  if (typeof value === 'string') return String(logReplacer(key, value));
  if (value && typeof value === 'object' && 'message' in value && 'name' in value)
    return `${String(value.name)}: ${String(logReplacer('message', String(value.message)))}`;
  return JSON.stringify(value, logReplacer) ?? String(value);
}

/** `10:02:03.120 INFO  message  key=value …`, from the same attributes the JSON entry would carry. */
export function readableLine(attributes: Record<string, unknown>): string {
  const time = String(attributes.timestamp ?? new Date().toISOString()).slice(11, 23);
  const level = String(attributes.level ?? 'INFO').padEnd(5);
  const extras = Object.entries(attributes)
    .filter(([key, value]) => !STANDARD_KEYS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${readableValue(key, value)}`);
  const message = readableValue('message', attributes.message ?? '');
  return `${time} ${level} ${message}${extras.length ? `  ${extras.join(' ')}` : ''}`;
}

class CareLoopLogger extends Logger {
  protected override printLog(logLevel: number, log: LogItem): void {
    if (logFormat() === 'json') {
      super.printLog(logLevel, log);
      return;
    }
    log.prepareForPrint();
    const attributes = log.getAttributes();
    const stream = attributes.level === 'ERROR' || attributes.level === 'CRITICAL' ? process.stderr : process.stdout;
    stream.write(`${readableLine(attributes)}\n`);
  }

  protected override createLogger(options?: ConstructorOptions): Logger {
    return new CareLoopLogger(options);
  }
}

export const logger: Logger = new CareLoopLogger({
  serviceName: SERVICE_NAME,
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
  jsonReplacerFn: logReplacer,
});
