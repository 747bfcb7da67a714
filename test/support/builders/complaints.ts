/** Complaint fixtures with defaults: override only what a test is about. */
import { registerComplaint } from '../../../shared/domain/complaints/complaint.js';
import { DEFAULT_SETTINGS } from '../../../shared/domain/settings.js';
import type { Complaint, CreateComplaintBody } from '../../../shared/schemas/complaints.js';
import type { Settings } from '../../../shared/schemas/settings.js';

export const REGISTERED_AT = new Date('2026-11-03T02:00:00Z'); // Tuesday 10:00 in Shanghai

export function aComplaintBody(overrides: Partial<CreateComplaintBody> = {}): CreateComplaintBody {
  return {
    customerId: 'C-10042',
    channel: 'phone',
    category: 'logistics',
    severity: 'medium',
    description: 'Parcel arrived damaged; the replacement promised last week never came.',
    ...overrides,
  };
}

let sequence = 0;
/** A fresh ULID-shaped id per call, so tests never collide. */
export function anId(): string {
  sequence += 1;
  return `01JC0ZQ8M3Y7D5T2N4K6P8${String(sequence).padStart(4, '0')}`;
}

/** A complaint as registration makes it (default settings unless given). */
export function aComplaint(
  overrides: Partial<CreateComplaintBody> = {},
  options: { at?: Date; settings?: Settings; id?: string; actor?: { id: string; team?: string } } = {},
): Complaint {
  const id = options.id ?? anId();
  return registerComplaint({
    id,
    body: aComplaintBody(overrides),
    actor: options.actor ?? { id: 'agent-7', team: 'hotline' },
    now: options.at ?? REGISTERED_AT,
    settings: options.settings ?? DEFAULT_SETTINGS,
    execution: { name: `${id}-r1`, arn: `arn:aws:states:us-east-1:000000000000:execution:escalation:${id}-r1` },
  }).complaint;
}

/** Settings with one policy changed for every severity. */
export function settingsWith(change: (settings: Settings) => void): Settings {
  const settings = structuredClone(DEFAULT_SETTINGS);
  change(settings);
  return settings;
}
