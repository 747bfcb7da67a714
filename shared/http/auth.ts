import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type Actor, hasRole, ROLE_ORDER } from '../domain/access.js';
import { Forbidden, Unauthenticated } from '../domain/errors.js';
import type { Role } from '../schemas/common.js';

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
  const names = bracketed ? (bracketed[1] ?? '').split(' ') : raw.split(',');
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

/** 401 without a verified caller, 403 when the caller's roles do not reach `role`. */
export function authorize(actor: Actor | null, role: Role | 'public'): Actor | null {
  if (role === 'public') return actor;
  if (!actor) throw new Unauthenticated('A valid bearer token is required.');
  if (!hasRole(actor, role)) throw new Forbidden(`This needs the ${role} role or higher.`);
  return actor;
}
