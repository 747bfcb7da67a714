import { ChangesPage, ChangesQuery } from '../../schemas/changes.js';
import { Problem } from '../../schemas/common.js';
import { ListStaffQuery, Me, PutStaffBody, StaffMember, StaffPage, StaffParams } from '../../schemas/staff.js';
import { json, type RouteDeclaration } from './route.js';

export const staffRoutes = [
  {
    id: 'me',
    method: 'GET',
    path: '/me',
    capability: 'staff',
    handler: 'me',
    auth: 'agent',
    summary: 'Who is calling, and the business time zone, quiet hours and server clock every screen reads dates with',
    responses: { 200: json(Me, 'The caller and the clock') },
  },
  {
    id: 'listChanges',
    method: 'GET',
    path: '/changes',
    capability: 'staff',
    handler: 'changes',
    auth: 'agent',
    summary: 'What changed since a cursor: complaints, interactions, alerts and improvements, oldest first',
    request: { query: ChangesQuery },
    responses: {
      200: json(ChangesPage, 'The changes after `since` (types the caller may read), and the cursor to send next'),
      410: {
        description:
          'The cursor is older than the feed keeps changes (24 h): read the lists again, then start a new feed (without `since`)',
        schema: Problem,
        contentType: 'application/problem+json',
      },
    },
  },
  {
    id: 'listStaff',
    method: 'GET',
    path: '/staff',
    capability: 'staff',
    handler: 'list',
    auth: 'agent',
    summary:
      'The staff directory, by team then id, to show assignees, owners and authors by name (contacts for managers)',
    request: { query: ListStaffQuery },
    responses: { 200: json(StaffPage, 'Members of staff, by team then id') },
  },
  {
    id: 'putStaff',
    method: 'PUT',
    path: '/staff/{id}',
    capability: 'staff',
    handler: 'put',
    auth: 'admin',
    summary:
      'Create or replace a staff directory entry: name, team, roles, and the contact their deadline warnings go to',
    request: { params: StaffParams, body: PutStaffBody },
    example: {
      name: '李娜',
      team: 'shanghai-hotline',
      roles: ['agent'],
      email: 'li.na@example.com',
      phone: '+8613900000017',
      active: true,
    },
    responses: { 200: json(StaffMember, 'The replaced entry'), 201: json(StaffMember, 'The new entry') },
  },
] as const satisfies readonly RouteDeclaration[];
