/**
 * A versioned replace of one record in one UpdateItem, as the customer and staff stores do it: the
 * store's own SETs (type, keys, audit), every defined field set, every absent optional field
 * removed, createdAt kept, updatedAt and the version moved on, and `If-Match` checked by the write
 * itself (so nothing can slip in between check and write): 412 when the record moved on.
 */

import { PreconditionFailed } from '../domain/errors.js';
import type { IfMatch } from '../domain/versions.js';
import { dynamo } from './client.js';
import { ConditionalCheckFailedException, UpdateCommand } from './sdk.js';

export async function replaceRecord(input: {
  table: string;
  key: Record<string, unknown>;
  /** The store's own assignments (`#type = :type`, …) with their names and values. */
  own: { sets: string[]; names: Record<string, string>; values: Record<string, unknown> };
  fields: Record<string, unknown>;
  optional: readonly string[];
  ifMatch: IfMatch;
  /** How a 412 names the record: `Customer C-1`. */
  what: string;
  now: Date;
}): Promise<Record<string, unknown>> {
  const { fields, ifMatch } = input;
  const names: Record<string, string> = {
    ...input.own.names,
    '#createdAt': 'createdAt',
    '#updatedAt': 'updatedAt',
    '#version': 'version',
  };
  const values: Record<string, unknown> = {
    ...input.own.values,
    ':now': input.now.toISOString(),
    ':zero': 0,
    ':one': 1,
  };
  const sets = [
    ...input.own.sets,
    '#createdAt = if_not_exists(#createdAt, :now)',
    '#updatedAt = :now',
    '#version = if_not_exists(#version, :zero) + :one',
  ];
  const removes: string[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  for (const field of input.optional) {
    if (fields[field] !== undefined) continue;
    names[`#${field}`] = field;
    removes.push(`#${field}`);
  }
  if (typeof ifMatch === 'number') values[':expected'] = ifMatch;
  const condition =
    ifMatch === undefined ? undefined : ifMatch === '*' ? 'attribute_exists(pk)' : '#version = :expected';
  const result = await dynamo()
    .send(
      new UpdateCommand({
        TableName: input.table,
        Key: input.key,
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ...(condition ? { ConditionExpression: condition } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    )
    .catch((error: Error) => {
      if (error instanceof ConditionalCheckFailedException)
        throw new PreconditionFailed(
          `${input.what} was changed by someone else (or does not exist); read it again and retry.`,
        );
      throw error;
    });
  return result.Attributes ?? {};
}
