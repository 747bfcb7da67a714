import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { Unavailable } from '../../../shared/domain/errors.js';
import {
  signingKeysFromEnvironment,
  ssmSigningKeys,
  staticSigningKeys,
} from '../../../shared/secrets/survey-signing-key.js';

const ssm = mockClient(SSMClient);
const KEY = 'survey-signing-key-from-parameter-store-0001';

describe('survey signing key from SSM Parameter Store', () => {
  beforeEach(() => ssm.reset());

  it('is read once per container, decrypted, and then served from memory', async () => {
    ssm
      .on(GetParameterCommand, { Name: '/careloop/survey-signing-key', WithDecryption: true })
      .resolves({ Parameter: { Value: KEY } });
    const keys = ssmSigningKeys('/careloop/survey-signing-key', new SSMClient({}));
    expect(await keys()).toEqual([KEY]);
    expect(await Promise.all([keys(), keys()])).toEqual([[KEY], [KEY]]);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('answers 503 when SSM fails, and tries again on the next request', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
      .resolves({ Parameter: { Value: KEY } });
    const keys = ssmSigningKeys('/careloop/survey-signing-key', new SSMClient({}));
    await expect(keys()).rejects.toBeInstanceOf(Unavailable);
    expect(await keys()).toEqual([KEY]);
  });

  it('reads several comma-separated keys for rotation, the first one signing', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: `${KEY}-new, ${KEY}` } });
    expect(await ssmSigningKeys('/p', new SSMClient({}))()).toEqual([`${KEY}-new`, KEY]);
  });

  it('refuses keys too short to be secret', () => {
    expect(() => staticSigningKeys('short')).toThrow(/at least 32/);
  });

  it('is unavailable (503), not a crash, when a deployment names no key', async () => {
    await expect(signingKeysFromEnvironment({})()).rejects.toBeInstanceOf(Unavailable);
    expect(await signingKeysFromEnvironment({ CARELOOP_SURVEY_SIGNING_KEY: KEY })()).toEqual([KEY]);
  });
});
