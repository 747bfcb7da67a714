import { Timestamp } from './common.js';
import { describeEnum } from './describe.js';
import { z } from './zod.js';

export const ChangeType = /* @__PURE__ */ z
  .enum(['complaint', 'interaction', 'alert', 'improvement'])
  .openapi('ChangeType', {
    description:
      'The kind of record that changed: `complaint` (GET /complaints/{id}), `interaction` (GET /interactions/{id}), `alert` (the call-back queue, GET /alerts; supervisor), `improvement` (GET /improvements/{id}; supervisor)',
  });

export const changeTypeText = /* @__PURE__ */ describeEnum(ChangeType, {
  complaint: 'A complaint: read it with GET /complaints/{id}',
  interaction: 'A contact: read it with GET /interactions/{id}',
  alert: 'A call-back alert: read it with GET /alerts/{id} (supervisor)',
  improvement: 'An improvement action: read it with GET /improvements/{id} (supervisor)',
});

export const ChangesQuery = /* @__PURE__ */ z.strictObject({
  since: z.string().max(2048).optional().openapi({
    description:
      'The `nextCursor` of the previous answer; without it the answer is empty with a cursor at now. A cursor older than the retention (24 h) is a 410: reload the lists, then start again without `since`.',
  }),
  types: z.string().max(200).optional().openapi({
    description:
      'Comma-separated ChangeType values (default: every type the caller may read: `complaint,interaction` for agents, all four from supervisor up)',
    example: 'complaint,interaction',
  }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(500)
    .openapi({ description: '1–1000, default 500: fewer items than this means the feed is caught up' }),
});
export type ChangesQuery = z.infer<typeof ChangesQuery>;

export const ChangeItem = /* @__PURE__ */ z
  .object({
    type: ChangeType,
    id: z.string().openapi({ description: 'The record’s id', example: '01JC2V7K9Q4W8E6R2T5Y3U1I0O' }),
    version: z.number().int().openapi({
      description: 'The record’s version after the change (an alert: 1 raised, 2 claimed, 3 done)',
    }),
    changedAt: Timestamp,
    deleted: z.boolean().optional().openapi({ description: 'true when the record is gone' }),
  })
  .openapi('ChangeItem');

export const ChangesPage = /* @__PURE__ */ z
  .object({
    items: z.array(ChangeItem).openapi({ description: 'Every change after the cursor, oldest first' }),
    nextCursor: z
      .string()
      .openapi({ description: 'Send it as `since` on the next call (never null: the feed goes on)' }),
  })
  .openapi('ChangesPage', {
    example: {
      items: [
        { type: 'complaint', id: '01JC2V7K9Q4W8E6R2T5Y3U1I0O', version: 4, changedAt: '2026-11-10T02:14:05.120Z' },
      ],
      nextCursor: 'Jq3x…',
    },
  });
export type ChangesPage = z.infer<typeof ChangesPage>;
