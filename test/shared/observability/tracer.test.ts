import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { traced, tracer } from '../../../shared/observability/tracer.js';
import { rawDynamo } from '../../../shared/store/client.js';

const xrayMiddleware = (client: DynamoDBClient) =>
  client.middlewareStack.identify().filter((name) => name.startsWith('XRaySDKInstrumentation'));

describe('the tracer', () => {
  it('is off outside Lambda: the local runtime and the tests send no segments', () => {
    expect(tracer.isTracingEnabled()).toBe(false);
    expect(xrayMiddleware(rawDynamo())).toEqual([]);
  });

  it('makes every call of a client a subsegment when tracing is on (as in Lambda)', () => {
    // Powertools turns tracing on only inside Lambda, which it knows by AWS_EXECUTION_ENV.
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';
    let on: Tracer;
    try {
      on = new Tracer({ serviceName: 'careloop' });
    } finally {
      delete process.env.AWS_EXECUTION_ENV;
    }
    expect(on.isTracingEnabled()).toBe(true);
    const client = traced(new DynamoDBClient({ region: 'eu-west-1' }), on);
    expect(xrayMiddleware(client)).toHaveLength(1);
  });
});
