/**
 * Optimistic concurrency for screens: every record carries a `version`, served as its `ETag`;
 * a write that sends `If-Match` with an older version is refused (412) instead of overwriting
 * what someone else saved meanwhile.
 */
import { PreconditionFailed } from './errors.js';

/** What `If-Match` asked for: a version, any existing record (`*`), or nothing. */
export type IfMatch = number | '*' | undefined;

/** The ETag of a record at `version` (a strong validator: the version changes with every write). */
export const etagOf = (version: number) => `"${version}"`;

/** Parses `If-Match`: `"3"`, `W/"3"`, `3` or `*`; anything else can never match (412). */
export function parseIfMatch(value: string | undefined): IfMatch {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec((trimmed.split(',')[0] ?? '').trim());
  if (!match) throw new PreconditionFailed(`If-Match ${trimmed} is not an ETag this API issued.`);
  return Number(match[1]);
}

/** 412 unless the record (at `version`, undefined when it does not exist) is the one `If-Match` names. */
export function assertIfMatch(ifMatch: IfMatch, version: number | undefined, what: string): void {
  if (ifMatch === undefined) return;
  if (version === undefined)
    throw new PreconditionFailed(`If-Match was sent but ${what} does not exist yet; send the write without it.`);
  if (ifMatch !== '*' && ifMatch !== version)
    throw new PreconditionFailed(
      `${what} was changed by someone else (it is at version ${version}, you sent ${ifMatch}); read it again and retry.`,
    );
}
