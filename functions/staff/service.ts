/** Use cases of the staff capability: who am I (with the business clock), and the staff directory. */

import { type Actor, hasRole } from '../../shared/domain/access.js';
import type { IfMatch } from '../../shared/domain/versions.js';
import type { Me, PutStaffBody, StaffMember } from '../../shared/schemas/staff.js';
import { dynamoSettingsStore, type SettingsStore } from '../../shared/store/settings.js';
import { dynamoStaffStore, type StaffRecord, type StaffStore } from '../../shared/store/staff.js';

export interface StaffDeps {
  staff: StaffStore;
  settings: SettingsStore;
}

const defaults: StaffDeps = { staff: dynamoStaffStore, settings: dynamoSettingsStore };

/** The caller, and the zone, quiet hours and clock every screen reads dates with: no settings access needed. */
export async function whoAmI(actor: Actor, now: Date, deps: Partial<StaffDeps> = {}): Promise<Me> {
  const all = { ...defaults, ...deps };
  const [{ settings }, listed] = await Promise.all([all.settings.current(), all.staff.getStaffMember(actor.id)]);
  return {
    sub: actor.id,
    roles: actor.roles,
    team: actor.team ?? null,
    name: listed?.name ?? null,
    timezone: settings.timezone,
    serverNow: now.toISOString(),
    quietHours: settings.quietHours,
  };
}

/** Contact data is for managers and admins (they set up escalations and contacts); others see names and roles. */
export function staffForViewer(member: StaffRecord, viewer: Actor): StaffMember {
  if (hasRole(viewer, 'manager')) return member;
  const { email: _email, phone: _phone, ...rest } = member;
  return rest;
}

export async function staffDirectory(
  query: { team?: string | undefined; limit: number; cursor?: string | undefined },
  viewer: Actor,
  deps: Partial<StaffDeps> = {},
): Promise<{ items: StaffMember[]; nextCursor: string | null }> {
  const all = { ...defaults, ...deps };
  const page = await all.staff.listStaff(query);
  return { items: page.items.map((member) => staffForViewer(member, viewer)), nextCursor: page.nextCursor };
}

/** Creates or replaces a directory entry (a PUT: email or phone left out are removed). */
export async function saveStaffMember(
  id: string,
  body: PutStaffBody,
  actor: Actor,
  now: Date,
  ifMatch: IfMatch = undefined,
  deps: Partial<StaffDeps> = {},
): Promise<{ member: StaffMember; created: boolean }> {
  const all = { ...defaults, ...deps };
  const { member, created } = await all.staff.putStaffMember(
    id,
    {
      name: body.name,
      team: body.team ?? null,
      roles: body.roles,
      active: body.active,
      ...(body.email ? { email: body.email } : {}),
      ...(body.phone ? { phone: body.phone } : {}),
    },
    actor.id,
    now,
    ifMatch,
  );
  return { member: staffForViewer(member, actor), created };
}
