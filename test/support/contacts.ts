/**
 * A fresh installation tells nobody (no escalation contacts, no report recipients). Tests about
 * notices configure the demo's contacts first, as an admin would, through PATCH /settings.
 */
import { DEMO_CONTACTS, DEMO_REPORT_RECIPIENTS } from '../../infra/local/seed/settings.js';
import type { TestApi } from './runtime.js';

export { DEMO_CONTACTS, DEMO_REPORT_RECIPIENTS };

export async function configureDemoContacts(api: TestApi): Promise<void> {
  const reply = await api.call('PATCH', '/settings', {
    as: 'admin',
    body: { escalation: { contacts: DEMO_CONTACTS }, reportRecipients: DEMO_REPORT_RECIPIENTS },
  });
  if (reply.status !== 200) throw new Error(`PATCH /settings answered ${reply.status}: ${reply.text}`);
}
