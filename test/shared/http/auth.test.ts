/** Group claims are read exactly, the same way for Cognito (AWS) and the local dev authorizer. */
import { describe, expect, it } from 'vitest';
import { actorFromEvent } from '../../../shared/http/auth.js';

const actor = (groups: unknown) =>
  actorFromEvent({ requestContext: { authorizer: { claims: { sub: 'u-1', 'cognito:groups': groups } } } as never });

describe('actorFromEvent: cognito:groups', () => {
  it.each([
    ['admin', ['admin']],
    ['agent,manager', ['agent', 'manager']],
    ['[agent manager]', ['agent', 'manager']],
    [
      ['supervisor', 'agent'],
      ['supervisor', 'agent'],
    ],
    ['visitor,agent', ['agent']],
  ])('reads %j as %j', (groups, roles) => {
    expect(actor(groups)?.roles).toEqual(roles);
  });

  it.each([
    'admin ',
    ' admin',
    'Admin',
    'admin\t',
    '[admin ]',
    'agent, admin',
    'agent ,admin',
    '[ admin]',
    ['admin '],
    [' admin'],
    ['ADMIN'],
  ])('does not trim or fold %j into a role it does not name exactly', (groups) => {
    const roles = actor(groups)?.roles ?? [];
    expect(roles).not.toContain('admin');
  });

  it('grants nothing from a malformed claim (an empty name, or one with whitespace)', () => {
    for (const groups of ['agent,admin ', '[agent admin\u00a0]', 'agent,,admin', '[agent  admin]', ','])
      expect(actor(groups)?.roles, groups).toEqual([]);
  });

  it('keeps exact names next to names that are no role', () => {
    expect(actor('agent,Admin')?.roles).toEqual(['agent']);
  });
});
