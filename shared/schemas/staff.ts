/** `GET /me` and the staff directory (contract "For screens (v1.1)"). */
import { Email, Role, StaffId, TeamId, Timestamp } from './common.js';
import { PhoneNumber } from './customers.js';
import { z } from './zod.js';

const HourMinute = /* @__PURE__ */ z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)')
  .openapi({ example: '22:00' });

/** Who is calling, and the zone and clock every date of the API is read in (no settings access needed). */
export const Me = /* @__PURE__ */ z
  .object({
    sub: z.string().openapi({ description: 'The caller’s id (token `sub`)', example: 'agent-017' }),
    roles: z.array(Role),
    team: z
      .string()
      .nullable()
      .openapi({ description: 'The caller’s team (`custom:team`), null when the token has none' }),
    name: z
      .string()
      .nullable()
      .openapi({ description: 'From the staff directory; null when the caller is not listed' }),
    timezone: z.string().openapi({
      description: 'The business time zone (IANA) every date filter, `serviceDay` and default period uses',
      example: 'Asia/Shanghai',
    }),
    serverNow: Timestamp.openapi({
      description: 'The server’s clock (runs faster locally with CARELOOP_TIME_SCALE); compute `secondsLeft` from it',
    }),
    quietHours: z
      .object({ start: HourMinute, end: HourMinute })
      .openapi({ description: 'Local hours in which messages to customers wait' }),
  })
  .openapi('Me');
export type Me = z.infer<typeof Me>;

export const StaffParams = /* @__PURE__ */ z.strictObject({ id: StaffId });

export const PutStaffBody = /* @__PURE__ */ z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    team: TeamId.optional(),
    roles: z.array(Role).min(1).max(4),
    email: Email.max(254).optional().openapi({ description: 'Where this person’s deadline warnings go' }),
    phone: PhoneNumber.optional(),
    active: z.boolean(),
  })
  .openapi('PutStaffBody', { description: 'The whole entry: optional fields left out are removed' });
export type PutStaffBody = z.infer<typeof PutStaffBody>;

/** A member of staff; `email` and `phone` are answered to managers and admins only. */
export const StaffMember = /* @__PURE__ */ z
  .object({
    id: z.string().openapi({ description: 'The member’s token `sub`', example: 'agent-017' }),
    name: z.string(),
    team: z.string().nullable(),
    roles: z.array(Role),
    active: z.boolean(),
    email: z.string().optional().openapi({ description: 'Managers and admins only' }),
    phone: z.string().optional().openapi({ description: 'Managers and admins only' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    updatedBy: z.string().openapi({ description: 'Who last changed the entry' }),
    version: z.number().int(),
  })
  .openapi('StaffMember');
export type StaffMember = z.infer<typeof StaffMember>;

/** A member of staff as a row shows them (null name: not in the directory). */
export const StaffName = /* @__PURE__ */ z.object({ id: z.string(), name: z.string().nullable() }).openapi('StaffName');

export const StaffPage = /* @__PURE__ */ z
  .object({
    items: z.array(StaffMember),
    nextCursor: z.string().nullable().openapi({ description: 'null on the last page' }),
  })
  .openapi('StaffPage');

export const ListStaffQuery = /* @__PURE__ */ z.strictObject({
  team: TeamId.optional().openapi({ description: 'Only this team' }),
  limit: z.coerce.number().int().min(1).max(100).default(100).openapi({ description: '1–100, default 100' }),
  cursor: z.string().max(2048).optional().openapi({ description: 'nextCursor of the previous page' }),
});
