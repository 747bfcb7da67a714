/**
 * Who may do what to which record (contract "Auth"): the caller as the product sees them, the
 * order of roles, and the object-level rules use cases apply. Pure; the HTTP layer reads the
 * actor from the token's claims (shared/http/auth.ts) and hands it in.
 */
import { ROLES, type Role } from '../schemas/vocabulary.js';
import { Forbidden } from './errors.js';

/** Who is calling: the token's subject, its roles and optional team. */
export interface Actor {
  id: string;
  roles: Role[];
  team?: string;
}

/** The roles from least to most rights. */
export const ROLE_ORDER = ROLES;

/** The highest rank among an actor's roles; each role includes the rights of the ones before it. */
export function rank(roles: readonly Role[]): number {
  return Math.max(-1, ...roles.map((r) => ROLE_ORDER.indexOf(r)));
}

export function hasRole(actor: Actor, role: Role): boolean {
  return rank(actor.roles) >= ROLE_ORDER.indexOf(role);
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
