/** Where notices to a member of staff go: their contact in the staff directory, while they are active. */
import type { Contact } from '../domain/complaints/notices.js';
import { dynamoStaffStore, type StaffStore } from './staff.js';

export function staffContactReader(store: Pick<StaffStore, 'getStaffMember'> = dynamoStaffStore) {
  return async (staffId: string): Promise<Contact | undefined> => {
    const member = await store.getStaffMember(staffId);
    if (!member?.active || !(member.email || member.phone)) return undefined;
    return { email: member.email, phone: member.phone };
  };
}
