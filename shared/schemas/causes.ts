/** Causes (contract "Categories and causes (v1.2)"; s000/s002 原因分析, s003 根因): why a complaint, a miss or an improvement happened. */
import { describeEnum } from './describe.js';
import { CAUSE_KINDS, type CauseKind, OVERDUE_REASON_KINDS } from './vocabulary.js';
import { z } from './zod.js';

export { CAUSE_KINDS, type CauseKind, OVERDUE_REASON_KINDS };

export const CauseKinds = /* @__PURE__ */ z.enum(CAUSE_KINDS);
export const causeKindText = /* @__PURE__ */ describeEnum(CauseKinds, {
  people: 'People: staffing, skills, attitude',
  process: 'Process: steps, hand-offs, rules of work',
  tools: 'Tools: systems and equipment',
  product: 'The product itself (a defect, a design)',
  policy: 'Policy: rules, terms, prices',
  external: 'Outside the company: the customer, a courier, a third party',
});

export const Cause = /* @__PURE__ */ z
  .strictObject({
    kind: CauseKinds.openapi({
      description:
        'people (staffing, skills), process (steps, hand-offs), tools (systems), product (the product itself), policy (rules, terms), external (customer, courier, third party)',
    }),
    detail: z.string().trim().min(1).max(500).optional().openapi({ description: 'What exactly, up to 500 characters' }),
  })
  .openapi('Cause', { description: 'Why it happened: a kind from the list and, optionally, the detail' });
export type Cause = z.infer<typeof Cause>;
