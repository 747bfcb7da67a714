/**
 * Who the demo tells: escalation contacts and report recipients for the local runtime only. A
 * fresh installation has none (shared/domain/settings.ts), so nothing goes to a placeholder
 * address in AWS; locally every message lands in the outbox, so the demo can show them.
 */
import type { Settings } from '../../../shared/schemas/settings.js';
import { dynamoSettingsStore, type SettingsStore } from '../../../shared/store/settings.js';

export const DEMO_CONTACTS: Settings['escalation']['contacts'] = {
  supervisor: { name: 'Duty supervisor', email: 'supervisor@example.com', phone: '+8613800000001' },
  department_head: { name: 'Head of customer service', email: 'cs-head@example.com', phone: '+8613800000002' },
  executive: { name: 'Executive on call', email: 'executive@example.com', phone: '+8613800000003' },
};
export const DEMO_REPORT_RECIPIENTS = ['cs-director@example.com'];
export const DEMO_COMPLAINT_DESK = ['complaints-desk@example.com'];

/**
 * Stores the demo contacts and recipients over the settings in force, as an admin's PATCH would
 * (a new version, with who and which fields): contacts an admin set already are kept.
 */
export async function seedDemoSettings(
  now: Date,
  actor = 'demo-seed',
  store: SettingsStore = dynamoSettingsStore,
): Promise<void> {
  const { settings, version } = await store.current({ fresh: true });
  await store.save(
    {
      ...settings,
      escalation: { ...settings.escalation, contacts: { ...DEMO_CONTACTS, ...settings.escalation.contacts } },
      reportRecipients: settings.reportRecipients.length ? settings.reportRecipients : DEMO_REPORT_RECIPIENTS,
      complaintSummaryRecipients: settings.complaintSummaryRecipients.length
        ? settings.complaintSummaryRecipients
        : DEMO_COMPLAINT_DESK,
    },
    version,
    actor,
    now,
    ['escalation.contacts', 'reportRecipients', 'complaintSummaryRecipients'],
  );
}
