/** @careloop/client: the CareLoop API, typed end to end (README.md shows each screen). */
export {
  type CareLoopClient,
  type ClientOptions,
  createClient,
  type RecordVersions,
  type StrictPaths,
  type Token,
} from './client.js';
export { type IdempotencyHeader, idempotencyKey, idempotent, type RetryOptions } from './idempotency.js';
export { all, type ItemOf, items, type Page, pages } from './paging.js';
export {
  type CurrentOf,
  type DataOf,
  type ErrorOf,
  type FieldError,
  type FieldErrorCode,
  isProblem,
  ok,
  type Problem,
  ProblemError,
  type Result,
  type Settled,
  settle,
} from './problems.js';
export type { ListRevalidation, Revalidated, RevalidateHeader } from './revalidate.js';
export type { components, operations, paths } from './schema.js';

import type { components } from './schema.js';

/** The API's named schemas: `Schemas['Complaint']`, `Schemas['ComplaintListItem']`… */
export type Schemas = components['schemas'];
