/**
 * Campaigns (contract "Campaigns (v1.2)"; s004 §五(一) monthly NPS sample ≥ 5 %, quarterly deep
 * surveys; s000 §二(三) the days-1–5 wave, error ≤ 5 %): the deterministic sample draw, the
 * survey ids it gives, the margin of error. Pure: functions/surveys/campaign*.ts do the I/O.
 */
import { createHash } from 'node:crypto';
import { addMonths, lastDayOfMonth as lastDayOf } from './time.js';

/** The 95 % half-width of a share from n answers out of an audience of N (finite population correction). */
export function marginOfError(n: number, audience: number): number | null {
  if (n <= 0 || audience <= 1 || n > audience) return null;
  return Math.round(1.96 * Math.sqrt((0.25 / n) * ((audience - n) / (audience - 1))) * 10_000) / 10_000;
}

/** Where a customer falls in a campaign's draw: a hash of the campaign id and the customer id (hex, fixed width). */
export const drawKey = (campaignId: string, customerId: string) =>
  createHash('sha256').update(`${campaignId}\u0000${customerId}`).digest('hex').slice(0, 24);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The survey a campaign sends a customer: a ULID whose time is the campaign's launch and whose
 * random part is the customer's draw key, so every run of the launch job (a retry, a resumed run)
 * names the same survey and the store's conditional write makes it once.
 */
export function campaignSurveyId(launchedAt: Date, campaignId: string, customerId: string): string {
  let time = launchedAt.getTime();
  let head = '';
  for (let i = 0; i < 10; i += 1) {
    head = CROCKFORD[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const bytes = createHash('sha256').update(`survey\u0000${campaignId}\u0000${customerId}`).digest();
  let tail = '';
  // 80 bits: 16 characters of 5 bits.
  let bits = 0n;
  for (let i = 0; i < 10; i += 1) bits = (bits << 8n) | BigInt(bytes[i] ?? 0);
  for (let i = 0; i < 16; i += 1) {
    tail = CROCKFORD[Number(bits & 31n)] + tail;
    bits >>= 5n;
  }
  return head + tail;
}

/** How many of an audience a sample takes: `size`, or `share` of it rounded up (s004: at least 5 %). */
export function sampleSize(
  sample: { share?: number | undefined; size?: number | undefined } | undefined,
  audience: number,
) {
  if (!sample || (sample.share === undefined && sample.size === undefined)) return audience;
  if (sample.size !== undefined) return sample.size;
  return Math.min(audience, Math.ceil(audience * (sample.share ?? 1) - 1e-9));
}

/**
 * The order a campaign walks its audience in: by stratum quotas (proportional, largest remainder),
 * each stratum in draw-key order, interleaved so that any prefix of the walk keeps the proportions.
 * Returns the customers in walk order with the quota of their stratum.
 */
export function drawOrder<T extends { customerId: string; stratum?: string | undefined }>(
  campaignId: string,
  members: readonly T[],
  size: number,
): { order: Array<T & { key: string }>; quotas: Map<string, number> } {
  const keyed = members
    .map((m) => ({ ...m, key: drawKey(campaignId, m.customerId) }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const strata = new Map<string, Array<T & { key: string }>>();
  for (const m of keyed) {
    const name = m.stratum ?? 'all';
    // In place: copying the list for every member made a 100,000-customer draw quadratic (minutes).
    const list = strata.get(name);
    if (list) list.push(m);
    else strata.set(name, [m]);
  }
  const total = keyed.length;
  const quotas = new Map<string, number>();
  if (total === 0) return { order: [], quotas };
  const exact = [...strata.entries()].map(([name, list]) => ({ name, want: (size * list.length) / total }));
  let given = 0;
  for (const { name, want } of exact) {
    quotas.set(name, Math.floor(want));
    given += Math.floor(want);
  }
  for (const { name } of [...exact].sort(
    (a, b) => b.want - Math.floor(b.want) - (a.want - Math.floor(a.want)) || a.name.localeCompare(b.name),
  )) {
    if (given >= size) break;
    quotas.set(name, (quotas.get(name) ?? 0) + 1);
    given += 1;
  }
  return { order: keyed, quotas };
}

/** Months between two waves of a recurring campaign. */
export const recurrenceMonths = (recurrence: 'monthly' | 'quarterly') => (recurrence === 'quarterly' ? 3 : 1);

/**
 * A date range `months` later. A range of whole months (the 1st to a month's last day, e.g. "active
 * last month") stays whole months (November → December, Q4 → Q1); any other range moves each date by
 * `months` (1–5 December → 1–5 January; the 31st becomes a shorter month's last day).
 */
export function shiftRange(range: { from: string; to: string }, months: number): { from: string; to: string } {
  const [ty, tm, td] = range.to.split('-').map(Number) as [number, number, number];
  const wholeMonths = range.from.endsWith('-01') && td === lastDayOf(ty, tm);
  if (!wholeMonths) return { from: addMonths(range.from, months), to: addMonths(range.to, months) };
  const to = addMonths(`${range.to.slice(0, 7)}-01`, months);
  const [ny, nm] = to.split('-').map(Number) as [number, number];
  return { from: addMonths(range.from, months), to: `${to.slice(0, 7)}-${String(lastDayOf(ny, nm)).padStart(2, '0')}` };
}

/**
 * The next wave of a recurring campaign on local day `today`: how many periods after this wave it is
 * (more than one when whole periods passed with nobody running the job: a wave whose window is
 * over is never sent) and its window, or undefined while that window has not begun.
 */
export function nextWavePeriods(
  wave: { window: { from: string; to: string }; recurrence: 'monthly' | 'quarterly' },
  today: string,
): { periods: number; window: { from: string; to: string } } | undefined {
  const months = recurrenceMonths(wave.recurrence);
  let periods = 1;
  let window = shiftRange(wave.window, months);
  while (window.to < today) {
    periods += 1;
    window = shiftRange(wave.window, months * periods);
  }
  return window.from <= today ? { periods, window } : undefined;
}

/**
 * The id of a recurring campaign's next wave: a ULID whose time is the wave window's first instant
 * and whose random part is a hash of the wave it follows and how many periods later it is, so two
 * runs of the wave job (or two at once) name the same wave and the conditional create makes it once.
 */
export function campaignWaveId(previousWaveId: string, periods: number, windowStart: Date): string {
  return campaignSurveyId(windowStart, `wave\u0000${previousWaveId}`, String(periods));
}
