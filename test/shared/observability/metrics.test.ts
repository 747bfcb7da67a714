/**
 * Business metrics as CloudWatch reads them: the Embedded Metric Format entries the use cases
 * write to the log (LOG_FORMAT=json, as in Lambda), and the readable line they become locally.
 * The use cases run against DynamoDB Local; only the workflow starter is a stand-in.
 */

import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerComplaint } from '../../../functions/complaints/service.js';
import { complaintNeeds, interactionNeeds, surveyNeeds } from '../../../functions/composition.js';
import { recordInteraction } from '../../../functions/interactions/service.js';
import { inviteToSurvey, readSurveyForm, submitSurveyResponse } from '../../../functions/surveys/service.js';
import type { Actor } from '../../../shared/domain/access.js';
import { logger } from '../../../shared/observability/logger.js';
import { BUSINESS_EVENTS, countEvent, METRICS_NAMESPACE } from '../../../shared/observability/metrics.js';
import {
  emitOperationalMetric,
  OPERATIONAL_METRICS,
  OPERATIONS_NAMESPACE,
} from '../../../shared/observability/operations.js';
import { usePorts } from '../../../shared/ports.js';
import { staticSigningKeys } from '../../../shared/secrets/survey-signing-key.js';
import type { WorkflowStarter } from '../../../shared/workflow/escalation.js';
import { aComplaintBody } from '../../support/builders/complaints.js';
import { anInteraction, at } from '../../support/builders/interactions.js';
import { aSurveyResponse } from '../../support/builders/surveys.js';
import { useTestTables } from '../../support/dynamo.js';

const agent: Actor = { id: 'agent-1', roles: ['agent'] };
const workflows: WorkflowStarter = { executionArn: (name) => `arn:test:${name}`, start: async () => {} };

interface EmfEntry {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
  [key: string]: unknown;
}

/** Runs `work` and returns what it wrote to stdout, line by line. */
async function stdoutOf(work: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    await work();
  } finally {
    write.mockRestore();
  }
  return lines;
}

/** The metric values in the EMF entries among `lines`, by metric name. */
function metricsIn(lines: string[]): Record<string, number> {
  const found: Record<string, number> = {};
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as EmfEntry;
    for (const directive of entry._aws?.CloudWatchMetrics ?? []) {
      expect(directive.Namespace).toBe(METRICS_NAMESPACE);
      expect(directive.Dimensions).toEqual([['service']]);
      expect(entry.service).toBe('careloop');
      for (const { Name } of directive.Metrics) found[Name] = (found[Name] ?? 0) + Number(entry[Name]);
    }
  }
  return found;
}

beforeAll(async () => {
  await useTestTables();
  usePorts({ signingKeys: staticSigningKeys('metrics-test-survey-signing-key-0123456789') });
});
afterEach(() => {
  delete process.env.LOG_FORMAT;
});

describe('business metrics in Embedded Metric Format (LOG_FORMAT=json, as in Lambda)', () => {
  it('counts a registered complaint once', async () => {
    process.env.LOG_FORMAT = 'json';
    const lines = await stdoutOf(() =>
      registerComplaint(aComplaintBody({ customerId: 'C-M1' }), agent, at('2026-10-05T03:00:00Z'), undefined, {
        ...complaintNeeds,
        workflows: () => workflows,
      }),
    );
    expect(metricsIn(lines)).toEqual({ ComplaintRegistered: 1 });
  });

  it('counts a submitted survey, and an invalid one (answered too fast) as invalid too', async () => {
    const interaction = await recordInteraction(
      anInteraction({
        customerId: 'C-M2',
        startedAt: '2026-10-05T02:00:00Z',
        firstResponseAt: '2026-10-05T02:00:10Z',
        resolvedAt: '2026-10-05T02:20:00Z',
      }),
      agent,
      at('2026-10-05T03:00:00Z'),
      undefined,
      interactionNeeds,
    );
    const invitedAt = at('2026-10-05T04:00:00Z');
    const { token } = await inviteToSurvey({ subject: { type: 'interaction', id: interaction.id } }, agent, invitedAt);
    await readSurveyForm(token, invitedAt);
    process.env.LOG_FORMAT = 'json';
    const lines = await stdoutOf(() => submitSurveyResponse(token, aSurveyResponse(), invitedAt, surveyNeeds));
    expect(metricsIn(lines)).toEqual({ SurveySubmitted: 1, SurveyInvalid: 1 });
  });

  it('writes one EMF entry per business event, each a count', async () => {
    process.env.LOG_FORMAT = 'json';
    const lines = await stdoutOf(async () => {
      for (const event of BUSINESS_EVENTS) countEvent(event);
    });
    expect(lines).toHaveLength(BUSINESS_EVENTS.length);
    expect(metricsIn(lines)).toEqual(Object.fromEntries(BUSINESS_EVENTS.map((event) => [event, 1])));
    expect(lines.map((line) => (JSON.parse(line) as EmfEntry)._aws.CloudWatchMetrics[0]!.Metrics)).toEqual(
      BUSINESS_EVENTS.map((Name) => [{ Name, Unit: 'Count' }]),
    );
  });
});

describe('operational metrics (the alarms read them)', () => {
  it('writes one EMF entry per value, 0 included, in the operations namespace with the service dimension', async () => {
    const before = Date.now();
    const lines = await stdoutOf(async () => {
      emitOperationalMetric(OPERATIONAL_METRICS.monthlyReportNotEmailed, 0);
      emitOperationalMetric(OPERATIONAL_METRICS.followUpsFailed, 3);
    });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: OPERATIONS_NAMESPACE,
              Dimensions: [['service']],
              Metrics: [{ Name: 'MonthlyReportNotEmailed', Unit: 'Count' }],
            },
          ],
        },
        service: 'careloop',
        MonthlyReportNotEmailed: 0,
      },
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: OPERATIONS_NAMESPACE,
              Dimensions: [['service']],
              Metrics: [{ Name: 'FollowUpsFailed', Unit: 'Count' }],
            },
          ],
        },
        service: 'careloop',
        FollowUpsFailed: 3,
      },
    ]);
    // CloudWatch takes an entry stamped with the real time of the write (milliseconds).
    expect((JSON.parse(lines[0]!) as { _aws: { Timestamp: number } })._aws.Timestamp).toBeGreaterThanOrEqual(before);
  });
});

describe('logs where they are read by people (no LOG_FORMAT, outside Lambda)', () => {
  // Tests run with LOG_LEVEL=SILENT (test/support/setup.ts); these read the log.
  beforeEach(() => logger.setLogLevel('INFO'));
  afterEach(() => logger.setLogLevel('SILENT'));

  it('shows a business event as one readable line, not EMF', async () => {
    const lines = await stdoutOf(async () => countEvent('ReportEmailed'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}metric ReportEmailed=1$/);
  });

  it('writes log entries as readable lines, personal data masked as in the JSON', async () => {
    const lines = await stdoutOf(async () =>
      logger.info('customer reached', { phone: '+8613812345678', attempts: 2, channels: ['sms'] }),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}customer reached {2}phone=\S+ attempts=2 channels=\["sms"\]$/,
    );
    expect(lines[0]).not.toContain('13812345678');
  });

  it('writes JSON with LOG_FORMAT=json', async () => {
    process.env.LOG_FORMAT = 'json';
    const lines = await stdoutOf(async () => logger.info('customer reached', { phone: '+8613812345678' }));
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'INFO', message: 'customer reached', service: 'careloop' });
    expect(lines[0]).not.toContain('13812345678');
  });
});
