/** Where notices to a member of staff go: their contact in the staff directory, while they are active. */
import type { Contact } from '../domain/complaints/notices.js';
import { dynamoStaffStore, type StaffStore } from './staff.js';

/** Where a notice to a member of staff goes; undefined for someone inactive or without an email and a phone. */
export type StaffContactReader = (staffId: string) => Promise<Contact | undefined>;

/** The directory's implementation (the staff store given, DynamoDB's by default). */
export function staffContactReader(store: Pick<StaffStore, 'getStaffMember'> = dynamoStaffStore): StaffContactReader {
  return async (staffId) => {
    const member = await store.getStaffMember(staffId);
    if (!member?.active || !(member.email || member.phone)) return undefined;
    return { email: member.email, phone: member.phone };
  };
}
