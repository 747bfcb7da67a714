import { Logger } from '@aws-lambda-powertools/logger';
import { maskPersonalData } from '../domain/personal-data.js';

/**
 * The structured logger of every function. Its JSON replacer masks phone numbers,
 * email addresses and names, so personal data never reaches CloudWatch in clear.
 */
export const logger = new Logger({
  serviceName: 'careloop',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
  jsonReplacerFn: maskPersonalData,
});
