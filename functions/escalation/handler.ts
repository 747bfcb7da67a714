/**
 * Lambda tasks of the escalation workflow (infra/aws/constructs/escalation.ts). Each answers
 * `{ outcome, wakeAt? }` for the state machine to route on. Errors are named for its Retry and
 * Catch rules: `TransientError` and `NotificationFailed` are retried with backoff, anything else
 * goes straight to the Catch that records it on the complaint's timeline.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { FailureEvent, TaskEvent, TaskResult } from '../../shared/domain/complaints/workflow.js';
import { awsSenders } from '../../shared/notify/aws.js';
import { logger } from '../../shared/observability/logger.js';
import { ports, provideDefaults } from '../../shared/ports.js';
import { isTransient } from '../../shared/transient.js';
import { escalationNeeds } from '../composition.js';
import {
  announceRegistrationTask,
  checkMilestoneTask,
  escalateTask,
  NotificationFailed,
  recordFailureTask,
} from './service.js';

provideDefaults(awsSenders('email', 'sms', 'wechat'));

/** A failure a later attempt may not meet (throttling, a dependency briefly down, a lost race): the workflow retries it. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

function task<E extends TaskEvent>(name: string, work: (event: E, now: Date) => Promise<TaskResult>) {
  return middy(async (event: E, _context: Context): Promise<TaskResult> => {
    try {
      const result = await work(event, ports().clock.now());
      // Escalations are news; a routine check is not.
      const level = ['escalated', 'notify_later', 'failure_recorded'].includes(result.outcome) ? 'info' : 'debug';
      logger[level](`${name} done`, {
        complaintId: event.complaintId,
        round: event.round,
        milestone: event.milestone,
        outcome: result.outcome,
      });
      return result;
    } catch (error) {
      logger.warn(`${name} failed`, {
        complaintId: event.complaintId,
        milestone: event.milestone,
        error: error as Error,
      });
      if (error instanceof NotificationFailed || !isTransient(error)) throw error;
      throw new TransientError(`${name}: ${(error as Error).message}`, { cause: error });
    }
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

/** Checks a milestone; as the workflow's first step (`announce`), sends the registration notices. */
export const check = /* @__PURE__ */ task<TaskEvent>('check milestone', (event, now) =>
  event.announce ? announceRegistrationTask(event, now, escalationNeeds) : checkMilestoneTask(event, now),
);
export const escalate = /* @__PURE__ */ task<TaskEvent>('escalate', escalateTask);
export const recordFailure = /* @__PURE__ */ task<FailureEvent>('record failure', recordFailureTask);
