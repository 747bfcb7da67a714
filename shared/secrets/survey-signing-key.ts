/**
 * Where the survey-link signing key comes from. In AWS: an SSM Parameter Store SecureString
 * named by CARELOOP_SURVEY_SIGNING_KEY_PARAMETER, read once per container and cached. Locally
 * (and in tests): CARELOOP_SURVEY_SIGNING_KEY, with a development default in the local runtime.
 *
 * The value is one key, or several separated by commas or whitespace to rotate: the first
 * signs new links, every one verifies (so links sent before a rotation keep working).
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { Unavailable } from '../domain/errors.js';

/** The signing keys in force, first one signs. */
export type SigningKeys = () => Promise<string[]>;

export const DEV_SURVEY_SIGNING_KEY = 'careloop-local-survey-signing-key-not-for-production';
const MIN_KEY_LENGTH = 32;

export function parseSigningKeys(value: string): string[] {
  const keys = value.split(/[\s,]+/).filter(Boolean);
  if (keys.length === 0) throw new Error('the survey signing key is empty');
  for (const key of keys)
    if (key.length < MIN_KEY_LENGTH)
      throw new Error(`a survey signing key must have at least ${MIN_KEY_LENGTH} characters`);
  return keys;
}

/** Keys from a value in hand (local runtime, tests). */
export function staticSigningKeys(value: string): SigningKeys {
  const keys = parseSigningKeys(value);
  return async () => keys;
}

/**
 * Keys from an SSM SecureString, fetched on first use and kept for the life of the container.
 * The SSM client is loaded then too, not when the function starts: it is as heavy to load as the
 * DynamoDB client (issue 15.1), and most requests never sign or verify a survey link.
 */
export function ssmSigningKeys(parameterName: string, given?: Pick<SSMClient, 'send'>): SigningKeys {
  let loading: Promise<string[]> | undefined;
  const read = async () => {
    const { GetParameterCommand, SSMClient } = await import('@aws-sdk/client-ssm');
    const client = given ?? new SSMClient({});
    const result = await client.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
    return parseSigningKeys(result.Parameter?.Value ?? '');
  };
  return () => {
    loading ??= read().catch((error: Error) => {
      loading = undefined; // try again on the next request
      throw new Unavailable(`The survey signing key could not be read (${error.name}).`, 5);
    });
    return loading;
  };
}

/** The default for a deployed function: SSM when a parameter is named, else the environment. */
export function signingKeysFromEnvironment(env: NodeJS.ProcessEnv = process.env): SigningKeys {
  if (env.CARELOOP_SURVEY_SIGNING_KEY_PARAMETER) return ssmSigningKeys(env.CARELOOP_SURVEY_SIGNING_KEY_PARAMETER);
  if (env.CARELOOP_SURVEY_SIGNING_KEY) return staticSigningKeys(env.CARELOOP_SURVEY_SIGNING_KEY);
  return async () => {
    throw new Unavailable('No survey signing key is configured (CARELOOP_SURVEY_SIGNING_KEY_PARAMETER).', 60);
  };
}
