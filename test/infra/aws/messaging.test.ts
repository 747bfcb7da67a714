import { describe, expect, it } from 'vitest';
import { WECHAT_SECRET_ENV } from '../../../shared/notify/wechat.js';
import { rolesWithStatements, synthStack, templateOf } from './synth.js';

describe('the WeChat credentials', () => {
  const { stack } = synthStack();
  const { template, resources, resourceOf } = templateOf(stack);
  const secret = resourceOf(stack.wechat.secret);
  const secretRef = { Ref: secret.logicalId };

  it('are a Secrets Manager secret the stack creates without a value in the template', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    // A generated placeholder with no app id: the adapter reports the channel as not set up until an operator puts it.
    expect(secret.Properties.GenerateSecretString).toEqual({
      SecretStringTemplate: JSON.stringify({ appId: '' }),
      GenerateStringKey: 'secret',
      ExcludePunctuation: true,
    });
    expect(secret.Properties.SecretString).toBeUndefined();
  });

  it('are readable by the functions that message customers only, GetSecretValue on that one secret', () => {
    const readers = [stack.jobs.function('followUps'), stack.escalation!.functions.check];
    const readerRoles = new Set(readers.map((fn) => resourceOf(fn.role).logicalId));
    const grants = rolesWithStatements(resources).flatMap(({ roleId, statements }) =>
      statements
        .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')))
        .map((statement) => ({ roleId, statement })),
    );
    expect(new Set(grants.map((grant) => grant.roleId))).toEqual(readerRoles);
    for (const { statement } of grants) {
      expect(statement.Action).toBe('secretsmanager:GetSecretValue');
      expect(statement.Resource).toEqual(secretRef);
    }
    // No other statement anywhere names the secret (no wildcard that would cover it either).
    const secretMentions = rolesWithStatements(resources)
      .flatMap(({ statements }) => statements)
      .filter((statement) => JSON.stringify(statement.Resource).includes(secret.logicalId));
    expect(secretMentions).toHaveLength(grants.length);
  });

  it('are named to the readers in their environment, and to no other function', () => {
    const readers = [stack.jobs.function('followUps'), stack.escalation!.functions.check];
    for (const fn of readers)
      expect(resourceOf(fn.function).Properties.Environment.Variables[WECHAT_SECRET_ENV]).toEqual(secretRef);
    const others = [
      ...stack.api.all().map(({ fn }) => fn),
      ...stack.jobs.all(),
      ...Object.values(stack.escalation!.functions),
    ].filter((fn) => !readers.includes(fn));
    expect(others.length).toBeGreaterThan(10);
    for (const fn of others)
      expect(resourceOf(fn.function).Properties.Environment.Variables[WECHAT_SECRET_ENV], fn.node.path).toBeUndefined();
  });
});
