/**
 * The staff store against DynamoDB Local: batch reads past BatchGetItem's 100 keys, replace semantics;
 * and the contacts notices to staff read from it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PreconditionFailed } from '../../../shared/domain/errors.js';
import { dynamoStaffStore as store } from '../../../shared/store/staff.js';
import { dynamoStaffContacts } from '../../../shared/store/staff-contacts.js';
import { useTestTables } from '../../support/dynamo.js';

beforeAll(async () => {
  await useTestTables();
});

const now = new Date('2026-11-10T02:00:00Z');

describe('dynamoStaffStore', () => {
  it('reads many members at once, past the 100 keys of one BatchGetItem, skipping ids not listed', async () => {
    const ids = Array.from({ length: 130 }, (_, n) => `m-${String(n).padStart(3, '0')}`);
    await Promise.all(
      ids.map((id, n) =>
        store.putStaffMember(
          id,
          { name: `Member ${n}`, team: n % 2 ? 'odd' : 'even', roles: ['agent'], active: true },
          'admin-1',
          now,
        ),
      ),
    );
    const found = await store.getStaffMembers([...ids, 'nobody', ids[0]!]);
    expect(found.size).toBe(130);
    expect(found.get('m-129')).toMatchObject({ name: 'Member 129', team: 'odd', updatedBy: 'admin-1', version: 1 });
    expect(found.has('nobody')).toBe(false);
    expect(await store.getStaffMembers([])).toEqual(new Map());

    const odd = await store.listStaff({ team: 'odd', limit: 100 });
    expect(odd.items).toHaveLength(65);
    expect(odd.items.every((m) => m.team === 'odd')).toBe(true);
    expect(odd.nextCursor).toBeNull();
    // Keys stay in the table: a record carries none of them.
    expect(Object.keys(odd.items[0]!).sort()).toEqual(
      ['active', 'createdAt', 'id', 'name', 'roles', 'team', 'updatedAt', 'updatedBy', 'version'].sort(),
    );
  });

  it('replaces an entry (removing a contact left out) and refuses a stale version', async () => {
    const first = await store.putStaffMember(
      'sup-1',
      {
        name: 'Su',
        team: 'north',
        roles: ['supervisor'],
        email: 'su@example.com',
        phone: '+8613900000001',
        active: true,
      },
      'admin-1',
      now,
    );
    expect(first.created).toBe(true);
    const later = new Date(now.getTime() + 60_000);
    const second = await store.putStaffMember(
      'sup-1',
      { name: 'Su', team: null, roles: ['supervisor'], email: 'su@example.com', active: false },
      'admin-2',
      later,
      1,
    );
    expect(second.created).toBe(false);
    expect(second.member).toMatchObject({
      team: null,
      active: false,
      version: 2,
      createdAt: now.toISOString(),
      updatedBy: 'admin-2',
    });
    expect(second.member).not.toHaveProperty('phone');
    await expect(
      store.putStaffMember('sup-1', { name: 'X', team: null, roles: ['agent'], active: true }, 'admin-1', later, 1),
    ).rejects.toBeInstanceOf(PreconditionFailed);
    expect((await store.getStaffMember('sup-1'))?.name).toBe('Su');
    expect(await store.getStaffMember('nobody')).toBeUndefined();
  });
});

describe('dynamoStaffContacts', () => {
  it("answers an active member's email and phone, and nothing for someone inactive, unlisted or without either", async () => {
    const member = (name: string, fields: { email?: string; phone?: string; active: boolean }) =>
      store.putStaffMember(name, { name, team: 'east', roles: ['agent'], ...fields }, 'admin-1', now);
    await member('c-both', { email: 'both@example.com', phone: '+8613900000011', active: true });
    await member('c-phone', { phone: '+8613900000012', active: true });
    await member('c-left', { email: 'left@example.com', active: false });
    await member('c-none', { active: true });

    expect(await dynamoStaffContacts.contactOf('c-both')).toEqual({
      email: 'both@example.com',
      phone: '+8613900000011',
    });
    expect(await dynamoStaffContacts.contactOf('c-phone')).toEqual({ email: undefined, phone: '+8613900000012' });
    expect(await dynamoStaffContacts.contactOf('c-left')).toBeUndefined();
    expect(await dynamoStaffContacts.contactOf('c-none')).toBeUndefined();
    expect(await dynamoStaffContacts.contactOf('c-nobody')).toBeUndefined();
  });
});
