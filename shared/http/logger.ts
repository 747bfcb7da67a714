import { Logger } from '@aws-lambda-powertools/logger';
import { maskPersonalData } from '../domain/personal-data.js';

/**
 * The structured logger of every function. Its JSON replacer masks phone numbers,
 * email addresses and names, so personal data never reaches CloudWatch in clear.
 */
/** The service name in every log line and trace (CDK sets POWERTOOLS_SERVICE_NAME from it too). */
export const SERVICE_NAME = 'careloop';

export const logger = new Logger({
  serviceName: SERVICE_NAME,
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
  jsonReplacerFn: maskPersonalData,
});
