/**
 * Contention on one KPI cell (issue 15 item 3): POST /interactions, every request on the same
 * day × channel × team, with the TransactionConflict injection of the contention test in place
 * (concurrent transactions on one item are cancelled, plus a further 25 % at random). Throughput
 * at concurrency 16 and 64, errors, store retries per request, stored = accepted and exact
 * counters; the baseline is concurrency 16 without injection, measured in the same run.
 */
import type { LocalRuntime } from '../infra/local/runtime.js';
import { dynamoCounterReader } from '../shared/store/aggregates.js';
import { countCustomerItems } from '../shared/store/customers.js';
import { transactionStats } from '../shared/store/transact.js';
import { injectTransactionConflicts } from '../test/support/conflicts.js';
import { pool, ratio, table } from './stats.js';
import type { Section } from './summary.js';

/** Apart from the month the scale section measures (2026-09), so contention's spread cells do not count there. */
const DAY = '2026-07-16';

const countStored = (customerId: string) => countCustomerItems(customerId);

interface Run {
  label: string;
  concurrency: number;
  perSecond: number;
  accepted: number;
  errors: number;
  retriesPerRequest: number;
  cancelled: number;
  stored: number;
  counted: number;
  /** Per item kind, the cancellations that met an item of that kind (test/support/conflicts.ts `itemKind`). */
  met: Record<string, number>;
}

/** `AGG 812, CUSTOMER AUDIENCE 3` — the kinds of item the cancelled transactions met, most first. */
const metText = (met: Record<string, number>) =>
  Object.entries(met)
    .sort(([, a], [, b]) => b - a)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ') || 'nothing';

export async function benchContention(runtime: LocalRuntime, total = 1000): Promise<Section> {
  const token = await runtime.token('bench', ['admin']);
  const run = async (label: string, concurrency: number, share: number | null): Promise<Run> => {
    const team = `hot-${label}`;
    const customerId = `C-contention-${label}`;
    const injection = share === null ? null : injectTransactionConflicts({ share });
    const retriesBefore = transactionStats.retries;
    let accepted = 0;
    let errors = 0;
    const started = performance.now();
    try {
      await pool(total, concurrency, async (i) => {
        const second = String(i % 60).padStart(2, '0');
        const response = await fetch(`${runtime.url}/interactions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            customerId,
            channel: 'chat',
            complexity: 'simple',
            team,
            startedAt: `${DAY}T02:00:${second}Z`,
            firstResponseAt: `${DAY}T02:00:${second}Z`,
          }),
        }).catch(() => null);
        await response?.arrayBuffer();
        if (response?.status === 201) accepted += 1;
        else errors += 1;
      });
    } finally {
      injection?.remove();
    }
    const seconds = (performance.now() - started) / 1000;
    const counted = (await dynamoCounterReader.readCounters(DAY, DAY, { channel: 'chat', team })).reduce(
      (sum, row) => sum + (row.counters.interactions ?? 0),
      0,
    );
    return {
      label,
      concurrency,
      perSecond: total / seconds,
      accepted,
      errors,
      retriesPerRequest: (transactionStats.retries - retriesBefore) / total,
      cancelled: injection ? injection.stats.overlapping + injection.stats.random : 0,
      stored: await countStored(customerId),
      counted,
      met: injection ? { ...injection.stats.met } : {},
    };
  };

  const baseline = await run('baseline16', 16, null);
  const at16 = await run('c16', 16, 0.25);
  const at64 = await run('c64', 64, 0.25);
  const row = (name: string, r: Run) => ({
    run: name,
    concurrency: r.concurrency,
    'requests/s': r.perSecond.toFixed(0),
    'vs baseline': ratio(r.perSecond / baseline.perSecond),
    errors: r.errors,
    'cancelled by injection': r.cancelled,
    'retries/request': r.retriesPerRequest.toFixed(2),
    'stored = accepted': r.stored === r.accepted ? `yes (${r.stored})` : `NO (${r.stored} of ${r.accepted})`,
    'counter = stored': r.counted === r.stored ? 'yes' : `NO (${r.counted})`,
  });
  const text = [
    `### Contention: ${total} POST /interactions on one day × channel × team (target: 0 errors, stored = accepted)`,
    table([
      row('no injection (baseline)', baseline),
      row('TransactionConflict injected', at16),
      row('TransactionConflict injected', at64),
    ]),
    '',
    `Throughput at 64 ÷ at 16, both with injection: ${ratio(at64.perSecond / at16.perSecond)} ` +
      '(injection: every transaction meeting a running one on an item is cancelled, plus 25 % of the rest).',
    `Items the overlapping cancellations met (AGG: the team's counter cell items; CUSTOMER …: the customer's items): ` +
      `at 16 ${metText(at16.met)}; at 64 ${metText(at64.met)}.`,
  ].join('\n');
  const runs = [baseline, at16, at64];
  const exact = runs.every((r) => r.stored === r.accepted && r.counted === r.stored);
  return {
    text,
    rows: [
      {
        figure: 'contention on one counter cell, TransactionConflict injected: errors',
        value: `${at16.errors + at64.errors} (${exact ? 'stored = accepted = counted' : 'stored or counted DIFFER'})`,
        target: '0, stored = accepted = counted',
        met: at16.errors + at64.errors === 0 && exact,
        note: `${total} requests at 16 and at 64`,
      },
    ],
  };
}
