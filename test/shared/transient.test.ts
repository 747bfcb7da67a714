import { describe, expect, it } from 'vitest';
import { Conflict, Invalid, NotFound, Unavailable } from '../../shared/domain/errors.js';
import { problemResponse } from '../../shared/http/problem.js';
import { deliveryFailure } from '../../shared/notify/channels.js';
import { isTransient, transience } from '../../shared/transient.js';

const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });

describe('one classification of transient failures', () => {
  it('names throttling, outages, network failures and races as transient, and nothing a retry would meet again', () => {
    expect(transience(named('ProvisionedThroughputExceededException'))).toBe('throttled');
    expect(transience(named('TooManyRequestsException'))).toBe('throttled');
    expect(transience(named('InternalServerError'))).toBe('unavailable');
    expect(transience(named('Error', { $metadata: { httpStatusCode: 502 } }))).toBe('unavailable');
    expect(transience(Object.assign(new Error('reset'), { code: 'EPIPE' }))).toBe('unavailable');
    expect(transience(named('TransactionConflictException'))).toBe('contended');
    expect(transience(new Conflict('raced'))).toBe('contended');
    expect(transience(new Unavailable('down'))).toBe('unavailable');
    expect(transience(Invalid.field('x', 'bad'))).toBeUndefined();
    expect(transience(new NotFound('gone'))).toBeUndefined();
    expect(transience(new TypeError('bug'))).toBeUndefined();
    expect(transience(named('AccessDeniedException', { $metadata: { httpStatusCode: 403 } }))).toBeUndefined();
  });

  it('retries a cancelled transaction that raced or was throttled, not one whose condition failed', () => {
    const cancelled = (...codes: string[]) =>
      named('TransactionCanceledException', { CancellationReasons: codes.map((Code) => ({ Code })) });
    expect(isTransient(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isTransient(cancelled('ThrottlingError'))).toBe(true);
    expect(isTransient(cancelled('ConditionalCheckFailed', 'None'))).toBe(false);
  });

  it('is the rule of the HTTP answer, the workflow retry and the message retry alike', () => {
    for (const error of [
      named('ThrottlingException'),
      named('ServiceUnavailable'),
      named('X', { code: 'ETIMEDOUT' }),
    ]) {
      expect(problemResponse(error).result.statusCode, error.name).toBe(503);
      expect(deliveryFailure(error, 'email').retryable, error.name).toBe(true);
      expect(isTransient(error), error.name).toBe(true);
    }
    for (const error of [named('ValidationException'), new TypeError('bug')]) {
      expect(problemResponse(error).result.statusCode, error.name).toBe(500);
      expect(deliveryFailure(error, 'sms').retryable, error.name).toBe(false);
      expect(isTransient(error), error.name).toBe(false);
    }
    expect(problemResponse(named('ThrottlingException')).result.headers?.['retry-after']).toBe('2');
    expect(problemResponse(named('TimeoutError')).result.headers?.['retry-after']).toBe('5');
  });
});
