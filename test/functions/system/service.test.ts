/** GET /health's report with an in-memory settings store: what a fresh installation lacks, and what it no longer lacks. */
import { describe, expect, it } from 'vitest';
import { healthReport } from '../../../functions/system/service.js';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings.js';
import { DEFAULT_SENDER_EMAIL, operationsAlertsConfigured, senderConfigured } from '../../../shared/notify/ports.js';
import type { Settings } from '../../../shared/schemas/settings.js';
import type { SettingsStore } from '../../../shared/store/settings.js';

const now = new Date('2026-11-30T09:00:00Z');

const storeOf = (settings: Settings | Error): SettingsStore => ({
  current: async () => {
    if (settings instanceof Error) throw settings;
    return { settings, version: 1, updatedAt: null, updatedBy: null };
  },
  save: async () => {
    throw new Error('not used');
  },
  history: async () => ({ items: [], nextCursor: null }),
});

describe('the defaults', () => {
  it('name no escalation contact and no report recipient', () => {
    expect(DEFAULT_SETTINGS.escalation.contacts).toEqual({});
    expect(DEFAULT_SETTINGS.escalation.teamContacts ?? {}).toEqual({});
    expect(DEFAULT_SETTINGS.reportRecipients).toEqual([]);
  });
});

describe('healthReport', () => {
  it('lists every ladder role without a contact, the report recipients and the placeholder sender', async () => {
    const report = await healthReport(now, { settings: storeOf(DEFAULT_SETTINGS), senderConfigured: () => false });
    expect(report).toEqual({
      status: 'ok',
      time: now.toISOString(),
      missing: [
        'escalation.contacts.department_head',
        'escalation.contacts.executive',
        'escalation.contacts.supervisor',
        'reportRecipients',
        'complaintSummaryRecipients',
        'careloop:senderEmail',
      ],
      warnings: [],
    });
  });

  it('lists nothing once every role is reachable, recipients are named and the sender is the deployment’s own', async () => {
    const settings = structuredClone(DEFAULT_SETTINGS);
    settings.escalation.contacts = {
      supervisor: { name: 'Duty', email: 'duty@acme.test' },
      department_head: { name: 'Head', phone: '+8613800000002' },
      executive: { name: 'Exec', email: 'exec@acme.test', phone: '+8613800000003' },
    };
    settings.reportRecipients = ['director@acme.test'];
    settings.complaintSummaryRecipients = ['complaints-desk@acme.test'];
    const report = await healthReport(now, { settings: storeOf(settings), senderConfigured: () => true });
    expect(report.missing).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('a team’s own contact does not stand in for the organisation’s (other teams’ complaints would reach nobody)', async () => {
    const settings = structuredClone(DEFAULT_SETTINGS);
    settings.escalation.teamContacts = { hotline: { supervisor: { name: 'Lead', email: 'hotline-lead@acme.test' } } };
    const report = await healthReport(now, { settings: storeOf(settings), senderConfigured: () => true });
    expect(report.missing).toContain('escalation.contacts.supervisor');
  });

  it('lists only the roles on a ladder', async () => {
    const settings = structuredClone(DEFAULT_SETTINGS);
    settings.escalation.ladders = { '1': ['executive'], '2': ['executive'] };
    settings.reportRecipients = ['director@acme.test'];
    settings.complaintSummaryRecipients = ['complaints-desk@acme.test'];
    const report = await healthReport(now, { settings: storeOf(settings), senderConfigured: () => true });
    expect(report.missing).toEqual(['escalation.contacts.executive']);
  });

  it('warns when the supervisor has a phone but no email (the daily call-back digest is email only)', async () => {
    const settings = structuredClone(DEFAULT_SETTINGS);
    settings.escalation.contacts = { supervisor: { name: 'Duty', phone: '+8613800000001' } };
    const report = await healthReport(now, { settings: storeOf(settings), senderConfigured: () => true });
    expect(report.missing).not.toContain('escalation.contacts.supervisor');
    expect(report.warnings).toEqual([
      expect.stringContaining('escalation.contacts.supervisor has a phone but no email'),
    ]);
  });

  it('stays up when the settings cannot be read, and says what it could not find out', async () => {
    const report = await healthReport(now, {
      settings: storeOf(new Error('ProvisionedThroughputExceededException')),
      senderConfigured: () => true,
    });
    expect(report).toMatchObject({ status: 'ok', missing: [] });
    expect(report.warnings).toEqual([expect.stringContaining('could not be read')]);
  });
});

describe('the operations email (#27.10)', () => {
  it('is missing when the deployment says its alarms reach nobody, also when the settings cannot be read', async () => {
    const settings = structuredClone(DEFAULT_SETTINGS);
    settings.escalation.contacts = {
      supervisor: { name: 'Duty', email: 'duty@acme.test' },
      department_head: { name: 'Head', phone: '+8613800000002' },
      executive: { name: 'Exec', email: 'exec@acme.test' },
    };
    settings.reportRecipients = ['director@acme.test'];
    settings.complaintSummaryRecipients = ['complaints-desk@acme.test'];
    const unsubscribed = { senderConfigured: () => true, operationsAlertsConfigured: () => false };
    expect((await healthReport(now, { settings: storeOf(settings), ...unsubscribed })).missing).toEqual([
      'careloop:operationsEmail',
    ]);
    expect((await healthReport(now, { settings: storeOf(new Error('throttled')), ...unsubscribed })).missing).toEqual([
      'careloop:operationsEmail',
    ]);
  });

  it('reads the variable the CDK sets: only "unsubscribed" is a gap (the local runtime has no alarms)', () => {
    expect(operationsAlertsConfigured('unsubscribed')).toBe(false);
    expect(operationsAlertsConfigured('subscribed')).toBe(true);
    expect(operationsAlertsConfigured(undefined)).toBe(true);
  });
});

describe('senderConfigured', () => {
  it('is false without an address or with the placeholder, true with an address of the deployment’s own', () => {
    expect(senderConfigured(undefined)).toBe(false);
    expect(senderConfigured('')).toBe(false);
    expect(senderConfigured(DEFAULT_SENDER_EMAIL)).toBe(false);
    expect(senderConfigured('care@acme.test')).toBe(true);
  });
});
