import type { APIGatewayProxyEvent } from 'aws-lambda';
import { Forbidden, Unauthenticated } from '../domain/errors.js';
import { Role } from '../schemas/common.js';

/** Who is calling: the token's subject, its roles and optional team. */
export interface Actor {
  id: string;
  roles: Role[];
  team?: string;
}

const ROLE_ORDER = Role.options;

/**
 * The group names in a `cognito:groups` claim, exactly as written: an array, one string
 * "agent,manager" (the REST authorizer joins with commas) or "[agent manager]" (the JWT
 * authorizer's form). Nothing is trimmed or case-folded: "admin " or "Admin" is not admin.
 * (Cognito group names cannot hold whitespace, so a separator never hides inside a name.)
 */
export function groupNames(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.filter((g): g is string => typeof g === 'string');
  if (typeof raw !== 'string' || raw === '') return [];
  const bracketed = /^\[(.*)\]$/s.exec(raw);
  const names = bracketed ? bracketed[1]!.split(' ') : raw.split(',');
  // An empty name or one with whitespace is no Cognito group: the claim is malformed and grants nothing.
  return names.every((name) => name !== '' && !/\s/.test(name)) ? names : [];
}

/**
 * The actor from the claims API Gateway's Cognito authorizer (or the local runtime,
 * which verifies dev tokens the same way) put on the request; groups are read by groupNames.
 */
export function actorFromEvent(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Actor | null {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') return null;
  const groups = groupNames(claims?.['cognito:groups']);
  const roles = groups.filter((g): g is Role => (ROLE_ORDER as readonly string[]).includes(g));
  const team = claims?.['custom:team'];
  return { id: sub, roles, ...(typeof team === 'string' && team ? { team } : {}) };
}

/** The highest rank among an actor's roles; each role includes the rights of the ones before it. */
export function rank(roles: readonly Role[]): number {
  return Math.max(-1, ...roles.map((r) => ROLE_ORDER.indexOf(r)));
}

export function hasRole(actor: Actor, role: Role): boolean {
  return rank(actor.roles) >= ROLE_ORDER.indexOf(role);
}

/** 401 without a verified caller, 403 when the caller's roles do not reach `role`. */
export function authorize(actor: Actor | null, role: Role | 'public'): Actor | null {
  if (role === 'public') return actor;
  if (!actor) throw new Unauthenticated('A valid bearer token is required.');
  if (!hasRole(actor, role)) throw new Forbidden(`This needs the ${role} role or higher.`);
  return actor;
}

/**
 * Object-level rules (contract "Auth"): managers and admins act for everyone; an agent or a
 * supervisor changes only records of their own team (`custom:team`) or assigned to them. A
 * token without a team is not limited to a team (an organisation without teams).
 */
export function mayChange(
  actor: Actor,
  record: { team?: string | undefined; people: Array<string | undefined> },
): boolean {
  if (hasRole(actor, 'manager')) return true;
  if (record.people.includes(actor.id)) return true;
  if (actor.team === undefined) return true;
  return record.team === actor.team;
}

/** 403 unless `actor` may change `record` (see mayChange). */
export function assertMayChange(
  actor: Actor,
  record: { team?: string | undefined; people: Array<string | undefined> },
  what: string,
): void {
  if (!mayChange(actor, record))
    throw new Forbidden(
      `${what} belongs to another team and is not assigned to you; a supervisor of its team can change it.`,
    );
}

/**
 * Who a new record is made by and for: agents and supervisors record as themselves and for
 * their own team (both default from the token); an agent naming another agent, or either naming
 * another team, is a 403. A supervisor may name an agent of their team; managers and admins anyone.
 */
export function recordedFor(
  actor: Actor,
  named: { agentId?: string | undefined; team?: string | undefined },
): { agentId?: string; team?: string } {
  const agentId = named.agentId ?? (hasRole(actor, 'manager') ? undefined : actor.id);
  const team = named.team ?? actor.team;
  if (!hasRole(actor, 'manager')) {
    if (!hasRole(actor, 'supervisor') && agentId !== actor.id)
      throw new Forbidden('An agent records contacts only as themselves (agentId).');
    if (actor.team !== undefined && team !== actor.team)
      throw new Forbidden(`You act for team ${actor.team} only (team).`);
  }
  return { ...(agentId ? { agentId } : {}), ...(team ? { team } : {}) };
}
