/**
 * A fresh installation tells nobody (no escalation contacts, no report recipients) and sends nothing
 * on WeChat (no templates). Tests about notices configure the demo's contacts first, and tests about
 * WeChat its templates, as an admin would, through PATCH /settings.
 */
import { DEMO_CONTACTS, DEMO_REPORT_RECIPIENTS } from '../../infra/local/seed/settings.js';
import { WECHAT_TEMPLATE_KINDS } from '../../shared/domain/messaging.js';
import type { TestApi } from './runtime.js';

export { DEMO_CONTACTS, DEMO_REPORT_RECIPIENTS };

async function patchSettings(api: TestApi, body: Record<string, unknown>): Promise<void> {
  const reply = await api.call('PATCH', '/settings', { as: 'admin', body });
  if (reply.status !== 200) throw new Error(`PATCH /settings answered ${reply.status}: ${reply.text}`);
}

export async function configureDemoContacts(api: TestApi): Promise<void> {
  await patchSettings(api, { escalation: { contacts: DEMO_CONTACTS }, reportRecipients: DEMO_REPORT_RECIPIENTS });
}

/** A template for every WeChat notice kind (`TPL_<kind>`), with any more of settings.messaging (`prices`). */
export async function configureWeChat(api: TestApi, messaging: Record<string, unknown> = {}): Promise<void> {
  const templates = Object.fromEntries(WECHAT_TEMPLATE_KINDS.map((kind) => [kind, `TPL_${kind}`]));
  await patchSettings(api, { messaging: { ...messaging, wechat: { templates } } });
}
