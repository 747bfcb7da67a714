import type { IfMatch } from '../domain/versions.js';
import type { Role } from '../schemas/common.js';
import { batchGetItems } from './batch.js';
import { dynamo } from './client.js';
import { EntityType, staffKeys } from './keys.js';
import { type Page, queryPartitions } from './paging.js';
import { replaceRecord } from './replace.js';
import { GetCommand } from './sdk.js';
import { MAIN_TABLE, tableName, withoutKeys } from './table.js';

/** A member of staff as stored. `id` is the `sub` of their token. */
export interface StaffRecord {
  id: string;
  name: string;
  /** null: not in a team (an organisation without teams, or a manager over all of them). */
  team: string | null;
  roles: Role[];
  /** Where this person's own notices go (deadline warnings, escalations to them). Personal data: never logged. */
  email?: string;
  phone?: string;
  /** An inactive member stays listed (old records still show their name) but gets no notices. */
  active: boolean;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

/** What a write sets; the store keeps `createdAt` and counts `version`. */
export type StaffFields = Pick<StaffRecord, 'name' | 'team' | 'roles' | 'active' | 'email' | 'phone'>;

/** Optional fields: a PUT that leaves one out removes it. */
const OPTIONAL_FIELDS = ['email', 'phone'] as const;

/** Storage port of the staff directory (issue 12; the "people who must act" notices read contacts from it). */
export interface StaffStore {
  /** One member, strongly consistent; undefined when not listed. */
  getStaffMember(id: string): Promise<StaffRecord | undefined>;
  /**
   * Many members at once (BatchGetItem, 100 keys a call), e.g. the assignees on a page of
   * complaints; ids not listed are absent from the map.
   */
  getStaffMembers(ids: readonly string[]): Promise<Map<string, StaffRecord>>;
  /**
   * Creates or replaces a member in one UpdateItem: `createdAt` survives, optional fields left
   * out are removed, the version counts up. With `ifMatch`, writes only at that version (412).
   */
  putStaffMember(
    id: string,
    fields: StaffFields,
    by: string,
    now: Date,
    ifMatch?: IfMatch,
  ): Promise<{ member: StaffRecord; created: boolean }>;
  /** The directory, by team then id (members without a team last); `team` narrows it to one team. */
  listStaff(query: {
    team?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<StaffRecord>>;
}

const TABLE = () => tableName(MAIN_TABLE);

async function getStaffMember(id: string): Promise<StaffRecord | undefined> {
  const result = await dynamo().send(
    new GetCommand({ TableName: TABLE(), Key: staffKeys.item(id), ConsistentRead: true }),
  );
  return result.Item ? withoutKeys<StaffRecord>(result.Item) : undefined;
}

async function getStaffMembers(ids: readonly string[]): Promise<Map<string, StaffRecord>> {
  const items = await batchGetItems([...new Set(ids)].map(staffKeys.item));
  const members = new Map<string, StaffRecord>();
  for (const item of items) {
    const member = withoutKeys<StaffRecord>(item);
    members.set(member.id, member);
  }
  return members;
}

async function putStaffMember(
  id: string,
  fields: StaffFields,
  by: string,
  now: Date,
  ifMatch: IfMatch = undefined,
): Promise<{ member: StaffRecord; created: boolean }> {
  const directory = staffKeys.directory(fields.team, id);
  const attributes = await replaceRecord({
    table: TABLE(),
    key: staffKeys.item(id),
    own: {
      sets: ['#type = :type', '#id = :id', '#gsi1pk = :gsi1pk', '#gsi1sk = :gsi1sk', '#updatedBy = :by'],
      names: { '#type': 'type', '#id': 'id', '#gsi1pk': 'gsi1pk', '#gsi1sk': 'gsi1sk', '#updatedBy': 'updatedBy' },
      values: {
        ':type': EntityType.staff,
        ':id': id,
        ':gsi1pk': directory.gsi1pk,
        ':gsi1sk': directory.gsi1sk,
        ':by': by,
      },
    },
    fields,
    optional: OPTIONAL_FIELDS,
    ifMatch,
    what: `Staff member ${id}`,
    now,
  });
  const member = withoutKeys<StaffRecord>(attributes);
  return { member, created: member.version === 1 };
}

async function listStaff(query: {
  team?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}): Promise<Page<StaffRecord>> {
  const page = await queryPartitions<Record<string, unknown>>(
    [
      {
        index: 'gsi1',
        partitionKey: staffKeys.directoryPartition,
        ...(query.team ? { sortKey: { beginsWith: staffKeys.teamPrefix(query.team) } } : {}),
      },
    ],
    { limit: query.limit, cursor: query.cursor },
  );
  return { items: page.items.map((item) => withoutKeys<StaffRecord>(item)), nextCursor: page.nextCursor };
}

export const dynamoStaffStore: StaffStore = { getStaffMember, getStaffMembers, putStaffMember, listStaff };
