/** The demo (`npm start`) still tells people: its seed stores demo contacts and recipients, as an admin's change would. */
import { beforeAll, describe, expect, it } from 'vitest';
import { healthReport } from '../../../functions/system/service.js';
import { DEMO_CONTACTS, DEMO_REPORT_RECIPIENTS, seedDemoSettings } from '../../../infra/local/seed/settings.js';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings.js';
import { dynamoSettingsStore, forgetCachedSettings } from '../../../shared/store/settings.js';
import { useTestTables } from '../../support/dynamo.js';

const now = new Date('2026-11-30T09:00:00Z');

beforeAll(async () => {
  await useTestTables();
});

describe('seedDemoSettings', () => {
  it('turns a fresh installation into one that tells the demo contacts, as a new settings version', async () => {
    const fresh = await healthReport(now, { senderConfigured: () => true });
    expect(fresh.missing).toContain('reportRecipients');
    await seedDemoSettings(now);
    forgetCachedSettings();
    const stored = await dynamoSettingsStore.current({ fresh: true });
    expect(stored).toMatchObject({ version: 1, updatedBy: 'demo-seed' });
    expect(stored.settings.escalation.contacts).toEqual(DEMO_CONTACTS);
    expect(stored.settings.reportRecipients).toEqual(DEMO_REPORT_RECIPIENTS);
    expect(stored.settings.escalation.ladders).toEqual(DEFAULT_SETTINGS.escalation.ladders);
    expect((await healthReport(now, { senderConfigured: () => true })).missing).toEqual([]);
  });

  it('keeps what an admin configured already', async () => {
    const { settings, version } = await dynamoSettingsStore.current({ fresh: true });
    const own = { name: 'Our executive', email: 'exec@acme.test' };
    await dynamoSettingsStore.save(
      {
        ...settings,
        escalation: { ...settings.escalation, contacts: { executive: own } },
        reportRecipients: ['cx@acme.test'],
      },
      version,
      'admin-1',
      now,
    );
    await seedDemoSettings(now);
    const after = (await dynamoSettingsStore.current({ fresh: true })).settings;
    expect(after.escalation.contacts).toEqual({ ...DEMO_CONTACTS, executive: own });
    expect(after.reportRecipients).toEqual(['cx@acme.test']);
  });
});
