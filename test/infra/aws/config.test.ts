import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { CONTEXT, readConfig } from '../../../infra/aws/config.js';

const configFrom = (context: Record<string, unknown>) => readConfig(new App({ context }).node);
const valid = {
  [CONTEXT.stage]: 'prod',
  [CONTEXT.allowedOrigins]: ['https://app.example.com'],
  [CONTEXT.senderEmail]: 'careloop@example.com',
  [CONTEXT.operationsEmail]: 'oncall@example.com',
};

describe('deploy configuration from CDK context', () => {
  it('reads the values cdk.json gives', () => {
    expect(configFrom(valid)).toEqual({
      stage: 'prod',
      allowedOrigins: ['https://app.example.com'],
      senderEmail: 'careloop@example.com',
      operationsEmail: 'oncall@example.com',
    });
  });

  it('refuses a prod synth whose operations alarms would reach nobody, and allows it on other stages (#27.10)', () => {
    const { [CONTEXT.operationsEmail]: _, ...withoutOperations } = valid;
    expect(() => configFrom(withoutOperations)).toThrow(/careloop:operationsEmail is required in prod/);
    expect(configFrom({ ...withoutOperations, [CONTEXT.stage]: 'test' }).operationsEmail).toBeUndefined();
  });

  it('accepts origins given on the command line as a comma-separated list or a JSON array', () => {
    expect(
      configFrom({ ...valid, [CONTEXT.allowedOrigins]: 'https://a.example.com, https://b.example.com:8443' })
        .allowedOrigins,
    ).toEqual(['https://a.example.com', 'https://b.example.com:8443']);
    expect(configFrom({ ...valid, [CONTEXT.stage]: 'dev', [CONTEXT.allowedOrigins]: '["*"]' }).allowedOrigins).toEqual([
      '*',
    ]);
  });

  it('defaults the stage to dev', () => {
    const { [CONTEXT.stage]: _, ...withoutStage } = valid;
    expect(configFrom(withoutStage).stage).toBe('dev');
  });

  it.each([
    ['an origin with a path', { [CONTEXT.allowedOrigins]: ['https://app.example.com/'] }, CONTEXT.allowedOrigins],
    ['"*" in prod', { [CONTEXT.allowedOrigins]: ['*'] }, CONTEXT.allowedOrigins],
    ['"*" mixed with origins', { [CONTEXT.allowedOrigins]: ['*', 'https://app.example.com'] }, CONTEXT.allowedOrigins],
    ['no origin', { [CONTEXT.allowedOrigins]: [] }, CONTEXT.allowedOrigins],
    ['a stage with capitals', { [CONTEXT.stage]: 'Prod' }, CONTEXT.stage],
    ['a sender that is not an email address', { [CONTEXT.senderEmail]: 'careloop' }, CONTEXT.senderEmail],
    ['a localhost link base in prod', { [CONTEXT.publicBaseUrl]: 'http://localhost:3000' }, CONTEXT.publicBaseUrl],
    ['a 127.0.0.1 link base in prod', { [CONTEXT.publicBaseUrl]: 'http://127.0.0.1:3000' }, CONTEXT.publicBaseUrl],
    ['a link base that is not a URL', { [CONTEXT.publicBaseUrl]: 'care.example.com' }, CONTEXT.publicBaseUrl],
    ['the old survey web-app key', { [CONTEXT.surveyBaseUrl]: 'https://survey.example.com' }, CONTEXT.publicBaseUrl],
  ])('refuses %s, naming the key', (_, override, key) => {
    expect(() => configFrom({ ...valid, ...override })).toThrow(key);
  });

  it('says why a localhost link base cannot go to prod, and allows it on other stages', () => {
    expect(() => configFrom({ ...valid, [CONTEXT.publicBaseUrl]: 'http://localhost:3000' })).toThrow(
      /cannot open links to localhost/,
    );
    const dev = { ...valid, [CONTEXT.stage]: 'dev', [CONTEXT.publicBaseUrl]: 'http://localhost:3000' };
    expect(configFrom(dev).publicBaseUrl).toBe('http://localhost:3000');
    expect(configFrom({ ...valid, [CONTEXT.publicBaseUrl]: 'https://care.example.com' }).publicBaseUrl).toBe(
      'https://care.example.com',
    );
  });
});
