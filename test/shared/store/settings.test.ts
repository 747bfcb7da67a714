/**
 * The settings store against DynamoDB Local: a document stored before a field was renamed is read
 * under the new name, and the next change stores the new name only.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { changeSettings } from '../../../functions/settings/service.js';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings.js';
import { dynamo } from '../../../shared/store/client.js';
import { EntityType, settingsKeys } from '../../../shared/store/keys.js';
import { dynamoSettingsStore, forgetCachedSettings } from '../../../shared/store/settings.js';
import { MAIN_TABLE, tableName } from '../../../shared/store/table.js';
import { useTestTables } from '../../support/dynamo.js';

beforeAll(async () => {
  await useTestTables();
});

const admin = { id: 'admin-1', roles: ['admin' as const] };
const now = new Date('2026-11-30T09:00:00Z');

/** Writes the settings document as an earlier release stored it. */
async function storeAsBefore(surveys: Record<string, unknown>, version: number) {
  const settings = { ...DEFAULT_SETTINGS, surveys };
  await dynamo().send(
    new PutCommand({
      TableName: tableName(MAIN_TABLE),
      Item: {
        ...settingsKeys.current(),
        type: EntityType.settings,
        settings,
        version,
        updatedAt: '2026-10-01T00:00:00.000Z',
        updatedBy: 'setup',
      },
    }),
  );
  forgetCachedSettings();
}

describe('stored settings across the rename of the alert threshold', () => {
  it('defaults to 6 (every detractor, api-contract.md "Alerts") when nothing is stored', async () => {
    forgetCachedSettings();
    const { settings, version } = await dynamoSettingsStore.current({ fresh: true });
    expect(version).toBe(0);
    expect(settings.surveys.alertNpsAtOrBelow).toBe(6);
  });

  it('reads surveys.negativeAlertNpsAtOrBelow as alertNpsAtOrBelow, and a change stores the new name', async () => {
    await storeAsBefore(
      { linkValidDays: 14, minAnswerSeconds: 10, negativeAlertNpsAtOrBelow: 3, commentKeywords: {} },
      4,
    );
    const read = await dynamoSettingsStore.current({ fresh: true });
    expect(read.settings.surveys).toEqual({
      linkValidDays: 14,
      minAnswerSeconds: 10,
      alertNpsAtOrBelow: 3,
      // fields the stored document predates take their defaults (questionnaires, v1.2)
      minSecondsPerQuestion: 1,
      questionnaireFor: { interaction: 'service-transaction', complaint: 'service-transaction' },
      commentKeywords: {},
    });

    // A change of something else keeps the stored choice, under the contract's name.
    const changed = await changeSettings({ surveyThrottleDays: 7 }, admin, now, 4);
    expect(changed.surveys).toEqual({
      linkValidDays: 14,
      minAnswerSeconds: 10,
      alertNpsAtOrBelow: 3,
      // fields the stored document predates take their defaults (questionnaires, v1.2)
      minSecondsPerQuestion: 1,
      questionnaireFor: { interaction: 'service-transaction', complaint: 'service-transaction' },
      commentKeywords: {},
    });
    const raw = await dynamo().send(
      new GetCommand({
        TableName: tableName(MAIN_TABLE),
        Key: settingsKeys.current(),
        ConsistentRead: true,
      }),
    );
    expect(raw.Item?.settings.surveys).toEqual({
      linkValidDays: 14,
      minAnswerSeconds: 10,
      alertNpsAtOrBelow: 3,
      // fields the stored document predates take their defaults (questionnaires, v1.2)
      minSecondsPerQuestion: 1,
      questionnaireFor: { interaction: 'service-transaction', complaint: 'service-transaction' },
      commentKeywords: {},
    });
  });

  it('prefers the new name when a document holds both, and fills fields a document predates', async () => {
    await storeAsBefore({ linkValidDays: 30, negativeAlertNpsAtOrBelow: 2, alertNpsAtOrBelow: 5 }, 6);
    const { settings } = await dynamoSettingsStore.current({ fresh: true });
    expect(settings.surveys).toEqual({
      linkValidDays: 30,
      minAnswerSeconds: 10,
      alertNpsAtOrBelow: 5,
      // fields the stored document predates take their defaults (questionnaires, v1.2)
      minSecondsPerQuestion: 1,
      questionnaireFor: { interaction: 'service-transaction', complaint: 'service-transaction' },
      commentKeywords: {},
    });
  });
});

describe('the cached copy', () => {
  it('is the copy of the table in use: a runtime on tables of its own never reads another table’s settings', async () => {
    const first = tableName(MAIN_TABLE);
    await storeAsBefore({ linkValidDays: 9 }, 2);
    expect((await dynamoSettingsStore.current()).version).toBe(2);
    await useTestTables();
    expect((await dynamoSettingsStore.current()).version).toBe(0);
    // Back on the first tables without forgetting anything: the copy cached from the second is not theirs.
    const second = tableName(MAIN_TABLE);
    process.env[MAIN_TABLE.envVar] = first;
    try {
      expect((await dynamoSettingsStore.current()).version).toBe(2);
    } finally {
      process.env[MAIN_TABLE.envVar] = second;
    }
  });
});
