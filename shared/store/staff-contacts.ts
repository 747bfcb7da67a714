/** Where notices to a member of staff go: their contact in the staff directory, while they are active. */
import type { Contact } from '../domain/complaints/notices.js';
import { dynamoStaffStore } from './staff.js';

/** Storage port: where a notice to a member of staff goes (an assignee's deadline warning, a goal's or an action's owner). */
export interface StaffContacts {
  /**
   * The email and phone the staff directory lists for them; undefined for someone not listed,
   * inactive, or without an email and a phone (the notice then goes where its kind falls back to).
   */
  contactOf(staffId: string): Promise<Contact | undefined>;
}

async function contactOf(staffId: string): Promise<Contact | undefined> {
  const member = await dynamoStaffStore.getStaffMember(staffId);
  if (!member?.active || !(member.email || member.phone)) return undefined;
  return { email: member.email, phone: member.phone };
}

/** The contacts of the staff directory in DynamoDB (shared/store/staff.ts). */
export const dynamoStaffContacts: StaffContacts = { contactOf };
