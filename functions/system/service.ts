/** Use cases of the system routes: what a running installation still needs configured. */
import { type ConfigurationGaps, configurationGaps, deploymentGaps } from '../../shared/domain/settings.js';
import { operationsAlertsConfigured, senderConfigured } from '../../shared/notify/ports.js';
import { logger } from '../../shared/observability/logger.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';

export interface SystemDeps {
  settings: SettingsStore;
  /** True when the deployment names an email sender of its own (not the placeholder). */
  senderConfigured: () => boolean;
  /** False when the deployment's operations alarms are emailed to nobody (careloop:operationsEmail). */
  operationsAlertsConfigured: () => boolean;
}

const defaults: SystemDeps = {
  settings: dynamoSettingsStore,
  senderConfigured: () => senderConfigured(),
  operationsAlertsConfigured: () => operationsAlertsConfigured(),
};

/**
 * Up, and what is not configured yet. The settings come from the container's 30 s cache, so a
 * public route never costs more than one read per container and half-minute; liveness does not hang
 * on the table: settings that cannot be read are a warning, not a failure.
 */
export async function healthReport(now: Date, deps: Partial<SystemDeps> = {}) {
  const all = { ...defaults, ...deps };
  let gaps: ConfigurationGaps;
  const deployment = {
    senderConfigured: all.senderConfigured(),
    operationsAlertsConfigured: all.operationsAlertsConfigured(),
  };
  try {
    const { settings } = await all.settings.current();
    gaps = configurationGaps(settings, deployment);
  } catch (error) {
    logger.warn('health: settings unreadable', { error: error as Error });
    gaps = {
      missing: deploymentGaps(deployment),
      warnings: ['the settings could not be read, so what they lack is unknown'],
    };
  }
  return { status: 'ok' as const, time: now.toISOString(), ...gaps };
}
